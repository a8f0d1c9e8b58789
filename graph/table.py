"""Relationships of one type held compactly: a tuple per relationship.

The NRM tables give a relationship per responder, nationality, exploitation
type and quarter: a million of them for forty quarters of a large register.
As networkx edges (a properties dict, a key string and adjacency entries
each) they cost about 4 KiB apiece; here a relationship is its two ids, a
tuple of values in the table's column order and its provenance, about a
tenth of that. A relationship type is held here when the schema marks it
``compact: true``; :class:`~htkg.graph.model.KnowledgeGraph` routes such
records here and reads them back as the same (ids, type, properties) its
networkx edges give.

Merging is the model's: a second record with the same endpoints and key
fills in values the first lacked and adds its source.
"""
from __future__ import annotations

from typing import Any, Callable, Iterator

from htkg.schema.model import RelType

_A, _B, _VALUES, _SOURCES = range(4)


class RelationshipTable:
    """Every relationship of one compact type, in the order first added."""

    def __init__(self, rel: RelType) -> None:
        self.rel = rel
        self.columns = self.columns_of(rel)
        self.position = {name: i for i, name in enumerate(self.columns)}
        self._key = tuple(self.position[k] for k in rel.key)
        self.rows: list[list] = []          # [source id, target id, values, sources]
        self._index: dict[tuple, int] = {}  # (source id, target id, *key values) -> row
        self._out: dict[str, set[str]] | None = None
        # A store writer that writes rows while files load (graph/bulk.py)
        # sets ``streamed``; a later merge into such a row marks it dirty.
        self.streamed = 0
        self.dirty: set[int] = set()

    @staticmethod
    def columns_of(rel: RelType) -> tuple[str, ...]:
        """The properties a row holds, in order: all but ``sources``."""
        return tuple(n for n in rel.properties if n != "sources")

    def __len__(self) -> int:
        return len(self.rows)

    def add(self, a: str, b: str, values: tuple, source: str) -> None:
        """Add one relationship (values in column order, None where absent), or
        merge it into the one with the same endpoints and key."""
        key = (a, b, *[values[i] for i in self._key])
        at = self._index.get(key)
        if at is None:
            self._index[key] = len(self.rows)
            self.rows.append([a, b, values, source])
            self._out = None
            return
        row = self.rows[at]
        old, sources = row[_VALUES], row[_SOURCES]
        if None in old:
            row[_VALUES] = tuple(v if v is not None else n for v, n in zip(old, values))
        if source:
            if isinstance(sources, list):
                if source not in sources:
                    row[_SOURCES] = sources + [source]
            elif sources != source:
                row[_SOURCES] = [sources, source] if sources else source
        if at < self.streamed and (row[_VALUES] != old or row[_SOURCES] is not sources):
            self.dirty.add(at)

    def props(self, row: list) -> dict[str, Any]:
        """A row's properties as the model's dict (absent values left out)."""
        props = {c: v for c, v in zip(self.columns, row[_VALUES]) if v is not None}
        sources = row[_SOURCES]
        props["sources"] = list(sources) if isinstance(sources, list) else \
            ([sources] if sources else [])
        return props

    def edges(self) -> Iterator[tuple[str, str, dict]]:
        """(source id, target id, properties) of every relationship."""
        for row in self.rows:
            yield row[_A], row[_B], self.props(row)

    def stored_key(self, row: list) -> str:
        """The ``key`` property a store holds (:meth:`RelType.key_of`)."""
        values = row[_VALUES]
        return self.rel.key_from_values([values[i] for i in self._key])

    def key_of(self, row: list) -> str:
        """The same key string the model gives a networkx edge of this type."""
        return f"{self.rel.name}|{self.stored_key(row)}"

    def targets(self, node_id: str) -> set[str]:
        """Ids this node links to by this type (an index built on first use)."""
        if self._out is None:
            out: dict[str, set[str]] = {}
            for row in self.rows:
                out.setdefault(row[_A], set()).add(row[_B])
            self._out = out
        return self._out.get(node_id, set())


def cached(clean: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``clean`` once per distinct value: a million rows hold few distinct
    names and counts. A value that fails is not cached, so each bad row
    raises on its own."""
    seen: dict[Any, Any] = {}

    def check(value: Any) -> Any:
        try:
            return seen[(type(value), value)]
        except KeyError:
            out = seen[(type(value), value)] = clean(value)
            return out
        except TypeError:           # unhashable: a list where one value belongs
            return clean(value)
    return check
