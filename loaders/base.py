"""The loader protocol: what a loader is given, and what it yields.

A loader is a module (or any object) with:

- ``NAME`` and ``DESCRIPTION``: how the build summary and error messages name it;
- ``recognises(source: Source) -> bool``: whether a file is of its kind
  (from the name and :meth:`Source.head`, never by reading the whole file);
- ``read(source: Source, ctx: ReadContext) -> Iterable[Record]``: the file's
  records, in order.

Optionally ``parallel(source) -> bool``: True when the file may be read in a
worker process (its records depend only on what was loaded before the build
began reading that group of files; see :mod:`htkg.pipeline.parallel`); and
``rank(source) -> int``: where the file comes among the loader's files (lower
first; files of equal rank keep the order they were given in), for a loader
whose files build on one another (the geography: police force areas before
the districts that lie in them, districts before the councils that govern them).

A loader knows nothing about where its records go: it never edits the model
or writes to a database. It resolves names through ``ctx.resolver()`` and
reads an entity already loaded through ``ctx.entity(id)``; a name it cannot
resolve is an :class:`Unresolved` record, never a new entity. Every fact
carries its provenance (:class:`~htkg.graph.records.Provenance`). A file it
cannot read raises :class:`~htkg.errors.LoadError` naming the file and line,
before it yields anything that would leave the graph half-loaded where that
can be helped (the pipeline adds a file's records only once it has read them
all).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Protocol, Union

from htkg import textfile
from htkg.graph.records import Edge, Node, Unresolved
from htkg.graph.resolver import Resolver

if TYPE_CHECKING:   # named in annotations only: the loaders' protocol loads no networkx
    from htkg.graph.model import KnowledgeGraph

__all__ = ["CheckedRows", "Edge", "EdgeRows", "FileReport", "GraphContext", "Loader", "Node",
           "Note", "ReadContext", "Record", "RowsRead", "Source", "Unresolved"]


@dataclass
class Source:
    """One file given to a loader.

    ``name``, ``suffix`` and ``stem`` ignore a compression suffix (``.gz``,
    ``.xz``); :meth:`text` and :meth:`bytes` decompress. The head is read once
    (every loader is asked whether it recognises the file); it may be given
    instead, to ask about a file by name and first lines alone.
    """

    path: Path
    _head: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.path = Path(self.path)

    @property
    def name(self) -> str:
        return textfile.plain_name(self.path)

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix.lower()

    @property
    def stem(self) -> str:
        return Path(self.name).stem

    def head(self) -> str:
        """The first few kilobytes as text (bad bytes replaced): for recognising."""
        if self._head is None:
            self._head = textfile.head(self.path)
        return self._head

    def bytes(self, shown: str | None = None) -> bytes:
        return textfile.read_bytes(self.path, shown or str(self.path))

    def text(self, shown: str, what: str, fix: str) -> str:
        """The whole file as UTF-8 text (see :mod:`htkg.textfile` for the policy)."""
        return textfile.read_utf8(self.path, shown, what, fix)

    def __str__(self) -> str:
        return str(self.path)


@dataclass(frozen=True)
class Note:
    """A line for the build summary about this file (a reconciliation, a warning)."""

    text: str


@dataclass(frozen=True)
class RowsRead:
    """How many rows (lines, entries, items) the file held."""

    count: int


@dataclass
class EdgeRows:
    """Many relationships of one compact type (REFERRED), as
    ``(source id, target id, properties, provenance)`` rows, checked by the core
    in one pass (the model's :meth:`~htkg.graph.model.KnowledgeGraph.check_edges`)."""

    type: str
    rows: list[tuple[str, str, dict, str]]


@dataclass
class CheckedRows:
    """:class:`EdgeRows` the core has checked (in a worker process), ready to add."""

    type: str
    rows: list[tuple[str, str, tuple, str]]


Record = Union[Node, Edge, EdgeRows, CheckedRows, Unresolved, Note, RowsRead]


class ReadContext(Protocol):
    """What a loader may see of the build (a read-only view)."""

    options: dict[str, Any]
    progress: Callable[[str, int, int], None] | None

    def resolver(self) -> Resolver:
        """A resolver over everything loaded so far (the registry first)."""

    def entity(self, entity_id: str) -> tuple[str, dict] | None:
        """(label, a copy of the properties) of an entity loaded so far, or None."""

    def by_property(self, prop: str) -> dict[Any, list[str]]:
        """The entities loaded so far with a single-valued ``prop``: value -> their ids."""

    def related(self, entity_id: str, rel_type: str) -> list[str]:
        """Ids of what an entity loaded so far links to by ``rel_type``, sorted."""


@dataclass
class GraphContext:
    """A :class:`ReadContext` over a graph: the pipeline's (which adds a cached
    resolver), or one a library function gives a loader to read a file into a graph of
    its own (:func:`htkg.loaders.govuk.load_into`)."""

    kg: KnowledgeGraph
    options: dict[str, Any] = field(default_factory=dict)
    progress: Callable[[str, int, int], None] | None = None

    def resolver(self) -> Resolver:
        return Resolver.from_graph(self.kg)

    def entity(self, entity_id: str | None) -> tuple[str, dict] | None:
        found = self.kg.node(entity_id) if entity_id else None
        if found is None:
            return None
        label, props = found
        return label, {k: list(v) if isinstance(v, list) else v for k, v in props.items()}

    def by_property(self, prop: str) -> dict[Any, list[str]]:
        out: dict[Any, list[str]] = {}
        for node_id, _, props in self.kg.nodes():
            value = props.get(prop)
            if value is not None and not isinstance(value, list):
                out.setdefault(value, []).append(node_id)
        return out

    def related(self, entity_id: str, rel_type: str) -> list[str]:
        if self.kg.node(entity_id) is None:
            return []
        return sorted(b for t, b in self.kg.targets(entity_id) if t == rel_type)


class Loader(Protocol):
    NAME: str
    DESCRIPTION: str

    def recognises(self, source: Source) -> bool: ...

    def read(self, source: Source, ctx: ReadContext) -> Iterable[Record]: ...


@dataclass
class FileReport:
    """What one loader did with one file (for the build summary)."""

    path: str
    loader: str
    rows: int = 0
    records: int = 0
    notes: list[str] = field(default_factory=list)
