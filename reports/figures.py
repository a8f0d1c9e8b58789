"""The referral figures both kinds of report show: by quarter, by exploitation type
(with age and gender), and by first responder. Each is the rows of one saved query,
turned into a table (and a chart) of plain values; nothing is counted here that the
query did not count, except the totals of a table's rows, which say so.
"""
from __future__ import annotations

from typing import Callable

from htkg.maps.style import colour_of
from htkg.reports.document import Chart, Column, Series, Table, Text
from htkg.reports.reading import (ALL, Period, Reader, kind_text, nations_text, plural,
                                  quarter_words)

#: Age and gender columns of ``exploitation-types``, as headed in a report.
AGE_GENDER = [("adult", "Adults"), ("child", "Children"), ("age_unknown", "Age unknown"),
              ("age_not_published", "Age not published"), ("female", "Female"),
              ("male", "Male"), ("gender_other", "Other or not recorded"),
              ("gender_not_published", "Gender not published")]


def by_quarter(reader: Reader, period: Period, quarters: list[int],
               has_figures: Callable[[int], bool], ref: str,
               **where) -> tuple[list, list[dict], list[int]]:
    """The chart and table of people referred by quarter and kind of first responder
    (``referrals-by-quarter``), over every quarter in ``quarters``: none referred in a
    quarter with figures is 0, a quarter the graph has no figures for (``has_figures``,
    asked only of quarters without a row) is blank. Returns (blocks, rows of the query,
    the quarters without figures)."""
    rows = reader.rows("referrals-by-quarter", start=period.param(period.start),
                       end=period.param(period.end), **where)
    kinds: dict[str, int] = {}
    left: dict[int, int] = {}          # quarter -> people the published tables count, left out
    for r in rows:
        q = r["year"] * 10 + r["quarter"]
        left[q] = left.get(q, 0) + (r.get("left_out") or 0)
        if r["kind"] is not None or r["people"]:   # a responder htkg could not resolve: left out
            kinds[r["kind"]] = kinds.get(r["kind"], 0) + r["people"]
    order = sorted(kinds, key=lambda k: (-kinds[k], k or ""))
    cells = {(r["year"] * 10 + r["quarter"], r["kind"]): r["people"] for r in rows}
    if not rows:
        return [Table("quarters", "People referred by quarter and kind of first responder",
                      [], [], source=ref,
                      empty="No referrals in the figures loaded for this period.")], rows, []
    with_rows = {q for q, _ in cells}
    gaps = [q for q in quarters if q not in with_rows and not has_figures(q)]
    loaded = set(quarters) - set(gaps)
    columns = [Column("quarter", "Quarter")] + [
        Column(f"kind:{k}", kind_text(k), numeric=True) for k in order] + [
        Column("total", "All first responders", numeric=True),
        Column("left_out", "Published, in no figure", numeric=True)]
    table_rows = []
    for q in quarters:
        row = {"quarter": quarter_words(q)}
        for k in order:
            row[f"kind:{k}"] = cells.get((q, k), 0) if q in loaded else None
        row["total"] = sum(cells.get((q, k), 0) for k in order) if q in loaded else None
        row["left_out"] = left.get(q, 0) if q in loaded else None
        table_rows.append(row)
    total = {"quarter": "Total", **{f"kind:{k}": kinds[k] for k in order},
             "total": sum(kinds.values()), "left_out": sum(left.values())}
    why = left_out_why(rows)
    note = "Total: the sum of the quarters above. " if len(table_rows) > 1 else ""
    note += ("Published, in no figure: people the published NRM tables count here whom the "
             "graph holds in no relationship" + (f" ({why})" if why else "") + "; with them, "
             "each quarter's total is the published figure.")
    if gaps:
        note += (f" The graph holds no NRM figures for {', '.join(map(quarter_words, gaps))} "
                 f"(shown –).")
    table = Table("quarters", "People referred by quarter and kind of first responder",
                  columns, table_rows, source=ref, total=total, note=note.strip())
    series = [Series(kind_text(k), [cells.get((q, k), 0) for q in quarters], colour_of(k or ""))
              for k in order]
    counted = [r for r in table_rows if r["total"] is not None]
    peak = max(counted, key=lambda r: r["total"])
    low = min(counted, key=lambda r: r["total"])
    alt = (f"A column for each quarter from {table_rows[0]['quarter']} to "
           f"{table_rows[-1]['quarter']}, its height the people referred, split by kind of "
           f"first responder ({', '.join(s.name for s in series)}). Most: {peak['quarter']} "
           f"({peak['total']:,}); fewest: {low['quarter']} ({low['total']:,})."
           + (" No figures are loaded for " + ", ".join(map(quarter_words, gaps)) + "."
              if gaps else "") + " The table below gives every figure.")
    chart = Chart("quarters-chart", "stacked", "People referred by quarter", "Quarter",
                  "People referred", [r["quarter"] for r in table_rows], series, alt, "quarters",
                  missing=[quarter_words(q) for q in gaps])
    return [chart, table], rows, gaps


def left_out_why(rows: list[dict]) -> str:
    """The reasons of the rows' ``left_out_why``, their people added up.

    >>> left_out_why([{"left_out_why": ["2 of a nationality published as Unknown"]},
    ...               {"left_out_why": ["1 of a nationality published as Unknown"]}])
    '3 of a nationality published as Unknown'
    """
    why: dict[str, int] = {}
    for r in rows:
        for text in r.get("left_out_why") or []:
            number, _, words = text.partition(" ")
            if number.isdigit():
                why[words] = why.get(words, 0) + int(number)
    return "; ".join(f"{n:,} {words}" for words, n in why.items())


def left_out_sentence(rows: list[dict], whose: str) -> str:
    """What the published tables count that the figures from ``rows`` leave out, and why.

    >>> left_out_sentence([{"left_out": 0}], "of this nationality")
    'Every person of this nationality that the published NRM tables count is in these figures.'
    """
    n = sum(r.get("left_out") or 0 for r in rows)
    if not n:
        return f"Every person {whose} that the published NRM tables count is in these figures."
    return (f"The published NRM tables count {plural(n, 'more person', 'more people')} "
            f"{whose} whom no figure here includes: {left_out_why(rows)}. With them, the "
            f"figures are the published ones.")


def by_exploitation(reader: Reader, period: Period, ref: str, **where) -> tuple[list, list]:
    """The chart and table of people referred by exploitation type, with age and
    gender as the tables publish them (``exploitation-types``)."""
    rows = reader.rows("exploitation-types", start=period.param(period.start),
                       end=period.param(period.end), **where)
    columns = [Column("exploitation", "Exploitation type"),
               Column("people", "People", numeric=True)] + [
        Column(key, title, numeric=True) for key, title in AGE_GENDER]
    table_rows = [{c.key: r.get(c.key) for c in columns} for r in rows]
    total = {"exploitation": "All types",
             **{c.key: sum(r.get(c.key) or 0 for r in rows) for c in columns[1:]}}
    table = Table("exploitation", "People referred by exploitation type, age and gender",
                  columns, table_rows, source=ref,
                  empty="No referrals in the figures loaded for this period.",
                  total=total if rows else None,
                  note=("Age and gender add up the cells the NRM tables publish (gender is "
                        "published within each age band); 'not published' is what no cell "
                        "covers. All types: the sum of the rows." if rows else ""))
    if not rows:
        return [table], rows
    alt = (f"A bar for each exploitation type, its length the people referred: "
           + "; ".join(f"{r['exploitation']} {r['people']:,}" for r in rows[:6])
           + ("; and others in the table below." if len(rows) > 6 else "."))
    chart = Chart("exploitation-chart", "bars", "People referred by exploitation type",
                  "People referred", "Exploitation type",
                  [str(r["exploitation"]) for r in rows],
                  [Series("People referred", [r["people"] for r in rows], "#c0504d")],
                  alt, "exploitation")
    summary = Text(_age_gender_sentence(total))
    return [chart, summary, table], rows


def _age_gender_sentence(t: dict) -> str:
    people = t["people"] or 0
    if not people:
        return "No referrals in this period."

    def part(key: str, word: str) -> str:
        return f"{t[key]:,} {word} ({round(t[key] * 100 / people)}%)"
    return (f"Of {plural(people, 'person', 'people')}: " + ", ".join(
        [part("adult", "adults"), part("child", "children")]
        + ([part("age_unknown", "of unknown age")] if t["age_unknown"] else [])
        + ([part("age_not_published", "whose age the tables do not publish")]
           if t["age_not_published"] else []))
        + "; " + ", ".join(
        [part("female", "female"), part("male", "male")]
        + ([part("gender_other", "other or not recorded")] if t["gender_other"] else [])
        + ([part("gender_not_published", "whose gender the tables do not publish")]
           if t["gender_not_published"] else [])) + ".")


def responders(reader: Reader, period: Period, ref: str, shown: int,
               **where) -> tuple[Table, list[dict]]:
    """The first responders, strongest first (``responders``): the first ``shown`` in
    the table, every row returned (for the nations' lists)."""
    rows = reader.rows("responders", start=period.param(period.start),
                       end=period.param(period.end), limit=ALL, **where)
    columns = [Column("rank", "Rank", numeric=True), Column("responder", "First responder"),
               Column("kind", "Kind"), Column("nation", "Works in"),
               Column("people", "People", numeric=True), Column("quarters", "Quarters")]
    table_rows = [{"rank": i, "responder": r["responder"], "kind": kind_text(r["kind"]),
                   "nation": nations_text(r["nation"]), "people": r["people"],
                   "quarters": r["quarters"], "id": r["id"]}
                  for i, r in enumerate(rows[:shown], start=1)]
    note = ""
    if len(rows) > shown:
        rest = rows[shown:]
        note = (f"The {shown} strongest of {len(rows)} first responders; the other "
                f"{len(rest)} referred {plural(sum(r['people'] for r in rest), 'person', 'people')}"
                f" between them.")
    table = Table("responders", "First responders, strongest first", columns, table_rows,
                  source=ref, empty="No first responder referred anyone in this period.",
                  note=note)
    return table, rows
