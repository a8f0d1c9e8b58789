"""NRM first-responder referral tables into REFERRED relationships.

One table (``nrm_referrals_<type>_<year>_q<n>.csv``) holds one row per
published cell: responder, exploitation type, age band, gender, nationality
and a count, with "Total" rows at every level. :func:`parse_referrals` reads
and checks the whole file and indexes its cells;
:func:`~htkg.loaders.nrm.reconcile.reconcile` sums the detail cells and
compares them with every published total; :func:`read_referrals` yields the
table's rows as one batch of REFERRED relationships, with its notes.

What becomes what:

* a detail row at Age = Total and Gender = Total (Exploitation type and
  Nationality not Total, responder not an aggregate) is one ``REFERRED``
  relationship from the responder to each country of the nationality, with
  ``people`` its count (zero makes none);
* the rows at Age = <band>, Gender = Total under it give ``adult``,
  ``child``, ``age_unknown``; the rows at Age = <band>, Gender = <gender>
  give ``adult_female``, ``child_male``... ; rows at Age = Total and Gender
  = <gender> (not in the tables published so far) would give ``female``,
  ``male``, ``gender_other``. Each property is one published cell, so none
  overlaps another at the same level and nothing is counted twice;
* rows of the aggregate responder ("Government agency total"), rows at
  Exploitation type = Total and rows at Nationality = Total are totals: they
  are never loaded, only reconciled against;
* a detail cell whose people no relationship can hold (its nationality names no
  country, "Unknown", or cannot be resolved, or its first responder cannot) is
  one ``Unattributed`` node saying how many people and why, so that a total
  from the graph can be reconciled with the published one.
"""
from __future__ import annotations

import csv
import hashlib
from collections import defaultdict
from operator import itemgetter
from pathlib import Path

from htkg.errors import LoadError
from htkg.graph.model import Unresolved
from htkg.graph.records import Node, provenance, slugify
from htkg.loaders import nationality
from htkg.loaders.base import EdgeRows, Note, Record, RowsRead, Source
from htkg.loaders.nrm.format import (AGE_BANDS, GENDERS, LOADER, PROGRESS_EVERY, REFERRALS, TOTAL,
                              _label, blank_or_bad, clean_name, count, csv_error, period_note,
                              period_of, read_rows)
from htkg.loaders.nrm.exploitation import canonical as exploitation_name
from htkg.loaders.nrm.reconcile import reconcile


class _Cell:
    """Everything published for one (responder, exploitation type, nationality)."""

    __slots__ = ("line", "people", "bands", "cells", "genders")

    def __init__(self) -> None:
        self.line = 0                                   # line of the Age/Gender = Total row
        self.people: int | None = None
        self.bands: dict[str, int | None] = {}          # age band -> count
        self.cells: dict[tuple[str, str], int | None] = {}  # (age band, gender) -> count
        self.genders: dict[str, int | None] = {}        # gender at Age = Total -> count


class _Parsed:
    """A referral table, parsed and indexed, before anything is added."""

    def __init__(self) -> None:
        self.rows = 0
        self.detail: dict[tuple[str, str, str], _Cell] = {}     # (responder, exploitation, nationality)
        self.types: dict[str, str] = {}                         # responder -> responder type
        self.first_line: dict[str, int] = {}                    # responder -> first line
        self.aggregates: dict[tuple[str, str], int | None] = {}  # (type, nationality) -> Total row
        self.exploitation_totals: dict[tuple[str, str], int | None] = {}  # (responder, nationality)
        self.nationality_totals: dict[tuple[str, str], int | None] = {}   # (responder, exploitation)
        self.nat_lines: dict[str, int] = {}                     # nationality -> first detail line
        self.suppressed = 0


def _is_aggregate(responder: str) -> bool:
    """ "Government agency total", "Local Authority total": never an organisation."""
    key = responder.casefold()
    return key == "total" or key.endswith(" total")


_UNSEEN = object()


def parse_referrals(path: Path, shown: str, progress=None) -> _Parsed:
    """Read a referral table whole, checking every row; add nothing anywhere.

    This is the loader's hot loop (a quarter's tables are ~50,000 rows), so
    it works on raw strings with per-value caches and fetches line numbers
    only where they are kept or reported.
    """
    table = read_rows(path, REFERRALS, shown)
    reader, width = table.reader, table.width
    standard = table.columns == list(range(7)) and width == 7
    reorder = itemgetter(*table.columns)
    p = _Parsed()
    detail, nat_lines = p.detail, p.nat_lines
    ages: dict[str, str | None] = {}        # raw age -> age band property, None for Total
    genders: dict[str, str | None] = {}     # raw gender -> canonical gender, None for Total
    names: dict[str, str] = {}              # raw name -> tidied name
    responders: dict[str, str] = {}         # raw responder -> tidied name, "" if an aggregate
    stage = f"reading {path.name}"
    total_rows = max(table.lines - 1, 1)
    n = 0
    last_r = last_x = last_c = cell = None
    try:
        for row in reader:
            if standard and len(row) == 7:
                rtype, resp, expl, age, gender, nat, people = row
            else:
                if len(row) != width and blank_or_bad(row, width, shown, reader.line_num):
                    continue
                rtype, resp, expl, age, gender, nat, people = reorder(row)
            n += 1
            if progress and not n % PROGRESS_EVERY:
                progress(stage, n, total_rows)
            if people.isdigit() and people.isascii():
                value = int(people)
            else:
                value = count(people, "People", shown, reader.line_num)
                if value is None:
                    p.suppressed += 1
            age_p = ages.get(age, _UNSEEN)
            if age_p is _UNSEEN:
                band = _label(age, AGE_BANDS, {}, "age", shown, reader.line_num)
                age_p = ages[age] = band and AGE_BANDS[band]
            gen_p = genders.get(gender, _UNSEEN)
            if gen_p is _UNSEEN:
                gen_p = _label(gender, GENDERS, genders, "gender", shown, reader.line_num)
            # Names as published, spacing tidied ("Congolese Drc " is "Congolese Drc").
            r = responders.get(resp)
            if r is None:
                r = _name(responders, resp, "First responder", shown, reader.line_num)
                if _is_aggregate(r):
                    r = responders[resp] = ""      # an aggregate row, never an organisation
                elif r not in p.types:
                    p.types[r] = clean_name(rtype)
                    p.first_line[r] = reader.line_num
            x = names.get(expl)
            if x is None:
                x = _name(names, expl, "Exploitation type", shown, reader.line_num)
            c = names.get(nat)
            if c is None:
                c = _name(names, nat, "Nationality", shown, reader.line_num)
            if not r:
                if x == TOTAL and age_p is None and gen_p is None:
                    _put(p.aggregates, (clean_name(rtype), c), value, shown, reader.line_num)
                continue
            if c == TOTAL or x == TOTAL:
                if age_p is None and gen_p is None:
                    if c == TOTAL:
                        _put(p.nationality_totals, (r, x), value, shown, reader.line_num)
                    else:
                        _put(p.exploitation_totals, (r, c), value, shown, reader.line_num)
                continue
            # A cell's rows are consecutive in the published tables: reuse the last one.
            if r is not last_r or x is not last_x or c is not last_c:
                key = (r, x, c)
                cell = detail.get(key)
                if cell is None:
                    cell = detail[key] = _Cell()
                last_r, last_x, last_c = r, x, c
            if age_p is None:
                if gen_p is None:
                    if cell.line:
                        _duplicate(shown, reader.line_num)
                    cell.line = line = reader.line_num
                    cell.people = value
                    if c not in nat_lines:
                        nat_lines[c] = line
                else:
                    _add_to(cell.genders, gen_p, value, shown, reader.line_num)
            elif gen_p is None:
                if age_p in cell.bands:
                    _duplicate(shown, reader.line_num)
                cell.bands[age_p] = value
            else:
                _add_to(cell.cells, (age_p, gen_p), value, shown, reader.line_num)
    except csv.Error as exc:
        raise csv_error(exc, shown, reader.line_num) from None
    p.rows = n
    if not n:
        raise LoadError("the table has a header but no rows: the file looks truncated; "
                        "download it again", shown, 2)
    for (resp, expl, nat), cell in detail.items():
        if not cell.line:
            raise LoadError(f"no row at Age = Total and Gender = Total for {resp!r}, {expl!r}, "
                            f"{nat!r} although its age or gender rows are published: the table "
                            f"is incomplete; download it again", shown, table.lines)
    if progress:
        progress(stage, total_rows, total_rows)
    return p


def _name(names: dict[str, str], raw: str, column: str, shown: str, line: int) -> str:
    """A name with its spacing tidied, "Total" in any case read as "Total"; cached."""
    tidy = clean_name(raw)
    if tidy.casefold() == "total":
        tidy = TOTAL
    names[raw] = tidy
    if not tidy:
        raise LoadError(f"empty {column!r}: every row names a responder, an exploitation type "
                        f"and a nationality (or 'Total')", shown, line)
    return tidy


def _duplicate(shown: str, line: int) -> None:
    raise LoadError("duplicate row: an earlier row has the same responder, exploitation type, "
                    "age, gender and nationality; remove one of them", shown, line)


def _put(index: dict, key: tuple, value: int | None, shown: str, line: int) -> None:
    if key in index:
        _duplicate(shown, line)
    index[key] = value


def _add_to(cells: dict, key, value: int | None, shown: str, line: int) -> None:
    """A gender cell, keyed by gender as published or (age band, gender)."""
    if key in cells:
        _duplicate(shown, line)
    cells[key] = value


def _gender_props(cells: dict, props: dict, prefix: str = "") -> None:
    """Gender cells as properties; "Other" and "Not Recorded" both make
    ``gender_other`` (the schema's "other, not specified or unknown")."""
    for key, v in cells.items():
        band, gender = key if isinstance(key, tuple) else (prefix, key)
        name = f"{band}_{GENDERS[gender]}" if band else GENDERS[gender]
        if v is None or (name in props and props[name] is None):
            props[name] = None
        else:
            props[name] = props.get(name, 0) + v


def _responders(ctx, first_line: dict[str, int], shown: str,
                unresolved: list[tuple[str, str, str]]) -> dict[str, str | None]:
    """Responder name -> organisation id, None (reported) when unknown.

    The context keeps its resolver while no entity is added, so the many
    tables of a folder share one.
    """
    resolver = ctx.resolver()
    ids = {name: resolver.resolve(name, "Organisation") for name in first_line}
    for name, rid in ids.items():
        if rid is None:
            unresolved.append((name, "first responder",
                               provenance(LOADER, shown, first_line[name])))
    return ids


def read_referrals(source: Source, ctx) -> list[Record]:
    """Read, check against its own totals and reconcile one referral table: its
    rows as one :class:`EdgeRows` of REFERRED, its unresolved names and notes."""
    path = Path(source.name)
    shown = source.name
    year, quarter = period_of(path, ctx.options, shown)
    parsed = parse_referrals(source.path, shown, ctx.progress)
    notes: list[str] = []
    if note := period_note(path, ctx.options, (year, quarter)):
        notes.append(note)
    unresolved: list[tuple[str, str, str]] = []

    # Responders through the graph's resolver; unknown ones are reported, not loaded.
    responder_ids = _responders(ctx, parsed.first_line, shown, unresolved)

    # Nationalities to country ids; unresolvable values are counted, unknown ones reported.
    demonyms = nationality.default_resolver()
    countries: dict[str, tuple[str, ...] | None] = {}
    for nat, line in parsed.nat_lines.items():
        try:
            codes = demonyms.resolve(nat)
        except LoadError:
            unresolved.append((nat, "nationality", provenance(LOADER, shown, line)))
            countries[nat] = None
            continue
        ids = tuple(f"country-{c.lower()}" for c in codes)
        if any(ctx.entity(i) is None for i in ids):
            unresolved.append((nat, "nationality", provenance(LOADER, shown, line)))
            countries[nat] = None
        else:
            countries[nat] = ids

    edges: list[tuple[str, str, dict, str]] = []     # REFERRED: (responder, country, props, source)
    left_out: list[Node] = []                        # Unattributed: people no REFERRED holds
    unresolvable: dict[str, int] = defaultdict(int)
    unknown_people = linked = 0
    dual = set()
    for (resp, expl, nat), cell in parsed.detail.items():
        people = cell.people
        if not people:          # zero or suppressed: no relationship
            continue
        rid = responder_ids.get(resp)
        ids = countries.get(nat)
        if rid is None or ids is None:
            unknown_people += people
            left_out.append(unattributed_node(year, quarter, resp, parsed.types[resp], expl, nat,
                                          people, rid, ids, provenance(LOADER, shown, cell.line)))
            continue
        if not ids:
            unresolvable[nat] += people
            left_out.append(unattributed_node(year, quarter, resp, parsed.types[resp], expl, nat,
                                          people, rid, ids, provenance(LOADER, shown, cell.line)))
            continue
        props = {"year": year, "quarter": quarter, "exploitation": expl, "nationality": nat,
                 "people": people}
        props.update(cell.bands)
        if cell.genders:
            _gender_props(cell.genders, props)
        if cell.cells:
            _gender_props(cell.cells, props)
        linked += people
        if len(ids) > 1:
            dual.add(nat)
        src = provenance(LOADER, shown, cell.line)
        for cid in ids:
            edges.append((rid, cid, props, src))

    checks = reconcile(parsed)
    types = sorted(set(parsed.types.values()))
    resolved = sum(1 for r in responder_ids.values() if r)
    notes.append(f"{', '.join(types) or 'no responders'}, {year} Q{quarter}: "
                 f"{resolved} of {len(responder_ids)} first responders resolved; "
                 f"{len(edges)} REFERRED relationships for {linked} people")
    notes.extend(checks)
    if dual:
        notes.append(f"{len(dual)} dual nationalities linked to each of their countries "
                     f"(e.g. {sorted(dual)[0]!r})")
    if unresolvable:
        listed = ", ".join(f"{k!r} ({v} people)" for k, v in sorted(unresolvable.items()))
        notes.append(f"nationality not a country, no relationship: {listed}")
    if unknown_people:
        notes.append(f"{unknown_people} people under unresolved names not loaded "
                     f"(listed under unresolved names)")
    if left_out:
        n = sum(node.props["people"] for node in left_out)
        notes.append(f"{n} {'person' if n == 1 else 'people'} in {len(left_out)} published "
                     f"cell{'' if len(left_out) == 1 else 's'} in no relationship, each "
                     f"recorded as Unattributed with the reason (htkg query unattributed)")
    if parsed.suppressed:
        notes.append(f"{parsed.suppressed} suppressed cells ([c]/[x]): no count loaded; totals "
                     f"over them not reconciled")
    strange = sorted({x for _, x, _ in parsed.detail if exploitation_name(x) != x})
    if strange:
        notes.append(f"exploitation types htkg does not know, which -p exploitation= cannot "
                     f"name: {', '.join(map(repr, strange))} (add them to PUBLISHED in "
                     f"loaders/nrm/exploitation.py)")
    if not any(c.genders for c in parsed.detail.values()) and any(
            c.cells for c in parsed.detail.values()):
        notes.append("gender is published within age bands only: kept as adult_female, "
                     "child_male...; female/male/gender_other not set")

    return [RowsRead(parsed.rows), *(Unresolved(*u) for u in unresolved),
            EdgeRows("REFERRED", edges), *left_out, *(Note(n) for n in notes)]


def unattributed_node(year: int, quarter: int, responder: str, responder_type: str,
                  exploitation: str, nationality: str, people: int, responder_id: str | None,
                  countries: tuple[str, ...] | None, source: str) -> Node:
    """The people of one published cell that no REFERRED holds, and why.

    Its id comes from the cell (quarter, responder, exploitation type and nationality as
    published), so the same cell loaded twice is one node, as its REFERRED would be.

    >>> n = unattributed_node(2023, 4, "Police Scotland", "Police", "Labour", "Unknown", 2,
    ...                   "police-scotland", (), "t.csv:9 (nrm)")
    >>> n.id, n.props["reason"], n.props["name"]
    ('unattributed-2023q4-police-scotland-f039595d', 'nationality_unknown', 'Not attributed, 2023 Q4: Police Scotland, Labour, Unknown')
    """
    reason = ("responder_unresolved" if responder_id is None else
              "nationality_unresolved" if countries is None else "nationality_unknown")
    key = f"{year}|{quarter}|{responder}|{exploitation}|{nationality}"
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]
    slug = slugify(responder)[:40].strip("-")
    props = {"name": f"Not attributed, {year} Q{quarter}: {responder}, {exploitation}, "
                     f"{nationality}",
             "year": year, "quarter": quarter, "exploitation": exploitation,
             "nationality": nationality, "responder": responder,
             "responder_type": responder_type, "responder_id": responder_id,
             "countries": list(countries) if countries else None, "reason": reason,
             "people": people}
    return Node("Unattributed", "-".join(p for p in ("unattributed", f"{year}q{quarter}", slug,
                                                      digest) if p), props, source)
