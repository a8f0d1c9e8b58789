"""``htkg build``: load the inputs, write the store, print a summary."""
from __future__ import annotations

import contextlib
import time
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from htkg.commands.options import TerminalConsole, db_option, progress_bar, visible
from htkg.errors import QueryError
from htkg.loaders import BuildReport, build_graph
from htkg.maps import write_map
from htkg.output import render
from htkg.graph.model import KnowledgeGraph
from htkg.graph.embedded_build import EmbeddedBuild
from htkg.graph.store import Target, WriteStats, open_store, resolve_target, write_store

SAMPLE_QUERY = (
    "MATCH (o:Organisation {frontline_contact: true})-[:OPERATES_IN]->(s:Sector) "
    "OPTIONAL MATCH (reg:Organisation)-[:REGULATES]->(s) "
    "RETURN s.name AS sector, o.name AS organisation, collect(DISTINCT reg.name) AS regulators "
    "ORDER BY sector, organisation LIMIT 12")


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@db_option
@click.option("--no-bundled", is_flag=True, help="Leave out the bundled registry.")
@click.option("--period", metavar="YYYYQn", help="Period of NRM tables whose file name lacks it.")
@click.option("--map", "map_path", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("htkg-map.html"), show_default=True,
              help="Where to write the overview map of the built graph.")
@click.option("--no-map", is_flag=True, help="Do not write the overview map.")
def build(paths: tuple[Path, ...], db: str | None, no_bundled: bool, period: str | None,
          map_path: Path, no_map: bool) -> None:
    """Build the graph from the bundled registry and PATHS, and store it.

    Each file is routed to the loader that recognises it; a folder is walked.
    An embedded build replaces the previous graph only when it is complete.
    Then it prints a summary, a sample query, and writes an overview map
    (an HTML file that opens offline in any browser).

    Example:

        htkg build ../shared/data/nrm minutes.txt --map overview.html
    """
    run_build(list(paths), db, bundled=not no_bundled, period=period,
              map_path=None if no_map else map_path)


def run_build(paths: list[Path], db: str | None, bundled: bool = True,
              period: str | None = None, map_path: Path | None = None) -> None:
    err = Console(stderr=True)
    # Names from the inputs are printed as written: no markup ("[/bold]"), no
    # emoji codes (":x:"), control characters shown escaped (see options.visible).
    out = TerminalConsole(highlight=False, soft_wrap=True, markup=False, emoji=False)
    started = time.perf_counter()
    target = resolve_target(db)
    with contextlib.ExitStack() as stack:
        with progress_bar(err) as progress:
            if not bundled and not paths:
                raise click.UsageError("nothing to build: give PATHS, or leave out --no-bundled")
            options = {"period": period} if period else {}
            if target.uri:  # a server: load, then push in batches (graph/store.py)
                kg, report = build_graph(paths, bundled=bundled, options=options,
                                         progress=progress)
                stats, target = write_store(kg, db, progress=progress)
                store = None
            else:           # embedded: written while the files load (graph/embedded_build.py)
                sink = stack.enter_context(EmbeddedBuild(target.path, progress))
                kg, report = build_graph(paths, bundled=bundled, options=options,
                                         progress=progress, sink=sink)
                nodes, rels = sink.finish(kg)
                stats, store = WriteStats(nodes, rels, 1), sink.store
        _summary(out, kg, report, stats, target, time.perf_counter() - started)
        if not bundled and map_path is None:
            return
        if store is None:
            store = stack.enter_context(open_store(db))
        _after_build(out, store, bundled, map_path)


def _after_build(out: Console, store, bundled: bool, map_path: Path | None) -> None:
    """The sample query and the overview map, read from the graph just built."""
    if bundled:
        sample = store.read(SAMPLE_QUERY)
        out.print("\nSample query: organisations in frontline sectors whose workers may "
                  "meet victims")
        out.print(render(sample.columns, sample.rows, "table", width=out.width))
    if map_path is not None:
        try:
            drawn = write_map(store, map_path)
        except QueryError as exc:  # too large to read: the build itself succeeded
            out.print(f"\nNo overview map: {exc}")
        else:
            out.print(f"\nOverview map ({drawn.nodes} nodes, {drawn.relationships} "
                      f"relationships): {drawn.path.resolve()}\n"
                      f"Open it in any browser; it needs no network. "
                      f"See 'htkg map --help' for focused maps.")


def _summary(out: Console, kg: KnowledgeGraph, report: BuildReport, stats: WriteStats,
             target: Target, seconds: float) -> None:
    labels, types = kg.counts()
    table = Table(title="Graph built", header_style="bold")
    table.add_column("label / relationship")
    table.add_column("count", justify="right")
    for name, n in labels.items():
        table.add_row(name, str(n))
    table.add_section()
    for name, n in types.items():
        table.add_row(name, str(n))
    out.print(table)
    for f in report.files:
        rows = f" {f.rows} rows," if f.rows else ""
        out.print(visible(f"loaded {f.path} ({f.loader}):{rows} {f.records} records"))
        for note in f.notes:
            out.print(visible(f"  {note}"))
    nrm = [f for f in report.files if f.loader == "nrm"]
    if nrm:
        differ = sum(1 for f in nrm for n in f.notes if n.startswith("reconciled") and " differ" in n)
        checked = sum(1 for f in nrm for n in f.notes if n.startswith("reconciled"))
        out.print(f"NRM tables: {len(nrm)} files, {sum(f.rows for f in nrm)} rows read, "
                  f"{types.get('REFERRED', 0)} REFERRED relationships in the graph; "
                  f"reconciled against published totals in {checked} files: "
                  + (f"differences in {differ} (see above)" if differ else "all equal"))
    for path, why in report.skipped:
        out.print(visible(f"skipped {path}: {why}"))
    if kg.unresolved:
        names: dict[tuple[str, str], list[str]] = {}
        for u in kg.unresolved:
            names.setdefault((u.kind, u.name), []).append(u.source)
        out.print(Text.assemble((f"unresolved names ({len(names)})", "bold"),
                                ", loaded nowhere until added to the registry:"))
        for (kind, name), where in sorted(names.items()):
            more = f" and {len(where) - 1} more" if len(where) > 1 else ""
            out.print(visible(f"  {kind} '{name}' at {where[0]}{more}"))
    else:
        out.print("unresolved names: none")
    out.print(f"wrote {stats.nodes} nodes and {stats.relationships} relationships to "
              f"{target.shown} in {seconds:.1f} s")
