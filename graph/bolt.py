"""Writing to a Neo4j (or any Bolt) server: ``UNWIND … MERGE`` in batches.

Constraints first (``CREATE CONSTRAINT … IF NOT EXISTS``); then each label's
nodes as ``UNWIND $rows AS row MERGE (n:Label {id: row.id}) SET n += row.props``
and each relationship type's relationships, matched by both labelled
endpoints and merged on the schema's key. Every batch is its own retried
write transaction (``execute_write``), so an interrupted push leaves whole
batches and a rerun converges. Labels and types in the query text come from
the schema; values only ever as parameters.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Callable, Iterator

from neo4j.exceptions import DriverError, Neo4jError

from htkg.errors import StoreError
from htkg.graph.bulk import storable
from htkg.graph.model import KnowledgeGraph
from htkg.graph.driver_errors import driver_message, lost
from htkg.graph.store import Store, Target, _connect
from htkg.graph.writing import (WriteStats, Writer, _batches, _run, _write_session,
                                create_constraints, verify)

Progress = Callable[[str, int, int], None]


class BoltWriter(Writer):
    """Writes to a Neo4j (or other Bolt) server in ``MERGE`` batches at :meth:`finish`."""

    def __init__(self, target: Target, progress: Progress | None = None,
                 batch_done: Callable[[int], None] | None = None) -> None:
        self.target, self.progress = target, progress
        # Called after each committed batch with the number committed so far
        # (tests hold a push there to stop its server at a known point).
        self.batch_done = batch_done
        self._store: Store | None = None

    def open(self, kg: KnowledgeGraph) -> None:
        if self._store is None:
            t = self.target
            self._store = _connect(t.uri, t.user, t.password, t.database, t.shown)

    def finish(self, kg: KnowledgeGraph) -> WriteStats:
        self.open(kg)
        try:
            stats = self._push(kg)
            verify(self._store, kg, exact=False)
        except Neo4jError as exc:
            raise StoreError(f"writing to {self.target.shown} failed: "
                             f"{driver_message(exc)}") from None
        except DriverError as exc:
            raise StoreError(lost(self.target.shown, exc) + "; a rerun converges on the same "
                             "graph") from None
        return stats

    def _push(self, kg: KnowledgeGraph) -> WriteStats:
        stats = WriteStats()
        total = kg.size()
        create_constraints(self._store, kg)
        work = list(_merge_work(kg))
        with _write_session(self._store) as session:
            for query, rows, stage in work:
                for batch in _batches(rows):
                    session.execute_write(_run, query, batch)
                    stats.batches += 1
                    setattr(stats, stage, getattr(stats, stage) + len(batch))
                    if self.progress:
                        self.progress(f"writing {stage}", stats.nodes + stats.relationships, total)
                    if self.batch_done:
                        self.batch_done(stats.batches)
        return stats

    @property
    def store(self) -> Store | None:
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.driver.close()
            self._store = None


def _merge_work(kg: KnowledgeGraph) -> Iterator[tuple[str, list[dict], str]]:
    """(query, rows, stage) for every label's nodes, then every relationship type's
    relationships between each pair of labels. Labels and types come from the
    schema; values only ever as parameters."""
    by_label: dict[str, list[dict]] = defaultdict(list)
    for node_id, label, props in kg.nodes():
        by_label[label].append({"id": node_id, "props": storable(props)})
    by_type: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for a, b, rel_type, props in kg.edges():
        by_type[(rel_type, kg.label_of(a), kg.label_of(b))].append(
            {"a": a, "b": b, "key": kg.schema.relationships[rel_type].key_of(props),
             "props": storable(props)})
    for label, rows in by_label.items():
        yield f"UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET n += row.props", rows, \
            "nodes"
    for (rel_type, la, lb), rows in by_type.items():
        yield (f"UNWIND $rows AS row MATCH (a:{la} {{id: row.a}}) MATCH (b:{lb} {{id: row.b}}) "
               f"MERGE (a)-[r:{rel_type} {{key: row.key}}]->(b) SET r += row.props",
               rows, "relationships")
