"""The nation report: Scotland, Wales, Northern Ireland or England, read through the
saved queries (see docs/reports.md)."""
from __future__ import annotations

from typing import Any

from htkg.reports import figures
from htkg.reports.context import Context, caveat_nations, made_now
from htkg.reports.document import (Chart, Column, Figure, MapBlock, Report, Section, Series,
                                   Source, Table, Text)
from htkg.reports.reading import (ALL, NATION_NAMES, Period, Reader, kind_text, nation_code,
                                  nation_country_id, nations_text, ordinal, plural,
                                  quarter_words, rank_of, where_of)
from htkg.selection import Selection, read_ids

TOP = 10                 # source countries listed and charted
RESPONDERS_SHOWN = 25
COUNTRIES_DRAWN = 5      # the nation's top source countries on its map


def nation_report(store: Any, name: str, *, start: Any = None, end: Any = None,
                  with_map: bool = True) -> Report:
    """The report on one UK nation (``Scotland``, ``Welsh``, ``GB-NIR``...) from an open
    store, over the quarters from ``start`` to ``end`` (``YYYYQn``). Raises
    :class:`~htkg.errors.QueryError` for a name that is no UK nation."""
    code = nation_code(name)
    nation = NATION_NAMES[code]
    period = Period.of(start, end)
    reader = Reader(store)
    ctx = Context.of(reader, period)
    report = Report("nation", nation, nation_country_id(code), f"{nation}: nation report",
                    "Source countries, first responders, frontline bodies and actions",
                    period=ctx.period_words, data_to=ctx.data_to_words, made=made_now(),
                    built=ctx.built)
    p = {"start": ctx.start_param, "end": ctx.end_param}
    top = reader.rows("top-source-countries", nation=code, **p, limit=ALL)
    section, source = _countries(reader, ctx, nation, top, p)
    report.sections.append(section)
    report.sources.append(source)
    trend, trend_rows, _ = figures.by_quarter(reader, period, ctx.quarters, ctx.has_figures,
                                              "S2", nation=code)
    report.sections.append(Section("trend", "2. Referrals by quarter", [
        Text(f"People referred by first responders registered as working in {nation} and "
             f"not UK-wide (a dual nationality counts once for each of its countries).")]
        + trend))
    report.sources.append(Source("S2", "Referrals by quarter (section 2)", [
        reader.command("referrals-by-quarter", nation=nation, **p)],
        [f"{quarter_words(q)}: {'; '.join(files)}" for q, files in _files_by_quarter(
            trend_rows)]))
    table, responders = figures.responders(reader, period, "S3", RESPONDERS_SHOWN, nation=code)
    report.sections.append(Section("responders", "3. First responders and their referrals",
                                   [table]))
    report.sources.append(Source("S3", "First responders (section 3)", [
        reader.command("responders", nation=nation, **p, limit=ALL)] + [
        reader.command("referrals", responder=r["responder"], limit=ALL)
        for r in responders[:RESPONDERS_SHOWN]],
        ["the NRM files listed under S2; the second and later commands list each "
         "responder's figures line by line"]))
    bodies = reader.rows("organisations", nation=code)
    section, source = _frontline(reader, nation, code, bodies)
    report.sections.append(section)
    report.sources.append(source)
    section, source, actions = _actions(reader, nation, code, bodies)
    report.sections.append(section)
    report.sources.append(source)
    if with_map:
        report.sections.append(Section("map", "6. Network map", [
            _map(reader, nation, code, bodies, top, actions)]))
    total = sum(r["people"] for r in responders)
    report.figures = [
        Figure("period", f"{total:,}", f"people referred by {nation}'s first responders, "
               f"{ctx.period_words}", total, "a dual nationality counts for each country", "S3"),
        Figure("responders", f"{len(responders):,}", f"first responders registered in "
               f"{nation} referred people", len(responders), "not UK-wide bodies", "S3"),
        Figure("top", top[0]["country"] if top else "none", "the top source country of its "
               "first responders", top[0]["people"] if top else None,
               f"{top[0]['people']:,} people" if top else "no referrals", "S1"),
        Figure("frontline", f"{sum(1 for b in bodies if b['frontline_contact']):,}",
               f"frontline organisations working in {nation}",
               sum(1 for b in bodies if b["frontline_contact"]), "UK-wide ones included", "S4"),
    ]
    report.summary = [
        f"Over {ctx.period_words}, {plural(len(responders), 'first responder')} registered "
        f"as working in {nation} (and not across the UK) referred "
        f"{plural(total, 'person', 'people')} to the National Referral Mechanism"
        + (f"; the most came from {top[0]['country']} ({top[0]['people']:,})." if top
           else "."),
        f"This is a partial view: the NRM tables do not say where in the UK a referral was "
        f"made, so referrals by UK-wide bodies are in no nation's figures (see the caveat in "
        f"section 1).",
    ]
    report.caveats = ctx.caveats()
    report.sources.sort(key=lambda source: int(source.ref[1:]))
    return report


def _countries(reader: Reader, ctx: Context, nation: str, top: list[dict],
               p: dict) -> tuple[Section, Source]:
    """The nation's top source countries against the UK's."""
    uk = ctx.ranking
    uk_by = {r["country"]: r for r in uk}
    by = {r["country"]: r for r in top}
    rows = [{"rank": rank_of(top, "country", r["country"]), "country": r["country"],
             "people": r["people"], "responders": r["responders"],
             "uk_people": uk_by.get(r["country"], {}).get("people"),
             "uk_rank": _rank(uk, r["country"])} for r in top[:TOP]]
    nation_table = Table("nation-countries", f"{nation}'s first responders: top source countries",
                         [Column("rank", "Rank", numeric=True), Column("country", "Country"),
                          Column("people", "People", numeric=True),
                          Column("responders", "Responders", numeric=True),
                          Column("uk_people", "People, whole UK", numeric=True),
                          Column("uk_rank", "Rank in the UK")], rows, source="S1",
                         empty=f"No first responder registered in {nation} referred anyone "
                               f"in this period.",
                         note=f"{TOP} of {len(top)} countries." if len(top) > TOP else "")
    uk_rows = [{"rank": rank_of(uk, "country", r["country"]), "country": r["country"],
                "people": r["people"], "nation_people": by.get(r["country"], {}).get("people"),
                "nation_rank": _rank(top, r["country"])} for r in uk[:TOP]]
    uk_table = Table("uk-countries", "All UK first responders: top source countries",
                     [Column("rank", "Rank", numeric=True), Column("country", "Country"),
                      Column("people", "People", numeric=True),
                      Column("nation_people", f"People, {nation}", numeric=True),
                      Column("nation_rank", f"Rank in {nation}")], uk_rows, source="S1",
                     empty="The graph holds no referral figures for this period.")
    blocks: list = [Text(caveat_nations(), "caveat")]
    if rows:
        blocks.append(Chart("nation-countries-chart", "bars",
                            f"{nation}: people referred by country", "People referred",
                            "Country", [r["country"] for r in rows],
                            [Series("People referred", [r["people"] for r in rows], "#1f4e9c")],
                            f"A bar for each of the {len(rows)} countries most referred by "
                            f"{nation}'s first responders: " + "; ".join(
                                f"{r['country']} {r['people']:,}" for r in rows) + ".",
                            "nation-countries"))
    blocks += [nation_table, uk_table]
    source = Source("S1", "Top source countries, the nation's and the UK's (section 1)",
                    [reader.command("top-source-countries", nation=nation, **p, limit=ALL),
                     reader.command("top-source-countries", **p, limit=ALL)],
                    ["for the nation, the NRM files listed under S2; for the UK, every NRM "
                     "referral file loaded"])
    return (Section("countries", f"1. {nation}'s top source countries against the UK's",
                    blocks), source)


def _rank(rows: list[dict], country: str) -> str:
    rank = rank_of(rows, "country", country)
    return f"{ordinal(rank)} of {len(rows)}" if rank else "none referred"


def _files_by_quarter(rows: list[dict]) -> list[tuple[int, list[str]]]:
    """The NRM files behind rows of ``referrals-by-quarter``, by quarter."""
    out: dict[int, set] = {}
    for r in rows:
        out.setdefault(r["year"] * 10 + r["quarter"], set()).update(r["sources"] or [])
    return [(q, sorted(files)) for q, files in sorted(out.items())]


def _frontline(reader: Reader, nation: str, code: str,
               bodies: list[dict]) -> tuple[Section, Source]:
    """Frontline organisations, regulators and police forces in the nation."""
    frontline = reader.rows("frontline-organisations", nation=code)
    blocks = [
        Table("frontline", f"Frontline organisations working in {nation}",
              [Column("organisation", "Organisation"), Column("kind", "Kind"),
               Column("works", "Works in"), Column("sectors", "Sectors"),
               Column("regulators", "Regulators of its sectors"),
               Column("context", "How its staff may meet victims")],
              [{"organisation": r["organisation"], "kind": kind_text(r["kind"]),
                "works": nations_text(r["nation"]), "sectors": r["sectors"],
                "regulators": r["regulators"], "context": r["frontline_context"]}
               for r in sorted(frontline, key=lambda r: (len(r["nation"] or []) == 4,
                                                          r["organisation"]))],
              source="S4", empty=f"The graph records no frontline organisation in {nation}.")]
    for kind, title in (("regulator", "Regulators"), ("police_force", "Police forces")):
        rows = [b for b in bodies if b["kind"] == kind]
        blocks.append(Table(
            f"{kind}s", f"{title} working in {nation}",
            [Column("organisation", "Organisation"), Column("works", "Works in"),
             Column("dissolved", "Dissolved")],
            [{"organisation": b["organisation"], "works": nations_text(b["nation"]),
              "dissolved": b["dissolved"]} for b in rows], source="S4",
            empty=f"The graph records no {title.lower()} working in {nation}."))
    locations = [f"{r['organisation']}: {'; '.join(where_of(r['sources']))}"
                 for r in frontline] + [
        f"{b['organisation']}: {'; '.join(where_of(b['sources']))}"
        for b in bodies if b["kind"] in ("regulator", "police_force")]
    source = Source("S4", "Frontline organisations, regulators and police forces (section 4)", [
        reader.command("frontline-organisations", nation=nation),
        reader.command("organisations", nation=nation, kind="regulator"),
        reader.command("organisations", nation=nation, kind="police_force")], locations)
    return (Section("frontline", "4. Frontline organisations, regulators and police forces",
                    blocks), source)


def _actions(reader: Reader, nation: str, code: str,
             bodies: list[dict]) -> tuple[Section, Source, list[dict]]:
    """Actions agreed under an agenda item where the minutes discuss the nation, or owned
    by a body registered as working in the nation alone (its devolved government...)."""
    mentions = reader.rows("mentions", entity=nation_country_id(code))
    items = {(m["meeting"], str(m["paragraph"]).split(".")[0]): m for m in mentions}
    own = {b["id"]: b["organisation"] for b in bodies if not b["uk_wide"]}
    rows, chosen = [], []
    for a in reader.rows("actions"):
        why = []
        m = items.get((a["meeting"], str(a["item"])))
        if m:
            why.append(f"the minutes discuss {nation} under item {a['item']} (¶{m['paragraph']})")
        owners = [own[o] for o in a["owner_ids"] or [] if o in own]
        if owners:
            why.append(f"owned by {', '.join(owners)}, which works in {nation}")
        if why:
            chosen.append(a)
            rows.append({"action": a["action"], "owners": a["owners"], "item": a["item"],
                         "meeting": a["date"], "why": "; ".join(why)})
    table = Table("actions", f"Actions that concern {nation}",
                  [Column("action", "Action"), Column("owners", "Owner"),
                   Column("item", "Item"), Column("meeting", "Meeting"),
                   Column("why", "Why it concerns the nation")], rows, source="S5",
                  empty=f"No action in the minutes loaded concerns {nation}.")
    source = Source("S5", "Actions that concern the nation (section 5)", [
        reader.command("actions"), reader.command("mentions", entity=nation),
        reader.command("organisations", nation=nation)],
        [f"{a['action']}: {'; '.join(where_of(a['sources']))}" for a in chosen]
        + [f"{nation} named at ¶{m['paragraph']}: {'; '.join(where_of(m['sources']))}"
           for m in mentions])
    return Section("actions", "5. Actions that concern it", [table]), source, chosen


def _map(reader: Reader, nation: str, code: str, bodies: list[dict], top: list[dict],
         actions: list[dict]) -> MapBlock | Text:
    """The nation's own bodies, its top source countries, and the actions and meetings
    that concern it."""
    ids = {nation_country_id(code)} | {b["id"] for b in bodies if not b["uk_wide"]}
    ids |= {a["id"] for a in actions} | {a["meeting"] for a in actions}
    countries = [r["country"] for r in top[:COUNTRIES_DRAWN]]
    resolver = reader.lookup.resolver
    for name in countries:
        found = resolver.resolve_all(name, "Country")
        if len(found) == 1:
            ids.add(found[0])
    nodes, rels = read_ids(reader.store, ids)
    if len(nodes) <= 1:
        return Text(f"No map: the graph records no body working in {nation} alone.", "empty")
    title = f"{nation}: its own bodies, top source countries and actions"
    selection = Selection(nodes, rels, title, focus=nation_country_id(code))
    return MapBlock(selection, title,
                    f"The bodies registered as working in {nation} alone, the "
                    f"{len(countries)} countries its first responders referred most people "
                    f"from, and the actions that concern it. Drag to move, scroll to zoom, "
                    f"click a node or a line for its details and sources.")
