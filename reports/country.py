"""The country report: what the graph knows about one source country, read through
the saved queries (see docs/reports.md for what each section shows and how to
check it with ``htkg query``)."""
from __future__ import annotations

from typing import Any

from htkg.errors import ResolveError
from htkg.loaders.nationality import country_code
from htkg.queries.params import TYPES
from htkg.reports import figures
from htkg.reports.context import Context, caveat_nations, made_now, sources_of_figures
from htkg.reports.document import Column, Figure, Report, Section, Source, Table, Text
from htkg.reports.links import REFERRED, country_map, link_counts, link_source, link_tables
from htkg.reports.reading import (ALL, NATION_NAMES, Period, Reader, change,
                                  nation_country_id, ordinal, plural, quarter_words, rank_of)

#: How many first responders the table lists, and the map draws.
RESPONDERS_SHOWN = 15
RESPONDERS_DRAWN = 10


def country_report(store: Any, name: str, *, start: Any = None, end: Any = None,
                   with_map: bool = True) -> Report:
    """The report on the country ``name`` (name, ISO code or demonym) from an open store,
    over the quarters from ``start`` to ``end`` (``YYYYQn``; default: every quarter loaded).

    A country the graph does not hold, or holds with nothing linked to it, gets a
    report that says so. Raises :class:`~htkg.errors.ResolveError` for a name that is
    no country, and :class:`~htkg.errors.QueryError` for a malformed period.
    """
    period = Period.of(start, end)
    reader = Reader(store)
    found = _country(reader, name)      # a name that is no country fails before any figure
    ctx = Context.of(reader, period)
    if found is None:
        return _unknown(name, ctx)
    cid, cname = found
    shown = reader.shown_country(cid, cname)
    report = Report("country", cname, cid, f"{cname}: country report",
                    "NRM referrals, and the UK bodies linked to it", period=ctx.period_words,
                    data_to=ctx.data_to_words, made=made_now(), built=ctx.built)
    mine = _row_of(ctx.ranking, cname)
    links = reader.rows("country-links", country=cid)
    quarters, _, gaps = figures.by_quarter(reader, period, ctx.quarters, ctx.has_figures, "S2",
                                           country=cid)
    report.sections.append(_figures_section(reader, ctx, report, cname, mine,
                                            len(ctx.quarters) - len(gaps)))
    report.sections.append(Section("trend", "1. Referrals by quarter", quarters))
    report.sources.append(Source("S2", "Referrals by quarter (section 1)", [reader.command(
        "referrals-by-quarter", country=shown, start=ctx.start_param, end=ctx.end_param)],
        ["the NRM lines listed under S6"]))
    types, _ = figures.by_exploitation(reader, period, "S3", country=cid)
    report.sections.append(Section("exploitation", "2. Exploitation, age and gender", types))
    report.sources.append(Source("S3", "Exploitation, age and gender (section 2)", [
        reader.command("exploitation-types", country=shown, start=ctx.start_param,
                       end=ctx.end_param)], ["the NRM lines listed under S6"]))
    responders_table, responders = figures.responders(reader, period, "S5", RESPONDERS_SHOWN,
                                                      country=cid)
    report.sections.append(_nations_section(reader, ctx, report, cid, cname, shown, mine,
                                            responders))
    report.sections.append(Section("responders", "4. First responders", [responders_table]))
    report.sources.append(Source("S5", "First responders (section 4)", [reader.command(
        "responders", country=shown, start=ctx.start_param, end=ctx.end_param,
        limit=RESPONDERS_SHOWN)], ["the NRM lines listed under S6"]))
    report.sources.append(sources_of_figures(reader, "S6", period, cid, shown, cname))
    report.sections.append(Section("links", "5. UK bodies linked in other ways",
                                   link_tables(links, cname, "S7")))
    report.sources.append(link_source(reader, "S7", links, shown))
    linked = sorted({r["body_id"] for r in links if r["connection"] != REFERRED})
    if with_map:
        strongest = [r["id"] for r in responders[:RESPONDERS_DRAWN]]
        block = country_map(reader, cid, cname, strongest, links,
                            max(0, len(responders) - RESPONDERS_DRAWN))
        report.sections.append(Section("map", "6. Network map", [block]))
    report.summary = _summary(ctx, cname, mine, responders, links, linked)
    if cid in {nation_country_id(code) for code in NATION_NAMES}:
        report.summary.append(f"{cname} is a UK nation: the NRM records UK nationality, not "
                              f"{cname}'s. For the referrals made by {cname}'s first responders, "
                              f"see the nation report (htkg report nation {cname}).")
    report.caveats = ctx.caveats()
    return report


def _country(reader: Reader, name: str) -> tuple[str, str] | None:
    """(id, name) of the country, or None for a real country the graph does not hold."""
    try:
        cid = TYPES["country"].convert(name, reader.lookup)
    except ResolveError as exc:
        if "but the graph holds no" in str(exc):
            return None
        raise
    return cid, reader.lookup.resolver.name(cid) or cid


def _row_of(rows: list[dict], name: str) -> dict | None:
    return next((r for r in rows if r["country"] == name), None)


def _unknown(name: str, ctx: Context) -> Report:
    code = country_code(name) or name
    title = _pycountry_name(code) or name
    report = Report("country", title, None, f"{title}: country report",
                    "NRM referrals, and the UK bodies linked to it", period=ctx.period_words,
                    data_to=ctx.data_to_words, made=made_now(), built=ctx.built)
    report.summary = [f"The graph holds no entry for {title} ({code}): no one of that "
                      f"nationality is in the NRM figures loaded, and no UK body, programme or "
                      f"minutes loaded are linked to it."]
    report.caveats = ctx.caveats()
    return report


def _pycountry_name(code: str) -> str | None:
    import pycountry  # deferred: only a country the graph lacks needs its name
    found = pycountry.countries.get(alpha_2=code.upper()) if len(code) == 2 else None
    return getattr(found, "common_name", None) or getattr(found, "name", None)


def _figures_section(reader, ctx, report, cname, mine, loaded: int) -> Section:
    """The headline figures: latest quarter, the period, the change, the rank."""
    blocks: list = []
    commands = [reader.command("top-source-countries", start=ctx.start_param,
                               end=ctx.end_param, limit=ALL)]
    if not ctx.ranking:
        blocks.append(Text(ctx.no_figures, "empty"))
    else:
        latest = ctx.latest
        now_rows = ctx.quarter_ranking(latest)
        before_rows = ctx.quarter_ranking(latest - 10)
        commands += [reader.command("top-source-countries", year=q // 10, quarter=q % 10,
                                    limit=ALL) for q in (latest, latest - 10)]
        now_row, before_row = _row_of(now_rows, cname), _row_of(before_rows, cname)
        now = now_row["people"] if now_row else 0
        before = before_row["people"] if before_row else 0
        total = mine["people"] if mine else 0
        report.figures.append(Figure(
            "latest", f"{now:,}", f"people referred in {quarter_words(latest)}, the latest "
            f"quarter", now, f"by {plural(now_row['responders'], 'first responder')}"
            if now_row else "", "S1"))
        report.figures.append(Figure(
            "period", f"{total:,}", f"people referred, {ctx.period_words}", total,
            f"{plural(loaded, 'quarter')} of figures", "S1"))
        if before_rows:
            report.figures.append(Figure(
                "change", change(now, before), f"from {quarter_words(latest - 10)}, a year "
                f"before", now - before, f"{before:,} then, {now:,} now", "S1"))
        else:
            report.figures.append(Figure(
                "change", "n/a", "change from a year before", None,
                f"the graph holds no figures for {quarter_words(latest - 10)}", "S1"))
        rank = rank_of(ctx.ranking, "country", cname)
        rank_now = rank_of(now_rows, "country", cname)
        report.figures.append(Figure(
            "rank", ordinal(rank) if rank else "not ranked",
            f"of {len(ctx.ranking)} source countries over the period", rank,
            (f"{ordinal(rank_now)} of {len(now_rows)} in {quarter_words(latest)}"
             if rank_now else f"none referred in {quarter_words(latest)}"), "S1"))
        blocks.append(Text("Ranks count the nationalities referred over the period, the UK's "
                           "own nationals among them; countries with as many people share a "
                           "rank."))
    report.sources.append(Source("S1", "Headline figures and ranks", commands,
                                 ["the NRM lines listed under S6"]))
    return Section("headline", "Headline figures", blocks)


def _nations_section(reader, ctx, report, cid, cname, shown, mine, responders) -> Section:
    """The country's referrals by first responders of each nation, against the UK."""
    rows = [{"area": "United Kingdom (all first responders)",
             "people": mine["people"] if mine else 0, "share": 100 if mine else None,
             "responders": mine["responders"] if mine else 0,
             "rank": _rank_words(ctx.ranking, cname), "names": ""}]
    commands = []
    for code, nation in NATION_NAMES.items():
        nation_rows = reader.rows("top-source-countries", nation=code, start=ctx.start_param,
                                  end=ctx.end_param, limit=ALL)
        commands.append(reader.command("top-source-countries", nation=nation,
                                       start=ctx.start_param, end=ctx.end_param, limit=ALL))
        row = _row_of(nation_rows, cname)
        people = row["people"] if row else 0
        names = [r["responder"] for r in responders
                 if (r["nation"] or []) == [code]]
        rows.append({"area": f"{nation}'s first responders", "people": people,
                     "share": (round(people * 100 / mine["people"]) if mine and mine["people"]
                               else None),
                     "responders": row["responders"] if row else 0,
                     "rank": _rank_words(nation_rows, cname), "names": "; ".join(names)})
    columns = [Column("area", "Referred by"), Column("people", "People", numeric=True),
               Column("share", "Share of UK", numeric=True, suffix="%"),
               Column("responders", "Responders", numeric=True),
               Column("rank", "Rank among that area's source countries"),
               Column("names", "The nation's figure rests on")]
    table = Table("nations", f"{cname}: referrals by first responders in each nation",
                  columns, rows, source="S4")
    commands.append(reader.command("responders", country=shown, start=ctx.start_param,
                                   end=ctx.end_param, limit=ALL))
    report.sources.append(Source("S4", "The nations against the UK (section 3)", commands,
                                 ["the NRM lines listed under S6"]))
    return Section("nations", "3. The nations against the UK",
                   [Text(caveat_nations(), "caveat"), table])


def _rank_words(rows: list[dict], name: str) -> str:
    rank = rank_of(rows, "country", name)
    return f"{ordinal(rank)} of {len(rows)}" if rank else (
        "none referred" if rows else "these responders referred no one")


def _summary(ctx, cname, mine, responders, links, linked) -> list[str]:
    out = []
    if not ctx.ranking:
        out.append(ctx.no_figures)
    elif mine:
        out.append(f"Over {ctx.period_words}, first responders referred "
                   f"{plural(mine['people'], 'person', 'people')} whose nationality the NRM "
                   f"records as {cname} to the National Referral Mechanism; "
                   f"{plural(len(responders), 'first responder')} made these referrals.")
    else:
        out.append(f"No one whose nationality the NRM records as {cname} was referred in the "
                   f"figures loaded for {ctx.period_words}.")
    if linked:
        ways = [f"{n} {words}" for words, n in link_counts(links)]
        out.append(f"{plural(len(linked), 'UK body is', 'UK bodies are')} linked to {cname} "
                   f"in other ways (section 5): " + ", ".join(ways) + ".")
    elif not mine:
        out.append(f"The graph knows {cname} by name only: no referrals, no UK body working "
                   f"or leading a programme there, and no mention in the minutes loaded.")
    else:
        out.append(f"No UK body is linked to {cname} other than by referrals.")
    return out
