"""The official geography's files: their kinds, columns and checked reading.

Shared by :mod:`.ons` (the ONS lookups) and :mod:`.councils` (mySociety's
list of councils); the loader itself is the package.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Iterator

from htkg.errors import LoadError
from htkg.graph.records import slugify
from htkg.textfile import read_utf8

LOADER = NAME = "geography"

#: The kinds of file, in the order they load (each builds on those before it).
PFA_NAMES = "police-force-areas"            # PFA19CD, PFA19NM
LAD_COUNTRY = "districts-to-countries"      # LAD19CD, LAD19NM, CTRY19CD, CTRY19NM
LAD_PFA = "districts-to-police-force-areas"  # LAD19CD, LAD19NM, [CSP19...,] PFA19CD, PFA19NM
COUNCILS = "councils"                       # mySociety's uk_local_authorities
ORDER = (PFA_NAMES, LAD_COUNTRY, LAD_PFA, COUNCILS)

#: ONS column names: an area type, the two digits of its year, CD (code) or NM (name).
_ONS_COLUMN = re.compile(r"^(LAD|PFA|CTRY|CSP)(\d\d)(CD|NM)$", re.IGNORECASE)
#: The ONS columns each kind needs, by area type.
ONS_NEEDS = {PFA_NAMES: ("PFA",), LAD_COUNTRY: ("LAD", "CTRY"), LAD_PFA: ("LAD", "PFA")}
#: mySociety's columns this loader reads; the first group must be present.
COUNCIL_NEEDS = ("local-authority-code", "official-name", "gss-code", "start-date", "end-date",
                 "replaced-by", "nation", "region", "local-authority-type")
COUNCIL_OPTIONAL = ("nice-name", "alt-names", "former-gss-codes", "county-la",
                    "combined-authority", "lower-or-unitary")

#: A GSS code: a letter for the nation (E, W, S, N; L and M for the Channel Islands
#: and the Isle of Man), two digits for the type of area, six for the area.
GSS = re.compile(r"^[A-Z]\d{8}$")
#: ONS's placeholder for an area it gives no code (N99999999).
PLACEHOLDER = re.compile(r"^[A-Z]9{8}$")
#: The first letter of a GSS code -> the UK nation's name (the GSS coding scheme).
GSS_NATIONS = {"E": "England", "W": "Wales", "S": "Scotland", "N": "Northern Ireland"}


# -- routing ------------------------------------------------------------------------
def header_cells(head: str) -> list[str]:
    first = head.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    try:
        return [c.strip() for c in next(csv.reader([first]), [])]
    except csv.Error:
        return []


def ons_columns(cells: list[str]) -> dict[str, dict[str, int]]:
    """Area type -> {"CD": index, "NM": index} of the ONS columns in a header.

    >>> ons_columns(["FID", "LAD19CD", "LAD19NM", "PFA19CD", "PFA19NM"])
    {'LAD': {'CD': 1, 'NM': 2}, 'PFA': {'CD': 3, 'NM': 4}}
    """
    out: dict[str, dict[str, int]] = {}
    for i, cell in enumerate(cells):
        m = _ONS_COLUMN.match(cell)
        if m:
            out.setdefault(m[1].upper(), {}).setdefault(m[3].upper(), i)
    return out


def file_kind(suffix: str, head: str) -> str | None:
    """Which geography file this is, from its header; None if none.

    A header with some of a kind's columns is still that kind (and is then
    refused, naming the missing ones).

    >>> file_kind(".csv", "FID,PFA19CD,PFA19NM\\n1,E23000001,Metropolitan Police\\n")
    'police-force-areas'
    >>> file_kind(".csv", "FID,LAD19CD,LAD19NM,CTRY19CD,CTRY19NM\\n")
    'districts-to-countries'
    >>> file_kind(".csv", "Nationality,Total\\n") is None
    True
    """
    if suffix != ".csv":
        return None
    cells = header_cells(head)
    if len(set(cells) & set(COUNCIL_NEEDS)) >= 3:
        return COUNCILS
    types = set(ons_columns(cells))
    if "LAD" in types and "CTRY" in types:
        return LAD_COUNTRY
    if "LAD" in types:
        return LAD_PFA
    if "PFA" in types:
        return PFA_NAMES
    if "CTRY" in types:
        return LAD_COUNTRY      # refused: no district columns
    return None


# -- reading a table ----------------------------------------------------------------
@dataclass
class Table:
    """A decoded CSV table: its header and a reader positioned after it."""

    header: list[str]
    reader: object
    shown: str

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(line, cells) of every non-blank row; a row of the wrong width is refused."""
        width = len(self.header)
        reader = self.reader
        try:
            for row in reader:
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                if len(row) != width:
                    raise LoadError(f"row has {len(row)} field{'s' if len(row) != 1 else ''}, "
                                    f"expected {width} as in the header: the file may be "
                                    f"truncated, or a value holds an unquoted comma; fix the row "
                                    f"or download the file again", self.shown, reader.line_num)
                yield reader.line_num, [c.strip() for c in row]
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise LoadError(f"a value longer than {csv.field_size_limit():,} characters: no "
                                f"table of the geography holds one; the file is damaged (a lost "
                                f"line end or quote?); download it again", self.shown,
                                reader.line_num) from None
            raise LoadError(f"malformed CSV ({exc}): the file may be truncated; download it "
                            f"again", self.shown, reader.line_num) from None


def read_table(source, shown: str) -> Table:
    """Decode a geography file (UTF-8, through the one reader) and read its header."""
    text = source.text(shown, "CSV text",
                       "save the file as 'CSV UTF-8' and load it again")
    if not text.strip():
        raise LoadError("the file is empty: it should be a table of the official geography "
                        "with its header; download it again", shown, 1)
    if not text.endswith(("\n", "\r")):
        lines = text.count("\n") + 1
        raise LoadError("the file ends in the middle of a line: it looks truncated; download it "
                        "again (if the last row is complete, end it with a line break)",
                        shown, lines)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [c.strip().lstrip("\ufeff") for c in next(reader)]
    except (csv.Error, StopIteration) as exc:
        raise LoadError(f"cannot read the header: {exc}", shown, 1) from None
    return Table(header, reader, shown)


def missing_columns(found: list[str], needed: list[str], what: str, shown: str) -> LoadError:
    return LoadError(f"missing column{'s' if len(needed) > 1 else ''} {', '.join(needed)}; "
                     f"{what} (found: {','.join(found)})", shown, 1)


# -- values ---------------------------------------------------------------------------
def gss_code(value: str, column: str, shown: str, line: int) -> str:
    """A GSS code as published ("E23000001"); refuses anything else."""
    code = value.strip().upper()
    if not GSS.match(code):
        raise LoadError(f"{column!r} is not a GSS code (a letter and eight digits, such as "
                        f"E23000001): {value!r}; fix the row", shown, line)
    return code


def area_id(code: str | None, kind: str, name: str) -> str:
    """An Area's id: from its GSS code, or from its kind and name when ONS gives
    only a placeholder.

    >>> area_id("E23000001", "police_force_area", "Metropolitan Police")
    'area-e23000001'
    >>> area_id(None, "police_force_area", "Northern Ireland")
    'area-police-force-area-northern-ireland'
    """
    if code:
        return f"area-{code.lower()}"
    return f"area-{slugify(kind)}-{slugify(name)}"


def pfa_name(name: str) -> str:
    """The name a police force area is shown under: its ONS name, saying what it is,
    so "Scotland" the area is never taken for Scotland the nation.

    >>> pfa_name("Kent")
    'Kent (police force area)'
    """
    return f"{name} (police force area)"


def nation_of(ctx, name: str) -> tuple[str, str] | None:
    """(Country id, subdivision code) of a UK nation named as ONS and mySociety
    name them ("England"), read from the registry's nations; None if unknown."""
    cid = ctx.resolver().resolve(name, "Country")
    found = cid and ctx.entity(cid)
    if not found or not found[1].get("subdivision"):
        return None
    return cid, found[1]["subdivision"]
