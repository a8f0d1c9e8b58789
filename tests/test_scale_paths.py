"""The paths that make large builds fast: compact relationships, tables read in
worker processes, and the store written while files load.

Each is checked against the plain path it replaces: the same graph, the same
stored rows, the same errors.
"""
from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from htkg.errors import LoadError
from htkg.graph.model import KnowledgeGraph
from htkg.graph.records import Edge, Node
from htkg.graph.store import open_store
from htkg.schema.types import TYPES

FIX = Path(__file__).parent / "fixtures" / "nrm" / "good"
NGO = FIX / "nrm_referrals_ngo_2023_q4.csv"


def small_graph() -> KnowledgeGraph:
    kg = KnowledgeGraph()
    kg.add(Node("Organisation", "example-trust", {"name": "Example Trust", "kind": "ngo"}, "r.yaml:1 (registry)"))
    kg.add(Node("Country", "country-al", {"name": "Albania", "iso2": "AL"}, "r.yaml:2 (registry)"))
    return kg


def referral(people: int = 3, **more) -> dict:
    return {"year": 2023, "quarter": 4, "exploitation": "Labour", "nationality": "Albanian",
            "people": people, **more}


# -- compact relationships ----------------------------------------------------------
def test_compact_relationships_merge_like_the_model():
    kg = small_graph()
    kg.add(Edge("REFERRED", "example-trust", "country-al", referral(), "a.csv:2 (nrm)"))
    kg.add_edges("REFERRED", [("example-trust", "country-al", referral(adult=2), "b.csv:7 (nrm)")])
    kg.add_edges("REFERRED", [("example-trust", "country-al", referral(quarter=3), "c.csv:4 (nrm)")])
    assert kg.counts()[1] == {"REFERRED": 2}
    assert kg.g.number_of_edges() == 0          # held in the table, not in networkx
    first = next(p for *_, p in kg.edges("REFERRED") if p["quarter"] == 4)
    # filled in (adult) and provenance unioned, as for any merged relationship
    assert first == {**referral(adult=2), "sources": ["a.csv:2 (nrm)", "b.csv:7 (nrm)"]}
    keys = sorted(k for _, _, k, _, _ in kg.relationships())
    assert keys == ["REFERRED|2023|3|Labour|Albanian", "REFERRED|2023|4|Labour|Albanian"]
    assert kg.targets("example-trust") == {("REFERRED", "country-al")}


@pytest.mark.parametrize("row, message", [
    (("example-trust", "country-xx", referral(), "t.csv:9 (nrm)"),
     "t.csv:9: REFERRED refers to unknown entity 'country-xx'"),
    (("country-al", "example-trust", referral(), "t.csv:9 (nrm)"),
     "t.csv:9: REFERRED cannot link Country"),
    (("example-trust", "country-al", referral(people="many"), "t.csv:9 (nrm)"),
     "t.csv:9: REFERRED from 'example-trust' to 'country-al': property 'people': "
     "expected a whole number"),
    (("example-trust", "country-al", referral(colour="red"), "t.csv:9 (nrm)"),
     "has no property 'colour'"),
    (("example-trust", "country-al", {"year": 2023, "quarter": 4, "exploitation": "Labour",
                                       "nationality": "Albanian"}, "t.csv:9 (nrm)"),
     "missing required property: people"),
])
def test_bulk_rows_are_refused_as_single_records_are(row, message):
    kg = small_graph()
    with pytest.raises(LoadError) as caught:
        kg.add_edges("REFERRED", [row])
    assert message in str(caught.value)
    assert caught.value.file == "t.csv" and caught.value.line == 9
    assert kg.counts()[1] == {}


def test_values_every_store_can_hold():
    for kind, value, why in [("int", 2**63, "64 bits"), ("int", -2**63 - 1, "64 bits"),
                             ("float", float("nan"), "finite"), ("float", 10**400, "finite"),
                             ("string", "Tirana \ud800", "surrogate")]:
        with pytest.raises(ValueError, match=why):
            TYPES[kind](value)
    assert TYPES["int"](2**63 - 1) == 2**63 - 1


def test_a_load_error_crosses_processes_whole():
    error = pickle.loads(pickle.dumps(LoadError("bad row", "t.csv", 4)))
    assert (error.message, error.file, error.line, str(error)) == ("bad row", "t.csv", 4,
                                                                   "t.csv:4: bad row")


# -- tables read in worker processes --------------------------------------------------
PARALLEL = """
import json, os, sys
from pathlib import Path
from htkg.exports.read import comparable
import htkg
from htkg.loaders import nrm
from htkg.pipeline import parallel
parallel.MIN_BYTES = 0
read = nrm.read
def traced(source, ctx):
    if nrm.parallel(source):        # the referral tables, which workers may read
        with open(sys.argv[2], "a") as f:
            f.write(f"{os.getpid()}\\n")
    return read(source, ctx)
nrm.read = traced
report = htkg.load([sys.argv[1]])
kg = report.graph
nodes, edges = comparable(kg)
print(json.dumps({"parent": os.getpid(), "nodes": repr(sorted(nodes.items())),
                  "edges": repr(edges), "unresolved": repr(sorted(
                      (u.name, u.kind, u.source) for u in kg.unresolved)),
                  "notes": [[f.path, f.rows, f.records, f.notes] for f in report.files]}))
"""


def _build_in(tmp_path: Path, folder: Path, workers: str) -> tuple[dict, set[int]]:
    pids = tmp_path / f"pids-{workers}"
    out = subprocess.run([sys.executable, "-c", PARALLEL, str(folder), str(pids)],
                         capture_output=True, text=True, check=True,
                         env={**os.environ, "HTKG_WORKERS": workers})
    return json.loads(out.stdout), {int(p) for p in pids.read_text().split()}


def test_tables_read_in_workers_make_the_same_graph(tmp_path):
    serial, serial_pids = _build_in(tmp_path, FIX, "1")
    parallel, parallel_pids = _build_in(tmp_path, FIX, "2")
    assert serial_pids == {serial["parent"]}
    assert parallel["parent"] not in parallel_pids and len(parallel_pids) >= 1
    for part in ("nodes", "edges", "unresolved", "notes"):
        assert parallel[part] == serial[part], part
    assert "REFERRED" in parallel["edges"]


def test_htkg_workers_must_be_a_number(monkeypatch):
    from htkg.errors import HtkgError
    from htkg.pipeline import parallel
    monkeypatch.setenv("HTKG_WORKERS", "lots")
    with pytest.raises(HtkgError, match="HTKG_WORKERS='lots' is not a whole number"):
        parallel.workers()


# -- the store written while files load ----------------------------------------------
STORED = ("MATCH (o:Organisation)-[r:REFERRED]->(c:Country) "
          "RETURN o.id AS o, c.id AS c, properties(r) AS p ORDER BY o, c, r.key")


def _stored(db: Path) -> list:
    with open_store(str(db)) as store:
        rows = store.read(STORED).rows
    return [(r["o"], r["c"], {k: sorted(v) if isinstance(v, list) else v
                              for k, v in r["p"].items()}) for r in rows]


def test_a_table_loaded_twice_is_merged_in_the_store_after_streaming(tmp_path):
    """The second copy of a table merges into rows already written: the store
    gets both sources, as the in-memory graph does, and no second relationship."""
    once, twice = tmp_path / "once", tmp_path / "twice"
    (twice / "a").mkdir(parents=True)
    (twice / "b").mkdir()
    once.mkdir()
    again = "nrm_referrals_ngo-again_2023_q4.csv"     # the same quarter, another name
    for target in (once / NGO.name, twice / "a" / NGO.name, twice / "b" / again):
        shutil.copy(NGO, target)
    htkg = [sys.executable, "-m", "htkg.cli", "build", "--no-figures"]
    for folder in (once, twice):
        done = subprocess.run([*htkg, str(folder), "--db", str(tmp_path / f"db-{folder.name}"),
                               "--no-map"], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    single, double = _stored(tmp_path / "db-once"), _stored(tmp_path / "db-twice")
    assert single and len(double) == len(single)
    for (o1, c1, p1), (o2, c2, p2) in zip(single, double):
        assert (o1, c1) == (o2, c2)
        assert len(p1["sources"]) == 1 and len(p2["sources"]) == 2
        assert {s.split(":")[0] for s in p2["sources"]} == {NGO.name, again}
        assert {k: v for k, v in p1.items() if k != "sources"} == \
               {k: v for k, v in p2.items() if k != "sources"}


def test_streamed_build_stores_what_the_graph_holds(tmp_path):
    """``htkg build`` (written while loading) against the in-memory graph of
    the same files, relationship by relationship."""
    import htkg
    db = tmp_path / "db"
    done = subprocess.run([sys.executable, "-m", "htkg.cli", "build", str(FIX), "--db", str(db),
                           "--no-map", "--no-figures"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    kg = htkg.load([FIX], figures=False).graph
    expected = [(a, b, {k: sorted(v) if isinstance(v, list) else v
                        for k, v in p.items() if v is not None and v != []})
                for a, b, _, p in kg.edges("REFERRED")]
    got = [(o, c, {k: v for k, v in p.items() if k != "key"}) for o, c, p in _stored(db)]
    assert len(got) == len(expected) > 0
    assert sorted(got, key=repr) == sorted(expected, key=repr)


# -- quarterly totals ------------------------------------------------------------------
def test_quarterly_totals_sum_referred_and_are_recomputed():
    from htkg.graph.summary import summarise_referrals
    kg = small_graph()
    kg.add_edges("REFERRED", [
        ("example-trust", "country-al", referral(3), "a.csv:2 (nrm)"),
        ("example-trust", "country-al", referral(4, exploitation="Sexual"), "a.csv:5 (nrm)"),
        ("example-trust", "country-al", referral(2, nationality="Albanian Greek"), "b.csv:9 (nrm)"),
        ("example-trust", "country-al", referral(5, quarter=3), "c.csv:3 (nrm)")])
    assert summarise_referrals(kg) == 2
    totals = {p["quarter"]: p for *_, p in kg.edges("REFERRED_QUARTER")}
    assert totals[4] == {"year": 2023, "quarter": 4, "people": 9, "relationships": 3,
                         "nationalities": ["Albanian", "Albanian Greek"],
                         "sources": ["a.csv (summary)", "b.csv (summary)"]}
    assert totals[3]["people"] == 5 and totals[3]["sources"] == ["c.csv (summary)"]
    # derived, never merged: a later REFERRED changes the totals when they are recomputed
    kg.add_edges("REFERRED", [("example-trust", "country-al", referral(1, exploitation="Domestic"),
                               "d.csv:4 (nrm)")])
    assert summarise_referrals(kg) == 2
    assert {p["quarter"]: p["people"] for *_, p in kg.edges("REFERRED_QUARTER")} == {4: 10, 3: 5}
