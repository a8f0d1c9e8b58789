"""One export, from the store (or a graph in memory) to a file or folder.

:func:`export_graph` writes a :class:`KnowledgeGraph` in any format;
:func:`export_store` reads the store first (the whole graph, or the part a
``focus``/``query`` selects); :func:`write_vocabulary` and
:func:`write_shapes` write the schema's vocabulary or SHACL shapes alone.
Every output is written to a temporary name and renamed when complete.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from htkg import selection
from htkg.errors import QueryError
from htkg.exports import FORMATS, RDF_FORMATS, interchange, rdf
from htkg.exports.files import atomic_text
from htkg.exports.read import graph_of
from htkg.exports.shacl import shapes_graph
from htkg.exports.vocabulary import vocabulary_graph
from htkg.graph.model import KnowledgeGraph
from htkg.graph.store import open_store
from htkg.schema import terms as T

Progress = Callable[[str, int, int], None]
RDFLIB_FORMATS = {"turtle": "turtle", "jsonld": "json-ld", "ntriples": "nt"}


@dataclass
class ExportResult:
    path: Path
    format: str
    nodes: int = 0
    relationships: int = 0
    triples: int | None = None
    bytes: int = 0
    seconds: float = 0.0
    command: str | None = None
    files: list[str] = field(default_factory=list)
    what: str = "graph"


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size


def export_graph(kg: KnowledgeGraph, fmt: str, path: str | Path,
                 progress: Progress | None = None) -> ExportResult:
    """Write ``kg`` as ``fmt`` to ``path`` (a folder for ``neo4j-csv``)."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown export format '{fmt}'; formats: {', '.join(FORMATS)}")
    path = Path(path)
    started = time.perf_counter()
    result = ExportResult(path, fmt, kg.g.number_of_nodes(), kg.number_of_relationships())
    if fmt in RDF_FORMATS:
        with atomic_text(path) as f:
            result.triples = rdf.serialise(kg, fmt, f, progress)
    elif fmt == "graphml":
        interchange.write_graphml(kg, path)
    elif fmt == "gexf":
        interchange.write_gexf(kg, path)
    elif fmt == "json":
        interchange.write_node_link(kg, path)
    else:
        out = interchange.write_neo4j_csv(kg, path, progress)
        result.command, result.files = out["command"], out["files"]
    result.seconds = time.perf_counter() - started
    result.bytes = _size(path)
    return result


def read_selection(store, focus: str | None = None, depth: int = 1, query: str | None = None,
                   params: dict | None = None, progress: Progress | None = None) -> KnowledgeGraph:
    """The whole stored graph, or the part ``focus``/``depth`` or ``query`` selects
    (:func:`htkg.selection.select`), with every relationship in full."""
    if focus or query or params:
        return graph_of(selection.select(store, focus=focus, depth=depth, query=query,
                                         params=params))
    return graph_of(selection.everything(store, progress))


def export_store(db: str | None, fmt: str, path: str | Path, focus: str | None = None,
                 depth: int = 1, query: str | None = None, params: dict | None = None,
                 progress: Progress | None = None) -> ExportResult:
    """Read the store given by ``db`` (directory or URI) and export it."""
    started = time.perf_counter()
    # Fail on options that cannot work before a store opens (an embedded open takes seconds).
    selection.check(focus=focus, query=query, params=params)
    with open_store(db) as store:
        kg = read_selection(store, focus, depth, query, params, progress)
    result = export_graph(kg, fmt, path, progress)
    result.seconds = time.perf_counter() - started
    if focus or query:
        result.what = "selection"
    return result


def _write_rdflib(g, fmt: str, path: str | Path) -> ExportResult:
    if fmt not in RDF_FORMATS:
        raise QueryError(f"the vocabulary and the shapes are RDF: use --format "
                         f"{', '.join(RDF_FORMATS)}, not {fmt}")
    path = Path(path)
    started = time.perf_counter()
    kwargs = {}
    if fmt == "jsonld":
        kwargs = {"context": {p: ns for p, ns in T.PREFIXES.items()}, "auto_compact": True}
    text = g.serialize(format=RDFLIB_FORMATS[fmt], **kwargs)
    with atomic_text(path) as f:
        f.write(text)
    return ExportResult(path, fmt, triples=len(g), bytes=path.stat().st_size,
                        seconds=time.perf_counter() - started)


def write_vocabulary(fmt: str, path: str | Path) -> ExportResult:
    """Write the RDFS/OWL vocabulary alone."""
    result = _write_rdflib(vocabulary_graph(), fmt, path)
    result.what = "vocabulary"
    return result


def write_shapes(fmt: str, path: str | Path) -> ExportResult:
    """Write the SHACL shapes alone."""
    result = _write_rdflib(shapes_graph(), fmt, path)
    result.what = "shapes"
    return result
