"""Reading the stored graph: ``htkg cypher``, ``htkg show`` and ``htkg stats``."""
from __future__ import annotations

import click

from htkg.commands.options import (db_option, emit, format_option, param_option, parse_params,
                                   timeout_option)


@click.command()
@click.argument("query")
@param_option(help="A query parameter; VALUE is read as JSON where it parses "
                   "(-p year=2023), else as text (-p name=Nigeria).")
@format_option()
@db_option
@timeout_option
def cypher(query: str, params: tuple[str, ...], fmt: str, db: str | None, timeout: float) -> None:
    """Run one read-only Cypher QUERY; a query that would write, or reach files
    or the network (LOAD CSV), is refused, and one that runs past --timeout
    is stopped.

    Example:

        htkg cypher "MATCH (o:Organisation {frontline_contact: true}) RETURN o.name AS name"
    """
    from htkg.graph.store import open_store
    from htkg.output import render
    values = parse_params(params)
    with open_store(db, timeout=timeout) as store:
        result = store.read(query, values)
    emit(render(result.columns, result.rows, fmt))


@click.command()
@click.argument("entity")
@db_option
@timeout_option
def show(entity: str, db: str | None, timeout: float) -> None:
    """Show one ENTITY (id, name or alias): properties, relationships, sources.

    Example:

        htkg show "Royal Mail"
    """
    from htkg.graph.inspect import describe
    from htkg.graph.store import open_store
    with open_store(db, timeout=timeout) as store:
        click.echo(describe(store, entity))


@click.command()
@db_option
@format_option()
@timeout_option
def stats(db: str | None, fmt: str, timeout: float) -> None:
    """Counts per label and relationship type in the stored graph.

    Example:

        htkg stats --format json
    """
    from htkg.graph.store import open_store
    from htkg.output import render
    with open_store(db, timeout=timeout) as store:
        labels, types = store.counts()
    rows = ([{"kind": "label", "name": k, "count": v} for k, v in labels.items()]
            + [{"kind": "relationship", "name": k, "count": v} for k, v in types.items()])
    emit(render(["kind", "name", "count"], rows, fmt))
