"""``htkg build``: load the inputs, write the store, print a summary."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

import htkg
from htkg.commands.options import db_option, progress_bar, terminal_console, visible
from htkg.output import render

if TYPE_CHECKING:
    from rich.console import Console


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@db_option
@click.option("--no-bundled", is_flag=True,
              help="Leave out everything that ships with htkg: the registry and the figures.")
@click.option("--no-figures", is_flag=True,
              help="Leave out the bundled NRM tables (keep the registry and the reference "
                   "data: geography, GOV.UK organisations), to build from tables of your own.")
@click.option("--period", metavar="YYYYQn", help="Period of NRM tables whose file name lacks it.")
@click.option("--map", "map_path", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("htkg-map.html"), show_default=True,
              help="Where to write the overview map of the built graph.")
@click.option("--no-map", is_flag=True, help="Do not write the overview map.")
def build(paths: tuple[Path, ...], db: str | None, no_bundled: bool, no_figures: bool,
          period: str | None, map_path: Path, no_map: bool) -> None:
    """Build the graph from the bundled registry and PATHS, and store it.

    Each file is routed to the loader that recognises it; a folder is walked.
    An embedded build replaces the previous graph only when it is complete.
    Then it prints a summary, a sample query, and writes an overview map
    by kind (an HTML file that opens offline in any browser; 'htkg map
    --all' draws every entity and link).

    Example:

        htkg build ../shared/data/nrm minutes.txt --map overview.html
    """
    run_build(list(paths), db, bundled=not no_bundled, figures=not no_figures, period=period,
              map_path=None if no_map else map_path)


def run_build(paths: list[Path], db: str | None, bundled: bool = True, figures: bool = True,
              period: str | None = None, map_path: Path | None = None) -> None:
    if not bundled and not paths:
        raise click.UsageError("nothing to build: give PATHS, or leave out --no-bundled")
    # Names from the inputs are printed as written: no markup ("[/bold]"), no
    # emoji codes (":x:"), control characters shown escaped (see options.visible).
    out = terminal_console(highlight=False, soft_wrap=True, markup=False, emoji=False)
    with progress_bar() as progress:
        result = htkg.build(paths, db, bundled=bundled, figures=figures, period=period,
                            progress=progress, overview=map_path)
    _summary(out, result)
    if result.sample is not None:
        out.print("\nSample query: organisations in frontline sectors whose workers may "
                  "meet victims")
        out.print(render(result.sample.columns, result.sample.rows, "table", width=out.width))
    if result.overview_note:
        out.print(f"\nNo overview map: {result.overview_note}")
    elif result.overview is not None:
        drawn = result.overview
        shown = (f"by kind: {drawn.nodes} kinds, {drawn.relationships} kinds of link"
                 if drawn.summary else f"{drawn.nodes} nodes, {drawn.relationships} relationships")
        out.print(f"\nOverview map ({shown}): {drawn.path.resolve()}\n"
                  f"Open it in any browser; it needs no network. Every entity and link: "
                  f"'htkg map --all'; one body or country: 'htkg map --focus NAME --top 10'.")


def _summary(out: Console, result: htkg.BuildResult) -> None:
    from rich.table import Table  # deferred: rich loads only in commands that draw with it
    from rich.text import Text  # deferred: as above
    labels, types = result.counts()
    table = Table(title="Graph built", header_style="bold")
    table.add_column("label / relationship")
    table.add_column("count", justify="right")
    for name, n in labels.items():
        table.add_row(name, str(n))
    table.add_section()
    for name, n in types.items():
        table.add_row(name, str(n))
    out.print(table)
    for f in result.files:
        rows = f" {f.rows} rows," if f.rows else ""
        out.print(visible(f"loaded {f.path} ({f.loader}):{rows} {f.records} records"))
        for note in f.notes:
            out.print(visible(f"  {note}"))
    nrm = [f for f in result.files if f.loader == "nrm"]
    if nrm:
        differ = sum(1 for f in nrm for n in f.notes if n.startswith("reconciled") and " differ" in n)
        checked = sum(1 for f in nrm for n in f.notes if n.startswith("reconciled"))
        out.print(f"NRM tables: {len(nrm)} files, {sum(f.rows for f in nrm)} rows read, "
                  f"{types.get('REFERRED', 0)} REFERRED relationships in the graph; "
                  f"reconciled against published totals in {checked} files: "
                  + (f"differences in {differ} (see above)" if differ else "all equal"))
        from htkg.loaders.nrm import coverage   # deferred: the loaders pull in networkx
        quarters = coverage(f.path for f in nrm)
        if quarters:
            out.print(visible("NRM figures' quarters: " + "; ".join(quarters)))
    for path, why in result.skipped:
        out.print(visible(f"skipped {path}: {why}"))
    if result.unresolved:
        names: dict[tuple[str, str], list[str]] = {}
        for u in result.unresolved:
            names.setdefault((u.kind, u.name), []).append(u.source)
        out.print(Text.assemble((f"unresolved names ({len(names)})", "bold"),
                                ", loaded nowhere until added to the registry:"))
        for (kind, name), where in sorted(names.items()):
            more = f" and {len(where) - 1} more" if len(where) > 1 else ""
            out.print(visible(f"  {kind} '{name}' at {where[0]}{more}"))
    else:
        out.print("unresolved names: none")
    out.print(f"wrote {result.written.nodes} nodes and {result.written.relationships} "
              f"relationships to {result.target.shown} in {result.seconds:.1f} s")
