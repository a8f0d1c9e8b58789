"""Open the graph and read it through the official neo4j driver.

The same code serves the embedded default (ArcadeDB in-process, reached over
its Bolt listener) and a Neo4j 5 server or Aura given by URI. Values reach
Cypher only as parameters. Writing is :mod:`htkg.graph.writers`.
"""
from __future__ import annotations

import contextlib
import os
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import neo4j
from neo4j import GraphDatabase
from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable

from htkg.errors import QueryError, StoreError
from htkg.graph import embedded

URI_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")


def is_uri(db: str | None) -> bool:
    return bool(db) and db.startswith(URI_SCHEMES)


@dataclass
class Target:
    """Where the graph lives: an embedded store directory or a server URI."""

    path: Path | None = None
    uri: str | None = None
    user: str | None = None
    password: str | None = None
    database: str | None = None

    @property
    def shown(self) -> str:
        return self.uri if self.uri else str(self.path)


def resolve_target(db: str | None = None) -> Target:
    """``--db`` wins; then ``NEO4J_URI``; then the embedded default directory."""
    db = db or os.environ.get("NEO4J_URI") or None
    if db and "://" in db:
        if not is_uri(db):
            raise StoreError(f"unsupported database URI '{db}'; use bolt://, neo4j:// or "
                             f"neo4j+s://, or a directory path for the embedded store")
        return Target(uri=db, user=os.environ.get("NEO4J_USERNAME", "neo4j"),
                      password=os.environ.get("NEO4J_PASSWORD", ""),
                      database=os.environ.get("NEO4J_DATABASE") or None)
    return Target(path=Path(db).expanduser() if db else embedded.default_store_path())


@dataclass
class Result:
    columns: list[str]
    rows: list[dict[str, Any]]


def plain(value: Any) -> Any:
    """Driver values (nodes, relationships, paths, temporals) as JSON-ready data."""
    if isinstance(value, neo4j.graph.Node):
        return {"labels": sorted(value.labels), **{k: plain(v) for k, v in value.items()}}
    if isinstance(value, neo4j.graph.Relationship):
        return {"type": value.type, **{k: plain(v) for k, v in value.items()}}
    if isinstance(value, neo4j.graph.Path):
        return {"nodes": [plain(n) for n in value.nodes],
                "relationships": [plain(r) for r in value.relationships]}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


class Store:
    """An open connection to the graph database."""

    def __init__(self, driver: neo4j.Driver, database: str | None, shown: str):
        self.driver = driver
        self.database = database
        self.shown = shown

    def _session(self, mode: str = neo4j.WRITE_ACCESS) -> neo4j.Session:
        return self.driver.session(database=self.database, default_access_mode=mode)

    # -- reading ------------------------------------------------------------
    def read(self, query: str, params: dict | None = None) -> Result:
        """Run one query read-only: a query that would write is refused and undone.

        Rows come back as plain data (see :func:`plain`).
        """
        columns, records = self.read_records(query, params)
        return Result(columns, [{k: plain(v) for k, v in zip(columns, r)} for r in records])

    def read_records(self, query: str, params: dict | None = None) -> tuple[list[str], list[list]]:
        """Like :meth:`read`, but rows keep the driver's own values (nodes,
        relationships with their endpoints, paths), for callers that draw them."""
        with self._session(neo4j.READ_ACCESS) as session:
            tx = session.begin_transaction()
            try:
                result = tx.run(query, params or {})
                columns = list(result.keys())
                records = [list(record.values()) for record in result]
                summary = result.consume()
            except Neo4jError as exc:
                raise QueryError(_driver_message(exc)) from None
            except DriverError as exc:
                raise StoreError(_lost(self.shown, exc)) from None
            finally:
                with contextlib.suppress(Exception):
                    tx.rollback()
            if summary.counters.contains_updates or summary.counters.contains_system_updates:
                raise QueryError("refused: htkg only reads here, and the query would change "
                                 "the graph; nothing was changed")
        return columns, records

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        """Counts per label and per relationship type, as stored."""
        labels = self.read("MATCH (n) RETURN labels(n)[0] AS label, count(*) AS n")
        types = self.read("MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n")
        return (dict(sorted((r["label"], r["n"]) for r in labels.rows)),
                dict(sorted((r["type"], r["n"]) for r in types.rows)))


def _lost(shown: str, exc: DriverError) -> str:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return (f"lost the connection to the graph database at {shown} ({first}); "
            f"once it is back, run the command again")


def _driver_message(exc: Neo4jError) -> str:
    text = (exc.message or str(exc)).strip().splitlines()
    return text[0] if text else exc.__class__.__name__


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and what led to it, through causes and exception groups."""
    seen: set[int] = set()
    todo = [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        todo += [e.__cause__, e.__context__, *getattr(e, "exceptions", ())]


def _unreachable(uri: str, exc: BaseException) -> str:
    """Why a connection failed, in one line; TLS failures say what to do."""
    causes = list(_causes(exc))
    cert = next((e for e in causes if isinstance(e, ssl.SSLCertVerificationError)), None)
    if cert is not None:
        return (f"its TLS certificate failed verification ({cert.verify_message}); trust the "
                f"CA that signed it with SSL_CERT_FILE=/path/to/ca.pem, or use bolt+ssc:// "
                f"or neo4j+ssc:// to accept a self-signed certificate")
    tls = "+s" in uri.split("://", 1)[0]
    if tls and any(isinstance(e, ssl.SSLError) for e in causes):
        return ("the TLS handshake failed; if the server does not use TLS, use bolt:// or "
                "neo4j://")
    if not tls and any("handshake" in str(e) for e in causes):
        return ("the Bolt handshake failed; if the server accepts only TLS, use bolt+s:// "
                "or neo4j+s://, else check the port")
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    if not lines:
        return type(exc).__name__
    # The driver's "Couldn't connect to X (resolved to ...):" says why on the next line.
    return f"{lines[0]} {lines[1]}" if lines[0].endswith(":") and len(lines) > 1 else lines[0]


def _connect(uri: str, user: str, password: str, database: str | None, shown: str) -> Store:
    try:
        driver = GraphDatabase.driver(uri, auth=(user, password))
        driver.verify_connectivity()
    except AuthError:
        raise StoreError(f"the server at {shown} refused the user name or password "
                         f"(check NEO4J_USERNAME and NEO4J_PASSWORD)") from None
    except (ServiceUnavailable, OSError, ValueError) as exc:
        raise StoreError(f"cannot reach the graph database at {shown}: "
                         f"{_unreachable(uri, exc)}") from None
    return Store(driver, database, shown)


@contextlib.contextmanager
def open_store(db: str | None = None) -> Iterator[Store]:
    """Open the graph for reading: the embedded store's current build, or a server."""
    target = resolve_target(db)
    if target.uri:
        store = _connect(target.uri, target.user, target.password, target.database, target.shown)
        try:
            yield store
        finally:
            store.driver.close()
        return
    with embedded.StoreLock(target.path):
        generation = embedded.current_generation(target.path)
        if generation is None:
            raise StoreError(f"no graph has been built in {target.path} yet; run 'htkg build' first")
        server = embedded.start_server(generation)
        try:
            store = _connect(server.uri, server.user, server.password, embedded.DATABASE,
                             target.shown)
            try:
                yield store
            finally:
                store.driver.close()
        finally:
            server.stop()
