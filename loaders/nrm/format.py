"""The published NRM tables' format: kinds, columns, periods and checked reading.

Shared by :mod:`.referrals` (first-responder tables) and :mod:`.tables`
(longitudinal and Duty to Notify tables); the loader itself is the package.
"""
from __future__ import annotations

import csv
import io
import re
from operator import itemgetter
from pathlib import Path
from typing import Iterator

from htkg.errors import LoadError
from htkg.textfile import read_utf8

LOADER = NAME = "nrm"

REFERRALS = "referrals"
LONGITUDINAL = "referrals-longitudinal"
DUTY_TO_NOTIFY = "duty-to-notify"
DUTY_TO_NOTIFY_LONGITUDINAL = "duty-to-notify-longitudinal"

#: The columns of each kind of table this loader reads, in published order.
HEADERS: dict[str, tuple[str, ...]] = {
    REFERRALS: ("First responder type", "First responder", "Exploitation type",
                "Age at exploitation", "Gender", "Nationality", "People"),
    LONGITUDINAL: ("Year", "Quarter", "Age at exploitation", "Location of exploitation",
                   "NRM referrals"),
    DUTY_TO_NOTIFY: ("Nationality", "Total"),
    DUTY_TO_NOTIFY_LONGITUDINAL: ("Year", "Quarter", "Total"),
}
# File-name prefixes, most specific first: a file so named is read as that
# kind even when its header is damaged (and is then refused with the reason).
_NAME_KINDS = (("nrm_duty_to_notify_longitudinal", DUTY_TO_NOTIFY_LONGITUDINAL),
               ("nrm_duty_to_notify", DUTY_TO_NOTIFY),
               ("nrm_referrals_longitudinal", LONGITUDINAL),
               ("nrm_referrals", REFERRALS))

#: Age bands as published -> the REFERRED property that holds them.
AGE_BANDS = {"Adult (18 or over)": "adult", "Child (17 or under)": "child",
             "Not specified or unknown": "age_unknown",
             "Age not specified or unknown": "age_unknown"}   # the longitudinal table's spelling
#: Genders as published -> property suffix. "Other" and "Not Recorded" are both
#: the schema's gender_other ("other, not specified or unknown").
GENDERS = {"Female": "female", "Male": "male", "Other": "gender_other",
           "Not Recorded": "gender_other", "Not specified or unknown": "gender_other",
           "Unknown": "gender_other"}
TOTAL = "Total"
#: Cells the publisher suppressed or did not fill (GSS shorthand): no count is
#: known, so no relationship or property is made of them and the totals they
#: fall under are not reconciled.
SUPPRESSED = frozenset({"[c]", "[x]", "[z]", "[u]", "[low]"})

_PERIOD_IN_NAME = re.compile(r"_(\d{4})_q([1-4])(?![0-9])", re.IGNORECASE)
_PERIOD_OPTION = re.compile(r"^\s*(\d{4})\s*-?\s*q([1-4])\s*$", re.IGNORECASE)
PROGRESS_EVERY = 5000


# -- routing ------------------------------------------------------------------
def _header_cells(head: str) -> tuple[str, ...]:
    first = head.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    try:
        return tuple(c.strip() for c in next(csv.reader([first]), []))
    except csv.Error:
        return ()


def table_kind(path: Path, head: str) -> str | None:
    """Which NRM table a file is, from its header or else its name; None if none.

    The reasonable and conclusive grounds tables are not read (they hold
    national decision counts, not bodies or countries).

    >>> table_kind(Path("x.csv"), "Nationality,Total\\nAfghan,3\\n")
    'duty-to-notify'
    >>> table_kind(Path("nrm_referrals_ngo_2023_q4.csv"), "")
    'referrals'
    >>> table_kind(Path("nrm_reasonable_grounds.csv"), "Year,Quarter,Adult - Total")
    """
    if path.suffix.lower() != ".csv":
        return None
    cells = _header_cells(head)
    for kind, header in HEADERS.items():
        if set(cells) == set(header):
            return kind
    name = path.name.lower()
    for prefix, kind in _NAME_KINDS:
        if name.startswith(prefix):
            return kind
    if len(set(cells) & set(HEADERS[REFERRALS])) >= 4:
        return REFERRALS  # a referral table with a column missing: refused with the reason
    return None


# -- period -------------------------------------------------------------------
def parse_period(text: str, shown: str) -> tuple[int, int]:
    """A ``--period`` value such as "2023Q4" as (2023, 4).

    >>> parse_period("2023Q4", "x.csv"), parse_period(" 2022-q1", "x.csv")
    ((2023, 4), (2022, 1))
    """
    m = _PERIOD_OPTION.match(str(text))
    if not m:
        raise LoadError(f"--period {text!r} is not a quarter: write it as year and quarter, "
                        f"e.g. --period 2023Q4", shown)
    return int(m[1]), int(m[2])


def period_of(path: Path, options: dict, shown: str) -> tuple[int, int]:
    """(year, quarter) from the file name ``..._<year>_q<n>.csv``, else ``--period``.

    A name that carries a quarter wins; ``--period`` is for names that do not.
    """
    option = options.get("period") if options else None
    from_option = parse_period(option, shown) if option else None
    m = _PERIOD_IN_NAME.search(path.stem)
    if m:
        return int(m[1]), int(m[2])
    if from_option:
        return from_option
    raise LoadError("cannot tell which quarter this table covers: its name does not end in "
                    "_<year>_q<quarter>.csv; pass the quarter with --period 2023Q4 (for example) "
                    "or rename the file like nrm_referrals_ngo_2023_q4.csv", shown)


def period_note(path: Path, options: dict, period: tuple[int, int]) -> str | None:
    """A note when ``--period`` was given but the file name's quarter was used."""
    option = options.get("period") if options else None
    if option and _PERIOD_IN_NAME.search(path.stem) and parse_period(option, path.name) != period:
        return (f"--period {option} not used for this file: its name says "
                f"{period[0]} Q{period[1]}")
    return None


# -- what a build's tables cover --------------------------------------------------
_REFERRAL_NAME = re.compile(r"^nrm_referrals_(.+)_(\d{4})_q([1-4])(?![0-9])", re.IGNORECASE)
_DUTY_NAME = re.compile(r"^nrm_duty_to_notify_(\d{4})_q([1-4])(?![0-9])", re.IGNORECASE)
#: First-responder types as the tables' names give them, in words.
RESPONDER_TYPES = {"government": "government agencies", "local-authority": "local authorities",
                   "ngo": "NGOs", "police": "police"}


def _span(periods: set[tuple[int, int]]) -> str:
    """Quarters as a span, naming the ones missing inside it.

    >>> _span({(2022, 4), (2023, 1), (2023, 3)})
    '2022 Q4 to 2023 Q3 (3 quarters; none for 2023 Q2)'
    """
    first, last = min(periods), max(periods)
    every = [(y, q) for y in range(first[0], last[0] + 1) for q in range(1, 5)
             if first <= (y, q) <= last]
    missing = [f"{y} Q{q}" for y, q in every if (y, q) not in periods]
    n = len(periods)
    text = f"{first[0]} Q{first[1]}" if n == 1 else (
        f"{first[0]} Q{first[1]} to {last[0]} Q{last[1]}")
    return text + f" ({n} quarter{'s' if n != 1 else ''}" + (
        f"; none for {', '.join(missing)})" if missing else ")")


def coverage(names) -> list[str]:
    """Which quarters the NRM tables named cover, one line per kind of table
    (tables named as published: ``nrm_referrals_<type>_<year>_q<n>.csv``).

    >>> coverage(["nrm_referrals_police_2023_q4.csv.xz", "nrm_referrals_police_2023_q2.csv",
    ...           "nrm_duty_to_notify_2023_q4.csv"])
    ['referrals by police: 2023 Q2 to 2023 Q4 (2 quarters; none for 2023 Q3)', \
'Duty to Notify: 2023 Q4 (1 quarter)']
    """
    referrals: dict[str, set] = {}
    duty: set = set()
    for name in names:
        plain = Path(str(name)).name.removesuffix(".gz").removesuffix(".xz")
        m = _REFERRAL_NAME.match(plain)
        if m and not plain.lower().startswith("nrm_referrals_longitudinal"):
            referrals.setdefault(m[1].lower(), set()).add((int(m[2]), int(m[3])))
        elif m := _DUTY_NAME.match(plain):
            duty.add((int(m[1]), int(m[2])))
    order = list(RESPONDER_TYPES)
    out = [f"referrals by {RESPONDER_TYPES.get(kind, kind)}: {_span(periods)}"
           for kind, periods in sorted(referrals.items(),
                                       key=lambda kv: (order.index(kv[0]) if kv[0] in order
                                                       else len(order), kv[0]))]
    if duty:
        out.append(f"Duty to Notify: {_span(duty)}")
    return out


# -- reading a table safely -----------------------------------------------------
class Table:
    """A decoded, checked NRM table: a CSV reader positioned after the header."""

    def __init__(self, reader, columns: list[int], width: int, lines: int) -> None:
        self.reader = reader
        self.columns = columns      # indices of HEADERS[kind], in that order
        self.width = width          # fields every row must have
        self.lines = lines          # lines in the file, header included


def read_rows(path: Path, kind: str, shown: str) -> Table:
    """Decode and check a whole NRM table (see :class:`Table`).

    Refuses (LoadError with file and line, and what to do) an unreadable,
    empty, binary, non-UTF-8 or truncated file, and a missing column.
    """
    text = read_utf8(path, shown, "CSV text",
                     "save the table as 'CSV UTF-8' (not 'Unicode Text') and load it again")
    if not text.strip():
        raise LoadError("the file is empty: it should be an NRM table with the header "
                        f"'{','.join(HEADERS[kind])}'; download or export it again", shown, 1)
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    if not text.endswith(("\n", "\r")):
        raise LoadError("the file ends in the middle of a line: it looks truncated; download it "
                        "again (if the last row is complete, end it with a line break)",
                        shown, lines)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [c.strip() for c in next(reader)]
    except (csv.Error, StopIteration) as exc:
        raise LoadError(f"cannot read the header: {exc}", shown, 1) from None
    missing = [c for c in HEADERS[kind] if c not in header]
    if missing:
        raise LoadError(f"missing column{'s' if len(missing) > 1 else ''} "
                        f"{', '.join(map(repr, missing))}; this NRM table needs the columns "
                        f"{','.join(HEADERS[kind])} (found: {','.join(header)})", shown, 1)
    return Table(reader, [header.index(c) for c in HEADERS[kind]], len(header), lines)


def blank_or_bad(row: list[str], width: int, shown: str, line: int) -> bool:
    """True for a blank row (skipped); raise for a row of the wrong width."""
    if not row or (len(row) == 1 and not row[0].strip()):
        return True
    raise LoadError(f"row has {len(row)} field{'s' if len(row) != 1 else ''}, expected {width}: "
                    f"the file may be truncated, or a value holds an unquoted comma; fix the row "
                    f"or download the table again", shown, line)


def csv_error(exc: csv.Error, shown: str, line: int) -> LoadError:
    if "field larger than field limit" in str(exc):
        return LoadError(f"a value longer than {csv.field_size_limit():,} characters: no NRM "
                         f"table holds one; the file is damaged (a lost line end or quote?); "
                         f"download it again", shown, line)
    return LoadError(f"malformed CSV ({exc}): the file may be truncated; download it again",
                     shown, line)


def iter_rows(table: Table, shown: str) -> Iterator[tuple[int, tuple[str, ...]]]:
    """(line, cells in ``HEADERS`` order) for every non-blank row; bad rows raise."""
    reader, width = table.reader, table.width
    get = itemgetter(*table.columns)
    try:
        for row in reader:
            if len(row) != width and blank_or_bad(row, width, shown, reader.line_num):
                continue
            yield reader.line_num, get(row)
    except csv.Error as exc:
        raise csv_error(exc, shown, reader.line_num) from None


def count(value: str, column: str, shown: str, line: int) -> int | None:
    """A published count: a whole number >= 0, or None if suppressed ("[c]", "[x]")."""
    if value.isdigit() and value.isascii():
        return int(value)
    v = value.strip()
    if v.isdigit() and v.isascii():
        return int(v)
    if v.lower() in SUPPRESSED:
        return None
    if re.fullmatch(r"-\s*\d+", v):
        raise LoadError(f"negative count {v} in column {column!r}: a count cannot be "
                        f"negative; correct the row", shown, line)
    raise LoadError(f"{column!r} is not a whole number: {value!r}; fix the row (suppressed cells "
                    f"may be written [c] or [x])", shown, line)


def clean_name(text: str) -> str:
    """A published label with its spacing tidied ("Congolese Drc " -> "Congolese Drc")."""
    return " ".join(text.split())


def _label(value: str, known: dict[str, str], cache: dict[str, str | None], column: str,
           shown: str, line: int) -> str | None:
    """A published age band or gender in its canonical spelling (a key of
    ``known``), None for "Total"; remembered in ``cache``."""
    if value in cache:
        return cache[value]
    key = clean_name(value).casefold()
    if key == "total":
        cache[value] = None
        return None
    for label in known:
        if label.casefold() == key:
            cache[value] = label
            return label
    raise LoadError(f"unknown {column} {value!r}; the NRM tables use "
                    f"{', '.join(map(repr, known))} or 'Total'", shown, line)
