"""Security and reliability of the read path, tried as an attacker and a careless user would.

Each test checks what a user would: the store's counts and schema unchanged
after a refused write, the file outside the store still there, the secret
absent from the output, the prompt back within 2 s after Ctrl-C, a time
limit's one-line message, a damaged store named as damaged. Everything runs
against the real embedded engine or a real `htkg serve`; processes a test
starts are stopped on every path.
"""
from __future__ import annotations

import contextlib
import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from htkg.cli import main
from htkg.errors import QueryError, StoreError
from htkg.graph import embedded, generations
from htkg.graph.model import KnowledgeGraph
from htkg.graph.records import Node
from htkg.graph.store import open_store, resolve_target
from htkg.graph.writers import write_store

SLOW = "MATCH (a),(b),(c) WHERE a.name + b.name + c.name = 'no such name' RETURN count(*) AS n"
UNCHECKED_SLEEP = "RETURN util.sleep(60000) AS slept"   # a function the engine's limit does not stop


def run(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


def htkg(*args, env=None, timeout=300):
    return subprocess.run([sys.executable, "-m", "htkg.cli", *map(str, args)], capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=timeout)


@contextlib.contextmanager
def started(*args, env=None):
    """`htkg ARGS` running in a process of its own, stopped on every path."""
    proc = subprocess.Popen([sys.executable, "-m", "htkg.cli", *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})})
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


def snapshot(db, env=None) -> dict:
    """What a user checks: counts per label and type, and the schema."""
    out = {}
    for name, query in [("labels", "CALL db.labels() YIELD label RETURN label ORDER BY label"),
                        ("types", "CALL db.relationshipTypes() YIELD relationshipType AS t "
                                  "RETURN t ORDER BY t"),
                        ("indexes", "SHOW INDEXES YIELD name RETURN name ORDER BY name"),
                        ("constraints", "SHOW CONSTRAINTS YIELD name RETURN name ORDER BY name")]:
        args = ["cypher", query, "--format", "json"] + (["--db", db] if db else [])
        result = run(*args, env=env)
        assert result.exit_code == 0, result.output
        out[name] = json.loads(result.output)
    result = run("stats", "--format", "json", *(["--db", db] if db else []), env=env)
    assert result.exit_code == 0, result.output
    out["counts"] = json.loads(result.output)
    assert any(r["name"] == "Organisation" and r["count"] > 100 for r in out["counts"])
    return out


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    """An embedded store of the bundled registry, for this module alone."""
    import htkg
    db = tmp_path_factory.mktemp("secure-store")
    htkg.build([], str(db))
    return str(db)


@pytest.fixture(scope="module")
def before(store) -> dict:
    return snapshot(store)


# -- 1. read-only by construction ----------------------------------------------------------------
WRITES = [
    "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS",
    "MATCH (n) CALL { WITH n DETACH DELETE n } IN 2 CONCURRENT TRANSACTIONS OF 10 ROWS",
    "CREATE INDEX org_name IF NOT EXISTS FOR (n:Organisation) ON (n.name)",
    "DROP INDEX `Organisation[id]`",
    "CREATE CONSTRAINT person_name FOR (n:Person) REQUIRE n.name IS UNIQUE",
    "DROP CONSTRAINT organisation_id",
    "MATCH (n:Organisation {id: 'royal-mail'}) SET n:Intruder RETURN n",
    "MATCH (n:Organisation {id: 'royal-mail'}) REMOVE n.name RETURN n",
    "CALL apoc.merge.node(['Intruder'], {id: 'x'}) YIELD node RETURN node",
    "CALL apoc.create.node(['Intruder'], {id: 'x'}) YIELD node RETURN node",
    "CALL apoc.periodic.iterate('MATCH (n) RETURN n', 'DETACH DELETE n', {})",
    "CALL apoc.cypher.runWrite('MATCH (n) DETACH DELETE n', {})",
    "CALL apoc.refactor.rename.label('Organisation', 'Gone')",
    "MATCH (n) FOREACH (x IN [1] | DETACH DELETE n)",
    "MERGE (n:Organisation {id: 'intruder'}) RETURN n",
    "MATCH (n)\n// a comment\nDETACH /* hidden */ DELETE n",
    "match (n) detach delete n",
    "USING PERIODIC COMMIT 10 MATCH (n) DETACH DELETE n",
    "CREATE OR REPLACE DATABASE htkg",
    "GRANT ROLE admin TO reader",
    "MATCH (n) RETURN n; MATCH (m) DETACH DELETE m",
]


@pytest.mark.parametrize("query", WRITES)
def test_writes_are_refused_before_running_and_change_nothing(store, before, query):
    result = run("cypher", query, "--db", store)
    assert result.exit_code == 1, result.output
    assert "only reads" in result.output and "nothing was run" in result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert snapshot(store) == before


def test_the_engine_itself_refuses_writes_on_the_read_connection(store, before):
    """Past htkg's own check, the connection is read-only: the engine refuses."""
    from neo4j.exceptions import Neo4jError
    with open_store(store) as opened:
        for query in WRITES[:9] + ["CREATE (n:Organisation {id: 'intruder'})"]:
            with opened.driver.session(database=opened.database) as session:
                with pytest.raises(Neo4jError, match="read only"):
                    session.run(query).consume()
        # and htkg says "nothing was changed" only when the engine refused
        with pytest.raises(QueryError, match="the database refused it, so nothing was changed"):
            opened._read_once("CREATE (n:Organisation {id: 'intruder'})", {})
    assert snapshot(store) == before


def test_a_saved_query_that_writes_is_refused_too(store, before, tmp_path):
    folder = tmp_path / "queries"
    folder.mkdir()
    (folder / "wipe.cypher").write_text(
        "// name: wipe\n// description: looks harmless\n// example: htkg query wipe\n"
        "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS\n", encoding="utf-8")
    result = run("query", "wipe", "--queries", folder, "--db", store)
    assert result.exit_code == 1 and "only reads" in result.output, result.output
    assert snapshot(store) == before


def test_reads_still_work_where_a_keyword_is_only_text(store):
    result = run("cypher", "MATCH (o:Organisation) WHERE o.name = 'CREATE INDEX; LOAD CSV' "
                           "RETURN 'DETACH DELETE' AS `set`, $merge AS create // DROP it",
                 "-p", "merge=1", "--db", store, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == []


def test_writes_over_a_bolt_uri_are_refused_and_change_nothing(bolt_env):
    assert run("build", "--no-map").exit_code == 0   # the served graph: the bundled registry
    before = snapshot(None)
    for query in WRITES[:9]:
        result = run("cypher", query)
        assert result.exit_code == 1 and "only reads" in result.output, result.output
    assert snapshot(None) == before


def test_a_server_read_asks_for_a_read_transaction_with_the_time_limit(bolt_server, monkeypatch):
    """What htkg sends a server: BEGIN with mode "r" (Neo4j refuses writes in
    it) and the time limit as tx_timeout (Neo4j stops the query there). Seen
    on the wire, through a relay in front of a real `htkg serve`."""
    seen = bytearray()
    host, port = bolt_server["uri"].split("//")[1].split(":")
    listener = socket.create_server(("127.0.0.1", 0))

    def pump(a, b, record):
        with contextlib.suppress(OSError):
            while data := a.recv(65536):
                if record:
                    seen.extend(data)
                b.sendall(data)
        for s in (a, b):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)

    def relay():
        with contextlib.suppress(OSError):
            while True:
                client, _ = listener.accept()
                upstream = socket.create_connection((host, int(port)))
                for args in ((upstream, client, False), (client, upstream, True)):
                    threading.Thread(target=pump, args=args, daemon=True).start()

    thread = threading.Thread(target=relay, daemon=True)
    thread.start()
    try:
        monkeypatch.setenv("NEO4J_URI", f"bolt://127.0.0.1:{listener.getsockname()[1]}")
        monkeypatch.setenv("NEO4J_USERNAME", bolt_server["user"])
        monkeypatch.setenv("NEO4J_PASSWORD", bolt_server["password"])
        monkeypatch.setenv("NEO4J_DATABASE", bolt_server["database"])
        result = run("cypher", "RETURN 1 AS one", "--timeout", "7", "--format", "json")
        assert result.exit_code == 0, result.output
    finally:
        listener.close()
        thread.join(5)
    assert b"\x84mode\x81r" in seen                  # {"mode": "r"}
    assert b"\x8atx_timeout" in seen                 # {"tx_timeout": ...}


# -- 3. no file or network access from queries ---------------------------------------------------
@pytest.fixture
def secret_file(tmp_path):
    path = tmp_path / "secret.csv"
    path.write_text("name\nsecret-marker-7f3a\n", encoding="utf-8")
    return path


class _Counting(http.server.BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self):  # noqa: N802 - the handler's API
        type(self).hits += 1
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"a\nfetched-marker-19c2\n")

    def log_message(self, *args):
        pass


@pytest.fixture
def web():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    _Counting.hits = 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/data.csv"
    finally:
        server.shutdown()
        server.server_close()


def _file_and_network(secret_file, url):
    return [f"LOAD CSV FROM 'file://{secret_file}' AS row RETURN row",
            f"LOAD CSV WITH HEADERS FROM '{secret_file}' AS row RETURN row.name AS n",
            "LOAD CSV FROM 'file:///proc/self/environ' AS row RETURN row",
            "load /* x */ csv from $u as row return row",
            f"LOAD CSV FROM '{url}' AS row RETURN row",
            f"CALL apoc.load.csv('{url}') YIELD list RETURN list",
            f"CALL apoc.load.json('{url}') YIELD value RETURN value",
            f"CALL `apoc.load`.jsonParams('{url}', {{}}, null) YIELD value RETURN value",
            f"CALL apoc.import.csv([{{fileName: 'file://{secret_file}', labels: ['X']}}], [], {{}})",
            f"CALL apoc.export.csv.all('{secret_file}', {{}})",
            f"RETURN genai.vector.encode('x', 'OpenAI', {{token: 'k'}}) AS v",
            f"CALL apoc.cypher.run('LOAD CSV FROM \"{url}\" AS r RETURN r', {{}}) YIELD value "
            f"RETURN value"]


def test_queries_reach_no_file_and_no_address(store, secret_file, web, monkeypatch):
    monkeypatch.setenv("HTKG_CANARY", "env-marker-5d1e")
    for query in _file_and_network(secret_file, web):
        result = run("cypher", query, "-p", f"u={web}", "--db", store)
        assert result.exit_code == 1, (query, result.output)
        assert "only reads" in result.output
        for marker in ("secret-marker-7f3a", "fetched-marker-19c2", "env-marker-5d1e"):
            assert marker not in result.output
    assert _Counting.hits == 0
    assert secret_file.read_text(encoding="utf-8") == "name\nsecret-marker-7f3a\n"


def test_the_engine_itself_refuses_files_and_addresses(store, secret_file, web):
    """Past htkg's own check, LOAD CSV is switched off in the engine."""
    from neo4j.exceptions import Neo4jError
    with open_store(store) as opened:
        for url in (f"file://{secret_file}", str(secret_file), "file:///proc/self/environ", web):
            with opened.driver.session(database=opened.database) as session:
                with pytest.raises(Neo4jError, match="LOAD CSV .* disabled"):
                    session.run(f"LOAD CSV FROM '{url}' AS row RETURN row").consume()
    assert _Counting.hits == 0


def test_a_served_store_reaches_no_file_either(bolt_server, secret_file):
    """`htkg serve` runs the engine with LOAD CSV switched off too."""
    from neo4j import GraphDatabase
    from neo4j.exceptions import Neo4jError
    auth = (bolt_server["user"], bolt_server["password"])
    with GraphDatabase.driver(bolt_server["uri"], auth=auth) as driver:
        with driver.session(database=bolt_server["database"]) as session:
            with pytest.raises(Neo4jError, match="disabled"):
                session.run(f"LOAD CSV FROM 'file://{secret_file}' AS row RETURN row").consume()


# -- 4. the store's own folders ------------------------------------------------------------------
def test_build_refuses_a_folder_of_other_files(tmp_path):
    folder = tmp_path / "mine"
    (folder / "gen-2024-photos").mkdir(parents=True)
    (folder / "gen-2024-photos" / "holiday.jpg").write_bytes(b"\xff\xd8 not really")
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    result = run("build", "--db", folder, "--no-map")
    assert result.exit_code == 1
    assert "holds other files and is not an htkg store" in result.output
    assert sorted(p.name for p in folder.rglob("*")) == ["gen-2024-photos", "holiday.jpg",
                                                         "notes.txt"]


def test_build_deletes_only_its_own_generations(tmp_path):
    db = tmp_path / "store"
    assert run("build", "--db", db, "--no-map").exit_code == 0
    first = os.readlink(db / "current")
    keep = db / "gen-keep-me"          # a gen-* folder htkg did not make
    keep.mkdir()
    (keep / "data.txt").write_text("precious", encoding="utf-8")
    assert run("build", "--db", db, "--no-map").exit_code == 0
    assert (keep / "data.txt").read_text(encoding="utf-8") == "precious"
    assert not (db / first).exists() and os.readlink(db / "current") != first
    assert sorted(p.name for p in db.glob("gen-*")) == sorted([os.readlink(db / "current"),
                                                               "gen-keep-me"])
    assert generations.is_generation(db / os.readlink(db / "current"))


def test_a_store_from_before_the_marks_is_adopted(tmp_path):
    db = tmp_path / "old"
    assert run("build", "--db", db, "--no-map").exit_code == 0
    old = os.readlink(db / "current")
    (db / generations.STORE_MARK).unlink()
    (db / old / generations.GENERATION_MARK).unlink()
    assert run("stats", "--db", db).exit_code == 0       # still read as it was
    assert run("build", "--db", db, "--no-map").exit_code == 0
    assert generations.is_store(db) and (db / generations.STORE_MARK).is_file()
    assert not (db / old).exists()


def test_publishing_touches_no_unmarked_folder(tmp_path):
    store = generations.claim_store(tmp_path / "s")
    foreign = store / "gen-foreign"
    foreign.mkdir()
    with pytest.raises(StoreError, match="not a generation htkg made"):
        generations.publish_generation(store, foreign)
    generations.discard_generation(foreign)
    assert foreign.is_dir()


def test_current_pointing_outside_the_store_is_refused(tmp_path):
    db = tmp_path / "store"
    assert run("build", "--db", db, "--no-map").exit_code == 0
    (db / "current").unlink()
    os.symlink("../../etc", db / "current")
    result = run("stats", "--db", db)
    assert result.exit_code == 1 and "is damaged" in result.output, result.output


# -- 8. time limits, Ctrl-C and SIGTERM ----------------------------------------------------------
def test_a_runaway_query_stops_at_its_time_limit(store):
    started_at = time.monotonic()
    result = htkg("cypher", SLOW, "--db", store, "--timeout", "2")
    assert result.returncode == 1
    assert result.stderr.strip() == ("Error: the query was stopped at its time limit of 2 s; "
                                     "narrow it (a label, a LIMIT, a smaller --depth) or allow "
                                     "more time with --timeout SECONDS")
    assert time.monotonic() - started_at < 60
    assert htkg("stats", "--db", store, env={"HTKG_LOCK_WAIT": "0"}).returncode == 0


def test_the_time_limit_comes_from_the_environment_too(store, tmp_path):
    (tmp_path / "slow.cypher").write_text(f"// name: slow\n// description: runs for ever\n"
                                          f"// example: htkg query slow\n{SLOW}\n",
                                          encoding="utf-8")
    result = htkg("query", "slow", "--queries", tmp_path, "--db", store,
                  env={"HTKG_QUERY_TIMEOUT": "1.5"})
    assert result.returncode == 1 and "time limit of 1.5 s" in result.stderr, result.stderr
    result = htkg("cypher", "RETURN 1 AS x", "--db", store, env={"HTKG_QUERY_TIMEOUT": "never"})
    assert result.returncode == 2 and "--timeout" in result.stderr


def test_a_function_the_engine_does_not_stop_is_cut_by_htkg(store):
    started_at = time.monotonic()
    result = htkg("cypher", UNCHECKED_SLEEP, "--db", store, "--timeout", "1")
    took = time.monotonic() - started_at
    assert result.returncode == 1
    assert "time limit of 1 s" in result.stderr and "Traceback" not in result.stderr
    assert "Fatal" not in result.stderr and "FATAL" not in result.stderr
    assert took < 45, took  # the sleep would take 60 s
    assert htkg("stats", "--db", store, env={"HTKG_LOCK_WAIT": "0"}).returncode == 0


def test_every_read_command_takes_a_time_limit():
    for command in ("cypher", "query", "show", "stats", "map", "export"):
        result = run(command, "--help")
        assert "--timeout SECONDS" in result.output and "HTKG_QUERY_TIMEOUT" in result.output, command


def _wait_until_querying(store: str, proc: subprocess.Popen, logs_before: set[str]) -> None:
    """Until the read's engine has started (it writes a server event log), then a moment."""
    logs = Path(store) / "current" / "log"
    deadline = time.monotonic() + 120
    while set(os.listdir(logs)) <= logs_before:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the read never started"
        time.sleep(0.1)
    time.sleep(2.5)
    assert proc.poll() is None, proc.communicate()


@pytest.mark.parametrize("sig, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_a_running_query_within_two_seconds(store, before, sig, code, tmp_path):
    cache = tmp_path / "cache"
    logs_before = set(os.listdir(Path(store) / "current" / "log"))
    with started("cypher", SLOW, "--db", store, "--timeout", "600",
                 env={"XDG_CACHE_HOME": str(cache)}) as proc:
        _wait_until_querying(store, proc, logs_before)
        sent = time.monotonic()
        proc.send_signal(sig)
        proc.wait(timeout=30)
        took = time.monotonic() - sent
        err = proc.stderr.read()
    assert took < 2, f"{took:.1f} s"
    assert proc.returncode == code, err
    assert "Traceback" not in err and "Fatal" not in err and "FATAL" not in err, err
    assert not list(cache.rglob("hs_err*")), "the JVM crashed"
    if sig == signal.SIGINT:
        assert err.strip() == "Interrupted; nothing more was done."
    # the store is free at once, and unchanged
    assert htkg("stats", "--db", store, env={"HTKG_LOCK_WAIT": "0"}).returncode == 0
    assert snapshot(store) == before


def test_ctrl_c_stops_a_server_read_too(tmp_path, serve_store):
    db = tmp_path / "served"
    assert run("build", "--db", db, "--no-map").exit_code == 0
    with serve_store(db, tmp_path / "cache") as info:
        env = {"NEO4J_URI": info["uri"], "NEO4J_USERNAME": info["user"],
               "NEO4J_PASSWORD": info["password"], "NEO4J_DATABASE": info["database"]}
        with started("cypher", SLOW, "--timeout", "600", env=env) as proc:
            time.sleep(4)
            assert proc.poll() is None, proc.communicate()
            sent = time.monotonic()
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=30)
            took = time.monotonic() - sent
            err = proc.stderr.read()
        assert took < 2 and proc.returncode == 130, (took, err)
        assert "Traceback" not in err
        result = htkg("cypher", UNCHECKED_SLEEP, "--timeout", "1", env=env)
        assert result.returncode == 1 and "time limit of 1 s" in result.stderr, result.stderr


# -- 9. secrets ----------------------------------------------------------------------------------
@pytest.mark.parametrize("uri", ["bolt://neo4j:hunter2-secret@localhost:7687",
                                 "neo4j+s://admin:hunter2-secret@db.example.org",
                                 "bolt://:hunter2-secret@127.0.0.1:1",
                                 "http://neo4j:hunter2-secret@db.example.org"])
def test_a_password_in_the_uri_is_refused_and_never_printed(uri):
    for args, env in [(["stats", "--db", uri], {}), (["--verbose", "cypher", "RETURN 1", "--db", uri], {}),
                      (["stats"], {"NEO4J_URI": uri}), (["build", "--no-map", "--db", uri], {})]:
        result = htkg(*args, env=env)
        assert result.returncode == 1, result.stderr
        assert "hunter2-secret" not in result.stdout + result.stderr
        if uri.startswith(("bolt", "neo4j")):
            assert "NEO4J_USERNAME and NEO4J_PASSWORD" in result.stderr


def test_the_generated_engine_password_is_never_printed(store, monkeypatch, tmp_path):
    """Every error on the embedded read path, with the engine's password known."""
    import secrets as secrets_module
    real = secrets_module.token_urlsafe
    monkeypatch.setattr(embedded.secrets, "token_urlsafe",
                        lambda n=None: "engine-pw-sentinel-" + real(4))
    damaged = tmp_path / "damaged"
    shutil.copytree(store, damaged, symlinks=True)
    bucket = next((damaged / "current" / "databases" / "htkg").glob("Organisation_0.*.bucket"))
    os.truncate(bucket, 100)
    for args in (["cypher", "MATCH (n) RETURN n.name +", "--db", store],
                 ["cypher", "CALL no.such.procedure()", "--db", store],
                 ["cypher", "MATCH (n) SET n.x = 1", "--db", store],
                 ["stats", "--db", damaged],
                 ["--verbose", "stats", "--db", damaged],
                 ["show", "no such body at all", "--db", store]):
        result = run(*args)
        assert result.exit_code != 0
        assert "engine-pw-sentinel" not in result.output, (args, result.output)
        assert "engine-pw-sentinel" not in repr(result.exception)
    with open_store(store) as opened:
        assert "password" not in repr(resolve_target(store))
        assert "engine-pw-sentinel" not in repr(opened.__dict__)


# -- 10. a damaged store says so -----------------------------------------------------------------
@pytest.fixture(scope="module")
def big_store(tmp_path_factory) -> Path:
    """A store whose Sector bucket spans several pages."""
    kg = KnowledgeGraph()
    for i in range(3000):
        kg.add(Node("Sector", f"sector-x{i}", {"name": f"Sector number {i} " + "x" * 40},
                    "t.yaml:1 (registry)"))
    db = tmp_path_factory.mktemp("big-store")
    write_store(kg, str(db))
    return db


def _damaged(store, tmp_path, how) -> Path:
    copy = tmp_path / "copy"
    shutil.copytree(store, copy, symlinks=True)
    folder = copy / "current" / "databases" / "htkg"
    how(folder)
    return copy


@pytest.mark.parametrize("how, why", [
    (lambda f: os.truncate(next(f.glob("Sector_0.*.bucket")), 0), "holds 0 pages"),
    (lambda f: os.truncate(next(f.glob("Sector_0.*.bucket")), 65536), "holds 1 pages"),
    (lambda f: os.truncate(next(f.glob("Sector_0.*.bucket")), 70000), "cut short"),
    (lambda f: next(f.glob("Sector_0.*.bucket")).unlink(), "Sector"),
    (lambda f: os.truncate(next(f.glob("Sector_0_*.umtidx")), 4096), "cut short"),
])
def test_a_damaged_store_is_named_as_damaged(big_store, tmp_path, how, why):
    copy = _damaged(big_store, tmp_path, how)
    for command in (["stats"], ["cypher", "MATCH (s:Sector) RETURN count(s) AS n"], ["show", "x"]):
        result = run(*command, "--db", copy)
        assert result.exit_code == 1, result.output
        line = result.output.strip()
        assert line.startswith(f"Error: the store {copy} is damaged: ") and why in line, line
        assert line.endswith(f"rebuild it with 'htkg build [your files] --db {copy}'")
    assert run("stats", "--db", big_store).exit_code == 0


def test_counts_that_differ_from_the_build_are_damage(big_store, tmp_path):
    def forged(folder):
        stats = json.loads((folder / "statistics.json").read_text())
        stats["Sector_0"]["count"] = 12
        (folder / "statistics.json").write_text(json.dumps(stats))
    copy = _damaged(big_store, tmp_path, forged)
    result = run("stats", "--db", copy)
    assert result.exit_code == 1
    assert "Sector holds 12 records where the build stored 3000" in result.output


def test_a_healthy_store_reports_its_counts(big_store):
    result = run("stats", "--db", big_store, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [{"kind": "label", "name": "Sector", "count": 3000}]


# -- Low: odd --db values ------------------------------------------------------------------------
def test_odd_db_paths_are_one_line_errors(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    a_file = tmp_path / "file.txt"
    a_file.write_text("x", encoding="utf-8")
    root_lock_existed = Path("/lock").exists()
    for db, message in [(a_file, "is not a folder"), ("/dev/null", "is not a folder"),
                        (fifo, "is not a folder"), ("/proc/self", "is not an htkg store"),
                        ("/", "is not an htkg store"), (tmp_path, "is not an htkg store"),
                        (tmp_path / "nothing", "no graph has been built")]:
        for command in (["stats"], ["cypher", "RETURN 1"], ["export", "-o", tmp_path / "x.json"]):
            result = htkg(*command, "--db", db, timeout=60)
            assert result.returncode == 1, (db, result.stderr)
            assert result.stderr.startswith("Error:") and message in result.stderr, result.stderr
            assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert Path("/lock").exists() == root_lock_existed
    assert not (tmp_path / "lock").exists() and not (tmp_path / "nothing").exists()


def test_a_store_on_a_read_only_mount_is_a_one_line_error(tmp_path):
    if not shutil.which("unshare") or subprocess.run(["unshare", "-rm", "true"]).returncode:
        pytest.skip("no user and mount namespaces here (unshare -rm) to mount a folder read-only")
    db = tmp_path / "store"
    assert run("build", "--db", db, "--no-map").exit_code == 0
    script = (f"mount --bind {db} {db} && mount -o remount,ro,bind {db} && "
              f"exec {sys.executable} -m htkg.cli stats --db {db}")
    result = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip() == (f"Error: the store {db} is on a read-only file system, and "
                                     f"opening it writes a lock and the engine's files; copy it "
                                     f"to a writable folder (cp -a {db} DIR) and use --db DIR")
