"""The server a store's commands share (issue 16), against the real engine.

Every command here runs in a process of its own, as a user's would, with the
shared server on and its records in a runtime folder of the test's own. A
command reports whether a JVM ran in its own process; whether one started
anywhere else is told by the generation's log folder, where every start of
the engine on it leaves a server event log. Every server a test starts is
stopped when it ends, however it ends (:func:`shared`).
"""
from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import ipaddress
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from htkg.graph import servers

FIXTURES = Path(__file__).parent / "fixtures"
SLOW = "MATCH (a),(b),(c) WHERE a.name + b.name + c.name = 'no such name' RETURN count(*) AS n"
# `htkg ARGS`, then one more line on stderr: whether a JVM ran in this process.
PROBE = """
import sys
try:
    from htkg.cli import main
    main(sys.argv[1:], prog_name="htkg")
finally:
    jpype = sys.modules.get("jpype")
    sys.stderr.write(f"\\nprobe: jvm={bool(jpype and jpype.isJVMStarted())}\\n")
"""


class Ran:
    """A finished command: exit code, output, error text, and whether it ran a JVM."""

    def __init__(self, proc: subprocess.CompletedProcess):
        self.returncode, self.stdout = proc.returncode, proc.stdout
        err, _, probe = proc.stderr.rstrip("\n").rpartition("\nprobe: ")
        assert probe.startswith("jvm="), proc.stderr
        self.stderr, self.jvm = err.strip(), probe == "jvm=True"


def command(*args: str | Path) -> list[str]:
    return [sys.executable, "-c", PROBE, *map(str, args)]


def htkg(*args: str | Path, env: dict | None = None, timeout: float = 300) -> Ran:
    return Ran(subprocess.run(command(*args), capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, **(env or {})}))


@contextlib.contextmanager
def running(*args: str | Path, env: dict | None = None):
    """`htkg ARGS` in a process of its own, killed on every path."""
    proc = subprocess.Popen(command(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, **(env or {})})
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


class Shared:
    """The test's own record folder and logs, and what they say."""

    def __init__(self, runtime: Path, cache: Path):
        self.runtime, self.cache = runtime, cache

    def paths(self, db) -> servers.Paths:
        return servers.Paths.of(Path(db))

    def record(self, db) -> servers.Record | None:
        return servers.read_record(self.paths(db))

    def started(self) -> list[int]:
        """Every background server that has started, by process id, from their logs."""
        text = "".join(p.read_text() for p in (self.cache / "htkg").glob("server-*.log"))
        return [int(pid) for pid in re.findall(r"htkg server (\d+): serving ", text)]

    def running(self) -> list[int]:
        return [pid for pid in set(self.started()) if _daemon(pid)]


def _daemon(pid: int) -> bool:
    """Whether ``pid`` is a background server still running."""
    try:
        return b"htkg.graph.daemon" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _gone(pid: int, within: float) -> bool:
    deadline = time.monotonic() + within
    while _daemon(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


@pytest.fixture
def shared(tmp_path, monkeypatch):
    """Shared servers on, with records in a runtime folder of this test's own;
    every server started is stopped at the end, on every path."""
    runtime, cache = tmp_path / "run", tmp_path / "cache"
    runtime.mkdir(mode=0o700)
    for name, value in {"HTKG_SERVER": "on", "XDG_RUNTIME_DIR": str(runtime),
                        "XDG_CACHE_HOME": str(cache), "HTKG_SERVER_IDLE": "300"}.items():
        monkeypatch.setenv(name, value)
    state = Shared(runtime, cache)
    try:
        yield state
    finally:
        for pid in state.running():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        for pid in state.running():
            if not _gone(pid, 20):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


def engine_starts(db) -> int:
    """How many times the engine has started on the store's current generation."""
    return len(list((Path(db) / "current" / "log").glob("server-event-log-*")))


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    """A store of the bundled registry (no NRM figures), built in a process of its own."""
    path = tmp_path_factory.mktemp("background") / "store"
    proc = subprocess.run([sys.executable, "-m", "htkg.cli", "build", "--db", str(path),
                           "--no-figures", "--no-map"], capture_output=True, text=True,
                          env={**os.environ, "HTKG_SERVER": "off"})
    assert proc.returncode == 0, proc.stderr
    return path


STATS = ("stats", "--format", "json")


# -- auto-start, then reuse ----------------------------------------------------------------
def test_the_first_command_starts_a_server_and_the_next_reuse_it(shared, db):
    before = engine_starts(db)
    first = htkg(*STATS, "--db", db)
    assert first.returncode == 0, first.stderr
    assert not first.jvm, "the first command ran the engine itself"
    assert engine_starts(db) == before + 1          # the server's engine, in its own process
    rec = shared.record(db)
    assert rec is not None and rec.kind == "background" and shared.running() == [rec.pid]
    assert rec.generation == os.readlink(db / "current")

    for args in (STATS, ("show", "Home Office"),
                 ("cypher", "MATCH (o:Organisation) RETURN count(o) AS n")):
        again = htkg(*args, "--db", db)
        assert again.returncode == 0, again.stderr
        assert not again.jvm
        own = htkg(*args, "--db", db, env={"HTKG_SERVER": "off"})
        assert own.jvm and again.stdout == own.stdout   # the same answer as an engine of its own
    assert engine_starts(db) == before + 1 + 3       # only the three HTKG_SERVER=off runs started one
    assert shared.record(db).same(rec) and shared.started() == [rec.pid]


def test_htkg_server_off_starts_no_server(shared, db):
    ran = htkg(*STATS, "--db", db, env={"HTKG_SERVER": "off"})
    assert ran.returncode == 0 and ran.jvm
    assert shared.record(db) is None and shared.started() == []
    bad = htkg(*STATS, "--db", db, env={"HTKG_SERVER": "sometimes"})
    assert bad.returncode == 1
    assert bad.stderr == "Error: HTKG_SERVER must be 'on' or 'off', not 'sometimes'"


# -- the record ------------------------------------------------------------------------------
def test_the_record_is_the_users_own_and_the_server_listens_on_loopback_only(shared, db):
    assert htkg(*STATS, "--db", db).returncode == 0
    paths = shared.paths(db)
    assert paths.record.parent == shared.runtime / "htkg"
    assert paths.record.stat().st_mode & 0o777 == 0o600
    assert paths.record.parent.stat().st_mode & 0o777 == 0o700
    rec = shared.record(db)
    assert rec.uri.startswith("bolt://127.0.0.1:")
    listening = _listening(rec.pid)
    assert listening and all(_loopback(address) for address in listening), listening

    status = htkg("server", "status", "--db", db, "--format", "json")
    info = json.loads(status.stdout)
    assert info["pid"] == rec.pid and info["current"] is True and info["kind"] == "background"
    assert rec.password not in status.stdout + status.stderr

    # A record that others could read is not believed: it is removed and replaced,
    # and the server it named stops once its record is gone.
    paths.record.chmod(0o644)
    assert htkg(*STATS, "--db", db).returncode == 0
    assert paths.record.stat().st_mode & 0o777 == 0o600
    assert shared.record(db).pid != rec.pid and _gone(rec.pid, 30)


def _loopback(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return (getattr(ip, "ipv4_mapped", None) or ip).is_loopback


def _listening(pid: int) -> list[str]:
    """The addresses the process's listening TCP sockets are bound to."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            target = os.readlink(fd)
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    found = []
    for table, family in (("tcp", socket.AF_INET), ("tcp6", socket.AF_INET6)):
        for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:        # LISTEN
                raw = bytes.fromhex(fields[1].split(":")[0])
                # /proc shows each 32-bit word in host (little-endian) order
                words = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
                found.append(socket.inet_ntop(family, words))
    return found


def test_a_record_of_a_process_that_is_gone_is_replaced(shared, db):
    assert htkg(*STATS, "--db", db).returncode == 0
    old = shared.record(db)
    assert htkg("server", "stop", "--db", db).returncode == 0
    assert _gone(old.pid, 30)
    servers.write_record(shared.paths(db), old)        # left behind, as by a SIGKILL
    ran = htkg(*STATS, "--db", db)
    assert ran.returncode == 0 and not ran.jvm, ran.stderr
    assert shared.record(db).pid not in (None, old.pid)


def test_a_record_whose_pid_now_belongs_to_another_process_is_replaced(shared, db):
    assert htkg(*STATS, "--db", db).returncode == 0
    old = shared.record(db)
    assert htkg("server", "stop", "--db", db).returncode == 0
    other = subprocess.Popen(["sleep", "300"])
    try:
        # the pid reused by an unrelated process, which started at another time
        servers.write_record(shared.paths(db), dataclasses.replace(old, pid=other.pid))
        ran = htkg(*STATS, "--db", db)
        assert ran.returncode == 0 and not ran.jvm, ran.stderr
        assert shared.record(db).pid not in (other.pid, old.pid)
        assert other.poll() is None, "an unrelated process was signalled"
    finally:
        other.kill()
        other.wait()


def test_a_record_whose_credentials_changed_is_replaced(shared, db):
    assert htkg(*STATS, "--db", db).returncode == 0
    old = shared.record(db)
    servers.write_record(shared.paths(db), dataclasses.replace(old, password="not-the-password"))
    ran = htkg(*STATS, "--db", db)
    assert ran.returncode == 0 and not ran.jvm, ran.stderr
    new = shared.record(db)
    assert new.pid != old.pid and new.password != "not-the-password"
    assert _gone(old.pid, 30)


# -- a server that dies ------------------------------------------------------------------------
def _lease_held(shared, db) -> bool:
    """Whether a command holds the store's server (a shared lock on its use file)."""
    fd = os.open(shared.paths(db).use, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return False
    except OSError:
        return True
    finally:
        os.close(fd)


def test_a_server_killed_mid_query_is_a_one_line_error_and_the_next_command_recovers(shared, db):
    assert htkg(*STATS, "--db", db).returncode == 0
    server = shared.record(db).pid
    with running("cypher", SLOW, "--db", db, "--timeout", "100") as proc:
        deadline = time.monotonic() + 60
        while not _lease_held(shared, db):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the command never reached the server"
            time.sleep(0.05)
        time.sleep(1.5)                               # connected, and the query sent
        assert proc.poll() is None, proc.communicate()
        os.kill(server, signal.SIGKILL)
        out, err = proc.communicate(timeout=30)
    err = err.rstrip("\n").rpartition("\nprobe: ")[0].strip()
    assert proc.returncode == 1, err
    assert err == (f"Error: the server reading the store {db} stopped during the command; "
                   f"run the command again (it starts a new one)")
    again = htkg(*STATS, "--db", db)
    assert again.returncode == 0 and not again.jvm, again.stderr
    assert shared.record(db).pid != server


# -- builds ----------------------------------------------------------------------------------
def test_after_a_build_the_next_command_reads_the_new_graph(shared, tmp_path):
    store = tmp_path / "store"
    built = htkg("build", "--db", store, "--no-figures", "--no-map")
    assert built.returncode == 0, built.stderr
    first = htkg(*STATS, "--db", store)
    assert first.returncode == 0, first.stderr
    assert "REFERRED" not in {row["name"] for row in json.loads(first.stdout)}
    old = shared.record(store)

    rebuilt = htkg("build", FIXTURES / "nrm" / "good", "--db", store, "--no-figures", "--no-map")
    assert rebuilt.returncode == 0, rebuilt.stderr
    after = htkg(*STATS, "--db", store)
    assert after.returncode == 0 and not after.jvm, after.stderr
    counts = {row["name"]: row["count"] for row in json.loads(after.stdout)}
    assert counts.get("REFERRED", 0) > 0
    rec = shared.record(store)
    assert rec.generation == os.readlink(store / "current") != old.generation
    # the old generation is gone once the server let go of it
    deadline = time.monotonic() + 30
    while (store / old.generation).exists():
        assert time.monotonic() < deadline, "the old generation was kept"
        time.sleep(0.1)


# -- at once -----------------------------------------------------------------------------------
def test_two_commands_at_once_share_one_server(shared, db):
    expected = htkg(*STATS, "--db", db, env={"HTKG_SERVER": "off"}).stdout
    for round_ in ("cold", "warm"):
        with running(*STATS, "--db", db) as a, running(*STATS, "--db", db) as b:
            results = [p.communicate(timeout=300) + (p.returncode,) for p in (a, b)]
        for out, err, code in results:
            assert code == 0, (round_, err)
            assert out == expected and "probe: jvm=False" in err
        assert len(shared.started()) == 1, round_     # one server, started once


# -- idle exit ---------------------------------------------------------------------------------
def test_the_server_exits_once_idle_and_not_while_a_command_uses_it(shared, db, monkeypatch):
    monkeypatch.setenv("HTKG_SERVER_IDLE", "2")
    slow = htkg("cypher", SLOW, "--db", db, "--timeout", "6")
    # the query ran past the idle time: it met its own time limit, not a server gone
    assert slow.returncode == 1 and "time limit of 6 s" in slow.stderr, slow.stderr
    [pid] = shared.started()
    assert _gone(pid, 30), "the server did not exit once idle"
    assert shared.record(db) is None
    status = htkg("server", "status", "--db", db)
    assert status.stdout.strip() == f"no server is running for the store {db}"
    ran = htkg(*STATS, "--db", db)
    assert ran.returncode == 0 and not ran.jvm
    assert len(shared.started()) == 2


# -- htkg server stop, htkg serve ---------------------------------------------------------------
def test_server_stop(shared, db):
    none = htkg("server", "stop", "--db", db)
    assert none.stdout.strip() == f"no background server is running for the store {db}"
    assert htkg(*STATS, "--db", db).returncode == 0
    rec = shared.record(db)
    stopped = htkg("server", "stop", "--db", db)
    assert stopped.stdout.strip() == (f"stopped the background server for the store {db} "
                                      f"(process {rec.pid})")
    assert _gone(rec.pid, 5) and shared.record(db) is None


def test_commands_read_through_htkg_serve_when_it_runs(shared, tmp_path, serve_store):
    store = tmp_path / "served"
    assert htkg("build", "--db", store, "--no-figures", "--no-map").returncode == 0
    assert htkg(*STATS, "--db", store).returncode == 0      # a background server first
    [background] = shared.started()
    with serve_store(store, shared.cache) as info:
        assert _gone(background, 30), "htkg serve left the background server running"
        rec = shared.record(store)
        assert rec.kind == "serve" and rec.uri == info["uri"]
        ran = htkg(*STATS, "--db", store)
        assert ran.returncode == 0 and not ran.jvm, ran.stderr
        assert shared.started() == [background]              # no new background server
        stop = htkg("server", "stop", "--db", store)
        assert stop.returncode == 1 and "stop it where it runs" in stop.stderr
    assert shared.record(store) is None
