"""Read an RDF export of the graph back: ``htkg build graph.ttl`` (or .jsonld, .nt).

The file is parsed with rdflib (:mod:`.parse`, which refuses what is not
UTF-8 RDF text and anything that would be fetched from elsewhere) and turned
into records (:mod:`.records`): entities from resources typed with a label's
class, relationships from ``htkg:*Statement`` nodes (with their properties),
each record once per provenance string so that the graph's ``sources`` lists
come back as they were. Usually built with ``--no-bundled``, so that the
graph is exactly the export.
"""
from __future__ import annotations

from typing import Iterable

from htkg.errors import LoadError
from htkg.loaders.base import Note, Record, RowsRead, Source
from htkg.loaders.rdf.parse import RDF_PARSE_FORMATS, parse_file
from htkg.loaders.rdf.records import explain_error, from_rdflib, load_into, records_from_rdflib

NAME = "rdf"
DESCRIPTION = "an RDF export of the graph: Turtle .ttl, JSON-LD .jsonld, N-Triples .nt"
SUFFIXES = (".ttl", ".jsonld", ".nt")

__all__ = ["DESCRIPTION", "NAME", "RDF_PARSE_FORMATS", "explain", "from_rdflib", "load_into",
           "parse_file", "read", "recognises", "records_from_rdflib"]


def recognises(source: Source) -> bool:
    return source.suffix in SUFFIXES


def read(source: Source, ctx) -> Iterable[Record]:
    path = source.path
    if ctx.progress:
        ctx.progress(f"parsing {path.name}", 0, 1)
    g = parse_file(path)
    if ctx.progress:
        ctx.progress(f"parsing {path.name}", 1, 1)
    nodes, edges, notes = records_from_rdflib(g, str(path))
    yield RowsRead(len(g))
    yield from nodes
    yield from edges
    for note in notes:
        yield Note(note)
    if not nodes and not edges:
        yield Note("no entities or relationships found (a vocabulary or shapes file?)")


def explain(record: Record, error: LoadError, source: Source) -> LoadError:
    """An error the model raised for one of this file's records (see :func:`explain_error`)."""
    return explain_error(record, error, str(source.path))
