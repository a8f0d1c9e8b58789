"""Nothing is lost when things break: killed builds, busy stores, lost servers."""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from htkg.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
COUNTS = "MATCH (n) RETURN labels(n)[0] AS label, count(*) AS n ORDER BY label"


def htkg(*args, env=None, **kw):
    return subprocess.run([sys.executable, "-m", "htkg.cli", *map(str, args)],
                          capture_output=True, text=True, env={**os.environ, **(env or {})}, **kw)


def content(db) -> str:
    result = CliRunner().invoke(main, ["cypher", "MATCH (n) RETURN n.id AS id, properties(n) AS p "
                                       "ORDER BY id", "--db", str(db), "--format", "json"])
    assert result.exit_code == 0, result.output
    return result.output


def test_sigkill_during_build_leaves_previous_store_usable(tmp_path):
    """Kill `htkg build` at random moments: the store holds either the previous
    graph (built without the figures), unchanged, or (when the kill came after the
    swap) the new one, whole (the default build, with every bundled NRM table)."""
    reference = tmp_path / "reference"
    started = time.perf_counter()
    assert htkg("build", "--db", reference, "--no-map").returncode == 0
    full_build = time.perf_counter() - started
    after = content(reference)
    db = tmp_path / "store"
    assert htkg("build", "--db", db, "--no-map", "--no-figures").returncode == 0
    before = content(db)
    rng = random.Random(20130311)
    killed = 0
    for delay in sorted(rng.uniform(0.2, 0.9 * full_build) for _ in range(5)):
        proc = subprocess.Popen([sys.executable, "-m", "htkg.cli", "build", "--db", str(db),
                                 "--no-map"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed += 1
        proc.wait()
        now = content(db)
        assert now in (before, after), f"store neither old nor new after a kill at {delay:.1f} s"
        if now == after:  # the kill came after the swap: start again from the old graph
            assert htkg("build", "--db", db, "--no-map", "--no-figures").returncode == 0
            assert content(db) == before
    assert killed >= 3, "the builds finished before the kills; nothing was tested"
    # A later build succeeds and cleans up what the killed ones left behind.
    assert htkg("build", "--db", db, "--no-map", "--no-figures").returncode == 0
    assert content(db) == before
    assert [p.name for p in db.glob("gen-*")] == [os.readlink(db / "current")]


def test_second_process_is_told_who_holds_the_store(tmp_path):
    db = tmp_path / "store"
    assert htkg("build", "--db", db, "--no-map", "--no-figures").returncode == 0
    server = subprocess.Popen([sys.executable, "-m", "htkg.cli", "serve", "--db", str(db)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert server.stdout.readline()  # serving: it holds the store
        result = htkg("stats", "--db", db, env={"HTKG_LOCK_WAIT": "1"})
        assert result.returncode == 1
        assert f"in use by process {server.pid}" in result.stderr
        result = htkg("build", "--db", db, "--no-figures", env={"HTKG_LOCK_WAIT": "1"})
        assert result.returncode == 1 and f"in use by process {server.pid}" in result.stderr
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert htkg("stats", "--db", db).returncode == 0


def test_waiting_process_goes_ahead_when_the_store_is_freed(tmp_path):
    db = tmp_path / "store"
    assert htkg("build", "--db", db, "--no-map", "--no-figures").returncode == 0
    first = subprocess.Popen([sys.executable, "-m", "htkg.cli", "build", "--db", str(db),
                              "--no-map", "--no-figures"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    second = htkg("stats", "--db", db, "--format", "json", env={"HTKG_LOCK_WAIT": "60"})
    assert first.wait(timeout=120) == 0
    assert second.returncode == 0, second.stderr
    assert any(r["name"] == "Organisation" for r in json.loads(second.stdout))


# `htkg build` pushing to a server, held after its first committed batch until the
# test has killed the server: the push always meets a server that is gone.
HELD_PUSH = """
import sys, time
from pathlib import Path
from htkg.graph import bolt
ready, go = Path(sys.argv[1]), Path(sys.argv[2])
def hold(batches):
    if batches == 1:
        ready.touch()
        while not go.exists():
            time.sleep(0.05)
init = bolt.BoltWriter.__init__
def held(self, *args, **kwargs):
    init(self, *args, **kwargs)
    self.batch_done = hold
bolt.BoltWriter.__init__ = held
from htkg.cli import main
main(["build", *sys.argv[3:], "--no-map", "--no-figures"], prog_name="htkg")
"""


def test_server_gone_mid_session_is_a_clear_error(tmp_path):
    """A Bolt server that dies mid-push: a one-line error, then a rerun converges."""
    db = tmp_path / "served"
    nrm = FIXTURES / "nrm" / "good"
    ready, go = tmp_path / "ready", tmp_path / "go"
    server = subprocess.Popen([sys.executable, "-m", "htkg.cli", "serve", "--db", str(db)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    push = None
    try:
        info = json.loads(server.stdout.readline())
        env = {"NEO4J_URI": info["uri"], "NEO4J_USERNAME": info["user"],
               "NEO4J_PASSWORD": info["password"], "NEO4J_DATABASE": info["database"]}
        push = subprocess.Popen([sys.executable, "-c", HELD_PUSH, str(ready), str(go), str(nrm)],
                                env={**os.environ, **env}, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while not ready.exists():
            assert push.poll() is None, push.communicate()
            assert time.monotonic() < deadline, "the push never committed a batch"
            time.sleep(0.05)
        server.send_signal(signal.SIGKILL)
        server.wait()
        go.touch()
        out, err = push.communicate(timeout=120)
        assert push.returncode == 1, out + err
        assert err.strip().startswith("Error:") and "Traceback" not in err
        assert len(err.strip().splitlines()) == 1, err
        assert info["password"] not in err + out
        # The server comes back on the same store; a rerun converges.
        server = subprocess.Popen([sys.executable, "-m", "htkg.cli", "serve", "--db", str(db)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        info = json.loads(server.stdout.readline())
        env.update(NEO4J_URI=info["uri"], NEO4J_PASSWORD=info["password"])
        assert htkg("build", nrm, "--no-map", "--no-figures", env=env).returncode == 0
        again = htkg("cypher", COUNTS, "--format", "json", env=env)
        assert htkg("build", nrm, "--no-map", "--no-figures", env=env).returncode == 0
        assert htkg("cypher", COUNTS, "--format", "json", env=env).stdout == again.stdout
    finally:
        for proc in (push, server):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait(timeout=30)
