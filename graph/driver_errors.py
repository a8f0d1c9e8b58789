"""What the driver's errors mean, in one line each: a read the engine refused, a
time limit, a lost connection, a server that cannot be reached (TLS failures
say what to do)."""
from __future__ import annotations

import ssl
from typing import Iterator

from htkg.errors import QueryError, QueryTimeout
from htkg.graph.bounded import timeout_message
from htkg.graph.driver import neo4j

DriverError, Neo4jError = neo4j.exceptions.DriverError, neo4j.exceptions.Neo4jError


def lost(shown: str, exc: DriverError, shared: bool = False) -> str:
    if shared:      # the driver's own words (a defunct connection's address) say no more
        return (f"the server reading the store {shown} stopped during the "
                f"command; run the command again (it starts a new one)")
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return (f"lost the connection to the graph database at {shown} ({first}); "
            f"once it is back, run the command again")


def driver_message(exc: Neo4jError) -> str:
    text = (exc.message or str(exc)).strip().splitlines()
    return text[0] if text else exc.__class__.__name__


REFUSED_WRITE = ("refused: htkg only reads here, and the query would change the graph; "
                  "the database refused it, so nothing was changed")


def read_error(exc: Neo4jError, timeout: float) -> QueryError:
    """A driver error in a read, as one line: the engine's refusal of a
    write or of file access, a time limit, or the engine's own message."""
    code, message = exc.code or "", driver_message(exc)
    if code.startswith("Neo.ClientError.Transaction.TransactionTimedOut") or (
            "exceeded the arcadedb.command.timeout" in message):
        return QueryTimeout(timeout_message(timeout))
    if code == "Neo.ClientError.Statement.AccessMode" or "read only database" in message:
        return QueryError(REFUSED_WRITE)
    if "LOAD CSV" in message and code == "Neo.ClientError.Security.Forbidden":
        return QueryError("refused: htkg only reads the graph, and LOAD CSV may reach neither "
                          "files nor addresses; the database refused it")
    return QueryError(message)


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


def unreachable(uri: str, exc: BaseException) -> str:
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
