"""Exports of the graph for other tools, and the way back.

- :mod:`htkg.exports.read`: the stored graph (embedded or Neo4j) as a
  :class:`~htkg.graph.model.KnowledgeGraph`.
- :mod:`htkg.schema.terms`: the project namespace and the schema's names
  as IRIs (one class per label, one property per relationship type and per
  property).
- :mod:`htkg.exports.rdf`: KnowledgeGraph -> RDF (Turtle, JSON-LD,
  N-Triples) by a streaming writer, relationships as qualified statement
  nodes with PROV-O provenance.
- :mod:`htkg.exports.rdf_graph`: the other direction through rdflib:
  parsing RDF files and reading them back into records.
- :mod:`htkg.exports.vocabulary`: the schema as an RDFS/OWL vocabulary.
- :mod:`htkg.exports.shacl`: the schema as SHACL shapes; validation with pyshacl.
- :mod:`htkg.exports.interchange`: GraphML, GEXF, node-link JSON and
  neo4j-admin CSV files.
- :mod:`htkg.exports.files`: atomic writing (temporary file, then rename).
"""
from __future__ import annotations

from pathlib import Path

RDF_FORMATS = ("turtle", "jsonld", "ntriples")
FORMATS = (*RDF_FORMATS, "graphml", "gexf", "json", "neo4j-csv")

SUFFIXES = {
    ".ttl": "turtle", ".turtle": "turtle", ".jsonld": "jsonld", ".nt": "ntriples",
    ".graphml": "graphml", ".gexf": "gexf", ".json": "json",
}


def format_for(path) -> str | None:
    """The export format a file name suggests, or None.

    >>> format_for("graph.ttl"), format_for("g.jsonld"), format_for("out")
    ('turtle', 'jsonld', None)
    """
    return SUFFIXES.get(Path(path).suffix.lower())
