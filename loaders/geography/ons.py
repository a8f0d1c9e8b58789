"""The ONS lookups: police force areas, districts to countries, districts to force areas.

* ``pfa19_names_codes_uk.csv`` (``PFA19CD,PFA19NM``): every police force area,
  an ``Area`` (``kind: police_force_area``) in the nation its GSS code's first
  letter names, ``PART_OF`` that nation, and ``SERVES`` from the police force
  whose name it is ("Kent" is Kent Police's; "Scotland" Police Scotland's).
  The force's ``nation`` comes from here. Rows ONS left without a name (the
  placeholders of the Channel Islands and the Isle of Man) are skipped, saying so.
* ``lad19_country19_uk.csv`` (``LAD19CD,LAD19NM,CTRY19CD,CTRY19NM``): every
  local authority district, an ``Area`` (``kind: local_authority_district``)
  ``PART_OF`` its nation. Where a nation is one police force area (Scotland,
  Northern Ireland), its districts are ``PART_OF`` that area too.
* ``lad19_csp19_pfa19_england_wales.csv`` (``LAD19CD,LAD19NM,...,PFA19CD,PFA19NM``):
  each district of England and Wales ``PART_OF`` its police force area.
  Community safety partnerships are not loaded.

Any year's columns are read (``LAD23CD`` as well as ``LAD19CD``).
"""
from __future__ import annotations

from htkg.errors import LoadError
from htkg.graph.model import Unresolved
from htkg.graph.records import Edge, Node, provenance
from htkg.loaders.base import Note, Record, RowsRead, Source
from htkg.loaders.geography.format import (GSS_NATIONS, LAD_COUNTRY, LAD_PFA, LOADER, ONS_NEEDS,
                                           PFA_NAMES, PLACEHOLDER, area_id, gss_code,
                                           missing_columns, nation_of, ons_columns, pfa_name,
                                           read_table)

PFA = "police_force_area"
LAD = "local_authority_district"
#: How a police force is named after its area, tried in turn ("Kent" -> "Kent Police").
FORCE_NAMES = ("{}", "{} Police", "{} Constabulary", "{} Police Service", "Police {}",
               "Police Service of {}")


def read(source: Source, ctx, kind: str) -> list[Record]:
    shown = source.name
    table = read_table(source, shown)
    cols = ons_columns(table.header)
    needed = [f"{t}nnCD and {t}nnNM" for t in ONS_NEEDS[kind]
              if not {"CD", "NM"} <= set(cols.get(t, {}))]
    if needed:
        raise missing_columns(table.header, needed,
                              f"this ONS lookup ({kind}) needs them (nn is the year, as in "
                              f"LAD19CD)", shown)
    reader = _ForceAreas(ctx, shown)
    if kind == PFA_NAMES:
        return reader.pfa_names(table, cols)
    if kind == LAD_COUNTRY:
        return reader.districts_to_countries(table, cols)
    return reader.districts_to_force_areas(table, cols)


class _ForceAreas:
    """One file's records, with the police force areas it names made once each."""

    def __init__(self, ctx, shown: str) -> None:
        self.ctx, self.shown = ctx, shown
        self.out: list[Record] = []
        self.areas: dict[str, str] = {}         # PFA code or name -> area id
        self.forces: dict[str, str] = {}        # area id -> force id
        self.unresolved: list[str] = []

    def _src(self, line: int) -> str:
        return provenance(LOADER, self.shown, line)

    def _nation(self, name: str, line: int) -> tuple[str, str] | None:
        found = nation_of(self.ctx, name)
        if found is None:
            self.out.append(Unresolved(name, "UK nation", self._src(line)))
        return found

    def force_area(self, code: str, name: str, line: int) -> str:
        """The police force area (made once per file): its Area, the nation it lies in,
        and the force that serves it, with the force's nation."""
        key = code if not PLACEHOLDER.match(code) else name
        if key in self.areas:
            return self.areas[key]
        gss = None if PLACEHOLDER.match(code) else code
        aid = area_id(gss, PFA, name)
        src = self._src(line)
        nation = GSS_NATIONS.get(code[0]) and self._nation(GSS_NATIONS[code[0]], line)
        props = {"name": pfa_name(name), "kind": PFA, "gss": gss,
                 "nation": [nation[1]] if nation else None}
        self.out.append(Node("Area", aid, props, src))
        if nation:
            self.out.append(Edge("PART_OF", aid, nation[0], {}, src))
        self.areas[key] = aid
        force = self._force(name)
        if force is None:
            self.out.append(Unresolved(name, "police force of a police force area", src))
            self.unresolved.append(name)
        else:
            self.forces[aid] = force
            self.out.append(Edge("SERVES", force, aid, {}, src))
            if nation:
                self._force_nation(force, nation[1], src)
        return aid

    def _force(self, area: str) -> str | None:
        """The police force named after an area. ONS writes some names inverted
        ("London, City of"): the plain order is tried too."""
        resolver = self.ctx.resolver()
        head, comma, tail = area.partition(", ")
        names = [area, f"{tail} {head}"] if comma else [area]
        for name in names:
            for pattern in FORCE_NAMES:
                for oid in resolver.resolve_all(pattern.format(name), "Organisation"):
                    found = self.ctx.entity(oid)
                    if found and found[1].get("kind") == "police_force":
                        return oid
        return None

    def _force_nation(self, force: str, nation: str, src: str) -> None:
        had = self.ctx.entity(force)[1].get("nation") or []
        if had and had != [nation]:
            name = self.ctx.entity(force)[1].get("name", force)
            self.out.append(Note(f"{name}: nation {', '.join(had)} as given elsewhere, "
                                 f"{nation} from its police force area here; both kept"))
        self.out.append(Node("Organisation", force, {"nation": [nation]}, src))

    def _summary(self, rows: int, what: str) -> None:
        self.out.insert(0, RowsRead(rows))
        forces = len(set(self.forces.values()))
        self.out.append(Note(f"{what}; {len(self.areas)} police force areas, {forces} served by "
                             f"a police force of the graph"
                             + (f"; no force found for {', '.join(self.unresolved)}"
                                if self.unresolved else "")))

    # -- the three files ---------------------------------------------------------------
    def pfa_names(self, table, cols) -> list[Record]:
        code_at, name_at = cols["PFA"]["CD"], cols["PFA"]["NM"]
        seen: dict[str, int] = {}
        rows = skipped = 0
        for line, cells in table.rows():
            rows += 1
            raw_code, name = cells[code_at], " ".join(cells[name_at].split())
            if not name and PLACEHOLDER.match(raw_code.strip().upper()):
                skipped += 1
                continue
            code = gss_code(raw_code, table.header[code_at], self.shown, line)
            if not name:
                raise LoadError(f"police force area {code} has no name; fix the row",
                                self.shown, line)
            key = code if not PLACEHOLDER.match(code) else name
            if key in seen:
                raise LoadError(f"duplicate row for {key} (first at line {seen[key]}); remove "
                                f"one of them", self.shown, line)
            seen[key] = line
            self.force_area(code, name, line)
        if not rows:
            raise LoadError("the table has a header but no rows: download it again", self.shown, 2)
        self._summary(rows, "police force areas")
        if skipped:
            self.out.append(Note(f"{skipped} rows without a name (ONS placeholders) skipped"))
        return self.out

    def _district(self, cells, cols, line: int, seen: dict[str, tuple[int, str]],
                  repeats: bool = False) -> tuple[str, str]:
        """A district's code and name; a district named twice is refused, or, where a
        district may have several rows (one per community safety partnership),
        named differently."""
        code_at, name_at = cols["LAD"]["CD"], cols["LAD"]["NM"]
        code = gss_code(cells[code_at], "LAD code", self.shown, line)
        name = " ".join(cells[name_at].split())
        if not name:
            raise LoadError(f"district {code} has no name; fix the row", self.shown, line)
        if code in seen and (not repeats or seen[code][1] != name):
            first, was = seen[code]
            why = "" if not repeats else f" as {was!r}"
            raise LoadError(f"district {code} is named at line {first}{why} already; "
                            f"remove or correct one of the rows", self.shown, line)
        seen.setdefault(code, (line, name))
        return code, name

    def districts_to_countries(self, table, cols) -> list[Record]:
        seen: dict[str, tuple[int, str]] = {}
        ctry_at = cols["CTRY"]["NM"]
        nations: dict[str, int] = {}
        whole: dict[str, str | None] = {}       # nation name -> the force area that is all of it
        for line, cells in table.rows():
            code, name = self._district(cells, cols, line, seen)
            country = " ".join(cells[ctry_at].split())
            if not country:
                raise LoadError(f"district {code} has no country; fix the row", self.shown, line)
            src = self._src(line)
            nation = self._nation(country, line)
            aid = area_id(code, LAD, name)
            self.out.append(Node("Area", aid, {"name": name, "kind": LAD, "gss": code,
                                               "nation": [nation[1]] if nation else None}, src))
            if nation is None:
                continue
            nations[country] = nations.get(country, 0) + 1
            self.out.append(Edge("PART_OF", aid, nation[0], {}, src))
            if country not in whole:
                whole[country] = self._nation_wide_area(country)
            if whole[country]:
                self.out.append(Edge("PART_OF", aid, whole[country], {}, src))
        if not seen:
            raise LoadError("the table has a header but no rows: download it again", self.shown, 2)
        self.out.insert(0, RowsRead(len(seen)))
        self.out.append(Note(f"{len(seen)} local authority districts: "
                             + ", ".join(f"{n} {k}" for k, n in nations.items())))
        for country, aid in whole.items():
            if aid:
                self.out.append(Note(f"{country} is one police force area: its districts lie "
                                     f"in {self.ctx.entity(aid)[1]['name']}"))
        return self.out

    def _nation_wide_area(self, nation: str) -> str | None:
        """The police force area loaded before that covers the whole nation (ONS names
        Scotland's and Northern Ireland's after the nation), if any."""
        aid = self.ctx.resolver().resolve(pfa_name(nation), "Area")
        found = aid and self.ctx.entity(aid)
        return aid if found and found[1].get("kind") == PFA else None

    def districts_to_force_areas(self, table, cols) -> list[Record]:
        seen: dict[str, tuple[int, str]] = {}
        linked: set[tuple[str, str]] = set()
        pfa_code_at, pfa_name_at = cols["PFA"]["CD"], cols["PFA"]["NM"]
        rows = 0
        for line, cells in table.rows():
            rows += 1
            code, name = self._district(cells, cols, line, seen, repeats=True)
            pfa = gss_code(cells[pfa_code_at], table.header[pfa_code_at], self.shown, line)
            pname = " ".join(cells[pfa_name_at].split())
            if not pname:
                raise LoadError(f"police force area {pfa} has no name; fix the row",
                                self.shown, line)
            src = self._src(line)
            area = self.force_area(pfa, pname, line)
            aid = area_id(code, LAD, name)
            if (aid, area) in linked:       # another community safety partnership's row
                continue
            linked.add((aid, area))
            self.out.append(Node("Area", aid, {"name": name, "kind": LAD, "gss": code}, src))
            self.out.append(Edge("PART_OF", aid, area, {}, src))
        if not seen:
            raise LoadError("the table has a header but no rows: download it again", self.shown, 2)
        self._summary(rows, f"{len(seen)} districts in their police force areas")
        return self.out
