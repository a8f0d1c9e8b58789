"""A build written into a new generation of an embedded store while it loads.

``htkg build`` opens one of these before its loaders run. Once the first
worker processes have forked (see :mod:`htkg.loaders.parallel`; the Java
virtual machine must not be running when a process forks), the build
:meth:`EmbeddedBuild.open`\\ s it: the store is locked, a new generation
made, the engine started, the schema's constraints created. After each file
the build calls :meth:`EmbeddedBuild.feed`, which hands what the graph has
gained to the engine's bulk path (:class:`~htkg.graph.bulk.BulkWriter`), so
reading and writing overlap. :meth:`EmbeddedBuild.finish` writes the rest and
makes the generation current; leaving the ``with`` block on an error (or a
kill at any moment) leaves the previous generation current and unchanged.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from neo4j.exceptions import Neo4jError

from htkg.errors import StoreError
from htkg.graph import embedded
from htkg.graph.bulk import BulkWriter
from htkg.graph.model import KnowledgeGraph

Progress = Callable[[str, int, int], None]


class EmbeddedBuild:
    """One build of an embedded store (see the module docstring)."""

    def __init__(self, path: Path, progress: Progress | None = None) -> None:
        self.path, self.progress = path, progress
        self._lock: embedded.StoreLock | None = None
        self._generation: Path | None = None
        self._server = None
        self._store = None
        self._writer: BulkWriter | None = None

    def __enter__(self) -> "EmbeddedBuild":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.abort()
        else:
            self._close()
            self._release()

    @property
    def opened(self) -> bool:
        return self._writer is not None

    def open(self, kg: KnowledgeGraph) -> None:
        """Lock the store, start the engine on a new generation, write what
        ``kg`` holds so far. Does nothing the second time."""
        if self.opened:
            return
        from htkg.graph.store import _connect
        self._lock = embedded.StoreLock(self.path)
        self._lock.__enter__()
        self._generation = embedded.new_generation(self.path)
        self._server = embedded.start_server(self._generation, create=True)
        self._store = _connect(self._server.uri, self._server.user, self._server.password,
                               embedded.DATABASE, str(self.path))
        try:
            # The schema's DDL through the driver, as on Neo4j; the data
            # through the engine's bulk path (graph/bulk.py).
            self._store.create_constraints(kg)
        except Neo4jError as exc:
            from htkg.graph.store import _driver_message
            raise StoreError(f"writing the embedded store failed: {_driver_message(exc)}") from None
        self._writer = BulkWriter(self._server.database(), kg.schema, self.progress)
        self._writer.feed(kg)

    def feed(self, kg: KnowledgeGraph) -> None:
        """Write what ``kg`` has gained since the last call (once opened)."""
        if self.opened:
            self._writer.feed(kg)

    @property
    def store(self):
        """The :class:`~htkg.graph.store.Store` on the database being built: after
        :meth:`finish`, the new current graph, readable until the ``with`` ends."""
        return self._store

    def finish(self, kg: KnowledgeGraph) -> tuple[int, int]:
        """Write the rest and make the new generation current: (nodes, relationships)."""
        self.open(kg)
        try:
            counts = self._writer.finish(kg, self._store)
        except Neo4jError as exc:
            from htkg.graph.store import _driver_message
            raise StoreError(f"writing the embedded store failed: {_driver_message(exc)}") from None
        embedded.publish_generation(self.path, self._generation)
        self._generation = None         # published: nothing to discard any more
        return counts

    def abort(self) -> None:
        """Stop, discard the new generation, unlock; the current one is untouched."""
        if self._writer is not None:
            self._writer.abort()
        self._close()
        if self._generation is not None:
            embedded.discard_generation(self._generation)
        self._release()

    def _close(self) -> None:
        if self._store is not None:
            self._store.driver.close()
            self._store = None
        if self._server is not None:
            self._server.stop()
            self._server = None
        self._writer = None

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.__exit__(None, None, None)
            self._lock = None
