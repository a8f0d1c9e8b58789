"""``htkg export`` and ``htkg validate``: the graph for other tools, and checking RDF."""
from __future__ import annotations

from pathlib import Path

import click

from htkg.commands.options import (db_option, emit, param_option, progress_bar, store_target,
                                   text_params, timeout_option)
from htkg.exports import FORMATS, RDF_FORMATS, format_for


def _human(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"



@click.command()
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format (default: from the file name: .ttl, .jsonld, .nt, .graphml, "
                   ".gexf, .json; neo4j-csv writes a folder).")
@click.option("-o", "--output", "output", required=True, type=click.Path(path_type=Path),
              metavar="PATH", help="File to write (a folder for neo4j-csv).")
@click.option("--vocabulary", is_flag=True,
              help="Write the RDFS/OWL vocabulary generated from the schema, alone.")
@click.option("--shapes", is_flag=True,
              help="Write the SHACL shapes generated from the schema, alone.")
@click.option("--focus", metavar="ENTITY", help="Export only this entity (id, name or alias) "
                                                "and its neighbours.")
@click.option("--depth", type=click.IntRange(min=1), default=1, show_default=True,
              help="Hops from --focus.")
@click.option("--query", "query", metavar="NAME",
              help="Export only what this saved query returns.")
@param_option(help="With --query: a parameter of the saved query (repeatable); its declared "
                  "type reads VALUE, as in 'htkg query'.")
@db_option
@timeout_option
def export(fmt: str | None, output: Path, vocabulary: bool, shapes: bool, focus: str | None,
           depth: int, query: str | None, params: tuple[str, ...], db: str | None,
           timeout: float) -> None:
    """Export the stored graph (or part of it) for other tools.

    RDF (turtle, jsonld, ntriples) uses the project vocabulary
    https://w3id.org/htkg/vocab# with relationships as statement nodes and
    PROV-O provenance; graphml and gexf suit Gephi and yEd; json is node-link
    JSON; neo4j-csv writes a folder of CSV files and the neo4j-admin import
    command. Files are written whole or not at all.

    Example:

        htkg export -o graph.ttl

        htkg export --format turtle --vocabulary -o vocab.ttl

        htkg export --format gexf --focus "Royal Mail" --depth 2 -o royal-mail.gexf

        htkg export --format neo4j-csv -o neo4j-import/
    """
    # deferred: keeps start-up fast
    from htkg.exports.export import export_store, write_shapes, write_vocabulary
    fmt = fmt or format_for(output)
    if fmt is None:
        raise click.UsageError(f"cannot tell the format from '{output.name}'; give --format "
                               f"({', '.join(FORMATS)})")
    if vocabulary and shapes:
        raise click.UsageError("give --vocabulary or --shapes, not both")
    if (vocabulary or shapes) and (focus or query or params):
        raise click.UsageError("--vocabulary and --shapes write the schema alone; "
                               "leave out --focus, --query and -p")
    if (vocabulary or shapes) and fmt not in RDF_FORMATS:
        raise click.UsageError(f"the vocabulary and the shapes are RDF: use --format "
                               f"{', '.join(RDF_FORMATS)}")
    if focus and query:
        raise click.UsageError("give --focus or --query, not both")
    if params and not query:
        raise click.UsageError("-p gives a saved query's parameters: use it with --query NAME")
    if vocabulary:
        result = write_vocabulary(fmt, output)
        emit(f"wrote the vocabulary ({result.triples} triples) as {fmt} to {output} "
             f"({_human(result.bytes)})")
        return
    if shapes:
        result = write_shapes(fmt, output)
        emit(f"wrote the SHACL shapes ({result.triples} triples) as {fmt} to {output} "
             f"({_human(result.bytes)})")
        return
    with progress_bar() as progress:
        result = export_store(store_target(db, timeout), fmt, output, focus=focus, depth=depth,
                              query=query, params=text_params(params), progress=progress)
    triples = f", {result.triples} triples" if result.triples is not None else ""
    part = "" if result.what == "graph" else " (a selection)"
    emit(f"wrote {result.nodes} nodes and {result.relationships} relationships{part}{triples} "
         f"as {fmt} to {output} ({_human(result.bytes)}) in {result.seconds:.1f} s")
    if result.command:
        emit(f"{len(result.files)} CSV files; import them into Neo4j (stopped) with "
             f"{output / 'import.sh'}, i.e.:\n\n{result.command}")


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--limit", type=click.IntRange(min=0), default=0,
              help="Show at most this many violations (default: all).")
def validate(file: Path, limit: int) -> None:
    """Check an RDF FILE (.ttl, .jsonld, .nt) against the SHACL shapes of the schema.

    Lists every violation with its focus node; exits 1 when the file does not
    conform.

    Example:

        htkg validate graph.ttl
    """
    from htkg.exports.shacl import validate_file  # deferred: keeps start-up fast
    report = validate_file(file)
    if report.conforms:
        emit(f"{file} conforms to the htkg shapes ({report.summary()})")
        return
    shown = report.violations[:limit] if limit else report.violations
    lines = [v.line() for v in shown]
    if len(shown) < len(report.violations):
        lines.append(f"... and {len(report.violations) - len(shown)} more")
    n = len(report.violations)
    lines.append(f"{file} does not conform: {n} violation{'s' if n != 1 else ''} "
                 f"({report.summary()})")
    emit("\n".join(lines))
    click.get_current_context().exit(1)
