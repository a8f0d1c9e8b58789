"""How a report reads the graph: through the saved queries, and nothing else.

A :class:`Reader` runs the bundled saved queries on an open store and
remembers each run as the ``htkg query`` command that prints the same rows,
so the sources appendix can tell a reader how to check every figure. Also
here: the period a report covers (:class:`Period`), and the small wordings
shared by both kinds of report (ordinals, signed changes, nations, line
ranges).
"""
from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from htkg.errors import HtkgError, QueryError
from htkg.graph.lookup import Lookup
from htkg.graph.records import Provenance
from htkg.maps.style import category_text
from htkg.queries import load_catalogue, run_query
from htkg.queries.params import NATIONS, TYPES, parse_quarter, quarter_text

#: A limit no query reaches: every row.
ALL = 100_000
#: The four nations in the order reports list them, with their names.
NATION_NAMES = {"GB-ENG": "England", "GB-SCT": "Scotland", "GB-WLS": "Wales",
                "GB-NIR": "Northern Ireland"}


@lru_cache(maxsize=1)
def _catalogue():
    """The bundled saved queries (a report never depends on folders of one's own)."""
    return load_catalogue(())


class Reader:
    """Saved queries run on one open store, each remembered as a command."""

    def __init__(self, store: Any):
        self.store = store
        self.catalogue = _catalogue()

    @property
    def lookup(self) -> Lookup:
        return Lookup.of(self.store)

    def rows(self, name: str, **params: Any) -> list[dict]:
        """The rows of the saved query ``name`` (None values are left out)."""
        given = {k: v for k, v in params.items() if v is not None}
        return run_query(self.store, self.catalogue.get(name), given).rows

    def shown_country(self, country_id: str, name: str) -> str:
        """How a command names the country: by its name where the name finds it, else by id."""
        try:
            if TYPES["country"].convert(name, self.lookup) == country_id:
                return name
        except HtkgError:
            pass
        return country_id

    @staticmethod
    def command(name: str, **params: Any) -> str:
        """The command that prints the same rows.

        >>> Reader.command("responders", country="Côte d'Ivoire", start="2023Q1", limit=None)
        'htkg query responders -p "country=Côte d\\'Ivoire" -p start=2023Q1'
        """
        words = ["htkg", "query", name]
        for key, value in params.items():
            if value is None:
                continue
            words += ["-p", _quoted(f"{key}={value}")]
        return " ".join(words)


def _quoted(text: str) -> str:
    """A shell word that reads as written (double quotes where it needs quoting)."""
    if re.fullmatch(r"[\w@%+=:,./-]+", text, re.ASCII):
        return text
    if not re.search(r'["$`\\!]', text):
        return f'"{text}"'
    return shlex.quote(text)


# -- the period ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Period:
    """The quarters asked for: ``start`` and ``end`` as year * 10 + quarter, or None.

    >>> p = Period.of("2022Q3", "2023 Q4")
    >>> p.start, p.end, p.param(p.start), p.covers(20231), p.covers(20222)
    (20223, 20234, '2022Q3', True, False)
    >>> Period.of("2023Q4", "2023Q1")
    Traceback (most recent call last):
    ...
    htkg.errors.QueryError: --from 2023Q4 is after --to 2023Q1; give the earlier quarter first
    """

    start: int | None = None
    end: int | None = None

    @classmethod
    def of(cls, start: Any = None, end: Any = None) -> "Period":
        a = None if start in (None, "") else _quarter(start, "--from")
        b = None if end in (None, "") else _quarter(end, "--to")
        if a is not None and b is not None and a > b:
            raise QueryError(f"--from {quarter_text(a)} is after --to {quarter_text(b)}; "
                             f"give the earlier quarter first")
        return cls(a, b)

    @staticmethod
    def param(number: int | None) -> str | None:
        return None if number is None else quarter_text(number)

    def covers(self, number: int) -> bool:
        return (self.start is None or number >= self.start) and (
            self.end is None or number <= self.end)


def _quarter(value: Any, option: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value % 10 in (1, 2, 3, 4):
        return value
    try:
        return parse_quarter(value)
    except QueryError as exc:
        raise QueryError(f"{option}: {exc}") from None


def quarter_words(number: int) -> str:
    """``20234`` as ``2023 Q4``.

    >>> quarter_words(20234)
    '2023 Q4'
    """
    return f"{number // 10} Q{number % 10}"


def quarters_between(first: int, last: int) -> list[int]:
    """Every quarter from ``first`` to ``last``.

    >>> quarters_between(20223, 20232)
    [20223, 20224, 20231, 20232]
    """
    out, q = [], first
    while q <= last:
        out.append(q)
        q = q + 7 if q % 10 == 4 else q + 1
    return out


def span(text: str | None) -> tuple[int, int] | None:
    """The first and last quarter of a query's ``quarters`` column.

    >>> span("2022Q2-2023Q4"), span(None)
    ((20222, 20234), None)
    """
    parts = (text or "").split("-")
    if len(parts) != 2:
        return None
    try:
        return parse_quarter(parts[0]), parse_quarter(parts[1])
    except QueryError:
        return None


# -- wording --------------------------------------------------------------------------------
def ordinal(n: int) -> str:
    """1st, 2nd, 3rd...

    >>> [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 102)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '102nd']
    """
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def plural(n: int, word: str, words: str | None = None) -> str:
    """A count and its noun.

    >>> plural(1, "person", "people"), plural(1200, "quarter")
    ('1 person', '1,200 quarters')
    """
    return f"{n:,} {word if n == 1 else (words or word + 's')}"


def change(now: int, before: int) -> str:
    """A change between two counts, signed, with its percentage where there is one.

    >>> change(46, 41), change(3, 6), change(5, 5), change(4, 0)
    ('+5 (+12%)', '−3 (−50%)', 'no change', '+4')
    """
    diff = now - before
    if diff == 0:
        return "no change"
    sign = "+" if diff > 0 else "−"
    text = f"{sign}{abs(diff):,}"
    if before:
        text += f" ({sign}{round(abs(diff) * 100 / before)}%)"
    return text


def rank_of(rows: list[dict], key: str, value: Any, by: str = "people") -> int | None:
    """Competition rank of the row whose ``key`` is ``value``: one more than the rows
    with more ``by`` (so ties share a rank); None when no row has it."""
    mine = next((r for r in rows if r.get(key) == value), None)
    if mine is None:
        return None
    return 1 + sum(1 for r in rows if (r.get(by) or 0) > (mine.get(by) or 0))


def kind_text(kind: str | None) -> str:
    """How a kind of organisation is written ('police_force' -> 'Police force')."""
    return category_text(kind) if kind else "Unknown kind"


def nations_text(codes: list[str] | None) -> str:
    """Where a body works, in words.

    >>> nations_text(["GB-ENG", "GB-NIR", "GB-SCT", "GB-WLS"]), nations_text(["GB-WLS", "GB-ENG"])
    ('UK-wide', 'England, Wales')
    >>> nations_text(["GB-ENG", "GB-SCT", "GB-WLS"]), nations_text(None)
    ('Great Britain', '')
    """
    codes = sorted(set(codes or []))
    if set(codes) == set(NATION_NAMES):
        return "UK-wide"
    if codes == ["GB-ENG", "GB-SCT", "GB-WLS"]:
        return "Great Britain"
    return ", ".join(NATION_NAMES.get(c, c) for c in codes)


def nation_code(text: str) -> str:
    """The ISO 3166-2 code of a nation named in any way the ``nation`` type reads."""
    return TYPES["nation"].convert(text, None)


def nation_country_id(code: str) -> str:
    """The Country id of a UK nation (``GB-SCT`` -> ``country-gb-sct``)."""
    return NATIONS[code][0]


def files_of(sources: list[str] | None) -> list[str]:
    """The files (or datasets) some provenance strings name, sorted, each once."""
    return sorted({Provenance.parse(s).dataset for s in sources or [] if s})


def where_of(sources: list[str] | None) -> list[str]:
    """Each provenance string as file and line or paragraph, without the loader."""
    return list(dict.fromkeys(Provenance.parse(s).where for s in sources or [] if s))


def line_ranges(lines: list[int]) -> str:
    """Line numbers written compactly.

    >>> line_ranges([12, 15, 16, 17, 3, 30])
    'lines 3, 12, 15-17, 30'
    >>> line_ranges([8])
    'line 8'
    """
    lines = sorted(set(lines))
    parts, i = [], 0
    while i < len(lines):
        j = i
        while j + 1 < len(lines) and lines[j + 1] == lines[j] + 1:
            j += 1
        parts.append(str(lines[i]) if i == j else f"{lines[i]}-{lines[j]}")
        i = j + 1
    return ("line " if len(lines) == 1 else "lines ") + ", ".join(parts)
