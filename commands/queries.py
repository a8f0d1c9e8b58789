"""Saved queries: ``htkg queries`` and ``htkg query``."""
from __future__ import annotations

from pathlib import Path

import click

from htkg.commands.options import (db_option, emit, format_option, param_option, queries_option,
                                   text_params, timeout_option)
from htkg.output import json_text, render



def _show(columns: list[str], rows: list[dict], fmt: str, caveat: str = "") -> None:
    """Rows in the format asked for, with the query's caveat: a line above a table,
    a ``caveat`` field on each row of JSON and CSV."""
    from htkg.queries import with_caveat  # deferred: keeps start-up fast
    if caveat and fmt == "table":
        emit(f"Caveat: {caveat}")
    elif caveat:
        columns, rows = with_caveat(columns, rows, caveat)
    emit(render(columns, rows, fmt))


@click.command("queries")
@format_option(("table", "json"))
@queries_option()
@click.option("--show", "show", metavar="NAME",
              help="Print the saved query NAME: its header as written, then the exact Cypher "
                   "that 'htkg query NAME' runs.")
def list_queries(fmt: str, query_dirs: tuple[Path, ...], show: str | None) -> None:
    """List the saved queries: name, parameters and description, and their caveats.

    Queries from your own folders (--queries, $HTKG_QUERIES) are listed
    beside the bundled ones, with their file. Run one with 'htkg query NAME';
    read what it runs with 'htkg queries --show NAME'.

    Example:

        htkg queries --queries ./my-queries --format json

        htkg queries --show country-links
    """
    from htkg.queries import load_catalogue, user_dirs  # deferred: keeps start-up fast
    cat = load_catalogue(user_dirs(query_dirs))
    if show is not None:
        query = cat.get(show)
        if fmt == "json":
            emit(json_text({"name": query.name, "file": query.path, "header": query.header,
                            "cypher": query.cypher}))
        else:
            emit(query.listing())
        return
    if fmt == "json":
        emit(render([], [q.to_json() for q in cat], "json"))
        return
    rows = [{"name": q.name,
             "parameters": ", ".join(p.signature for p in q.params) or "-",
             "description": q.description + ("" if q.bundled else f" [{q.path}]")
                            + (" (see its caveat below)" if q.caveat else "")}
            for q in cat]
    _show(["name", "parameters", "description"], rows, "table")
    caveats = [q for q in cat if q.caveat]
    if caveats:
        emit("\nCaveats, printed with each result:\n" + "\n".join(
            f"  {q.name}: {q.caveat}" for q in caveats))


@click.command("query")
@click.argument("name")
@param_option(help="A parameter of the query (repeatable); its declared type reads VALUE: "
                  "-p country=Nigerian, -p year=2023, -p owner=\"Home Office\".")
@format_option()
@db_option
@queries_option()
@timeout_option
def run_saved(name: str, params: tuple[str, ...], fmt: str, db: str | None,
              query_dirs: tuple[Path, ...], timeout: float) -> None:
    """Run the saved query NAME, read-only, with typed parameters.

    A query with a caveat prints it with the result: a line above the table,
    and a 'caveat' field on each row in JSON and CSV.

    Names of bodies, people, sectors, meetings and countries are resolved
    through the graph (ids, names, aliases; countries also by ISO code or
    demonym). 'htkg queries' lists the queries and their parameters.

    Example:

        htkg query country-links -p country=Nigeria

        htkg query top-source-countries -p year=2023 -p quarter=4 --format csv
    """
    from htkg.graph.store import open_store  # deferred: keeps start-up fast
    from htkg.queries import load_catalogue, run_query, user_dirs  # deferred: keeps start-up fast
    from htkg.queries.params import check  # deferred: keeps start-up fast
    query = load_catalogue(user_dirs(query_dirs)).get(name)
    given = text_params(params)
    check(query, given)  # fail fast, before the store opens
    with open_store(db, timeout=timeout) as store:
        result = run_query(store, query, given)
    _show(result.columns, result.rows, fmt, query.caveat)
