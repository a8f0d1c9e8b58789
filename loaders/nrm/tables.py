"""NRM longitudinal and Duty to Notify tables, as figures on the nodes they describe.

Three tables, none of which names a body:

* ``nrm_duty_to_notify_<year>_q<n>.csv`` (``Nationality,Total``): Duty to
  Notify reports of one quarter by nationality. Each country gets an entry
  in its ``duty_to_notify`` list: ``"2023Q4: 105"`` for the nationality
  alone ("Albanian"), ``"2023Q4 Albanian Greek: 1"`` for every other
  published value that includes it (a dual nationality, "Albanian Unknown"),
  so each published row is one entry and none is counted twice for a
  country. The "Total" row is reconciled against the sum of the rows.
* ``nrm_duty_to_notify_longitudinal.csv`` (``Year,Quarter,Total``): the
  national series, on the National Referral Mechanism initiative
  (``initiative-nrm``): ``duty_to_notify`` (``"2023Q4: 1044"``) and
  ``duty_to_notify_by_year`` (the published yearly "Total" rows,
  ``"2023: 4929"``), each year reconciled against its quarters.
* ``nrm_referrals_longitudinal.csv`` (``Year,Quarter,Age at
  exploitation,Location of exploitation,NRM referrals``): all referrals to
  the NRM since 2009, on ``initiative-nrm``: ``referrals_by_quarter``
  (``"2023Q4: 4758"``), and for complete years ``referrals_by_year``,
  ``referrals_by_age`` (``"2023 child: 7432"``) and ``referrals_by_location``
  (``"2023 overseas: 2100"``). The location column says only UK, Overseas,
  UK and Overseas or not known: no UK nation and no other country, so these
  figures belong to the NRM, not to a Country.

Every entry is ``"<key>: <N>"``; loading a table again replaces the entries
with the same key (a revised publication wins) and keeps the others.
"""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from htkg.errors import LoadError
from htkg.graph.model import Unresolved
from htkg.graph.records import Node, provenance
from htkg.loaders import nationality
from htkg.loaders.base import Note, Record, RowsRead, Source
from htkg.loaders.nrm.format import (AGE_BANDS, DUTY_TO_NOTIFY, DUTY_TO_NOTIFY_LONGITUDINAL,
                                     LOADER, LONGITUDINAL, _label, clean_name, count,
                                     iter_rows, period_note, period_of, read_rows)

NRM_INITIATIVE = "National Referral Mechanism"
#: Location of exploitation as published -> the word used in entries.
LOCATIONS = {"UK": "UK", "Overseas": "overseas", "UK and Overseas": "UK and overseas",
             "Not specified or unknown": "location unknown"}
AGE_WORDS = {"adult": "adult", "child": "child", "age_unknown": "age unknown"}
_QUARTER = re.compile(r"^\s*Q([1-4])\s*$", re.IGNORECASE)


def read(source: Source, ctx, kind: str) -> list[Record]:
    """The records of one longitudinal or Duty to Notify table (see the module docstring)."""
    if kind == DUTY_TO_NOTIFY:
        return read_duty_to_notify(source, ctx)
    if kind == DUTY_TO_NOTIFY_LONGITUDINAL:
        return read_duty_to_notify_longitudinal(source, ctx)
    if kind == LONGITUDINAL:
        return read_longitudinal(source, ctx)
    raise LoadError(f"not an NRM table this loader reads ({kind})", source.name)


# -- entries "<key>: <N>" --------------------------------------------------------
def merge_entries(existing: list[str] | None, new: dict[str, int]) -> tuple[list[str], list[str]]:
    """Entries of ``existing`` updated by ``new`` (key -> N), sorted by key;
    and the keys whose published value changed.

    >>> merge_entries(["2023Q3: 4", "2023Q4: 5"], {"2023Q4": 6})
    (['2023Q3: 4', '2023Q4: 6'], ['2023Q4'])
    """
    merged: dict[str, str] = {}
    for entry in existing or []:
        key, _, value = entry.rpartition(": ")
        merged[key] = value
    revised = [k for k, v in new.items() if k in merged and merged[k] != str(v)]
    merged.update((k, str(v)) for k, v in new.items())
    return [f"{k}: {merged[k]}" for k in sorted(merged)], revised


def _year(value: str, shown: str, line: int) -> int:
    v = value.strip()
    if not (v.isdigit() and len(v) == 4):
        raise LoadError(f"'Year' is not a year: {value!r}; fix the row", shown, line)
    return int(v)


def _quarter(value: str, shown: str, line: int) -> int | None:
    """1-4, or None for the year's "Total" row."""
    if clean_name(value).casefold() == "total":
        return None
    m = _QUARTER.match(value)
    if not m:
        raise LoadError(f"'Quarter' is not Q1-Q4 or Total: {value!r}; fix the row", shown, line)
    return int(m[1])


def _nrm_initiative(ctx, shown: str, out: list[Record]) -> str | None:
    nrm = ctx.resolver().resolve(NRM_INITIATIVE, "Initiative")
    if nrm is None:
        out.append(Unresolved(NRM_INITIATIVE, "initiative", provenance(LOADER, shown)))
        out.append(Note("the National Referral Mechanism is not in the graph (build with the "
                        "bundled registry): nothing loaded from this table"))
    return nrm


def _set_lists(ctx, label: str, node_id: str, lists: dict[str, dict[str, int]], source: str,
               out: list[Record]) -> None:
    """Merge entry lists into a node's properties (one record for the node)."""
    props = ctx.entity(node_id)[1]
    update = {}
    for prop, new in lists.items():
        if not new:
            continue
        update[prop], revised = merge_entries(props.get(prop), new)
        if revised:
            out.append(Note(f"{node_id}.{prop}: replaced earlier figures for "
                            f"{', '.join(revised[:5])}{' ...' if len(revised) > 5 else ''}"))
    if update:
        out.append(Node(label, node_id, update, source))


def _reconciled(differences: list[str], checked: int, what: str) -> str:
    if differences:
        more = f" and {len(differences) - 5} more" if len(differences) > 5 else ""
        return (f"reconciled {what} against published totals ({checked}): "
                f"{len(differences)} differ: {'; '.join(differences[:5])}{more}")
    return f"reconciled {what} against published totals ({checked}): all equal"


# -- duty to notify by nationality ------------------------------------------------
def read_duty_to_notify(source: Source, ctx) -> list[Record]:
    """One quarter's Duty to Notify reports by nationality, onto Country nodes."""
    shown = source.name
    named = Path(source.name)
    year, quarter = period_of(named, ctx.options, shown)
    period = f"{year}Q{quarter}"
    table = read_rows(source.path, DUTY_TO_NOTIFY, shown)
    rows: list[tuple[int, str, int | None]] = []
    seen: set[str] = set()
    published = None
    for line, (nat, total) in iter_rows(table, shown):
        nat = clean_name(nat)
        value = count(total, "Total", shown, line)
        if not nat:
            raise LoadError("empty 'Nationality': every row names a nationality (or 'Total')",
                            shown, line)
        if nat in seen:
            raise LoadError(f"duplicate row for {nat!r}: remove one of them", shown, line)
        seen.add(nat)
        if nat.casefold() == "total":
            published = value
        else:
            rows.append((line, nat, value))
    if not rows:
        raise LoadError("the table has a header but no rows: the file looks truncated; "
                        "download it again", shown, 2)

    demonyms = nationality.default_resolver()
    out: list[Record] = [RowsRead(len(rows) + (published is not None))]
    if note := period_note(named, ctx.options, (year, quarter)):
        out.append(Note(note))
    per_country: dict[str, dict[str, int]] = defaultdict(dict)
    first_line: dict[str, int] = {}
    unresolvable: dict[str, int] = {}
    suppressed = 0
    for line, nat, value in rows:
        if value is None:
            suppressed += 1
            continue
        if value == 0:
            continue
        try:
            codes = demonyms.resolve(nat)
        except LoadError:
            out.append(Unresolved(nat, "nationality", provenance(LOADER, shown, line)))
            continue
        ids = [f"country-{c.lower()}" for c in codes]
        if not ids:
            unresolvable[nat] = value
            continue
        if any(ctx.entity(i) is None for i in ids):
            out.append(Unresolved(nat, "nationality", provenance(LOADER, shown, line)))
            continue
        key = period if demonyms.country_code(nat) else f"{period} {nat}"
        for cid in ids:
            per_country[cid][key] = value
            first_line.setdefault(cid, line)

    values = [v for _, _, v in rows]
    out.append(Note(f"Duty to Notify {year} Q{quarter}: {len(rows)} nationalities, "
                    f"entries on {len(per_country)} countries"))
    if published is not None and None not in values:
        diff = [] if sum(values) == published else [f"sum {sum(values)}, published {published}"]
        out.append(Note(_reconciled(diff, 1, "the nationalities")))
    if unresolvable:
        listed = ", ".join(f"{k!r} ({v} reports)" for k, v in sorted(unresolvable.items()))
        out.append(Note(f"nationality not a country, not loaded: {listed}"))
    if suppressed:
        out.append(Note(f"{suppressed} suppressed cells ([c]/[x]): not loaded"))
    for cid, entries in per_country.items():
        _set_lists(ctx, "Country", cid, {"duty_to_notify": entries},
                   provenance(LOADER, shown, first_line[cid]), out)
    return out


# -- duty to notify, national series ---------------------------------------------
def read_duty_to_notify_longitudinal(source: Source, ctx) -> list[Record]:
    shown = source.name
    table = read_rows(source.path, DUTY_TO_NOTIFY_LONGITUDINAL, shown)
    quarters: dict[str, int] = {}
    years: dict[str, int] = {}
    sums: dict[int, list] = defaultdict(list)
    n = 0
    for line, (year, quarter, total) in iter_rows(table, shown):
        n += 1
        y, q = _year(year, shown, line), _quarter(quarter, shown, line)
        value = count(total, "Total", shown, line)
        key = f"{y}" if q is None else f"{y}Q{q}"
        if key in quarters or key in years:
            raise LoadError(f"duplicate row for {key}: remove one of them", shown, line)
        if q is None:
            years[key] = value
        else:
            quarters[key] = value
            sums[y].append(value)
    if not n:
        raise LoadError("the table has a header but no rows: download it again", shown, 2)
    out: list[Record] = [RowsRead(n)]
    diff = [f"{y}: sum of quarters {sum(sums[int(y)])}, published {v}"
            for y, v in years.items()
            if v is not None and None not in sums[int(y)] and sum(sums[int(y)]) != v]
    out.append(Note(f"Duty to Notify, all nationalities: {len(quarters)} quarters, "
                    f"{len(years)} year{'s' if len(years) != 1 else ''}"))
    out.append(Note(_reconciled(diff, len(years), "the quarters of each year")))
    nrm = _nrm_initiative(ctx, shown, out)
    if nrm:
        _set_lists(ctx, "Initiative", nrm,
                   {"duty_to_notify": {k: v for k, v in quarters.items() if v is not None},
                    "duty_to_notify_by_year": {k: v for k, v in years.items() if v is not None}},
                   provenance(LOADER, shown), out)
    return out


# -- referrals, national series --------------------------------------------------
def read_longitudinal(source: Source, ctx) -> list[Record]:
    """All NRM referrals by quarter, age and location of exploitation."""
    shown = source.name
    table = read_rows(source.path, LONGITUDINAL, shown)
    cells: dict[tuple[int, int | None, str, str | None], int | None] = {}
    ages: dict[str, str | None] = {}
    locations: dict[str, str | None] = {}
    n = 0
    for line, (year, quarter, age, location, value) in iter_rows(table, shown):
        n += 1
        y, q = _year(year, shown, line), _quarter(quarter, shown, line)
        band = _label(age, AGE_BANDS, ages, "age", shown, line)
        if band is None:
            raise LoadError("age 'Total' is not published in this table; expected "
                            f"{', '.join(map(repr, AGE_BANDS))}", shown, line)
        loc = _label(location, LOCATIONS, locations, "location of exploitation", shown, line)
        key = (y, q, AGE_BANDS[band], loc and LOCATIONS[loc])
        if key in cells:
            raise LoadError("duplicate row: an earlier row has the same year, quarter, age and "
                            "location; remove one of them", shown, line)
        cells[key] = count(value, "NRM referrals", shown, line)
    if not n:
        raise LoadError("the table has a header but no rows: download it again", shown, 2)
    out: list[Record] = [RowsRead(n)]

    # Per quarter and age band: the locations against the published "Total" location.
    by_qa: dict[tuple[int, int | None, str], dict[str | None, int | None]] = defaultdict(dict)
    for (y, q, a, loc), v in cells.items():
        by_qa[(y, q, a)][loc] = v
    diff, checked, suppressed = [], 0, 0
    totals: dict[tuple[int, int | None, str], int | None] = {}
    for (y, q, a), locs in by_qa.items():
        parts = [v for k, v in locs.items() if k is not None]
        summed = None if None in parts else sum(parts)
        published = locs[None] if None in locs else summed
        totals[(y, q, a)] = published
        if published is None:
            suppressed += 1
        elif None in locs and parts and summed is not None:
            checked += 1
            if summed != published:
                diff.append(f"{y}{f'Q{q}' if q else ''} {AGE_WORDS[a]}: sum {summed}, "
                            f"published {published}")

    quarters = sorted({(y, q) for y, q, _ in totals if q is not None})
    complete = sorted(y for y in {y for y, _ in quarters}
                      if {q for yy, q in quarters if yy == y} == {1, 2, 3, 4})
    by_quarter: dict[str, int] = {}
    for y, q in quarters:
        values = [v for (yy, qq, _), v in totals.items() if (yy, qq) == (y, q)]
        if None not in values:
            by_quarter[f"{y}Q{q}"] = sum(values)
    by_year, by_age, by_location = {}, {}, {}
    for y in complete:
        rows = {k: v for k, v in cells.items() if k[0] == y and k[1] is not None}
        if None in rows.values():
            continue
        by_year[str(y)] = sum(totals[(y, q, a)] for (yy, q, a) in totals
                              if yy == y and q is not None)
        for a, word in AGE_WORDS.items():
            by_age[f"{y} {word}"] = sum(totals.get((y, q, a), 0) or 0 for q in (1, 2, 3, 4))
        for loc in LOCATIONS.values():
            by_location[f"{y} {loc}"] = sum(v for (yy, q, a, ll), v in rows.items() if ll == loc)
    partial = sorted({y for y, _ in quarters} - set(complete))
    if quarters:
        (y0, q0), (y1, q1) = quarters[0], quarters[-1]
        out.append(Note(f"NRM referrals, all first responders: {len(quarters)} quarters "
                        f"({y0} Q{q0} to {y1} Q{q1}), {len(by_year)} complete "
                        f"year{'s' if len(by_year) != 1 else ''}"))
    if partial:
        out.append(Note(f"incomplete years {', '.join(map(str, partial))}: by quarter only, "
                        f"no yearly figures"))
    out.append(Note(_reconciled(diff, checked, "locations of exploitation")))
    if suppressed:
        out.append(Note(f"{suppressed} totals not loaded: they cover suppressed cells"))
    nrm = _nrm_initiative(ctx, shown, out)
    if nrm:
        _set_lists(ctx, "Initiative", nrm,
                   {"referrals_by_quarter": by_quarter, "referrals_by_year": by_year,
                    "referrals_by_age": by_age, "referrals_by_location": by_location},
                   provenance(LOADER, shown), out)
    return out
