"""The NRM statistics loader: small tables of our own in the published layout
(tests/fixtures/nrm), then the real tables that ship with htkg (data/figures/nrm),
as the default build loads them.

Expected figures on the real tables are computed here from the CSVs' own
"Total" rows, never written in by hand.
"""
from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from htkg.cli import main
from htkg.errors import LoadError
from htkg.graph.model import KnowledgeGraph
from htkg.loaders.base import Source
from htkg.loaders.registry import default_resolver as registry_resolver
from htkg.pipeline import load
from htkg.pipeline.load import Context, merge
from htkg.textfile import read_utf8


def build_graph(paths, **options):
    """The in-memory graph of ``paths`` and what was loaded (no store); the bundled
    figures are left out unless asked for."""
    options.setdefault("figures", False)
    result = load(paths, **options)
    return result.graph, result
from htkg.loaders import nrm
from htkg.loaders.nationality import default_resolver as nationalities

FIX = Path(__file__).parent / "fixtures" / "nrm"
GOOD = FIX / "good"
NGO = GOOD / "nrm_referrals_ngo_2023_q4.csv"
GOV = GOOD / "nrm_referrals_government_2023_q4.csv"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def cypher(db, query, **params):
    args = ["cypher", query, "--db", db, "--format", "json"]
    for k, v in params.items():
        args += ["-p", f"{k}={json.dumps(v) if not isinstance(v, str) else v}"]
    result = run(*args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def referred(kg: KnowledgeGraph) -> dict[tuple, dict]:
    """(responder, country, exploitation, nationality) -> properties."""
    return {(a, b, p["exploitation"], p["nationality"]): p for a, b, _, p in kg.edges("REFERRED")}


def table_rows(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def is_total_row(r: dict) -> bool:
    return r["Age at exploitation"] == "Total" and r["Gender"] == "Total"


# -- fixtures: what becomes what -------------------------------------------------------
@pytest.fixture(scope="module")
def good():
    return build_graph([GOOD])


def test_detail_rows_become_referred_with_age_and_gender_cells(good):
    kg, _ = good
    edges = referred(kg)
    tsa = edges[("the-salvation-army", "country-al", "Labour", "Albanian")]
    assert {k: v for k, v in tsa.items() if k != "sources"} == {
        "year": 2023, "quarter": 4, "exploitation": "Labour", "nationality": "Albanian",
        "people": 5, "adult": 4, "child": 1, "adult_female": 1, "adult_male": 3, "child_male": 1}
    assert tsa["sources"] == ["nrm_referrals_ngo_2023_q4.csv:6 (nrm)"]
    # "Other" gender within an age band is gender_other; no derived marginal totals.
    barnardos = edges[("barnardos", "country-vn", "Labour", "Vietnamese")]
    assert barnardos["child_male"] == 3 and barnardos["child_gender_other"] == 1
    assert not {"female", "male", "gender_other"} & set(barnardos)
    # Home Office units resolve to themselves (PART_OF the Home Office in the registry).
    ukvi = edges[("uk-visas-and-immigration", "country-al", "Labour", "Albanian")]
    assert ukvi["people"] == 7
    assert ("uk-visas-and-immigration", "home-office") in {(a, b) for a, b, *_ in kg.edges("PART_OF")}


def test_zero_and_unresolvable_make_no_relationship(good):
    kg, report = good
    edges = referred(kg)
    assert not any(k[3] == "Vietnamese" and k[2] == "Sexual" for k in edges)   # published 0
    assert not any(k[3] in ("Unknown", "Not Known") for k in edges)
    notes = " ".join(next(f for f in report.files if f.path.endswith(NGO.name)).notes)
    assert "'Unknown' (1 people)" in notes


def test_dual_nationality_links_each_country_and_keeps_the_value(good):
    kg, report = good
    edges = referred(kg)
    for country in ("country-al", "country-gr"):
        assert edges[("the-salvation-army", country, "Labour", "Albanian Greek")]["people"] == 1
    for country in ("country-er", "country-et"):
        assert edges[("uk-visas-and-immigration", country, "Labour & Criminal",
                      "Eritrean Ethiopian")]["people"] == 2


def test_unknown_responder_and_nationality_are_reported_not_loaded(good):
    kg, report = good
    unresolved = {(u.kind, u.name, u.source) for u in kg.unresolved}
    assert ("first responder", "Ministry of Magic MoM",
            "nrm_referrals_government_2023_q4.csv:37 (nrm)") in unresolved
    assert ("nationality", "Atlantean", "nrm_referrals_government_2023_q4.csv:31 (nrm)") in unresolved
    assert not any("magic" in a for a, *_ in kg.edges("REFERRED"))
    assert not any(p["nationality"] == "Atlantean" for *_, p in kg.edges("REFERRED"))


def test_sum_over_exploitation_types_equals_published_total(good):
    kg, _ = good
    resolver = registry_resolver()
    summed: dict[tuple[str, str], int] = defaultdict(int)
    seen = set()
    for a, _, _, p in kg.edges("REFERRED"):
        key = (a, p["nationality"], p["exploitation"])
        if key not in seen:            # a dual nationality links two countries: count it once
            seen.add(key)
            summed[(a, p["nationality"])] += p["people"]
    checked = 0
    for path in (NGO, GOV):
        for r in table_rows(path):
            if r["Exploitation type"] == "Total" and is_total_row(r) and r["Nationality"] != "Total":
                rid = resolver.resolve(r["First responder"], "Organisation")
                try:
                    codes = nationalities().resolve(r["Nationality"])
                except LoadError:
                    continue
                if rid and codes:
                    assert summed[(rid, r["Nationality"])] == int(r["People"]), r
                    checked += 1
    assert checked == 9          # the total rows of both tables with a known responder


def test_reconciliation_notes(good):
    _, report = good
    for f in report.files:
        if "referrals_" in f.path and "longitudinal" not in f.path:
            assert any(n.startswith("reconciled against published totals") and n.endswith("all equal")
                       for n in f.notes), f.notes
    kg, report = build_graph([FIX / "mismatch"])
    notes = report.files[-1].notes
    assert any("1 differ: NGO and third sector / Vietnamese: sum 6, published 7" in n for n in notes)
    assert len(list(kg.edges("REFERRED"))) == 7      # a difference is reported, not refused


def test_suppressed_cells_load_nothing_and_are_not_reconciled():
    kg, report = build_graph([FIX / "suppressed"])
    edges = referred(kg)
    assert not any(k[3] == "Albanian Greek" for k in edges)           # [x] at Age/Gender Total
    labour = edges[("the-salvation-army", "country-al", "Labour", "Albanian")]
    assert labour["adult"] == 4 and "adult_female" not in labour and "adult_male" not in labour
    notes = " ".join(report.files[-1].notes)
    assert "3 suppressed cells" in notes and "not reconciled" in notes


# -- periods --------------------------------------------------------------------------
def test_period_from_name_or_option_and_refused_without():
    with pytest.raises(LoadError) as exc:
        build_graph([FIX / "no-period"])
    assert str(exc.value).startswith("referrals-ngo.csv: cannot tell which quarter")
    assert "--period 2023Q4" in str(exc.value)
    kg, report = build_graph([FIX / "no-period"], options={"period": "2022q1"})
    assert {(p["year"], p["quarter"]) for *_, p in kg.edges("REFERRED")} == {(2022, 1)}
    kg, report = build_graph([NGO], options={"period": "2022Q1"})
    assert {(p["year"], p["quarter"]) for *_, p in kg.edges("REFERRED")} == {(2023, 4)}
    assert any("--period 2022Q1 not used" in n for n in report.files[-1].notes)
    with pytest.raises(LoadError, match=r"--period '2023-13' is not a quarter.*2023Q4"):
        build_graph([FIX / "no-period"], options={"period": "2023-13"})


def test_period_refused_through_the_cli(tmp_path):
    result = run("build", FIX / "no-period", "--db", tmp_path / "s", "--no-figures")
    assert result.exit_code == 1
    assert "referrals-ngo.csv: cannot tell which quarter" in result.output
    assert "--period 2023Q4" in result.output


# -- bad input ------------------------------------------------------------------------
@pytest.mark.parametrize("kind, line, words", [
    ("missing-column", 1, "missing column 'Gender'"),
    ("non-numeric", 6, "'People' is not a whole number: 'five'"),
    ("negative", 7, "negative count -4"),
    ("truncated", 10, "ends in the middle of a line"),
    ("short-row", 10, "row has 2 fields, expected 7"),
    ("not-utf8", 13, "not UTF-8 text (byte 0xe9)"),
    ("empty", 1, "the file is empty"),
    ("binary", 1, "binary data"),
    ("duplicate", 8, "duplicate row"),
    ("unknown-age", 13, "unknown age 'Adults'"),
])
def test_bad_input_names_file_and_row(kind, line, words):
    path = FIX / "bad" / f"nrm_referrals_{kind}_2023_q4.csv"
    kg = KnowledgeGraph()
    from htkg.loaders.registry import load_registry
    load_registry(kg)
    before = (kg.g.number_of_nodes(), kg.g.number_of_edges())
    with pytest.raises(LoadError) as exc:
        merge(kg, nrm, Source(path), nrm.read(Source(path), Context(kg)))
    assert str(exc.value).startswith(f"{path.name}:{line}: "), str(exc.value)
    assert words in str(exc.value)
    assert (kg.g.number_of_nodes(), kg.g.number_of_edges()) == before   # nothing added


def test_bad_file_in_a_build_leaves_the_store_untouched(fixture_store):
    db, _ = fixture_store
    before = cypher(db, "MATCH ()-[r:REFERRED]->() RETURN count(r) AS n")
    result = run("build", GOOD, FIX / "bad" / "nrm_referrals_negative_2023_q4.csv", "--db", db,
                 "--no-figures")
    assert result.exit_code == 1
    assert "nrm_referrals_negative_2023_q4.csv:7: negative count" in result.output
    assert cypher(db, "MATCH ()-[r:REFERRED]->() RETURN count(r) AS n") == before


# -- routing and progress ------------------------------------------------------------------
def test_recognises_nrm_tables_only():
    head = "Year,Quarter,Adult (18 or over) - Negative reasonable grounds,Total\n"
    assert not nrm.recognises(Source(Path("nrm_reasonable_grounds.csv"), head))
    assert not nrm.recognises(Source(Path("SOURCE.txt"), "NRM statistics"))
    assert nrm.recognises(Source(NGO))
    assert nrm.table_kind(Path("x.csv"), "Nationality,Total\n") == nrm.DUTY_TO_NOTIFY
    # A damaged referral table is still routed here, to be refused with the reason.
    assert nrm.recognises(Source(Path("x.csv"), "First responder type,First responder,"
                                                "Exploitation type,Nationality,People\n"))


def test_progress_is_reported():
    calls = []
    kg, _ = build_graph([NGO], progress=lambda *a: calls.append(a))
    assert calls[-1] == ("reading nrm_referrals_ngo_2023_q4.csv", 46, 46)


# -- longitudinal and duty to notify ------------------------------------------------------
def test_duty_to_notify_on_countries(good):
    kg, report = good
    assert kg.node("country-al")[1]["duty_to_notify"] == ["2023Q4: 57", "2023Q4 Albanian Greek: 1"]
    assert kg.node("country-gr")[1]["duty_to_notify"] == ["2023Q4 Albanian Greek: 1"]
    assert kg.node("country-gb")[1]["duty_to_notify"] == ["2023Q4: 23"]
    assert kg.node("country-vn")[1]["duty_to_notify"] == ["2023Q4: 14"]   # "Vietnamese Unknown" is 0
    notes = " ".join(next(f for f in report.files if "duty_to_notify_2023" in f.path).notes)
    assert "'Unknown' (9 reports)" in notes and "all equal" in notes


def test_national_series_on_the_nrm(good):
    kg, _ = good
    props = kg.node("initiative-nrm")[1]
    assert props["duty_to_notify"][0] == "2022Q1: 200"
    assert props["duty_to_notify_by_year"] == ["2022: 1000"]
    # Expected figures from the fixture's own rows.
    rows = table_rows(GOOD / "nrm_referrals_longitudinal.csv")
    y2022 = [r for r in rows if r["Year"] == "2022"]
    total = sum(int(r["NRM referrals"]) for r in y2022 if r["Location of exploitation"] == "Total")
    uk = sum(int(r["NRM referrals"]) for r in y2022 if r["Location of exploitation"] == "UK")
    assert props["referrals_by_year"] == [f"2022: {total}"]           # 2023 has Q1 only
    assert f"2022 UK: {uk}" in props["referrals_by_location"]
    assert len(props["referrals_by_quarter"]) == 5


# -- the CLI on our fixtures ---------------------------------------------------------------
@pytest.fixture(scope="session")
def fixture_store(tmp_path_factory):
    db = tmp_path_factory.mktemp("nrm-fixture-store")
    result = run("build", GOOD, "--db", db, "--no-figures")
    assert result.exit_code == 0, result.output
    return str(db), result.output


def test_cli_build_summary_on_fixtures(fixture_store):
    _, out = fixture_store
    assert "nrm_referrals_ngo_2023_q4.csv (nrm): 46 rows, 7 records" in out
    assert "REFERRED" in out
    assert "NRM tables: 5 files" in out and "12 REFERRED relationships in the graph" in out
    assert "unresolved names (2)" in out
    assert "first responder 'Ministry of Magic MoM' at nrm_referrals_government_2023_q4.csv:37" in out
    assert "nationality 'Atlantean' at nrm_referrals_government_2023_q4.csv:31" in out


def test_cypher_reads_referrals_back(fixture_store):
    db, _ = fixture_store
    rows = cypher(db, "MATCH (o:Organisation {id: $o})-[r:REFERRED]->(c:Country) "
                      "RETURN c.id AS c, r.nationality AS n, r.exploitation AS e, r.people AS p, "
                      "r.child_gender_other AS other ORDER BY c, e", o="barnardos")
    assert rows == [{"c": "country-al", "n": "Albanian", "e": "Sexual", "p": 1, "other": None},
                    {"c": "country-vn", "n": "Vietnamese", "e": "Labour", "p": 4, "other": 1}]
    rows = cypher(db, "MATCH (n:Initiative {id: 'initiative-nrm'}) UNWIND n.referrals_by_location AS s "
                      "WITH split(s, ': ') AS p WHERE p[0] STARTS WITH '2022 ' "
                      "RETURN substring(p[0], 5) AS location, toInteger(p[1]) AS people "
                      "ORDER BY location")
    assert [r["location"] for r in rows] == ["UK", "UK and overseas", "location unknown", "overseas"]


# -- the real tables, as they ship and as the default build loads them ------------------
FIGURES = Path(__file__).resolve().parents[1] / "data" / "figures" / "nrm"


def bundled_rows(name: str) -> list[dict]:
    """The rows of a bundled table (``name`` without .xz), decompressed."""
    text = read_utf8(FIGURES / f"{name}.xz", name, "CSV", "")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _responder_ids(rows: list[dict]) -> list[str]:
    resolver = registry_resolver()
    names = {r["First responder"] for r in rows if not r["First responder"].endswith(" total")}
    return sorted({resolver.resolve(n, "Organisation") for n in names})


@pytest.mark.parametrize("kind", ["government", "local-authority", "ngo", "police"])
def test_bundled_published_total_per_responder_type(default_build, kind):
    db, _, _ = default_build
    rows = bundled_rows(f"nrm_referrals_{kind}_2023_q4.csv")
    ids = _responder_ids(rows)
    assert None not in ids
    aggregate = {r["Nationality"]: int(r["People"]) for r in rows
                 if r["First responder"].endswith(" total") and r["Exploitation type"] == "Total"}
    # People whose nationality is not a country ("Unknown") have no relationship.
    not_a_country = sum(int(r["People"]) for r in rows
                        if is_total_row(r) and r["Exploitation type"] != "Total"
                        and r["Nationality"] != "Total" and not r["First responder"].endswith(" total")
                        and nationalities().resolve(r["Nationality"]) == ())
    got = cypher(db, "MATCH (o:Organisation)-[r:REFERRED]->(:Country) "
                     "WHERE o.id IN $ids AND r.year = 2023 AND r.quarter = 4 "
                     "WITH DISTINCT o.id AS o, r.nationality AS n, r.exploitation AS e, r.people AS p "
                     "RETURN sum(p) AS people", ids=ids)
    assert got[0]["people"] == aggregate["Total"] - not_a_country
    got = cypher(db, "MATCH (o:Organisation)-[r:REFERRED]->(:Country {id: 'country-al'}) "
                     "WHERE o.id IN $ids AND r.year = 2023 AND r.quarter = 4 "
                     "AND r.nationality = 'Albanian' RETURN sum(r.people) AS people", ids=ids)
    assert got[0]["people"] == aggregate["Albanian"]


@pytest.mark.parametrize("kind", ["government", "ngo", "police"])
def test_bundled_sums_over_exploitation_match_published_totals(default_build, kind):
    db, _, _ = default_build
    rows = bundled_rows(f"nrm_referrals_{kind}_2023_q4.csv")
    resolver = registry_resolver()
    expected = {}
    for r in rows:
        if (r["Exploitation type"] == "Total" and is_total_row(r) and r["Nationality"] != "Total"
                and not r["First responder"].endswith(" total") and int(r["People"])
                and nationalities().resolve(r["Nationality"])):
            key = (resolver.resolve(r["First responder"], "Organisation"), " ".join(r["Nationality"].split()))
            expected[key] = int(r["People"])
    got = cypher(db, "MATCH (o:Organisation)-[r:REFERRED]->(:Country) "
                     "WHERE o.id IN $ids AND r.year = 2023 AND r.quarter = 4 "
                     "WITH DISTINCT o.id AS o, r.nationality AS n, r.exploitation AS e, r.people AS p "
                     "RETURN o, n, sum(p) AS people", ids=_responder_ids(rows))
    assert {(g["o"], g["n"]): g["people"] for g in got} == expected
    assert len(expected) > 50


def test_bundled_dual_nationality_links(default_build):
    db, _, _ = default_build
    rows = bundled_rows("nrm_referrals_government_2023_q4.csv")
    dual = next(r for r in rows if is_total_row(r) and r["Exploitation type"] != "Total"
                and int(r["People"]) and len(nationalities().resolve(r["Nationality"])) == 2)
    codes = nationalities().resolve(dual["Nationality"])
    rid = registry_resolver().resolve(dual["First responder"], "Organisation")
    got = cypher(db, "MATCH (o:Organisation {id: $o})-[r:REFERRED]->(c:Country) "
                     "WHERE r.nationality = $n AND r.exploitation = $e "
                     "RETURN c.iso2 AS iso2, r.people AS people ORDER BY iso2",
                 o=rid, n=dual["Nationality"], e=dual["Exploitation type"])
    assert got == sorted(({"iso2": c, "people": int(dual["People"])} for c in codes),
                         key=lambda g: g["iso2"])


def test_the_default_build_names_every_table_and_its_quarters(default_build):
    _, out, _ = default_build
    tables = sorted(FIGURES.glob("nrm_referrals_*_2023_q4.csv.xz"))
    assert [t.name.split("_")[2] for t in tables] == ["government", "local-authority", "ngo",
                                                      "police"]
    for table in tables:
        rows = len(bundled_rows(table.name.removesuffix(".xz")))
        assert f"{table.name} (nrm): {rows} rows" in out
    assert out.count("reconciled against published totals, total ") == 27
    assert "NRM tables: 36 files" in out and "all equal" in out
    assert ("NRM figures' quarters: referrals by government agencies: 2022 Q2 to 2023 Q4 "
            "(7 quarters); referrals by local authorities: 2022 Q2 to 2023 Q4 (7 quarters); "
            "referrals by NGOs: 2022 Q2 to 2023 Q4 (7 quarters); referrals by police: 2022 Q2 "
            "to 2023 Q4 (6 quarters; none for 2023 Q3); Duty to Notify: 2022 Q2 to 2023 Q4 "
            "(7 quarters)") in out
    assert "unresolved names: none" in out
    assert "wrote " in out and " relationships to " in out


def test_every_bundled_table_loads_and_reconciles():
    calls = []
    kg, report = build_graph([], figures=True, progress=lambda *a: calls.append(a))
    files = [f for f in report.files if f.loader == "nrm"]
    assert len(files) == len(list(FIGURES.glob("nrm_*.csv.xz"))) == 36
    referral_tables = [f for f in files if "_q" in f.path and "referrals" in f.path]
    assert len(referral_tables) == 27
    for f in referral_tables:
        assert any(n.startswith("reconciled") and n.endswith("all equal") for n in f.notes), f.notes
    assert any(c[0] == "reading 36 nrm files" for c in calls)
    assert {(p["year"], p["quarter"]) for *_, p in kg.edges("REFERRED")} == {
        (2022, 2), (2022, 3), (2022, 4), (2023, 1), (2023, 2), (2023, 3), (2023, 4)}
    assert not kg.unresolved


# -- police first responders ----------------------------------------------------------------
def test_every_police_responder_resolves_with_nation_and_force_area():
    """Every police first responder of every bundled quarter is an organisation of the
    graph with a nation; each territorial force serves its police force area."""
    kg, _ = build_graph([])
    from htkg.graph.resolver import Resolver
    resolver = Resolver.from_graph(kg)
    serves = {a: b for a, b, _, _ in kg.edges("SERVES")}
    names = {r["First responder"] for table in sorted(FIGURES.glob("nrm_referrals_police_*.xz"))
             for r in bundled_rows(table.name.removesuffix(".xz"))
             if not r["First responder"].endswith(" total")}
    assert len(names) > 45
    for name in sorted(names):
        rid = resolver.resolve(name, "Organisation")
        assert rid is not None, name
        _, props = kg.node(rid)
        assert props.get("nation"), name
        if props["kind"] == "police_force" and rid != "british-transport-police":
            label, area = kg.node(serves[rid])
            assert label == "Area" and area["kind"] == "police_force_area", name
            assert props["nation"] == area["nation"], name


def test_a_responder_never_seen_before_is_listed_and_the_rest_loads(tmp_path):
    """A police table of a future quarter names a unit no registry knows: the build goes
    on, lists it with file and line, loads the rest, and the table still reconciles."""
    future = FIX / "future"
    db = tmp_path / "store"
    result = run("build", future, "--db", db, "--no-figures", "--no-map")
    assert result.exit_code == 0, result.output
    out = result.output
    assert ("first responder 'Marches and Borders Regional Organised Crime Unit' at "
            "nrm_referrals_police_2024_q1.csv:13 (nrm)") in out
    assert "Police, 2024 Q1: 1 of 2 first responders resolved" in out
    assert "4 people under unresolved names not loaded" in out
    assert "total Police 9" in out and "all equal" in out
    rows = cypher(str(db), "MATCH (o:Organisation)-[r:REFERRED]->(c:Country) "
                           "WHERE r.year = 2024 RETURN o.id AS o, c.id AS c, r.people AS p "
                           "ORDER BY c")
    assert rows == [{"o": "kent-police", "c": "country-gb", "p": 2},
                    {"o": "kent-police", "c": "country-vn", "p": 3}]
