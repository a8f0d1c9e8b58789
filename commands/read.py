"""Reading the stored graph: ``htkg cypher``, ``htkg show`` and ``htkg stats``."""
from __future__ import annotations

import click

from htkg.commands.options import (db_option, emit, format_option, param_option, parse_params,
                                   timeout_option)
from htkg.output import cell, render


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
    from htkg.graph.store import open_store  # deferred: keeps start-up fast
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
    from htkg.graph.store import open_store  # deferred: keeps start-up fast
    from htkg.selection import around  # deferred: keeps start-up fast
    with open_store(db, timeout=timeout) as store:
        emit(describe(around(store, entity)))


def describe(sel) -> str:
    """The entity a selection made by :func:`htkg.selection.around` is about,
    for people: its properties, its relationships and their sources."""
    focus = sel.focus
    node = dict(sel.nodes[focus].props)
    lines = [f"{node.get('name')}  [{sel.nodes[focus].label}] id={focus}"]
    sources = node.pop("sources", [])
    for key in sorted(k for k in node if k not in ("id", "name")):
        lines.append(f"  {key}: {cell(node[key])}")
    lines.append("  sources:")
    lines += [f"    - {s}" for s in sources]
    lines.append(f"relationships ({len(sel.relationships)}):")
    for r in sel.relationships:
        props = {k: v for k, v in r.props.items() if k not in ("sources", "key")}
        outgoing = r.a == focus
        other_id = r.b if outgoing else r.a
        other = sel.nodes.get(other_id)
        label, name = (other.label, other.props.get("name")) if other else (None, None)
        arrow = f"-[{r.type}]->" if outgoing else f"<-[{r.type}]-"
        extra = f"  {cell(props)}" if props else ""
        lines.append(f"  {arrow} {name} ({label}, {other_id}){extra}")
        lines += [f"      source: {s}" for s in r.props.get("sources", [])]
    return "\n".join(lines)


@click.command()
@db_option
@format_option()
@timeout_option
def stats(db: str | None, fmt: str, timeout: float) -> None:
    """Counts per label and relationship type in the stored graph.

    Example:

        htkg stats --format json
    """
    from htkg.graph.store import open_store  # deferred: keeps start-up fast
    with open_store(db, timeout=timeout) as store:
        labels, types = store.counts()
    rows = ([{"kind": "label", "name": k, "count": v} for k, v in labels.items()]
            + [{"kind": "relationship", "name": k, "count": v} for k, v in types.items()])
    emit(render(["kind", "name", "count"], rows, fmt))
