"""Open the graph and read it through the official neo4j driver.

The same code serves the embedded default (ArcadeDB in-process, reached over
its Bolt listener) and a Neo4j 5 server or Aura given by URI. Values reach
Cypher only as parameters. Writing is :mod:`htkg.graph.writers`.

Reading is read-only by construction: the embedded database is opened
READ_ONLY (the engine refuses every write) and a server is read in READ
sessions and transactions (Neo4j refuses writes there). Before either, a
query that asks for what no read needs is refused (:mod:`htkg.graph.guard`);
after, the summary's counters are checked again. Every query has a time
limit (:mod:`htkg.graph.bounded`), and Ctrl-C stops it.

A store opened ``lasting`` (a long-lived server such as ``htkg app``) outlives
a read it gives up: it goes on with a new connection, where a command's store
closes for good.
"""
from __future__ import annotations

import contextlib
import dataclasses
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator
from urllib.parse import urlsplit

from htkg.errors import QueryError, StoreError
from htkg.graph import background, embedded, generations, guard, servers
from htkg.graph.bounded import query_timeout, run_bounded
from htkg.graph.driver import GraphDatabase, neo4j
from htkg.graph.driver_errors import lost, read_error, unreachable

AuthError, DriverError = neo4j.exceptions.AuthError, neo4j.exceptions.DriverError
Neo4jError, ServiceUnavailable = neo4j.exceptions.Neo4jError, neo4j.exceptions.ServiceUnavailable

GRACE = 2.0     # seconds past the engine's own time limit before htkg cuts the connection
URI_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")


def is_uri(db: str | None) -> bool:
    return bool(db) and db.startswith(URI_SCHEMES)


@dataclass
class Target:
    """Where the graph lives: an embedded store directory or a server URI, and
    the time limit of each query read from it (None: ``$HTKG_QUERY_TIMEOUT``
    or 120 s)."""

    path: Path | None = None
    uri: str | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    database: str | None = None
    timeout: float | None = None

    @property
    def shown(self) -> str:
        return self.uri if self.uri else str(self.path)


def _without_userinfo(uri: str) -> str:
    """``uri`` with anything before an ``@`` in its address left out.

    >>> _without_userinfo("bolt://neo4j:secret@db.example.org:7687/x")
    'bolt://db.example.org:7687/x'
    """
    scheme, sep, rest = uri.partition("://")
    address, slash, path = rest.partition("/")
    return f"{scheme}{sep}{address.rpartition('@')[2]}{slash}{path}"


def resolve_target(db: str | Target | None = None, *, timeout: float | None = None) -> Target:
    """``--db`` wins; then ``NEO4J_URI``; then the embedded default directory.

    A URI that carries a user name or password is refused (they belong in
    ``NEO4J_USERNAME`` and ``NEO4J_PASSWORD``), and never printed.
    """
    if isinstance(db, Target):
        return db if timeout is None else dataclasses.replace(db, timeout=timeout)
    db = db or os.environ.get("NEO4J_URI") or None
    if db and "://" in db:
        if not is_uri(db):
            raise StoreError(f"unsupported database URI '{_without_userinfo(db)}'; use bolt://, "
                             f"neo4j:// or neo4j+s://, or a directory path for the embedded store")
        if "@" in db.partition("://")[2].partition("/")[0]:
            raise StoreError(f"the database URI carries a user name or password; give them in "
                             f"NEO4J_USERNAME and NEO4J_PASSWORD, and the URI without them: "
                             f"{_without_userinfo(db)}")
        try:
            urlsplit(db).port
        except ValueError:
            raise StoreError(f"the database URI '{db}' is not a valid address (host, and a "
                             f"port that is a number)") from None
        return Target(uri=db, user=os.environ.get("NEO4J_USERNAME", "neo4j"),
                      password=os.environ.get("NEO4J_PASSWORD", ""),
                      database=os.environ.get("NEO4J_DATABASE") or None, timeout=timeout)
    return Target(path=Path(db).expanduser() if db else embedded.default_store_path(),
                  timeout=timeout)


@dataclass
class Result:
    """Rows read; ``more`` is True when a read capped at ``most`` rows left some out."""

    columns: list[str]
    rows: list[dict[str, Any]]
    more: bool = False


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
    """An open connection to the graph database.

    ``timeout`` is the time limit of each read, in seconds (None: the
    default of :func:`~htkg.graph.bounded.query_timeout`). ``read_only``
    says the engine itself refuses writes on this connection (the embedded
    database opened READ_ONLY). ``give_up`` is called when a read is stopped
    while it runs (its time limit, Ctrl-C), after the driver is closed.

    With ``reconnect`` (a function that makes a new driver), the store is
    lasting: a read stopped while it runs leaves its connection to end in its
    own time, and the store goes on with a new driver; ``stuck`` then says
    the engine may still be running that read, and ``give_up`` is left to
    whoever closes the store.
    """

    def __init__(self, driver: neo4j.Driver, database: str | None, shown: str, *,
                 timeout: float | None = None, read_only: bool = False,
                 give_up: Callable[[], None] | None = None,
                 reconnect: Callable[[], neo4j.Driver] | None = None, shared: bool = False):
        self.driver = driver
        self.database = database
        self.shown = shown
        self.timeout = query_timeout(timeout)
        self.read_only = read_only
        self.shared = shared     # read through the store's shared server (graph/background.py)
        self._give_up = give_up
        self._reconnect = reconnect
        self._swap = threading.Lock()
        self.abandoned = False
        self.stuck = False

    def _session(self, mode: str = neo4j.WRITE_ACCESS) -> neo4j.Session:
        return self.driver.session(database=self.database, default_access_mode=mode)

    # -- reading ------------------------------------------------------------
    def read(self, query: str, params: dict | None = None, *, most: int | None = None) -> Result:
        """Run one query read-only, within the time limit: a query that would
        write, or reach files or the network, is refused.

        Rows come back as plain data (see :func:`plain`); with ``most``, at
        most that many, and ``more`` says whether the query had others.
        """
        columns, records, more = self._read(query, params, most)
        return Result(columns, [{k: plain(v) for k, v in zip(columns, r)} for r in records],
                      more)

    def read_records(self, query: str, params: dict | None = None) -> tuple[list[str], list[list]]:
        """Like :meth:`read`, but rows keep the driver's own values (nodes,
        relationships with their endpoints, paths), for callers that draw them."""
        columns, records, _ = self._read(query, params, None)
        return columns, records

    def _read(self, query: str, params: dict | None,
              most: int | None) -> tuple[list[str], list[list], bool]:
        guard.check(query)
        if self.abandoned:
            raise StoreError(f"the connection to {self.shown} was closed when a query was "
                             f"stopped; run the command again")
        driver = self.driver
        return run_bounded(lambda: self._read_once(query, params or {}, most, driver),
                           self.timeout, lambda: self.abandon(driver), grace=GRACE)

    def _read_once(self, query: str, params: dict, most: int | None = None,
                   driver: neo4j.Driver | None = None) -> tuple[list[str], list[list], bool]:
        """One read in a READ session (of ``driver``, default the store's): auto-commit
        on an engine that refuses writes itself; else in a READ transaction, with the
        time limit, rolled back."""
        driver = driver or self.driver
        tx = None
        more = False
        try:
            with driver.session(database=self.database,
                                default_access_mode=neo4j.READ_ACCESS) as session:
                if self.read_only:
                    result = session.run(query, params)
                else:
                    tx = session.begin_transaction(timeout=self.timeout)
                    result = tx.run(query, params)
                columns = list(result.keys())
                records = []
                for record in result:
                    if most is not None and len(records) >= most:
                        more = True
                        break
                    records.append(list(record.values()))
                summary = result.consume()
                if tx is not None:
                    tx.rollback()
        except Neo4jError as exc:
            raise read_error(exc, self.timeout) from None
        except DriverError as exc:
            if self.abandoned:
                raise StoreError(f"the query to {self.shown} was stopped") from None
            raise StoreError(lost(self.shown, exc, self.shared)) from None
        finally:
            if tx is not None:
                with contextlib.suppress(Exception):
                    tx.close()
        if summary.counters.contains_updates or summary.counters.contains_system_updates:
            undone = "its transaction was rolled back, but " if tx is not None else ""
            raise QueryError(f"refused: htkg only reads here, and the server reported changes "
                             f"from the query; {undone}the server did not refuse them itself, "
                             f"so check the graph (htkg stats)")
        return columns, records, more

    def abandon(self, driver: neo4j.Driver | None = None) -> None:
        """Stop waiting for a read that is running on ``driver`` (default: the
        store's): close the connection (in a thread of its own, waited for
        briefly), then ``give_up``. A lasting store instead goes on with a new
        driver, and closes the old one once the engine's own limit has passed."""
        driver = driver or self.driver
        if self._reconnect is not None:
            with self._swap:
                self.stuck = True
                if driver is self.driver:
                    self.driver = self._reconnect()
            closer = threading.Timer(self.timeout + GRACE, _close_quietly, (driver,))
            closer.daemon = True
            closer.start()
            return
        if self.abandoned:
            return
        self.abandoned = True
        closer = threading.Thread(target=driver.close, name="htkg-close", daemon=True)
        closer.start()
        closer.join(0.2)
        if self._give_up is not None:
            self._give_up()

    def close(self) -> None:
        """Close the driver (left to the process's end after :meth:`abandon`)."""
        if not self.abandoned:
            self.driver.close()

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        """Counts per label and per relationship type, as stored."""
        labels = self.read("MATCH (n) RETURN labels(n)[0] AS label, count(*) AS n")
        types = self.read("MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n")
        return (dict(sorted((r["label"], r["n"]) for r in labels.rows)),
                dict(sorted((r["type"], r["n"]) for r in types.rows)))


def _close_quietly(driver: neo4j.Driver) -> None:
    with contextlib.suppress(Exception):
        driver.close()


def _connect(uri: str, user: str, password: str, database: str | None, shown: str, *,
             timeout: float | None = None, read_only: bool = False,
             give_up: Callable[[], None] | None = None, lasting: bool = False) -> Store:
    def new_driver() -> neo4j.Driver:
        return GraphDatabase.driver(uri, auth=(user, password))
    try:
        driver = new_driver()
        driver.verify_connectivity()
    except AuthError:
        raise StoreError(f"the server at {shown} refused the user name or password "
                         f"(check NEO4J_USERNAME and NEO4J_PASSWORD)") from None
    except (ServiceUnavailable, OSError, ValueError, DriverError) as exc:
        why = embedded._scrub(unreachable(uri, exc), password)
        raise StoreError(f"cannot reach the graph database at {shown}: {why}") from None
    return Store(driver, database, shown, timeout=timeout, read_only=read_only, give_up=give_up,
                 reconnect=new_driver if lasting else None)


def _connect_shared(record: servers.Record, shown: str, timeout: float,
                    lasting: bool = False) -> Store:
    """A connection to the store's shared server, or :class:`background.Stale`
    when it is gone or no longer takes the record's credentials."""
    def new_driver() -> neo4j.Driver:
        return GraphDatabase.driver(record.uri, auth=(record.user, record.password))
    driver = new_driver()
    try:
        driver.verify_connectivity()
    except (AuthError, ServiceUnavailable, OSError, DriverError):
        driver.close()
        raise background.Stale() from None
    return Store(driver, record.database, shown, timeout=timeout, read_only=record.read_only,
                 reconnect=new_driver if lasting else None, shared=True)


@contextlib.contextmanager
def open_store(db: str | Target | None = None, *, timeout: float | None = None,
               lasting: bool = False) -> Iterator[Store]:
    """Open the graph for reading: the embedded store's current build (opened
    read-only, after an integrity check), or a server. ``db`` is what
    ``--db`` takes, or a :class:`Target`; ``timeout`` is the time limit of
    each query in seconds (default: the target's, else ``$HTKG_QUERY_TIMEOUT``,
    else 120). ``lasting`` keeps the store usable after a read is stopped
    while it runs (see :class:`Store`), for a process that serves many reads.

    An embedded store is read through the server running for it (started
    in the background if none is, :mod:`htkg.graph.background`) unless
    ``HTKG_SERVER=off``; else through an engine of this process's own.
    """
    target = resolve_target(db, timeout=timeout)
    limit = query_timeout(target.timeout)
    if target.uri:
        store = _connect(target.uri, target.user, target.password, target.database, target.shown,
                         timeout=limit, lasting=lasting)
        try:
            yield store
        finally:
            store.close()
        return
    embedded.require_store(target.path)
    shared = background.lease(target.path, limit, lambda record: _connect_shared(
        record, target.shown, limit, lasting)) if servers.enabled() else None
    if shared is not None:
        store, lease = shared
        try:
            yield store
        finally:
            store.close()
            lease.release()
        return
    generation, pin = embedded.open_current(target.path)
    store = None
    try:
        server = embedded.start_server(generation, read_only=True, timeout=limit)
        try:
            embedded.check_integrity(target.path, generation, server)
            store = _connect(server.uri, server.user, server.password, embedded.DATABASE,
                             target.shown, timeout=limit, read_only=True, give_up=server.abandon,
                             lasting=lasting)
            try:
                yield store
            finally:
                store.close()
        finally:
            if store is not None and store.stuck and not store.abandoned:
                server.abandon()    # a read given up may still run in the engine: stop waits
            elif store is None or not store.abandoned:
                server.stop()
    finally:
        if store is None or not store.abandoned:   # else held until the process ends
            pin.release()
            generations.collect(target.path)
