"""Parsing RDF files safely: UTF-8 text only, nothing fetched, syntax errors with lines."""
from __future__ import annotations

import json
import logging
from pathlib import Path

from htkg import textfile
from htkg.errors import LoadError

RDF_PARSE_FORMATS = {".ttl": "turtle", ".turtle": "turtle", ".jsonld": "json-ld",
                     ".json-ld": "json-ld", ".nt": "nt", ".ntriples": "nt"}


def parse_file(path: str | Path, fmt: str | None = None):
    """Parse an RDF file (``.gz``/``.xz`` too) into an rdflib ``Graph``; syntax errors
    become LoadError."""
    from rdflib import Graph                 # deferred: rdflib is slow to import
    path = Path(path)
    fmt = fmt or RDF_PARSE_FORMATS.get(Path(textfile.plain_name(path)).suffix.lower())
    if fmt is None:
        raise LoadError("cannot tell the RDF syntax from the file name; use .ttl, .jsonld or .nt",
                        str(path))
    text = _check_text(path, fmt)
    g = Graph()
    term_log = logging.getLogger("rdflib.term")
    level = term_log.level
    term_log.setLevel(logging.ERROR)     # ill-typed literals: SHACL or the graph reports them
    try:
        g.parse(data=text, format=fmt, publicID=path.resolve().as_uri())
    except Exception as exc:  # rdflib raises many kinds of syntax errors
        # Turtle's BadSyntax has the reason, the text and the offset (its own line
        # count is off at the end of the file).
        why, text, at = (getattr(exc, a, None) for a in ("_why", "_str", "_i"))
        line = (text[:at].count(b"\n" if isinstance(text, bytes) else "\n") + 1
                if why and isinstance(text, (bytes, str)) and isinstance(at, int) else None)
        message = " ".join(str(why or exc).split())[:400] or type(exc).__name__
        raise LoadError(f"not valid {fmt}: {message}; correct the file, or export it again "
                        f"with 'htkg export'", str(path), line) from None
    finally:
        term_log.setLevel(level)
    return g


def _check_text(path: Path, fmt: str) -> str:
    """The file's text. Refuses, before rdflib sees it, what is not RDF text in
    UTF-8 (with the line of the first bad byte), and JSON-LD that would make
    rdflib fetch a context from the network or the disk (a remote
    ``@context``/``@import``)."""
    text = textfile.read_utf8(path, str(path), "RDF text", "save the file as UTF-8")
    if fmt != "json-ld":
        return text
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LoadError(f"not valid JSON ({exc.msg}, column {exc.colno}): the file may be "
                        f"truncated; export it again", str(path), exc.lineno) from None
    except RecursionError:
        raise LoadError("not valid json-ld: nested too deeply", str(path)) from None
    if not isinstance(doc, (dict, list)):
        raise LoadError("not valid json-ld: a JSON-LD document is an object or a list of "
                        "objects", str(path), 1)
    todo = [doc]
    while todo:
        node = todo.pop()
        if isinstance(node, list):
            todo.extend(node)
        elif isinstance(node, dict):
            for key, value in node.items():
                refs = value if isinstance(value, list) else [value]
                named = [v for v in refs if isinstance(v, str)]
                if key in ("@context", "@import") and named:
                    raise LoadError(f"{key} {named[0]!r} would be fetched from elsewhere; htkg "
                                    f"fetches nothing: write the context into the file, as "
                                    f"'htkg export' does", str(path))
                todo.append(value)
    return text
