"""Saved queries: ``.cypher`` files with a header, read from the bundled folder
and from folders of one's own.

A saved query is a file whose first lines are ``//`` comments::

    // name: country-links
    // description: Every UK body connected to a source country, and how
    // param: country (country, required) the source country: name, ISO code or demonym
    // param: limit (int, default 50) most rows to return
    // example: htkg query country-links -p country=Nigeria
    MATCH ...

Keys: ``name`` (the file name without ``.cypher``), ``description`` (one
line), ``param`` (one per parameter: ``NAME (TYPE[, required|, default
VALUE]) description``), ``example`` (one or more), ``note`` (optional), and
``caveat`` (optional): what a reader must know before repeating a figure the
query gives. ``htkg query`` prints it with every result: a line above the
table, and a ``caveat`` field on each row in JSON and CSV (:func:`htkg.queries.running.with_caveat`).
A line indented after ``//`` continues the field above it. Every ``$name`` the
Cypher uses must be declared, and every declared parameter used.
:func:`parse_query` is pure; :func:`read_query` only opens the file.
"""
from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from htkg.errors import LoadError, QueryError
from htkg.textfile import UNSAFE, char_name, read_utf8, split_lines
from htkg.queries.params import TYPES, convert

BUNDLED = Path(__file__).resolve().parent
ENV = "HTKG_QUERIES"
KEYS = ("name", "description", "param", "example", "note", "caveat")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_KEY_LINE = re.compile(r"^//[ ]?([A-Za-z_]+):\s*(.*?)\s*$")
_CONTINUED = re.compile(r"^//(?:\s{2,}|\t)(\S.*?)\s*$")
_PARAM = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<spec>[^()]*)\)\s*(?P<desc>.*)$")
LONGEST_LINE = 10_000
_PARAM_USE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
# String literals, backquoted names and comments, so "$" inside them is not a use.
_NOT_CODE = re.compile(r"'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"|`[^`]*`|//[^\n]*|/\*.*?\*/",
                       re.S)


@dataclass
class Param:
    name: str
    type: str
    required: bool = False
    default: Any = None
    description: str = ""
    line: int = 0

    @property
    def signature(self) -> str:
        """``country (country, required)``, ``limit (int, default 50)``, ``year (int)``."""
        default = str(self.default).lower() if isinstance(self.default, bool) else self.default
        extra = ", required" if self.required else (
            f", default {default}" if self.default is not None else "")
        return f"{self.name} ({self.type}{extra})"


@dataclass
class SavedQuery:
    name: str
    description: str
    params: list[Param]
    examples: list[str]
    cypher: str
    path: str = "<text>"
    note: str = ""
    body_line: int = 1
    bundled: bool = False
    header: str = ""   # the header's lines as written in the file
    caveat: str = ""   # printed with every result (see with_caveat)

    def listing(self) -> str:
        """The header as written, a blank line, then the exact Cypher that runs."""
        return f"{self.header}\n\n{self.cypher}"

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    @property
    def ordered(self) -> bool:
        """True when the query fixes the order of its rows (a final ORDER BY)."""
        top, start = _final_return(self.cypher)
        return start >= 0 and bool(re.search(r"\bORDER\s+BY\b", top[start:], re.I))

    @property
    def columns(self) -> list[str]:
        """Column names of the final RETURN, read from the text (for empty results,
        whose column names ArcadeDB does not send)."""
        return return_columns(self.cypher)

    def to_json(self) -> dict:
        return {"name": self.name, "description": self.description,
                "parameters": [{"name": p.name, "type": p.type, "required": p.required,
                                "default": p.default, "description": p.description}
                               for p in self.params],
                "examples": list(self.examples), "note": self.note or None,
                "caveat": self.caveat or None, "file": self.path, "bundled": self.bundled}


def _code_only(cypher: str) -> str:
    """The Cypher with literals and comments blanked (line numbers kept)."""
    return _NOT_CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), cypher)


def _final_return(cypher: str) -> tuple[str, int]:
    """The code with everything inside brackets blanked, and where the text of the
    final top-level RETURN starts (-1 if there is none)."""
    code = _code_only(cypher)
    depth, chars = 0, []
    for ch in code:
        if ch in "([{":
            depth += 1
        chars.append(ch if depth == 0 else " ")
        if ch in ")]}":
            depth -= 1
    top = "".join(chars)
    starts = [m.end() for m in re.finditer(r"\bRETURN\b(\s+DISTINCT\b)?", top, re.I)]
    return top, (starts[-1] if starts else -1)


def return_columns(cypher: str) -> list[str]:
    """Names of the columns of the query's final RETURN.

    >>> return_columns("CALL { MATCH (a) RETURN a } RETURN a.name AS name, count(*), x ORDER BY name")
    ['name', 'count(*)', 'x']
    """
    top, start = _final_return(cypher)
    if start < 0:
        return []
    end = re.search(r"\b(ORDER\s+BY|SKIP|LIMIT|UNION)\b|$", top[start:], re.I).start() + start
    cuts = [i for i in range(start, end) if top[i] == ","]
    items, prev = [], start
    for cut in [*cuts, end]:
        items.append(cypher[prev:cut].strip())
        prev = cut + 1
    names = []
    for item in items:
        m = re.search(r"\bAS\s+`?([A-Za-z_][A-Za-z0-9_]*)`?\s*$", item, re.I)
        names.append(m.group(1) if m else " ".join(item.split()))
    return names


def used_parameters(cypher: str) -> dict[str, int]:
    """Every ``$parameter`` the Cypher uses, with the line (1-based) of its first use.

    >>> used_parameters("MATCH (c {id: $country}) // not $this\\nRETURN '$nor' AS x, $limit")
    {'country': 1, 'limit': 2}
    """
    code = _code_only(cypher)
    out: dict[str, int] = {}
    for m in _PARAM_USE.finditer(code):
        out.setdefault(m.group(1), code.count("\n", 0, m.start()) + 1)
    return out


def _param(text: str, file: str, line: int) -> Param:
    m = _PARAM.match(text)
    if not m:
        raise LoadError(f"a parameter is written 'NAME (TYPE[, required | , default VALUE]) "
                        f"description', got {text!r}", file, line)
    parts = [s.strip() for s in m["spec"].split(",")]
    ptype = parts[0]
    if ptype not in TYPES:
        near = difflib.get_close_matches(ptype, TYPES, n=1)
        hint = f" (did you mean '{near[0]}'?)" if near else ""
        raise LoadError(f"parameter '{m['name']}' has unknown type '{ptype}'{hint}; "
                        f"types: {', '.join(TYPES)}", file, line)
    p = Param(m["name"], ptype, description=m["desc"].strip(), line=line)
    for part in parts[1:]:
        word, _, rest = part.partition(" ")
        if part == "required":
            p.required = True
        elif part == "optional":
            pass
        elif word == "default" and rest.strip():
            p.default = rest.strip()
        else:
            raise LoadError(f"parameter '{p.name}': expected 'required', 'optional' or "
                            f"'default VALUE' after the type, got {part!r}", file, line)
    if p.required and p.default is not None:
        raise LoadError(f"parameter '{p.name}' is required and has a default; "
                        f"choose one", file, line)
    if p.default is not None and TYPES[ptype].static:
        try:
            p.default = convert(p, p.default, None)
        except QueryError as exc:
            raise LoadError(f"default of {exc}", file, line) from None
    return p


def parse_query(text: str, file: str = "<text>", expected_name: str | None = None) -> SavedQuery:
    """Parse a saved query's header and body.

    Raises :class:`~htkg.errors.LoadError` with ``file:line`` for a malformed
    header, an unknown type, a parameter declared twice, a ``$parameter``
    used but not declared, or one declared but not used.
    """
    # Lines end at "\n" only: U+2028 or U+001E in a header line must not start a
    # line of Cypher that 'htkg queries' would not show; such characters are refused.
    lines = split_lines(text)
    for no, line in enumerate(lines, 1):
        if len(line) > LONGEST_LINE:
            raise LoadError(f"a line of {len(line):,} characters: a saved query's lines are "
                            f"short (at most {LONGEST_LINE:,}); is this the right file?", file, no)
        bad = UNSAFE.search(line)
        if bad:
            raise LoadError(f"{char_name(bad.group())}: a saved query is plain text, and this "
                            f"character hides or breaks a line; remove it", file, no)
    fields: dict[str, list] = {k: [] for k in KEYS}
    last: tuple[str, int] | None = None  # (key, index in fields[key])
    n = 0
    while n < len(lines) and not lines[n].strip():
        n += 1
    header_start = n
    while n < len(lines) and lines[n].lstrip().startswith("//"):
        raw = lines[n].strip()
        no = n + 1
        n += 1
        if raw.strip("/ \t") == "":
            continue
        cont = _CONTINUED.match(raw)
        key = _KEY_LINE.match(raw)
        if cont and last is not None:
            k, i = last
            if k in ("name", "description"):
                raise LoadError(f"the {k} is one line; say more in '// note:'", file, no)
            value, at = fields[k][i]
            fields[k][i] = (f"{value} {cont.group(1)}".strip(), at)
            continue
        if not key:
            raise LoadError(f"expected '// key: value' with a key among {', '.join(KEYS)}, "
                            f"or a line indented after '//' that continues the one above; "
                            f"got {raw!r}", file, no)
        k = key.group(1).lower()
        if k not in KEYS:
            near = difflib.get_close_matches(k, KEYS, n=1)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            raise LoadError(f"unknown header key '{k}'{hint}; keys: {', '.join(KEYS)}", file, no)
        if k in ("name", "description", "note", "caveat") and fields[k]:
            raise LoadError(f"'{k}' is given twice (first at line {fields[k][0][1]})", file, no)
        fields[k].append((key.group(2), no))
        last = (k, len(fields[k]) - 1)
    header_end = n
    while n < len(lines) and not lines[n].strip():
        n += 1
    body_line = n + 1
    cypher = "\n".join(lines[n:]).rstrip()
    if n == header_start:
        raise LoadError("a saved query starts with a header of '//' lines: name, description, "
                        "param, example", file, 1)
    for k in ("name", "description", "example"):
        if not fields[k] or not fields[k][0][0]:
            raise LoadError(f"the header has no '{k}:' line", file, header_start + 1)
    name, name_line = fields["name"][0]
    if not _NAME.match(name):
        raise LoadError(f"query name '{name}' must be lower-case letters, digits and hyphens",
                        file, name_line)
    if expected_name is not None and name != expected_name:
        raise LoadError(f"query name '{name}' differs from the file name; rename the file "
                        f"'{name}.cypher' or the query '{expected_name}'", file, name_line)
    if not cypher.strip():
        raise LoadError("the header is not followed by any Cypher", file, body_line)
    params: list[Param] = []
    for value, no in fields["param"]:
        p = _param(value, file, no)
        if any(q.name == p.name for q in params):
            first = next(q for q in params if q.name == p.name)
            raise LoadError(f"parameter '{p.name}' is declared twice (first at line {first.line})",
                            file, no)
        params.append(p)
    used = used_parameters(cypher)
    for pname, at in used.items():
        if not any(p.name == pname for p in params):
            raise LoadError(f"the query uses ${pname} but the header declares no parameter "
                            f"'{pname}'; add '// param: {pname} (TYPE) ...'", file,
                            body_line + at - 1)
    for p in params:
        if p.name not in used:
            raise LoadError(f"parameter '{p.name}' is declared but the query never uses "
                            f"${p.name}", file, p.line)
    return SavedQuery(name=name, description=fields["description"][0][0], params=params,
                      examples=[v for v, _ in fields["example"]], cypher=cypher, path=file,
                      note=fields["note"][0][0] if fields["note"] else "", body_line=body_line,
                      header="\n".join(lines[header_start:header_end]),
                      caveat=fields["caveat"][0][0] if fields["caveat"] else "")


def read_query(path: str | Path, shown: str | None = None) -> SavedQuery:
    """Read one ``.cypher`` file."""
    path = Path(path)
    shown = shown or str(path)
    text = read_utf8(path, shown, "a saved query", "save the .cypher file as UTF-8 text")
    return parse_query(text.replace("\r\n", "\n"), shown, expected_name=path.stem)


def read_folder(folder: str | Path, bundled: bool = False) -> list[SavedQuery]:
    folder = Path(folder)
    if not folder.is_dir():
        raise LoadError("no such folder of saved queries", str(folder))
    out = []
    for path in sorted(folder.glob("*.cypher")):
        shown = f"queries/{path.name}" if bundled else str(path)
        q = read_query(path, shown)
        q.bundled = bundled
        out.append(q)
    return out


def user_dirs(given: Iterable[str | Path] = (), environ: dict | None = None) -> list[Path]:
    """Folders of one's own: those given (``--queries``), then ``$HTKG_QUERIES``
    (several separated by ``os.pathsep``)."""
    environ = os.environ if environ is None else environ
    dirs = [Path(d).expanduser() for d in given]
    dirs += [Path(d).expanduser() for d in environ.get(ENV, "").split(os.pathsep) if d.strip()]
    return list(dict.fromkeys(dirs))


@dataclass
class Catalogue:
    """Saved queries by name."""

    queries: dict[str, SavedQuery] = field(default_factory=dict)

    def __iter__(self) -> Iterator[SavedQuery]:
        return iter(sorted(self.queries.values(), key=lambda q: q.name))

    def __len__(self) -> int:
        return len(self.queries)

    def __contains__(self, name: str) -> bool:
        return name in self.queries

    def add(self, query: SavedQuery) -> None:
        other = self.queries.get(query.name)
        if other is not None:
            raise LoadError(f"saved query '{query.name}' is also defined in {other.path}; "
                            f"names must be unique across the bundled and your folders: "
                            f"rename one (file and '// name:')", query.path)
        self.queries[query.name] = query

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """Names close to a mistyped one, best first."""
        names = sorted(self.queries)
        near = difflib.get_close_matches(name, names, n=n, cutoff=0.5)
        near += [x for x in names if (name in x or x in name) and x not in near]
        return near[:n]

    def get(self, name: str) -> SavedQuery:
        q = self.queries.get(name)
        if q is not None:
            return q
        near = self.suggest(name)
        if near:
            quoted = [f"'{x}'" for x in near]
            hint = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
            raise QueryError(f"no saved query '{name}'; did you mean {hint}?")
        raise QueryError(f"no saved query '{name}'; 'htkg queries' lists them")


def load_catalogue(dirs: Iterable[str | Path] = (), bundled: bool = True) -> Catalogue:
    """The bundled queries and those in ``dirs``; a name defined twice is an error."""
    cat = Catalogue()
    if bundled:
        for q in read_folder(BUNDLED, bundled=True):
            cat.add(q)
    for d in dirs:
        for q in read_folder(d):
            cat.add(q)
    return cat
