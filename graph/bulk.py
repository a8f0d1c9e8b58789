"""The embedded store's bulk path: ArcadeDB's GraphBatch through its Python bindings.

An embedded build always writes a fresh, empty database (a new generation,
see :mod:`htkg.graph.writers`), and the in-memory graph has already
merged every entity and relationship, so nothing needs MERGE: vertices and
edges are created through the engine's own batch API, in this process, at
many times the speed of Cypher over Bolt. :class:`BulkWriter` is fed while
the files load, so the engine writes on one core while the loaders read on
the other. The schema DDL, the few updates after a later file changes
something already written, and every read go through the driver.

What this writes is what :class:`htkg.graph.writers.BoltWriter` writes
(the same properties, the same relationship ``key``); tests build the same
graph both ways and compare them through Cypher.
"""
from __future__ import annotations

import contextlib
import itertools
import json
import queue
import threading
from collections import defaultdict
from typing import Callable, Iterable, Iterator

import jpype

from htkg.errors import StoreError
from htkg.graph.model import KnowledgeGraph

Progress = Callable[[str, int, int], None]
_CHUNK = 50_000         # relationships per JSON string handed to the engine
BATCH_EDGES = 100_000   # edges the engine buffers before it writes them


def storable(props: dict) -> dict:
    """Drop empty values: Cypher stores no nulls, and empty lists carry no type."""
    return {k: v for k, v in props.items() if v is not None and v != []}


def _bridge(name: str):
    """The bindings' Java helper that takes a whole chunk as one JSON string."""
    try:
        return jpype.JClass(f"com.arcadedb.python.{name}")
    except Exception:       # an older bridge jar: the bindings' own calls below
        return None


def _vertices(batch, label: str, rows: list[dict]) -> list[str]:
    """Create vertices; return their RIDs in order.

    Every value has passed the schema's types (64-bit integers, finite
    numbers, text with no lone surrogates, lists of text), so a chunk
    crosses into the JVM as one JSON string, lists included; the bindings'
    own ``create_vertices`` would check every value again and take a far
    slower path for lists.
    """
    helper = _bridge("VertexBatcher")
    if helper is None:
        return batch.create_vertices(label, rows)
    joined = str(helper.createVerticesJson(batch._java_graph_batch, label, json.dumps(rows)))
    return joined.split(";") if joined else []


def _edges(batch, rel_type: str, payload: str) -> None:
    """Buffer a chunk of edges, a JSON list of ``{"_src": rid, "_dst": rid, **properties}``
    (leave out absent properties: a null would be stored as a property)."""
    helper = _bridge("EdgeBatcher")
    if helper is None:
        rows = json.loads(payload)
        batch.new_edges([r.pop("_src") for r in rows], rel_type, [r.pop("_dst") for r in rows],
                        rows)
        return
    helper.newEdgesJson(batch._java_graph_batch, rel_type, payload)


def _chunks(items: Iterable, size: int = _CHUNK) -> Iterator[list]:
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


class _Writer(threading.Thread):
    """The thread that owns the engine's GraphBatch and makes every call on it.

    The engine's transactions belong to a thread, so one thread does all of
    a batch's work. JPype lets go of the GIL inside Java calls, so while this
    thread is in the engine the main thread encodes the next chunk: the two
    cores work at once. The queue holds two chunks, so memory stays at a few
    chunks' JSON whatever the graph's size.
    """

    def __init__(self, database) -> None:
        super().__init__(name="htkg-bulk-writer", daemon=True)
        self.database = database
        self.work: queue.Queue = queue.Queue(maxsize=2)
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            # An explicit batch size: sized from an expected count instead, the
            # engine buffers every edge's properties until one flush, and a
            # million relationships overflow a 1 GB heap.
            with self.database.graph_batch(batch_size=BATCH_EDGES, use_wal=False,
                                           max_deferred_incoming_edges=BATCH_EDGES * 2) as batch:
                while (task := self.work.get()) is not None:
                    if self.error is None:
                        task(batch)
        except BaseException as exc:    # reported to the main thread by submit/finish
            self.error = exc
            while self.work.get() is not None:
                pass
        finally:
            with contextlib.suppress(Exception):
                jpype.java.lang.Thread.detach()

    def submit(self, task: Callable) -> None:
        self.check()
        self.work.put(task)

    def finish(self) -> None:
        """Close the batch (flushing what is buffered) and wait for it."""
        if self.is_alive():
            self.work.put(None)
            self.join()
        self.check()

    def check(self) -> None:
        if self.error is None:
            return
        if "OutOfMemoryError" in f"{self.error} {self.error.__cause__}":
            raise StoreError("the embedded database ran out of memory (its Java heap is "
                             "HTKG_HEAP, default 1g); set HTKG_HEAP=2g, say, and build again; "
                             "the previous graph is unchanged") from None
        raise self.error


class BulkWriter:
    """Writes a graph into an empty ArcadeDB database, in as many steps as it is fed.

    :meth:`feed` writes whatever the graph has gained since the last call:
    new entities first (so every relationship's ends have RIDs), then the new
    rows of each compact table, encoded a chunk at a time while the engine
    stores the chunk before (see :class:`_Writer`). A build feeds it after
    each file, so the engine writes on one core while the loaders read on
    the other. :meth:`finish` writes the rest (the networkx relationships),
    closes the batch and then, through the driver, brings up to date what
    changed after it was written: entities a later file added properties
    to, and compact rows a later file merged into. Use it from one thread.
    """

    def __init__(self, database, schema, progress: Progress | None = None) -> None:
        self.database, self.schema, self.progress = database, schema, progress
        for rel_type in schema.relationships:
            database.command("sql", f"CREATE EDGE TYPE `{rel_type}` IF NOT EXISTS")
        self.rids: dict[str, str] = {}          # node id -> RID (set by the writer thread)
        self.written: dict[str, str] = {}       # node id -> its properties as submitted
        self.streamed: dict[str, int] = {}      # compact type -> rows written
        self.relationships = 0
        self.writer = _Writer(database)
        self.writer.start()

    def _tick(self, stage: str, kg: KnowledgeGraph) -> None:
        if self.progress:
            self.progress(stage, len(self.written) + self.relationships, kg.size())

    def feed(self, kg: KnowledgeGraph) -> None:
        new = [(i, label, p) for i, label, p in kg.nodes() if i not in self.written]
        by_label: dict[str, list[tuple[str, dict]]] = defaultdict(list)
        for node_id, label, props in new:
            by_label[label].append((node_id, props))
        for label, rows in by_label.items():
            for chunk in _chunks(rows):
                ids, props = [i for i, _ in chunk], [storable(p) for _, p in chunk]
                self.written.update((i, repr(p)) for i, p in zip(ids, props))
                self.writer.submit(lambda batch, label=label, ids=ids, props=props:
                                   self.rids.update(zip(ids, _vertices(batch, label, props))))
                self._tick("writing nodes", kg)
        if new:
            self._sync()
        for name, table in kg.tables.items():
            start = self.streamed.get(name, 0)
            for count, payload in _table_payloads(table, start, self.rids):
                self.writer.submit(lambda batch, t=name, p=payload: _edges(batch, t, p))
                self.relationships += count
                self._tick("writing relationships", kg)
            self.streamed[name] = table.streamed = len(table.rows)

    def _sync(self) -> None:
        """Wait until the engine has made every vertex submitted so far."""
        ready = threading.Event()
        self.writer.submit(lambda batch: ready.set())
        while not ready.wait(0.1):
            self.writer.check()

    def finish(self, kg: KnowledgeGraph, write_rows: Callable[[str, list[dict]], object]
               ) -> tuple[int, int]:
        """Write the rest, close the batch, apply later changes with ``write_rows(query,
        rows)`` (through the driver, on the same database). Returns (nodes, relationships)."""
        self.feed(kg)
        for rel_type, rel in self.schema.relationships.items():
            edges = [(a, b, d["props"]) for a, b, d in kg.g.edges(data=True)
                     if d["type"] == rel_type]
            for chunk in _chunks(edges):
                payload = json.dumps([{"_src": self.rids[a], "_dst": self.rids[b],
                                       "key": rel.key_of(p), **storable(p)}
                                      for a, b, p in chunk])
                self.writer.submit(lambda batch, t=rel_type, p=payload: _edges(batch, t, p))
                self.relationships += len(chunk)
                self._tick("writing relationships", kg)
        self.writer.finish()
        self._update(kg, write_rows)
        return len(self.rids), self.relationships

    def _update(self, kg: KnowledgeGraph, write_rows) -> None:
        """Entities and compact rows that changed after they were written."""
        nodes: dict[str, list[dict]] = defaultdict(list)
        for node_id, label, props in kg.nodes():
            clean = storable(props)
            if repr(clean) != self.written[node_id]:
                nodes[label].append({"id": node_id, "props": clean})
        for label, rows in nodes.items():
            write_rows(f"UNWIND $rows AS row MATCH (n:{label} {{id: row.id}}) "
                             f"SET n += row.props", rows)
        for name, table in kg.tables.items():
            changed: dict[tuple[str, str], list[dict]] = defaultdict(list)
            for at in sorted(table.dirty):
                row = table.rows[at]
                props = storable(table.props(row))
                changed[(kg.label_of(row[0]), kg.label_of(row[1]))].append(
                    {"a": row[0], "b": row[1], "key": table.stored_key(row),
                     "props": props})
            for (la, lb), rows in changed.items():
                write_rows(f"UNWIND $rows AS row MATCH (a:{la} {{id: row.a}})"
                                 f"-[r:{name} {{key: row.key}}]->(b:{lb} {{id: row.b}}) "
                                 f"SET r += row.props", rows)

    def abort(self) -> None:
        """Stop the writer thread; what it wrote is discarded with its generation."""
        with contextlib.suppress(BaseException):
            self.writer.finish()


def _table_payloads(table, start: int, rids: dict[str, str]) -> Iterator[tuple[int, str]]:
    """(count, JSON) chunks of a compact table's rows from ``start`` on."""
    columns = table.columns
    for begin in range(start, len(table.rows), _CHUNK):
        rows = []
        for stored in table.rows[begin:begin + _CHUNK]:
            a, b, values, sources = stored
            row = {c: v for c, v in zip(columns, values) if v is not None}
            row["_src"], row["_dst"] = rids[a], rids[b]
            row["key"] = table.stored_key(stored)
            if sources:
                row["sources"] = sources if isinstance(sources, list) else [sources]
            rows.append(row)
        yield len(rows), json.dumps(rows)
