"""Figures reconcile, visibly (issue 18 item 7): what the graph's totals leave out of the
published NRM tables is in the graph (Unattributed, with its reason and source line), and
every total says it, so that the graph's figure plus what it leaves out is the published
figure.

The equation is checked on the real bundled tables (data/figures/nrm, read straight from
the CSV here), on the NRM fixtures (one cell of each reason), and in the reports.
"""
from __future__ import annotations

import csv
import functools
import json
import lzma
import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from htkg.cli import main
from htkg.graph.store import open_store
from htkg.pipeline import load

ROOT = Path(__file__).resolve().parents[1]
NRM = ROOT / "data" / "figures" / "nrm"
GOOD = Path(__file__).parent / "fixtures" / "nrm" / "good"


def query(db: str, name: str, *extra: str, fmt: str = "json", **params):
    args = ["query", name, "--db", db, "--format", fmt, *extra]
    for key, value in params.items():
        args += ["-p", f"{key}={value}"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output) if fmt == "json" else result.output


def aggregate(responder: str) -> bool:
    return responder.casefold() == "total" or responder.casefold().endswith(" total")


@functools.lru_cache(maxsize=None)
def published() -> dict[str, Counter]:
    """The published totals of the bundled referral tables, straight from the CSV:
    quarter -> Counter of exploitation type -> people, each responder's row at
    Nationality, Age and Gender 'Total' (its total for that type), and 'all types'
    -> the responder-type total rows ('Police total' at every 'Total')."""
    out: dict[str, Counter] = {}
    for path in sorted(NRM.glob("nrm_referrals_*_20*_q*.csv.xz")):
        year, q = re.search(r"_(\d{4})_q(\d)", path.name).groups()
        totals = out.setdefault(f"{year}Q{q}", Counter())
        with lzma.open(path, "rt", encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                if not (row["Nationality"] == row["Age at exploitation"] == row["Gender"]
                        == "Total"):
                    continue
                who, x = row["First responder"], row["Exploitation type"]
                if aggregate(who) and x == "Total":
                    totals["all types"] += int(row["People"])
                elif not aggregate(who) and x != "Total":
                    totals[x] += int(row["People"])
    return out


def by_period(rows: list[dict], key: str) -> Counter:
    out: Counter = Counter()
    for r in rows:
        out[r["period"]] += r[key]
    return out


# -- the real bundled tables -------------------------------------------------------------------
def test_labour_per_quarter_graph_plus_left_out_is_the_published_total(default_build):
    """The official's check: labour exploitation per quarter, from the graph, was 1 to 2
    people below the raw tables. Each quarter now says how many and why."""
    db = default_build[0]
    rows = query(db, "referrals-by-quarter", exploitation="labour")
    graph, left = by_period(rows, "people"), by_period(rows, "left_out")
    expected = {q: t["Labour"] for q, t in published().items()}
    assert len(expected) == 7
    assert {q: graph[q] + left[q] for q in expected} == expected
    assert {q: expected[q] - graph[q] for q in expected} == dict(left)
    assert sum(left.values()) > 0 and max(left.values()) <= 2   # as the official found
    for r in rows:
        if r["left_out"]:
            assert r["left_out_why"] == [f"{r['left_out']} of a nationality published as "
                                         f"Unknown"], r


def test_every_quarter_and_every_type_reconcile(default_build):
    db = default_build[0]
    rows = query(db, "referrals-by-quarter")
    graph, left = by_period(rows, "people"), by_period(rows, "left_out")
    assert {q: graph[q] + left[q] for q in published()} == \
        {q: t["all types"] for q, t in published().items()}
    types = query(db, "exploitation-types", start="2023Q4", end="2023Q4")
    expected = {x: n for x, n in published()["2023Q4"].items() if x != "all types"}
    assert {r["exploitation"]: r["people"] + r["left_out"] for r in types} == \
        {x: n for x, n in expected.items() if n}


def test_what_is_left_out_is_in_the_graph_with_its_reason_and_line(default_build):
    db = default_build[0]
    rows = query(db, "unattributed", limit=10_000)
    total = sum(r["people"] for r in rows)
    assert total == sum(t["all types"] for t in published().values()) - sum(
        by_period(query(db, "referrals-by-quarter"), "people").values())
    for r in rows[:5]:
        (source,) = r["sources"]
        file, line = re.match(r"(.+):(\d+) \(nrm\)$", source).groups()
        with lzma.open(NRM / f"{file}.xz", "rt", encoding="utf-8") as f:
            cells = next(x for i, x in enumerate(csv.reader(f), 1) if i == int(line))
        assert cells[2:] == [r["exploitation"], "Total", "Total", r["nationality"],
                             str(r["people"])], (source, cells)


def test_a_table_of_totals_says_what_it_leaves_out(default_build):
    db = default_build[0]
    text = query(db, "referrals-by-quarter", fmt="table", exploitation="labour",
                 start="2023Q4")
    left = sum(r["left_out"] for r in query(db, "referrals-by-quarter", exploitation="labour",
                                            start="2023Q4"))
    assert left == 2
    assert (f"Left out: the published tables count {left} more people for these rows, in no "
            f"relationship of the graph: {left} of a nationality published as Unknown") \
        in " ".join(text.split())
    profile = query(db, "organisation-profile", organisation="Metropolitan Police Service")
    (summary,) = [r for r in profile if r["fact"] == "REFERRED (summary)"]
    met = query(db, "unattributed", responder="Metropolitan Police Service", limit=1000)
    assert f"left out: {sum(r['people'] for r in met)} of a nationality published as " \
           f"Unknown" in summary["value"]


# -- the NRM fixtures: one cell of each reason -------------------------------------------------
def test_the_loader_records_each_left_out_cell_with_its_reason():
    kg = load([GOOD], figures=False).graph
    left = {p["responder"]: p for _, label, p in kg.nodes() if label == "Unattributed"}
    assert {who: (p["reason"], p["nationality"], p["people"], p.get("countries"))
            for who, p in left.items()} == {
        "Ministry of Magic MoM": ("responder_unresolved", "Albanian", 4, ["country-al"]),
        "National Crime Agency NCA": ("nationality_unresolved", "Atlantean", 1, None),
        "The Salvation Army": ("nationality_unknown", "Unknown", 1, None),
        "Home Office - UK Visas and Immigration UKVI": ("nationality_unknown", "Not Known", 1,
                                                         None)}
    assert left["The Salvation Army"]["responder_id"] == "the-salvation-army"
    assert "responder_id" not in left["Ministry of Magic MoM"]
    # per file: every person a responder-type total publishes is in a REFERRED (once) or here
    for path in sorted(GOOD.glob("nrm_referrals_*_2023_q4.csv")):
        with path.open(newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        total = sum(int(r["People"]) for r in rows if aggregate(r["First responder"])
                    and r["Exploitation type"] == r["Nationality"] == "Total"
                    and r["Age at exploitation"] == r["Gender"] == "Total")
        cells = {(a, p["exploitation"], p["nationality"]): p["people"]
                 for a, _, _, p in kg.edges("REFERRED") if path.name in str(p["sources"])}
        unattributed = sum(p["people"] for p in left.values()
                           if any(path.name in s for s in p["sources"]))
        assert sum(cells.values()) + unattributed == total, path.name


# -- the reports ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def reports(report_store):
    from htkg.reports import country_report, nation_report
    with open_store(report_store) as store:
        return {"vietnam": country_report(store, "Vietnam", with_map=False),
                "nigeria": country_report(store, "Nigeria", with_map=False),
                "scotland": nation_report(store, "Scotland", with_map=False)}


def test_a_country_reports_headline_says_what_it_leaves_out(reports):
    """Vietnam: 3 labour cases in 2023 Q4 under 'Kent Police', a responder the fixture
    graph does not hold (tests/fixtures/query_graph.py)."""
    r = reports["vietnam"]
    texts = [b.text for s in r.sections if s.id == "headline" for b in s.blocks
             if hasattr(b, "text")]
    assert ("The published NRM tables count 3 more people recorded with Vietnam's "
            "nationality over 2022 Q4 to 2023 Q4 whom no figure here includes: 3 under a first "
            "responder htkg could not resolve: Kent Police.") in " ".join(texts)
    table = r.table("quarters")
    by_quarter = {row["quarter"]: row["left_out"] for row in table.rows}
    assert by_quarter["2023 Q4"] == 3 and table.total["left_out"] == 3
    assert "Published, in no figure" in [c.title for c in table.columns]
    assert "Kent Police" in table.note
    nigeria = [b.text for s in reports["nigeria"].sections if s.id == "headline"
               for b in s.blocks if hasattr(b, "text")]
    assert "Every person recorded with Nigeria's nationality over 2022 Q4 to 2023 Q4 that " \
           "the published NRM tables count is in these figures." in nigeria


def test_a_nation_reports_summary_says_what_it_leaves_out(reports):
    r = reports["scotland"]
    assert ("The published NRM tables count 2 more people referred by these first responders "
            "over 2022 Q4 to 2023 Q4 whom no figure here includes: 2 of a nationality "
            "published as Unknown. With them, the figures are the published ones.") in r.summary
    assert r.table("quarters").total["left_out"] == 2


def test_maps_leave_the_left_out_cells_out_and_say_so(report_store):
    """They are figures kept to reconcile totals, linked to nothing: the overview by kind
    and the map of everything do not draw them, and say where to find them."""
    from htkg.maps.kinds import read_summary
    from htkg.selection import overview
    with open_store(report_store) as store:
        summary = read_summary(store)
        everything = overview(store, [], [])
        only = overview(store, ["Unattributed"], [])
    note = ("4 published NRM cells whose people are in no relationship (a nationality "
            "published as Unknown, a name htkg could not resolve) are not drawn: htkg query "
            "unattributed lists them.")
    assert note in summary.notes and "kind:Unattributed" not in summary.g
    assert note in everything.notes
    assert not [e for e in everything.nodes.values() if e.label == "Unattributed"]
    assert len(only.nodes) == 4       # asked for by label, they are drawn
