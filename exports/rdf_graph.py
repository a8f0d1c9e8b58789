"""The export as an in-memory rdflib graph (for validation and tests).

Writing the serialisations is :mod:`htkg.exports.rdf`'s streaming code;
reading RDF back is the RDF loader's (:mod:`htkg.loaders.rdf`).
"""
from __future__ import annotations

from typing import Any, Iterable

from htkg.exports.rdf import Subject, subjects
from htkg.graph.model import KnowledgeGraph
from htkg.schema.terms import Lit, bind

def _rdflib_term(o: Any):
    from rdflib import Literal, URIRef       # deferred: rdflib is slow to import
    if isinstance(o, Lit):
        return Literal(o.value, datatype=URIRef(o.datatype) if o.datatype else None)
    return URIRef(o)


def to_rdflib(kg: KnowledgeGraph, items: Iterable[Subject] | None = None):
    """``kg`` as an rdflib ``Graph`` (with the project's prefixes bound)."""
    from rdflib import Graph, URIRef         # deferred: rdflib is slow to import
    g = Graph()
    bind(g)
    for s, pairs in (subjects(kg) if items is None else items):
        s_ref = URIRef(s)
        for p, o in pairs:
            g.add((s_ref, URIRef(p), _rdflib_term(o)))
    return g
