"""Writing the graph to a store: one contract (:mod:`.writing`), two writers.

- :class:`EmbeddedWriter` writes a new generation of an embedded store
  through the engine's bulk path (:mod:`htkg.graph.bulk`) while the files
  load, verifies it (counts per label and relationship type read back), and
  only then makes it current; on any failure the previous generation stays
  current and untouched.
- :class:`~htkg.graph.bolt.BoltWriter` writes to a Neo4j server (or any Bolt server) at
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
from pathlib import Path
from typing import Callable

from neo4j.exceptions import Neo4jError

from htkg.errors import StoreError
from htkg.graph import embedded
from htkg.graph.bolt import BoltWriter
from htkg.graph.bulk import BulkWriter
from htkg.graph.model import KnowledgeGraph
from htkg.graph.driver_errors import driver_message
from htkg.graph.store import Store, Target, _connect, resolve_target
from htkg.graph.succession import annotate as annotate_status
from htkg.graph.summary import summarise_referrals
from htkg.graph.writing import (WriteStats, Writer, _Unverified, create_constraints, verify,
                                write_rows)

Progress = Callable[[str, int, int], None]
#: Free space an embedded build needs beyond its estimate, and the estimate's
#: bytes per entity or relationship (measured: about 250 bytes a REFERRED
#: relationship in ArcadeDB's files; doubled for its page slack and indexes).
MARGIN_BYTES = 8 * 2**20
BYTES_PER_RECORD = 600


def writer_for(target: Target, progress: Progress | None = None) -> Writer:
    """The writer for a target: embedded store directory or server URI."""
    return BoltWriter(target, progress) if target.uri else EmbeddedWriter(target.path, progress)


def write_store(kg: KnowledgeGraph, db: str | None = None,
                progress: Progress | None = None) -> tuple[WriteStats, Target]:
    """Write a complete in-memory graph to ``db`` (a directory, a URI, or the default
    store), with what is derived computed first: the quarterly totals
    (:func:`htkg.graph.summary.summarise_referrals`) and each body's status
    (:func:`htkg.graph.succession.annotate`)."""
    summarise_referrals(kg)
    annotate_status(kg)
    target = resolve_target(db)
    with writer_for(target, progress) as writer:
        writer.open(kg)
        stats = writer.finish(kg)
    return stats, target


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
        # A folder that is not an htkg store is refused before anything loads.
        embedded.claim_store(path)
        self.path, self.progress = path, progress
        self.target = Target(path=path)
        self._lock: embedded.StoreLock | None = None
        self._generation: Path | None = None
        self._pin: embedded.GenerationLock | None = None
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
        # Held until the engine has closed it: once published, no reader
        # opens it while this process still writes it (the summary, the map).
        self._pin = embedded.GenerationLock(self._generation, self.path).take(exclusive=True,
                                                                              wait=0)
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
            if _is_disk_full(exc) or free_bytes(self.path) < MARGIN_BYTES:
                raise _disk_full(self.path) from None
            raise StoreError(f"writing the embedded store failed: {driver_message(exc)}") from None
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
        if self._pin is not None:
            self._pin.release()
            self._pin = None
        self._writer = None
