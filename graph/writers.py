"""Writing the graph to a store: one contract, two writers.

Every writer is used the same way::

    with writer_for(target, progress) as w:
        w.open(kg)          # once the first files are read (after any worker forks)
        w.feed(kg)          # after each file: write what the graph has gained
        stats = w.finish(kg)  # the rest; verified before it counts as written
    # an exception inside the block calls w.abort()

- :class:`EmbeddedWriter` writes a new generation of an embedded store
  through the engine's bulk path (:mod:`htkg.graph.bulk`) while the files
  load, verifies it (counts per label and relationship type read back), and
  only then makes it current; on any failure the previous generation stays
  current and untouched.
- :class:`BoltWriter` writes to a Neo4j server (or any Bolt server) at
  :meth:`finish`, in batches of ``UNWIND $rows AS row MERGE …``, each its own
  retried write transaction, so an interrupted push leaves whole batches and
  a rerun converges.

Derived relationships (the quarterly referral totals) are computed by the
caller, once, before :meth:`Writer.finish`; writers only write.
"""
from __future__ import annotations

import errno
import os
import shutil
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import neo4j
from neo4j.exceptions import DriverError, Neo4jError

from htkg.errors import StoreError
from htkg.graph import embedded
from htkg.graph.bulk import BulkWriter, storable
from htkg.graph.model import KnowledgeGraph
from htkg.graph.summary import summarise_referrals
from htkg.graph.store import Store, Target, _connect, _driver_message, _lost, resolve_target

BATCH = 2000
Progress = Callable[[str, int, int], None]
#: Free space an embedded build needs beyond its estimate, and the estimate's
#: bytes per entity or relationship (measured: about 250 bytes a REFERRED
#: relationship in ArcadeDB's files; doubled for its page slack and indexes).
MARGIN_BYTES = 8 * 2**20
BYTES_PER_RECORD = 600


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


def writer_for(target: Target, progress: Progress | None = None) -> Writer:
    """The writer for a target: embedded store directory or server URI."""
    return BoltWriter(target, progress) if target.uri else EmbeddedWriter(target.path, progress)


def write_store(kg: KnowledgeGraph, db: str | None = None,
                progress: Progress | None = None) -> tuple[WriteStats, Target]:
    """Write a complete in-memory graph to ``db`` (a directory, a URI, or the default
    store), with its derived relationships computed first
    (:func:`htkg.graph.summary.summarise_referrals`)."""
    summarise_referrals(kg)
    target = resolve_target(db)
    with writer_for(target, progress) as writer:
        writer.open(kg)
        stats = writer.finish(kg)
    return stats, target


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


# -- the embedded store ---------------------------------------------------------------
def free_bytes(path: Path) -> int:
    """Free bytes on the file system that holds ``path`` (or its nearest existing parent)."""
    for p in [path, *path.parents]:
        if p.exists():
            return shutil.disk_usage(p).free
    return shutil.disk_usage("/").free


def _size(path: Path | None) -> int:
    if path is None:
        return 0
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            try:
                total += os.lstat(os.path.join(root, f)).st_size
            except OSError:
                pass
    return total


def _mb(n: int) -> str:
    return f"{n / 2**20:,.1f} MB"


def _disk_full(path: Path, why: str = "") -> StoreError:
    return StoreError(f"the disk holding {path} is full ({_mb(free_bytes(path))} free){why}; "
                      f"free some space or build into another --db; the previous graph is "
                      f"unchanged")


def _is_disk_full(exc: BaseException) -> bool:
    """Whether an error, or one that led to it, says the disk is full."""
    seen = 0
    while exc is not None and seen < 20:
        if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
            return True
        text = str(exc)
        if "No space left on device" in text or "ENOSPC" in text or "Disk full" in text:
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


class EmbeddedWriter(Writer):
    """One build of an embedded store into a new generation (see the module docstring)."""

    def __init__(self, path: Path, progress: Progress | None = None) -> None:
        self.path, self.progress = path, progress
        self.target = Target(path=path)
        self._lock: embedded.StoreLock | None = None
        self._generation: Path | None = None
        self._server = None
        self._store: Store | None = None
        self._writer: BulkWriter | None = None

    @property
    def opened(self) -> bool:
        return self._writer is not None

    def open(self, kg: KnowledgeGraph) -> None:
        """Lock the store, check the free space, start the engine on a new
        generation and write what ``kg`` holds so far. Does nothing the second time."""
        if self.opened:
            return
        self._lock = embedded.StoreLock(self.path)
        self._lock.__enter__()
        self._check_space(kg, first=True)
        self._guarded(lambda: self._start(kg))
        self.feed(kg)

    def _start(self, kg: KnowledgeGraph) -> None:
        self._generation = embedded.new_generation(self.path)
        self._server = embedded.start_server(self._generation, create=True)
        self._store = _connect(self._server.uri, self._server.user, self._server.password,
                               embedded.DATABASE, str(self.path))
        # The schema's DDL through the driver, as on Neo4j; the data through the
        # engine's bulk path (graph/bulk.py).
        create_constraints(self._store, kg)
        self._writer = BulkWriter(self._server.database(), kg.schema, self.progress)

    def _check_space(self, kg: KnowledgeGraph, first: bool = False) -> None:
        """Refuse to go on when the disk cannot hold the rest of the build: the
        previous generation's size (at the start) or what is still to write."""
        free = free_bytes(self.path)
        written = (len(self._writer.rids) + self._writer.relationships) if self._writer else 0
        need = max(kg.size() - written, 0) * BYTES_PER_RECORD + MARGIN_BYTES
        if first:
            need = max(need, _size(embedded.current_generation(self.path)) + MARGIN_BYTES)
        if free < need:
            raise _disk_full(self.path, f"; this build needs about {_mb(need)}")

    def feed(self, kg: KnowledgeGraph) -> None:
        if self.opened:
            self._check_space(kg)
            self._guarded(lambda: self._writer.feed(kg))

    def finish(self, kg: KnowledgeGraph) -> WriteStats:
        """Write the rest, verify it, and make the new generation current."""
        self.open(kg)
        self._check_space(kg)
        nodes, rels = self._guarded(lambda: self._writer.finish(
            kg, lambda query, rows: write_rows(self._store, query, rows)))
        try:
            verify(self._store, kg, exact=True)
        except _Unverified as exc:
            if free_bytes(self.path) < MARGIN_BYTES:
                raise _disk_full(self.path) from None
            raise StoreError(f"the new graph in {self.path} did not read back as written "
                             f"({exc}); the previous graph is unchanged; see "
                             f"{embedded.log_directory()} for the engine's log") from None
        embedded.publish_generation(self.path, self._generation)
        self._generation = None         # published: nothing to discard any more
        return WriteStats(nodes, rels, 1)

    def _guarded(self, work):
        """Run engine work, naming a full disk and the driver's errors in one line."""
        try:
            return work()
        except StoreError as exc:
            if _is_disk_full(exc):
                raise _disk_full(self.path) from None
            raise
        except Neo4jError as exc:
            raise StoreError(f"writing the embedded store failed: {_driver_message(exc)}") from None
        except Exception as exc:
            if _is_disk_full(exc) or free_bytes(self.path) < MARGIN_BYTES:
                raise _disk_full(self.path) from None
            if isinstance(exc, OSError):
                raise StoreError(f"cannot write the store {self.path}: "
                                 f"{exc.strerror or exc}") from None
            raise

    @property
    def store(self) -> Store | None:
        return self._store

    def abort(self) -> None:
        """Stop, discard the new generation; the current one is untouched."""
        if self._writer is not None:
            self._writer.abort()
        self._stop()
        if self._generation is not None:
            embedded.discard_generation(self._generation)
            self._generation = None

    def close(self) -> None:
        """Stop the engine and unlock; a generation never published is discarded."""
        self._stop()
        if self._generation is not None:
            embedded.discard_generation(self._generation)
            self._generation = None
        if self._lock is not None:
            self._lock.__exit__(None, None, None)
            self._lock = None

    def _stop(self) -> None:
        if self._store is not None:
            self._store.driver.close()
            self._store = None
        if self._server is not None:
            self._server.stop()
            self._server = None
        self._writer = None


# -- a server ------------------------------------------------------------------------------
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
                             f"{_driver_message(exc)}") from None
        except DriverError as exc:
            raise StoreError(_lost(self.target.shown, exc) + "; a rerun converges on the same "
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
