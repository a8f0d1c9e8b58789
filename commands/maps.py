"""``htkg map``: network maps as offline HTML or PNG."""
from __future__ import annotations

from pathlib import Path

import click

from htkg.commands.options import (db_option, emit, param_option, queries_option, store_target,
                                   text_params, timeout_option)


@click.command("map")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: htkg-map.html or htkg-map.png here).")
@click.option("--focus", metavar="ENTITY",
              help="Map one entity (id, name or alias) and its neighbours.")
@click.option("--depth", type=click.IntRange(1, 6), default=None, metavar="N",
              help="With --focus: how many steps out to go.  [default: 1]")
@click.option("--query", metavar="NAME", help="Map what a saved query returns (see 'htkg queries').")
@param_option(help="With --query: a parameter of the saved query (repeatable); its declared "
                  "type reads VALUE, as in 'htkg query'.")
@queries_option(help="With --query: a folder of your own .cypher queries (repeatable; also "
                     "$HTKG_QUERIES).")
@click.option("--kind", "kinds", multiple=True, metavar="K",
              help="Keep only organisations of kind K (ngo, police_force, regulator...) or "
                   "nodes of label K; repeat to keep several.")
@click.option("--label", "labels", multiple=True, metavar="L",
              help="Keep only nodes with label L (Organisation, Country, Sector...); repeatable.")
@click.option("--format", "fmt", type=click.Choice(["html", "png"]), default=None,
              help="html (interactive, self-contained) or png (static picture).  "
                   "[default: from -o's suffix, else html]")
@click.option("--top", type=click.IntRange(min=1), default=None, metavar="N",
              help="Draw only the N strongest links (by people referred where the map has NRM "
                   "referrals, else by relationships); the legend says how many more there are.")
@click.option("--all", "everything", is_flag=True,
              help="Without --focus or --query: draw every entity and link, not the overview "
                   "by kind.")
@click.option("--title", help="Heading of the map (default: says what it shows).")
@db_option
@timeout_option
def map_command(output: Path | None, focus: str | None, depth: int | None, query: str | None,
                params: tuple[str, ...], query_dirs: tuple[Path, ...], kinds: tuple[str, ...],
                labels: tuple[str, ...], fmt: str | None, top: int | None, everything: bool,
                title: str | None, db: str | None, timeout: float) -> None:
    """Draw a network map: one HTML file that opens offline, or a PNG.

    Without options it draws an overview of the whole graph by kind: one
    circle per kind of organisation, and for countries, sectors and others;
    --all draws every entity and link instead. Colours show each node's
    label or organisation kind (legend on the page); size shows people
    referred where the map has NRM referrals, else relationships. Names are
    placed so that none covers another. The HTML page has a search box, a
    filter by kind, and tooltips with every property and its source; it
    loads nothing from the network.

    Example:

        htkg map

        htkg map --focus Vietnam --top 10 -o vietnam.png

        htkg map --focus Nigeria --depth 2 -o nigeria.html

        htkg map --kind ngo --kind police_force --format png

        htkg map --query country-links -p country=Nigeria

        htkg map --all
    """
    from htkg.maps import write_map  # deferred: keeps start-up fast
    if depth is not None and not focus:
        raise click.UsageError("--depth goes with --focus ENTITY")
    if (params or query_dirs) and not query:
        raise click.UsageError("-p and --queries go with --query NAME")
    if focus and query:
        raise click.UsageError("give --focus or --query, not both")
    if top and everything:
        raise click.UsageError("give --top N or --all, not both: --all draws every link")
    result = write_map(store_target(db, timeout), output, fmt=fmt, focus=focus, depth=depth or 1,
                       query=query, params=text_params(params), kinds=kinds, labels=labels,
                       title=title, queries_dirs=query_dirs, top=top, everything=everything)
    where = result.path.resolve()
    if result.summary:
        emit(f"Wrote an overview by kind ({result.nodes:,} kinds, {result.relationships:,} "
             f"kinds of link) to {where}\nFor every entity and link: htkg map --all")
    else:
        more = f" (and {result.more:,} more not drawn)" if result.more else ""
        emit(f"Wrote a map of {result.nodes:,} nodes and {result.relationships:,} "
             f"relationships{more} to {where}")
    if result.format == "html":
        emit("Open it in any web browser; it needs no network connection.")
