"""Country and nation reports (`htkg report`), on the fixture graph of the query tests.

Every figure a report shows is checked against the rows that the saved queries named in
its sources appendix print through `htkg query`, run as a user would run them. The
browser tests (the page drawn, printed and kept inert) are in test_reports_browser.py.
"""
from __future__ import annotations

import json
import re
import shlex
import pytest
from click.testing import CliRunner

from htkg.cli import main
from htkg.errors import QueryError, ResolveError
from htkg.graph.store import open_store

# Named in markup in the hostile store (tests/conftest.py: hostile_report_store).
HOSTILE_NAME = "<img src=x onerror=window.__pwned=1>"
HOSTILE_TYPE = "<svg onload=window.__pwned=2>"


@pytest.fixture(scope="module")
def reports(report_store):
    """The reports made once for this module, from one open store."""
    from htkg.reports import country_report, nation_report
    with open_store(report_store) as store:
        return {"nigeria": country_report(store, "Nigeria"),
                "nigeria-q4": country_report(store, "NG", start="2023Q4", end="2023Q4"),
                "niger": country_report(store, "Niger"),
                "wales": country_report(store, "Wales", with_map=False),
                "chad": country_report(store, "Chad"),
                "france": country_report(store, "France"),
                "scotland": nation_report(store, "Scottish"),
                "england": nation_report(store, "England"),
                "northern-ireland": nation_report(store, "Northern Ireland")}


def run(*args, **kw):
    return CliRunner().invoke(main, [str(a) for a in args], **kw)


def query_rows(command: str, db: str) -> list[dict]:
    """The rows a command of a sources appendix prints, as JSON."""
    words = shlex.split(command)
    assert words[:2] == ["htkg", "query"], command
    result = run(*words[1:], "--db", db, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def commands(report, ref: str) -> list[str]:
    return next(s.commands for s in report.sources if s.ref == ref)


def row_of(rows: list[dict], country: str) -> dict | None:
    return next((r for r in rows if r["country"] == country), None)


# -- every figure is a query row ----------------------------------------------------------
def test_headline_figures_are_the_rows_of_the_queries_the_appendix_names(reports, report_store):
    r = reports["nigeria"]
    period, latest, before = (query_rows(c, report_store) for c in commands(r, "S1"))
    assert commands(r, "S1")[1].endswith("-p year=2023 -p quarter=4 -p limit=100000")
    assert r.figure("period").number == row_of(period, "Nigeria")["people"] == 12
    assert r.figure("latest").number == row_of(latest, "Nigeria")["people"] == 8
    assert row_of(before, "Nigeria") is None                 # none referred in 2022 Q4
    assert r.figure("change").number == 8 and r.figure("change").value == "+8"
    more = sum(1 for row in period if row["people"] > row_of(period, "Nigeria")["people"])
    assert r.figure("rank").number == more + 1 == 4
    assert (r.figure("rank").value, r.figure("rank").label) == (
        "4th", f"of {len(period)} source countries over the period")
    assert r.figure("latest").label.startswith("people referred in 2023 Q4")
    assert (r.period, r.data_to) == ("2022 Q4 to 2023 Q4", "2023 Q4")


def test_quarter_table_equals_its_query_and_each_quarter_the_ranking_of_that_quarter(
        reports, report_store):
    r = reports["nigeria"]
    table = r.table("quarters")
    rows = query_rows(commands(r, "S2")[0], report_store)
    for q in rows:
        shown = next(t for t in table.rows if t["quarter"] == f"{q['year']} Q{q['quarter']}")
        assert shown[f"kind:{q['kind']}"] == q["people"]
    for shown in table.rows:
        year, quarter = map(int, re.match(r"(\d{4}) Q(\d)", shown["quarter"]).groups())
        ranking = query_rows(f"htkg query top-source-countries -p year={year} "
                             f"-p quarter={quarter} -p limit=1000", report_store)
        if not ranking:                                       # no figures at all: blank
            assert shown["total"] is None
            continue
        found = row_of(ranking, "Nigeria")
        assert shown["total"] == (found["people"] if found else 0), shown
    assert table.total["total"] == r.figure("period").number
    assert [t["quarter"] for t in table.rows] == ["2022 Q4", "2023 Q1", "2023 Q2", "2023 Q3",
                                                  "2023 Q4"]
    assert "no NRM figures for 2023 Q1, 2023 Q2" in table.note


def test_responders_table_is_the_responders_query_strongest_first(reports, report_store):
    r = reports["nigeria"]
    rows = query_rows(commands(r, "S5")[0], report_store)
    table = r.table("responders")
    assert [(t["responder"], t["people"]) for t in table.rows] == \
        [(q["responder"], q["people"]) for q in rows] == \
        [("The Salvation Army", 7), ("BAWSO", 3), ("Trafficking Awareness Raising Alliance", 2)]


def test_nations_table_is_each_nations_ranking(reports, report_store):
    r = reports["nigeria"]
    table = r.table("nations")
    nation_commands = [c for c in commands(r, "S4") if "nation=" in c]
    assert len(nation_commands) == 4
    uk = query_rows(commands(r, "S1")[0], report_store)
    assert table.rows[0]["people"] == row_of(uk, "Nigeria")["people"]
    for shown, command in zip(table.rows[1:], nation_commands):
        nation = shlex.split(command)[shlex.split(command).index("-p") + 1].split("=", 1)[1]
        assert shown["area"].startswith(nation)
        found = row_of(query_rows(command, report_store), "Nigeria")
        assert shown["people"] == (found["people"] if found else 0), nation
    by_area = {t["area"].split("'")[0]: t for t in table.rows[1:]}
    assert (by_area["Scotland"]["people"], by_area["Scotland"]["names"]) == (
        2, "Trafficking Awareness Raising Alliance")
    assert (by_area["Wales"]["people"], by_area["Wales"]["share"]) == (3, 25)
    assert by_area["England"]["people"] == 0


def test_exploitation_table_is_its_query_with_a_total(reports, report_store):
    r = reports["nigeria"]
    rows = query_rows(commands(r, "S3")[0], report_store)
    table = r.table("exploitation")
    assert [(t["exploitation"], t["people"], t["female"]) for t in table.rows] == \
        [(q["exploitation"], q["people"], q["female"]) for q in rows] == \
        [("Sexual", 11, 4), ("Labour", 1, 0)]
    assert table.total["people"] == 12 and table.total["gender_not_published"] == 7


def test_every_nrm_line_behind_the_figures_is_listed(reports):
    lines = next(s for s in reports["nigeria"].sources if s.ref == "S6").locations
    assert lines == ["2023 Q3: nrm_referrals_ngo_2023_q3.csv, line 41",
                     "2023 Q4: nrm_referrals_ngo_2023_q4.csv, lines 42-43, 45-46"]


def test_links_other_than_referrals_with_their_sources(reports):
    r = reports["nigeria"]
    assert [(t["programme"], t["body"]) for t in r.table("programmes").rows] == [
        ("Stamping Out Slavery in Nigeria", "Department for International Development")]
    assert {t["body"] for t in r.table("working").rows} == {
        "Foreign and Commonwealth Office", "Department for International Development",
        "Shell plc"}
    assert r.table("actions").rows == [{
        "action": "Home Office and FCO to scope links with source countries",
        "owners": ["Foreign and Commonwealth Office", "Home Office"], "item": "6",
        "meeting": "2013-03-11"}]
    facts = next(s for s in r.sources if s.ref == "S7").locations
    assert "Shell plc: works in the country: fixture/registry.yaml:142" in facts


def test_a_period_narrows_every_figure(reports, report_store):
    r = reports["nigeria-q4"]
    assert r.period == "2023 Q4"
    assert r.figure("period").number == r.figure("latest").number == 8
    assert commands(r, "S1")[0] == ("htkg query top-source-countries -p start=2023Q4 "
                                    "-p end=2023Q4 -p limit=100000")
    assert [t["people"] for t in r.table("responders").rows] == [3, 3, 2]


def test_the_nation_report_reads_the_nations_rows(reports, report_store):
    r = reports["scotland"]
    assert r.subject == "Scotland" and r.kind == "nation"
    rows = query_rows(commands(r, "S1")[0], report_store)
    assert [(t["country"], t["people"]) for t in r.table("nation-countries").rows] == \
        [(q["country"], q["people"]) for q in rows] == \
        [("Vietnam", 6), ("Nigeria", 2), ("United Kingdom", 2)]  # Police Scotland and TARA
    assert [t["responder"] for t in r.table("responders").rows] == [
        "Police Scotland", "Trafficking Awareness Raising Alliance"]
    assert [t["organisation"] for t in r.table("regulators").rows] == [
        "Ofgem", "Water Industry Commission for Scotland", "Gangmasters Licensing Authority",
        "Gangmasters and Labour Abuse Authority", "Ofcom"]
    actions = {a["action"]: a["why"] for a in r.table("actions").rows}
    assert actions["Scotland to report back on its work with companies"] == \
        "owned by Scottish Government, which works in Scotland"
    assert "the minutes discuss Scotland under item 6 (¶6.3)" in \
        actions["Home Office and FCO to scope links with source countries"]
    assert "partial view" in " ".join(r.summary)


# -- what little the graph knows, said plainly ---------------------------------------------
def test_a_country_with_links_but_no_referrals(reports):
    r = reports["niger"]
    assert r.subject == "Niger" and r.figure("period").number == 0
    assert r.figure("rank").value == "not ranked"
    assert "No one whose nationality the NRM records as Niger was referred" in r.summary[0]
    assert [t["body"] for t in r.table("working").rows] == ["Kalayaan"]
    assert r.table("quarters").rows == [] and "No referrals" in r.table("quarters").empty


def test_a_country_known_by_name_only(reports):
    r = reports["chad"]
    assert "The graph knows Chad by name only" in " ".join(r.summary)
    assert r.table("working").rows == [] and r.table("responders").rows == []
    assert not any(b for s in r.sections if s.id == "map" for b in s.blocks
                   if type(b).__name__ == "MapBlock")


def test_a_uk_nation_as_a_country_points_to_the_nation_report(reports):
    r = reports["wales"]
    assert r.subject == "Wales" and r.figure("period").number == 0
    assert "see the nation report (htkg report nation Wales)" in r.summary[-1]


def test_a_real_country_the_graph_does_not_hold(reports):
    r = reports["france"]
    assert r.subject_id is None and r.sections == []
    assert "The graph holds no entry for France (FR)" in r.summary[0]


def test_a_nation_with_no_first_responders_of_its_own(reports):
    r = reports["northern-ireland"]
    assert r.table("nation-countries").rows == [] and r.figure("period").number == 0
    assert "No first responder registered in Northern Ireland" in \
        r.table("nation-countries").empty


def test_england_rests_on_its_police_forces(reports):
    # The fixture's only English responder of its own is Cumbria Constabulary (3 UK nationals
    # in 2023 Q4): its nation comes from its police force area.
    r = reports["england"]
    assert [(t["country"], t["people"]) for t in r.table("nation-countries").rows] == \
        [("United Kingdom", 3)]
    assert [t["responder"] for t in r.table("responders").rows] == ["Cumbria Constabulary"]


def test_no_figures_loaded_at_all(registry_store):
    from htkg.reports import country_report
    with open_store(registry_store) as store:
        r = country_report(store, "Nigeria", with_map=False)
    assert "The graph holds no NRM referral figures" in r.summary[0]
    assert r.data_to == "no NRM figures loaded" and r.table("working").rows


def test_what_is_not_a_country_or_nation_is_a_clear_error(report_store):
    from htkg.reports import country_report, nation_report
    with open_store(report_store) as store:
        with pytest.raises(ResolveError, match="no country called 'Atlantis'"):
            country_report(store, "Atlantis")
        with pytest.raises(QueryError, match="'Cornwall' is not a UK nation"):
            nation_report(store, "Cornwall")
        with pytest.raises(QueryError, match="--from: '2023Q5' is not a quarter"):
            country_report(store, "Nigeria", start="2023Q5")
        with pytest.raises(QueryError, match="--from 2023Q4 is after --to 2023Q1"):
            country_report(store, "Nigeria", start="2023Q4", end="2023Q1")


# -- hostile names ----------------------------------------------------------------------------
def test_hostile_names_are_escaped_in_html_and_markdown(hostile_report_store):
    from htkg.reports import country_report, render_html, render_markdown
    with open_store(hostile_report_store) as store:
        report = country_report(store, "Nigeria")
    assert HOSTILE_NAME in [t["responder"] for t in report.table("responders").rows]
    page = render_html(report)
    for raw in (HOSTILE_NAME, HOSTILE_TYPE, "<script>window.__pwned=3</script>"):
        assert raw not in page
    assert "&lt;img src=x onerror=window.__pwned=1&gt;" in page
    assert "&lt;svg onload=window.__pwned=2&gt;" in page
    text = render_markdown(report)
    assert "\\<img src=x onerror=window.\\_\\_pwned=1\\>" in text
    assert HOSTILE_NAME not in text and "<script>" not in text
