"""The contract every writer meets, and what writers share: checks and driver writes.

A writer is used the same way whatever it writes to (:mod:`htkg.graph.writers`
picks one)::

    with writer_for(target, progress) as w:
        w.open(kg)            # once the first files are read (after any worker forks)
        w.feed(kg)            # after each file: write what the graph has gained
        stats = w.finish(kg)  # the rest; verified before it counts as written
    # an exception inside the block calls w.abort()
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import neo4j

from htkg.errors import StoreError
from htkg.graph.model import KnowledgeGraph
from htkg.graph.store import Store, Target

BATCH = 2000


@dataclass
class WriteStats:
    """What a writer wrote."""

    nodes: int = 0
    relationships: int = 0
    batches: int = 0


class Writer:
    """The contract every writer meets (see the module docstring)."""

    target: Target

    def __enter__(self) -> "Writer":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.abort()
        self.close()

    def open(self, kg: KnowledgeGraph) -> None:
        """Get ready to write (lock, connect, create the schema's constraints)."""
        raise NotImplementedError

    def feed(self, kg: KnowledgeGraph) -> None:
        """Write what ``kg`` has gained since the last call (a writer may wait for finish)."""

    def finish(self, kg: KnowledgeGraph) -> WriteStats:
        """Write the rest, verify it, and make it the store's graph."""
        raise NotImplementedError

    def abort(self) -> None:
        """Give up: nothing of this write becomes the store's graph where the store allows."""

    def close(self) -> None:
        """Release connections and locks."""

    @property
    def store(self) -> Store | None:
        """After :meth:`finish`, a :class:`Store` on the written graph, until :meth:`close`."""
        return None


def verify(store: Store, kg: KnowledgeGraph, exact: bool) -> None:
    """Read back the counts per label and relationship type and compare them with
    ``kg``'s. ``exact`` for a store that held nothing else; otherwise each count
    must be at least ``kg``'s (a server may hold more)."""
    labels, types = store.counts()
    want_labels, want_types = kg.counts()
    short = []
    for kind, want, got in (("label", want_labels, labels), ("relationship type", want_types, types)):
        for name, n in want.items():
            have = got.get(name, 0)
            if have != n if exact else have < n:
                short.append(f"{kind} {name}: {have:,} stored, {n:,} written")
    if exact:
        extra = [f"{name}: {n:,} stored, none written" for name, n in
                 [*labels.items(), *types.items()] if name not in want_labels
                 and name not in want_types]
        short += extra
    if short:
        raise _Unverified("; ".join(short[:4]) + (f" and {len(short) - 4} more" if len(short) > 4
                                                  else ""))


class _Unverified(StoreError):
    """What was read back differs from what was written."""


def _write_session(store: Store) -> neo4j.Session:
    return store.driver.session(database=store.database,
                                default_access_mode=neo4j.WRITE_ACCESS)


def create_constraints(store: Store, kg: KnowledgeGraph) -> None:
    """The schema's uniqueness constraints (``IF NOT EXISTS``)."""
    with _write_session(store) as session:
        for statement in kg.schema.constraint_statements():
            session.run(statement).consume()


def write_rows(store: Store, query: str, rows: list[dict]) -> int:
    """Run ``query`` (which UNWINDs ``$rows``) over ``rows`` in batches, each its own
    retried write transaction; return how many batches ran."""
    batches = 0
    with _write_session(store) as session:
        for batch in _batches(rows):
            session.execute_write(_run, query, batch)
            batches += 1
    return batches


def _run(tx: neo4j.ManagedTransaction, query: str, rows: list[dict]) -> None:
    tx.run(query, rows=rows).consume()


def _batches(rows: list, size: int = BATCH) -> Iterator[list]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]
