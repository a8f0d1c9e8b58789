"""Read an RDF export of the graph back: ``htkg build graph.ttl`` (or .jsonld, .nt).

The file is parsed with rdflib and turned into records by
:func:`htkg.exports.rdf_graph.records_from_rdflib`: entities from resources typed
with a label's class, relationships from ``htkg:*Statement`` nodes (with
their properties), each record once per provenance string so that the
graph's ``sources`` lists come back as they were. The records go through
the :class:`~htkg.graph.model.KnowledgeGraph`, which validates them; an
error names this file and the entity or statement at fault. Usually built
with ``--no-bundled``, so that the graph is exactly the export.
"""
from __future__ import annotations

from pathlib import Path

NAME = "rdf"
DESCRIPTION = "an RDF export of the graph: Turtle .ttl, JSON-LD .jsonld, N-Triples .nt"
SUFFIXES = (".ttl", ".jsonld", ".nt")


def recognises(path: Path, head: str) -> bool:
    return path.suffix.lower() in SUFFIXES


def load(path: Path, ctx) -> "FileReport":
    from htkg.exports.rdf_graph import load_into, parse_file
    from htkg.loaders import FileReport
    if ctx.progress:
        ctx.progress(f"parsing {path.name}", 0, 1)
    g = parse_file(path)
    if ctx.progress:
        ctx.progress(f"parsing {path.name}", 1, 1)
    before = ctx.kg.size()
    records, notes = load_into(ctx.kg, g, str(path))
    after = ctx.kg.size()
    if after == before and not records:
        notes = [*notes, "no entities or relationships found (a vocabulary or shapes file?)"]
    return FileReport(str(path), NAME, rows=len(g), records=after - before, notes=notes)
