"""What a read may not contain, refused before it runs.

The engines enforce read-only reading themselves (the embedded database is
opened read-only; a Neo4j read runs in a READ transaction). This is the
first of the guards around them: a query that asks for something no read
needs is refused before it reaches the engine, with one line that says why.
It looks at the query's text with its strings and comments taken out, so a
name such as ``'LOAD CSV'`` in a string is no reason to refuse.

Refused: clauses that write (``CREATE``, ``MERGE``, ``SET``, ``DELETE``,
``REMOVE``, ``FOREACH``), schema and administration commands (indexes,
constraints, databases, users, privileges), ``CALL { … } IN TRANSACTIONS``
(whose inner transactions commit on their own), ``USING PERIODIC COMMIT``,
``LOAD CSV`` (which reads files and fetches addresses), and procedures or
functions that reach files or the network or run query text of their own
(``apoc.load.*``, ``apoc.cypher.*``, ``apoc.periodic.*``, ``genai.*``, …).

>>> check("MATCH (o:Organisation) WHERE o.name = 'LOAD CSV' RETURN o")
>>> check("LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row")
Traceback (most recent call last):
htkg.errors.QueryError: refused before running: htkg only reads, and LOAD CSV reads files and fetches addresses; nothing was run
"""
from __future__ import annotations

import functools
import re

from htkg.errors import QueryError

# APOC namespaces that only compute on values and the graph already read.
APOC_PURE = frozenset({
    "agg", "algo", "any", "bitwise", "coll", "convert", "date", "diff", "hashing", "label",
    "map", "math", "meta", "neighbors", "node", "nodes", "number", "path", "rel", "scoring",
    "stats", "temporal", "text", "util", "version"})
# Namespaces refused outright: administration, plugins that reach the network.
DENIED = ("dbms.", "genai.", "gds.", "ai.", "db.create.")
ALLOWED = ("dbms.components",)

_WRITE = re.compile(r"(?<![.\w$:])(?<!:\s)(?<!\bAS\s)(CREATE|MERGE|DELETE|DETACH|SET|REMOVE|FOREACH)\b(?!\s*:)", re.I)
_SCHEMA = re.compile(
    r"(?<![.\w$:])(?:(?:CREATE|DROP|ALTER|RENAME)\s+(?:OR\s+REPLACE\s+)?(?:[A-Z]+\s+){0,3}?"
    r"(?:INDEX|INDEXES|CONSTRAINT|CONSTRAINTS|DATABASE|DATABASES|ALIAS|USER|ROLE|SERVER|PRIVILEGE)"
    r"|(?:DROP|GRANT|DENY|REVOKE|TERMINATE)"
    r"|(?:START|STOP|ENABLE|DEALLOCATE|REALLOCATE)\s+(?:DATABASES?|SERVERS?))\b(?!\s*:)", re.I)
_RULES = (
    (re.compile(r"(?<![.\w$:])LOAD\s+CSV\b", re.I), "LOAD CSV reads files and fetches addresses"),
    (re.compile(r"(?<![.\w$:])USING\s+PERIODIC\s+COMMIT\b", re.I),
     "USING PERIODIC COMMIT commits on its own"),
    (re.compile(r"(?<![.\w$:])IN\s+(?:[\w$]+\s+)?(?:CONCURRENT\s+)?TRANSACTIONS\b", re.I),
     "CALL { … } IN TRANSACTIONS commits each inner transaction on its own"),
    (_SCHEMA, "schema and administration commands change the database"),
)
_CALLED = re.compile(r"(?<![\w$])([A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)+)\s*(?=\()"
                     r"|(?<![\w$.])CALL\s+([A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)*)", re.I)


def skeleton(query: str, quoted: str | None = "_q_") -> str:
    """``query`` with comments blanked and strings emptied; a backquoted name
    becomes ``quoted`` (or, when None, its own text with only letters, digits,
    ``_`` and ``.`` kept, so a quoted procedure name is still seen).

    >>> skeleton("RETURN 'a // b' AS `x y` // note")
    "RETURN '' AS _q_  "
    >>> skeleton("CALL `apoc.load`.json('f')", quoted=None)
    "CALL apoc.load.json('')"
    """
    out: list[str] = []
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if query.startswith("//", i):
            end = query.find("\n", i)
            i = n if end < 0 else end
            out.append(" ")
        elif query.startswith("/*", i):
            end = query.find("*/", i + 2)
            i = n if end < 0 else end + 2
            out.append(" ")
        elif c in "'\"":
            i += 1
            while i < n and query[i] != c:
                i += 2 if query[i] == "\\" else 1
            i += 1
            out.append(c + c)
        elif c == "`":
            name = []
            i += 1
            while i < n:
                if query[i] == "`":
                    if query.startswith("``", i):
                        name.append("`")
                        i += 2
                        continue
                    break
                name.append(query[i])
                i += 1
            i += 1
            out.append(quoted if quoted is not None
                       else re.sub(r"[^\w.]", "_", "".join(name)) or "_")
        else:
            out.append(c)
            i += 1
    return "".join(out)


@functools.lru_cache(maxsize=512)
def refusal(query: str) -> str | None:
    """Why ``query`` is refused before it runs, or None when it may run (a pure
    function of the text, so a query asked again is not read again).

    >>> refusal("MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS")
    'CALL { … } IN TRANSACTIONS commits each inner transaction on its own'
    >>> refusal("MATCH (s:Set {create: 1}) RETURN s.set AS set_, $merge AS m")
    >>> refusal("CALL apoc.load.json('https://example.com/x')")[:39]
    'apoc.load.json is not allowed in a read'
    """
    text = skeleton(query)
    for pattern, reason in _RULES:
        if pattern.search(text):
            return reason
    write = _WRITE.search(text)
    if write:
        return f"the query would change the graph ({write.group(1).upper()})"
    for match in _CALLED.finditer(skeleton(query, quoted=None)):
        name = re.sub(r"\s+", "", match.group(1) or match.group(2)).lower()
        if not _allowed(name):
            return (f"{name} is not allowed in a read (it may write, reach files or the "
                    f"network, or run query text of its own)")
    return None


def _allowed(name: str) -> bool:
    if name in ALLOWED:
        return True
    if name.startswith(DENIED):
        return False
    parts = name.split(".")
    if parts[0] == "apoc":
        return len(parts) > 2 and parts[1] in APOC_PURE
    return True


def check(query: str) -> None:
    """Raise :class:`QueryError` for a query no read needs (see :func:`refusal`)."""
    reason = refusal(query)
    if reason is not None:
        raise QueryError(f"refused before running: htkg only reads, and {reason}; nothing was run")
