"""mySociety's list of UK councils, past and present.

``uk_local_authorities_mysociety.csv`` (mySociety's ``uk_la_future``): one row
per council, with its GSS code, dates, nation, region, the codes of the
councils that replaced it, its former GSS codes and other names. Each council
becomes an ``Organisation`` (``kind: local_authority``) with ``nation`` (from
the registry's nations, by the name the file gives), ``region``, ``gss``,
``founded`` and ``dissolved``; its other names that say what it is ("Aberdeen
City", "Kent County Council": never a bare "Hart" or "Eden", which are also
surnames and rivers) and its GSS codes, former ones included, are aliases, so
a council merged since 2019 is still found by its old name or code. Then:

* ``SUCCEEDED_BY`` to each council that replaced it (``date``: its end date);
* ``SERVES`` each local authority district (loaded before, from the ONS
  lookups) that it governs or governed: its own code or a former code; for a
  council created since 2019 from whole districts (Cumberland), the districts
  of the councils it replaced; for a county council, the districts of the
  councils in its county; for a combined authority (and the Greater London
  Authority), the districts of its member councils.

A council that closed before the 2019 boundaries (Christchurch) governs no
district of them: it is reached through its successor. A council already in
the graph under its official name is the same body: the facts are added to it.
An other name of a council that already names another body is left out (and
listed in the notes), so no name comes to mean two things.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from htkg.errors import LoadError
from htkg.graph.model import Unresolved
from htkg.graph.records import Edge, Node, provenance, slugify
from htkg.graph.resolver import normalise
from htkg.loaders.base import Note, Record, RowsRead, Source
from htkg.loaders.geography.format import (COUNCIL_NEEDS, COUNCIL_OPTIONAL, LOADER, area_id,
                                           gss_code, missing_columns, nation_of, read_table)
from htkg.loaders.geography.ons import LAD

#: Words that make a name a council's: a council's other name is kept only with one of
#: them ("Aberdeen City", "Kent County Council"), never bare ("Hart", "Eden", "Derby"), which
#: would also be a surname, a river or a town in the minutes.
COUNCIL_WORDS = frozenset({"council", "borough", "city", "county", "district", "corporation",
                           "authority", "comhairle", "cyngor", "combined", "parish"})
#: Council types that govern districts of their own (used when the file has no
#: ``lower-or-unitary`` column).
_LOWER = {"NMD", "UA", "MD", "LBO", "SCO", "NID", "WPA", "CC"}
_COUNTY = "CTY"


@dataclass
class _Council:
    line: int
    code: str
    name: str
    gss: str | None
    start: str | None
    end: str | None
    replaced_by: list[str]
    nation: str
    region: str
    type: str
    aliases: list[str]
    former: list[str]
    county: str
    combined: str
    lower: bool
    id: str = ""
    districts: list[str] = field(default_factory=list)


def _date(value: str, column: str, shown: str, line: int) -> str | None:
    if not value:
        return None
    try:
        return _dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise LoadError(f"{column!r} is not a date (YYYY-MM-DD): {value!r}; fix the row",
                        shown, line) from None


def _codes(value: str) -> list[str]:
    return [c.strip() for c in value.split(",") if c.strip()]


def _parse(source: Source, shown: str) -> list[_Council]:
    table = read_table(source, shown)
    header = table.header
    missing = [c for c in COUNCIL_NEEDS if c not in header]
    if missing:
        raise missing_columns(header, missing, "mySociety's list of councils "
                              "(uk_local_authorities) has them", shown)
    at = {c: header.index(c) for c in (*COUNCIL_NEEDS, *COUNCIL_OPTIONAL) if c in header}

    councils: list[_Council] = []
    seen: dict[str, int] = {}
    for line, cells in table.rows():
        def get(column: str) -> str:
            return " ".join(cells[at[column]].split()) if column in at else ""
        code = get("local-authority-code")
        name = get("official-name")
        if not code or not name:
            raise LoadError("every council has a 'local-authority-code' and an 'official-name'; "
                            "fix the row", shown, line)
        if code in seen:
            raise LoadError(f"duplicate row for council {code} (first at line {seen[code]}); "
                            f"remove one of them", shown, line)
        seen[code] = line
        gss = get("gss-code")
        lower = get("lower-or-unitary")
        councils.append(_Council(
            line=line, code=code, name=name,
            gss=gss_code(gss, "gss-code", shown, line) if gss else None,
            start=_date(get("start-date"), "start-date", shown, line),
            end=_date(get("end-date"), "end-date", shown, line),
            replaced_by=_codes(get("replaced-by")), nation=get("nation"), region=get("region"),
            type=get("local-authority-type"),
            aliases=[get("nice-name"), *(" ".join(a.split()) for a in cells[at["alt-names"]]
                                         .split(","))] if "alt-names" in at else [get("nice-name")],
            former=[gss_code(c, "former-gss-codes", shown, line)
                    for c in _codes(get("former-gss-codes"))],
            county=get("county-la"), combined=get("combined-authority"),
            lower=(lower.casefold() == "true") if lower else get("local-authority-type") in _LOWER))
    if not councils:
        raise LoadError("the table has a header but no rows: download it again", shown, 2)
    for c in councils:
        for other in [*c.replaced_by, *filter(None, [c.county, c.combined])]:
            if other not in seen:
                raise LoadError(f"council {c.code} refers to council {other!r}, which no row of "
                                f"this file has; is the file complete?", shown, c.line)
    return councils


def read(source: Source, ctx) -> list[Record]:
    """The records of mySociety's list of councils (see the module docstring)."""
    shown = source.name
    councils = _parse(source, shown)
    by_code = {c.code: c for c in councils}
    resolver = ctx.resolver()
    out: list[Record] = [RowsRead(len(councils))]

    # Ids: a body already in the graph under the council's name is that council.
    merged, taken = [], set()
    for c in councils:
        found = resolver.resolve_all(c.name, "Organisation")
        if len(found) == 1:
            c.id = found[0]
            merged.append(c.name)
        else:
            c.id = slugify(c.name)
            if c.id in taken or ctx.entity(c.id) is not None:
                c.id = f"{c.id}-{c.code.lower()}"
        taken.add(c.id)
    ours = {c.id for c in councils}

    # Districts of the 2019 boundaries, where the loaded geography has them.
    def is_district(code: str) -> bool:
        found = ctx.entity(area_id(code, LAD, ""))
        return bool(found) and found[0] == "Area" and found[1].get("kind") == LAD

    for c in councils:
        c.districts = [area_id(g, LAD, "") for g in [c.gss, *c.former] if g and is_district(g)]
    predecessors: dict[str, list[_Council]] = {}
    for c in councils:
        for new in c.replaced_by:
            predecessors.setdefault(new, []).append(c)

    def inherited(c: _Council, depth: int = 0) -> list[str]:
        if c.districts or depth > 5:
            return c.districts
        return [d for p in predecessors.get(c.code, []) if p.lower for d in inherited(p, depth + 1)]

    for c in councils:
        if not c.districts and c.lower:
            c.districts = inherited(c)
    for c in councils:
        if not c.districts and not c.lower:
            members = [m for m in councils if m.lower and c.code in (m.county, m.combined)]
            c.districts = list(dict.fromkeys(d for m in members for d in m.districts))

    dropped: list[str] = []
    bare = 0
    unknown_nations: dict[str, int] = {}
    for c in councils:
        src = provenance(LOADER, shown, c.line)
        nation = nation_of(ctx, c.nation) if c.nation else None
        if c.nation and nation is None:
            unknown_nations.setdefault(c.nation, c.line)
        aliases, keys = [], {normalise(c.name)}
        codes = [*filter(None, [c.gss]), *c.former]
        for alias in [*c.aliases, *codes]:
            key = normalise(alias)
            if not key or key in keys:
                continue
            keys.add(key)
            if alias not in codes and not COUNCIL_WORDS & set(key.split()):
                bare += 1
                continue
            others = [i for i in resolver.resolve_all(alias)
                      if i not in ours and resolver.label(i) != "Area"]
            if others:
                dropped.append(f"{alias!r} ({resolver.name(others[0])})")
                continue
            aliases.append(alias)
        props = {"name": c.name, "kind": "local_authority", "aliases": aliases,
                 "nation": [nation[1]] if nation else None, "region": c.region or None,
                 "gss": c.gss, "founded": c.start, "dissolved": c.end}
        out.append(Node("Organisation", c.id, props, src))
    for c in councils:
        src = provenance(LOADER, shown, c.line)
        for new in c.replaced_by:
            out.append(Edge("SUCCEEDED_BY", c.id, by_code[new].id,
                            {"date": c.end} if c.end else {}, src))
        for district in c.districts:
            out.append(Edge("SERVES", c.id, district, {}, src))
    for name, line in unknown_nations.items():
        out.append(Unresolved(name, "UK nation", provenance(LOADER, shown, line)))

    current = sum(1 for c in councils if not c.end)
    served = sum(1 for c in councils if c.districts)
    out.append(Note(f"{len(councils)} councils ({current} current), {served} governing districts "
                    f"of the loaded geography"))
    if not any(c.districts for c in councils):
        out.append(Note("no local authority district of the official geography is loaded: "
                        "load the ONS lookups too, to link councils to their districts"))
    closed = [c.name for c in councils if not c.districts and c.lower]
    if closed and served:
        out.append(Note(f"{len(closed)} councils govern no district of the loaded geography "
                        f"(closed before its boundaries); they are reached through their "
                        f"successors (e.g. {closed[0]})"))
    if merged:
        out.append(Note(f"{len(merged)} councils already in the graph, facts added to them: "
                        f"{', '.join(merged[:5])}{' ...' if len(merged) > 5 else ''}"))
    if bare:
        out.append(Note(f"{bare} short names without a word such as 'Council' or 'Borough' "
                        f"not used as names (a bare 'Hart' or 'Eden' is also a surname or a "
                        f"river): each council is found by its official name, its other names "
                        f"that say what it is, and its GSS codes"))
    if dropped:
        out.append(Note(f"{len(dropped)} other names left out, as they name another body: "
                        f"{', '.join(dropped[:5])}{' ...' if len(dropped) > 5 else ''}"))
    return out
