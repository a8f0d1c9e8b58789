"""`htkg build` into real embedded stores, read back through `htkg cypher`."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from htkg.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
DUMP = ("MATCH (n) OPTIONAL MATCH (n)-[r]->(m) "
        "RETURN n.id AS id, properties(n) AS props, type(r) AS type, m.id AS target, "
        "properties(r) AS rprops ORDER BY id, type, target, rprops.key")


def run(*args, **kw):
    args = [a for a in args if a is not None]
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, **kw)
    return result


def cypher_json(db, query, *params):
    args = ["--db", db] if db else []
    result = run("cypher", query, *args, "--format", "json", *params)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def dump(db):
    rows = cypher_json(db, DUMP)
    for row in rows:  # list order inside a property is not part of the graph's meaning
        for props in (row["props"], row["rprops"] or {}):
            for k, v in props.items():
                if isinstance(v, list):
                    props[k] = sorted(map(str, v))
    return sorted(json.dumps(r, sort_keys=True) for r in rows)


def test_build_summary_and_sample(default_build):
    """`htkg build` with no paths builds the real graph: the registry, the official
    geography and the NRM figures of all four first-responder types."""
    db, output, overview = default_build
    assert "Graph built" in output
    assert "Organisation" in output and "REGULATES" in output and "REFERRED" in output
    assert "unresolved names: none" in output
    assert f"to {db}" in output
    assert "Royal Mail" in output  # the sample query's answer
    assert "Overview map (" in output and str(overview) in output
    page = overview.read_text(encoding="utf-8")
    assert 'id="network"' in page and "Royal Mail" in page
    # The overview sums the graph up by kind (police forces, councils, areas...) and says
    # how to see every entity.
    assert "Overview of the graph, by kind" in page and "htkg map --all" in page
    kinds = cypher_json(db, "MATCH (o:Organisation)-[:REFERRED]->() RETURN DISTINCT o.kind AS k")
    assert {"agency", "local_authority", "ngo", "police_force"} <= {r["k"] for r in kinds}


def test_the_default_graph_answers_the_done_questions(default_build):
    """Nigerians' referrers strongest first; Scotland's first country is not the UK's."""
    db = default_build[0]
    rows = json.loads(run("query", "country-links", "-p", "country=Nigeria", "--db", db,
                          "--format", "json").output)
    totals = [r["total_people"] for r in rows if r["total_people"] is not None]
    assert len(totals) > 10 and totals == sorted(totals, reverse=True)
    assert rows[0]["total_people"] == totals[0]
    rows = json.loads(run("query", "nation-source-countries", "-p", "year=2023", "-p", "quarter=4",
                          "--db", db, "--format", "json").output)
    first = {r["nation"]: r["country"] for r in rows if r["rank"] == 1}
    assert first["Scotland"] == "Vietnam" != first["United Kingdom"]


def test_build_map_options(tmp_path):
    target = tmp_path / "maps" / "overview.html"
    target.parent.mkdir()
    result = run("build", "--db", tmp_path / "s", "--map", target, "--no-figures")
    assert result.exit_code == 0, result.output
    assert target.exists() and str(target) in result.output
    result = run("build", "--db", tmp_path / "s", "--no-map", "--map", tmp_path / "x.html",
                 "--no-figures")
    assert result.exit_code == 0 and "Overview map" not in result.output
    assert not (tmp_path / "x.html").exists()


def test_cypher_reads_back_counts_and_known_facts(registry_store):
    rows = cypher_json(registry_store, "MATCH (n:Country) RETURN count(n) AS n")
    assert rows[0]["n"] == 254   # 248 ISO 3166-1 countries but GB, Kosovo, the UK, its 4 nations
    rows = cypher_json(registry_store,
                       "MATCH (g:Organisation)-[r:REGULATES]->(s:Sector {id: $s}) "
                       "RETURN g.id AS regulator, r.sources AS sources", "-p", "s=sector-agriculture")
    assert "gangmasters-licensing-authority" in {r["regulator"] for r in rows}
    assert all(r["sources"] for r in rows)
    rows = cypher_json(registry_store, "MATCH (o:Organisation {name: $name}) "
                       "RETURN o.frontline_contact AS f", "-p", "name=Royal Mail")
    assert rows == [{"f": True}]


def test_param_values_are_json_where_they_parse(registry_store):
    rows = cypher_json(registry_store, "RETURN $year AS y, $ok AS ok, $ids AS ids, $name AS n",
                       "-p", "year=2023", "-p", "ok=true", "-p", 'ids=["a","b"]',
                       "-p", "name=Nigeria")
    assert rows == [{"y": 2023, "ok": True, "ids": ["a", "b"], "n": "Nigeria"}]


def test_csv_and_table_formats(registry_store):
    q = "MATCH (s:Sector) RETURN s.id AS id ORDER BY id LIMIT 2"
    out = run("cypher", q, "--db", registry_store, "--format", "csv").output
    assert out.splitlines()[0] == "id" and len(out.splitlines()) == 3
    out = run("cypher", q, "--db", registry_store).output
    assert "2 rows" in out


def test_writes_are_refused_and_change_nothing(registry_store):
    before = cypher_json(registry_store, "MATCH (n) RETURN count(n) AS n")
    result = run("cypher", "CREATE (n:Organisation {id: 'intruder', name: 'x'}) RETURN n",
                 "--db", registry_store)
    assert result.exit_code == 1
    assert "only reads" in result.output
    assert cypher_json(registry_store, "MATCH (n) RETURN count(n) AS n") == before
    assert cypher_json(registry_store, "MATCH (n {id: 'intruder'}) RETURN n") == []


def test_build_twice_gives_the_same_graph(tmp_path):
    db = tmp_path / "twice"
    assert run("build", "--db", db, "--no-figures").exit_code == 0
    first = dump(db)
    assert run("build", "--db", db, "--no-figures").exit_code == 0
    assert dump(db) == first


def test_failed_build_leaves_previous_store_intact(registry_store, tmp_path):
    before = dump(registry_store)
    result = run("build", FIXTURES / "registry" / "bad-kind.yaml", "--db", registry_store,
                 "--no-figures")
    assert result.exit_code == 1
    assert "bad-kind.yaml:7:" in result.output and "expected one of" in result.output
    assert dump(registry_store) == before


def test_unrecognised_file_names_the_kinds_known(tmp_path):
    odd = tmp_path / "notes.bin"
    odd.write_bytes(b"\x00\x01binary")
    result = run("build", odd, "--db", tmp_path / "s")
    assert result.exit_code == 1
    assert "notes.bin: htkg does not know this kind of file; it reads: registry" in result.output


def test_own_registry_file_is_loaded(tmp_path):
    db = tmp_path / "own"
    result = run("build", FIXTURES / "registry" / "extra-bodies.yaml", "--db", db, "--no-figures")
    assert result.exit_code == 0, result.output
    rows = cypher_json(db, "MATCH (o:Organisation {id: 'example-shelter-network'})"
                           "-[r:ACTIVE_IN]->(c:Country) RETURN c.iso2 AS iso2, r.sources AS s")
    assert rows[0]["iso2"] == "AL"
    assert "extra-bodies.yaml:" in rows[0]["s"][0]


def test_show_and_stats(registry_store):
    result = run("show", "GLA", "--db", registry_store)
    assert result.exit_code == 0, result.output
    assert "Gangmasters Licensing Authority" in result.output
    assert "-[REGULATES]-> Agriculture" in result.output
    assert "-[SUCCEEDED_BY]-> Gangmasters and Labour Abuse Authority" in result.output
    assert "source: data/registry/" in result.output
    result = run("show", "Gangmasters Licencing Authorty", "--db", registry_store)
    assert result.exit_code == 1
    assert "no entity called" in result.output and "gangmasters-licensing-authority" in result.output
    stats = json.loads(run("stats", "--db", registry_store, "--format", "json").output)
    assert {"kind": "relationship", "name": "REGULATES"} .items() <= next(
        s for s in stats if s["name"] == "REGULATES").items()


def test_missing_store_is_a_clear_error(tmp_path):
    result = run("stats", "--db", tmp_path / "nothing-here")
    assert result.exit_code == 1
    assert "no graph has been built" in result.output and "htkg build" in result.output


def test_same_writer_over_bolt_uri(bolt_env, registry_store):
    """The Neo4j code path: build, read and refuse writes over a bolt:// URI.

    The embedded default writes through the engine's bulk path; over a URI the
    Cypher writer (MERGE in batches) does. Both must store the same graph.
    """
    result = run("build", "--no-figures")
    assert result.exit_code == 0, result.output
    assert bolt_env["uri"] in result.output
    rows = cypher_json(None, "MATCH (o:Organisation {id: 'royal-mail'}) RETURN o.name AS n")
    assert rows == [{"n": "Royal Mail"}]
    first = dump(None)
    # Other tests may add to the shared server, so the bulk-written registry
    # must be contained in what the Cypher writer stored, row for row.
    assert set(dump(registry_store)) <= set(first)
    assert run("build", "--no-figures").exit_code == 0
    assert dump(None) == first
    result = run("cypher", "MATCH (o:Organisation {id: 'royal-mail'}) SET o.name = 'x' RETURN o")
    assert result.exit_code == 1 and "only reads" in result.output
    assert cypher_json(None, "MATCH (o:Organisation {id: 'royal-mail'}) RETURN o.name AS n") == rows


def test_wrong_password_never_printed(bolt_env, monkeypatch):
    monkeypatch.setenv("NEO4J_PASSWORD", "not-the-password-xyz")
    result = run("stats")
    assert result.exit_code == 1
    assert "refused the user name or password" in result.output
    assert "not-the-password-xyz" not in result.output
