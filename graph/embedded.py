"""Run ArcadeDB embedded in this process and expose its Bolt endpoint.

The project talks to every database through the official ``neo4j`` driver.
For the embedded default it starts ArcadeDB's server in-process (the JVM
comes with the ``arcadedb-embedded`` wheel) with only the Bolt listener
that matters, bound to 127.0.0.1 on a free port, with generated
credentials and a capped heap. Its logs go to a file under the store, not
to the terminal or the working directory.

A store directory holds generations of the database (see
:mod:`htkg.graph.generations` for the layout and the marks). A build writes
a new generation and swaps ``current`` only when complete, so a failed or
killed build leaves the previous graph usable.

A read opens the database READ_ONLY, so the engine itself refuses every
write, with a time limit on each query (``arcadedb.command.timeout``). Such
an engine keeps its own settings and users in a private folder of its own,
so several processes (a command, a background server) can read one
generation at once, each with its own credentials. LOAD
CSV may reach neither files nor addresses in any database this process
opens. The JVM leaves SIGINT and SIGTERM to Python (``-Xrs``), so Ctrl-C and
``kill`` reach htkg's own handlers instead of the JVM's.
"""
from __future__ import annotations

import atexit
import contextlib
import os
import re
import secrets
import shutil
import socket
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from htkg.errors import StoreError
from htkg.graph import generations
from htkg.graph.generations import (DATABASE, claim_store, current_generation,  # noqa: F401
                                    discard_generation, is_store, new_generation, require_store)
from htkg.graph.locks import GenerationLock, StoreLock  # noqa: F401
from htkg.graph.tls import TLS  # noqa: F401  (embedded.TLS, as callers name it)

HEAP = os.environ.get("HTKG_HEAP", "1g")
_LOG_PROPERTIES = """\
handlers = java.util.logging.FileHandler
.level = WARNING
com.arcadedb.level = WARNING
java.util.logging.FileHandler.level = WARNING
java.util.logging.FileHandler.pattern = {pattern}
java.util.logging.FileHandler.limit = 10000000
java.util.logging.FileHandler.count = 2
java.util.logging.FileHandler.formatter = java.util.logging.SimpleFormatter
"""


def default_store_path() -> Path:
    """Per-user data directory: ``$HTKG_DB``, else ``$XDG_DATA_HOME/htkg/store``."""
    if os.environ.get("HTKG_DB") and "://" not in os.environ["HTKG_DB"]:
        return Path(os.environ["HTKG_DB"]).expanduser()
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "htkg" / "store"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def log_directory() -> Path:
    """Where the engine's logs go: ``$XDG_CACHE_HOME/htkg`` (``~/.cache/htkg``)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "htkg"


def _start_jvm() -> None:
    """Start the JVM once per process, with logs sent to a file, not the console."""
    # deferred: the JVM bindings load only where the engine runs
    from arcadedb_embedded.jvm import start_jvm
    import jpype  # deferred: the JVM bindings load only where the engine runs
    if jpype.isJVMStarted():
        _lock_down()
        return
    logs = log_directory()
    logs.mkdir(parents=True, exist_ok=True)
    props = logs / "arcadedb-log.properties"
    props.write_text(_LOG_PROPERTIES.format(pattern=str(logs / "arcadedb-%u.log")))
    os.environ.setdefault("ARCADEDB_JVM_ERROR_FILE", str(logs / "hs_err_pid%p.log"))
    # The JVM prints a warning about incubator modules on its own stderr at
    # start; keep it out of the user's terminal (fd 2 is restored at once).
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            start_jvm(heap_size=HEAP, jvm_args=[f"-Djava.util.logging.config.file={props}",
                                                f"-Darcadedb.server.logsDirectory={logs}",
                                                # undertow frees buffers through
                                                # sun.misc.Unsafe; JDK 24+ warns on stderr
                                                "--sun-misc-unsafe-memory-access=allow",
                                                # signals stay Python's: the JVM's own
                                                # handlers ignored Ctrl-C during a query
                                                # and crashed on SIGTERM at exit
                                                "-Xrs",
                                                *_gc_args()])
    finally:
        os.dup2(saved, 2)
        os.close(saved)
    _lock_down()


def _lock_down() -> None:
    """No LOAD CSV from files or addresses, in any database this JVM opens
    (htkg never needs it; a query that tries it is refused by the engine)."""
    import jpype  # deferred: the JVM bindings load only where the engine runs
    settings = jpype.JClass("com.arcadedb.GlobalConfiguration")
    settings.OPENCYPHER_LOAD_CSV_ALLOW_FILE_URLS.setValue(False)
    settings.OPENCYPHER_LOAD_CSV_ALLOW_REMOTE_URLS.setValue(False)
    settings.OPENCYPHER_LOAD_CSV_IMPORT_DIRECTORY.setValue(os.devnull)


def _gc_args() -> list[str]:
    """The serial collector, unless ARCADEDB_JVM_ARGS names one.

    On a laptop's few cores the default (G1) runs its concurrent threads
    beside the build's own workers; with a 1 GB heap the serial collector's
    pauses are short, and a million-relationship build took 60 s instead of
    69 s here (bench/README.md).
    """
    if re.search(r"-XX:[+]Use\w*GC\b", os.environ.get("ARCADEDB_JVM_ARGS", "")):
        return []
    return ["-XX:+UseSerialGC"]


@dataclass
class EmbeddedServer:
    """A running in-process ArcadeDB server with a Bolt listener."""

    root: Path
    uri: str
    user: str
    password: str = field(repr=False)
    _server: object = field(repr=False)
    read_only: bool = False
    scratch: Path | None = None     # a read-only engine's own settings and users

    def database(self):
        """The engine's own handle on the database, for the bulk path."""
        return self._server.get_database(DATABASE)

    def counts(self) -> dict[str, int]:
        """Records per type (label or relationship type), as the engine counts them."""
        db = self._server._java_server.getDatabase(DATABASE)
        return {str(t.getName()): int(db.countType(t.getName(), False))
                for t in db.getSchema().getTypes()}

    def stop(self) -> None:
        """Stop the server; a published generation it wrote is then sealed
        (its files' pages recorded for the integrity check)."""
        with contextlib.suppress(Exception):
            self._server.stop()
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)
        if not self.read_only:
            generations.seal(self.root)

    def abandon(self) -> None:
        """Leave the server to end with the process, a query still running in it.

        The engine stops a query only at its own time limit, and stopping the
        server, closing the database or destroying the JVM would each wait
        for that query; so none of them is done: the client's connection is
        closed (by the caller) and the JVM ends with the process. The
        database is open read-only, so nothing is left half written.
        """
        if self.scratch is not None:
            atexit.register(shutil.rmtree, self.scratch, ignore_errors=True)
        leave_jvm()


def leave_jvm() -> None:
    """Let the process end without destroying the JVM or closing its databases,
    which would wait for any query still running in it (the databases a read
    opens are read-only, so nothing is left half written)."""
    import jpype  # deferred: the JVM bindings load only where the engine runs
    import jpype.config  # deferred: as above
    from arcadedb_embedded import jvm  # deferred: as above
    if not jpype.isJVMStarted():
        return
    jpype.config.destroy_jvm = False
    atexit.unregister(jvm._close_active_databases)
    # Destroying the JVM is what stops JPype's reference queue; without
    # that its thread can reach for Python while Python finalizes, and
    # the process aborts. Stopped here, it leaves a few Java references
    # to Python objects uncollected until the process ends.
    with contextlib.suppress(Exception):
        jpype.JClass("org.jpype.ref.JPypeReferenceQueue").getInstance().stop()


def _scrub(text: str, *secret: str) -> str:
    """``text`` with each secret replaced by ``***``."""
    for s in secret:
        if s:
            text = text.replace(s, "***")
    return text


def start_server(root: Path, create: bool = False, tls: TLS | None = None, *,
                 read_only: bool = False, timeout: float | None = None) -> EmbeddedServer:
    """Start ArcadeDB on ``root`` with Bolt on a free loopback port; with
    ``tls``, Bolt accepts only TLS connections and the URI is ``bolt+s://``.

    ``read_only`` opens the database READ_ONLY, so the engine refuses every
    write, and keeps the engine's settings and users out of ``root`` (in a
    private folder of its own, whose ``log`` leads to ``root``'s), so that
    other processes may read ``root`` at the same time, each with its own
    credentials; ``timeout`` (seconds) stops any query that runs longer. A database left unclean by a killed build is first
    recovered in a start of its own (see :func:`open_current`, which does
    that under the generation's exclusive lock).
    """
    _start_jvm()
    if tls is not None:
        tls.check()
    if read_only and (root / "databases" / DATABASE / "database.lck").exists():
        start_server(root).stop()  # the engine replays its log; a read-only open cannot
    # deferred: the JVM bindings load only where the engine runs
    from arcadedb_embedded.server import ArcadeDBServer
    scratch = _scratch() if read_only else None
    home = scratch or root
    (home / "config").mkdir(parents=True, exist_ok=True)
    if scratch is not None:     # its event log where every start of this database leaves one
        (root / "log").mkdir(exist_ok=True)
        (scratch / "log").symlink_to((root / "log").absolute())
    (home / "config" / "mcp-config.json").write_text('{"enabled": false}\n')
    # Credentials are generated afresh on every start: the root user the
    # previous start created is removed so the server creates it again.
    (home / "config" / "server-users.jsonl").unlink(missing_ok=True)
    password = secrets.token_urlsafe(18)
    mode = {"server_defaultDatabaseMode": "READ_ONLY",
            "server_databaseDirectory": str(root / "databases")} if read_only else {}
    last: Exception | None = None
    for _ in range(3):  # a free port can be taken between choosing and binding
        bolt = _free_port()
        server = ArcadeDBServer(
            root_path=str(home), root_password=password,
            config={"host": "127.0.0.1", "http_port": _free_port(),
                    "server_plugins": "Bolt:com.arcadedb.bolt.BoltProtocolPlugin",
                    "bolt_port": bolt, "server_logsDirectory": str(root / "log"),
                    "serverMetrics": False, "polyglotEngineEnabled": False,
                    "backup_enabled": False, **mode, **(tls.config() if tls else {})})
        try:
            server.start()
        except Exception as exc:  # noqa: BLE001 - reported below
            last = exc
            continue
        try:
            if create and not (root / "databases" / DATABASE).exists():
                server.create_database(DATABASE)
            elif read_only or timeout:
                _limit(server, read_only, timeout)
        except Exception as exc:
            server.stop()
            if scratch is not None:
                shutil.rmtree(scratch, ignore_errors=True)
            raise StoreError(f"cannot {'create' if create else 'open'} the embedded database "
                             f"in {root}: {_scrub(_first_line(exc), password)}") from None
        scheme = "bolt+s" if tls else "bolt"
        return EmbeddedServer(root, f"{scheme}://127.0.0.1:{bolt}", "root", password, server,
                              read_only, scratch)
    if scratch is not None:
        shutil.rmtree(scratch, ignore_errors=True)
    raise StoreError(f"cannot start the embedded database in {root}: "
                     f"{_scrub(_first_line(last), password)}")


def _scratch() -> Path:
    """A new private folder for a read-only engine's settings, in the log
    directory's ``engines``; those of processes that have ended (killed, so
    they could not remove their own) are removed first."""
    folder = log_directory() / "engines"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*-*"):
        pid = old.name.partition("-")[0]
        if pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(old, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=folder))


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def open_current(store: Path, wait: float | None = None) -> tuple[Path, GenerationLock]:
    """The store's current generation, held open (shared) so that no build
    deletes it while it is read; recovered first if a killed build left it
    unclean (under the exclusive lock, so no other engine has it open).

    Waits up to ``wait`` seconds (``$HTKG_LOCK_WAIT``) for a process that
    writes it (``htkg serve``); never for a build, which writes a new one.
    """
    while True:
        generation = current_generation(store)
        if generation is None:
            raise StoreError(f"no graph has been built in {store} yet; run 'htkg build' first")
        pin = GenerationLock(generation, store)
        try:
            pin.take(wait=wait)
        except StoreError:
            if current_generation(store) != generation:
                continue    # published over and removed meanwhile: take the new one
            raise
        if current_generation(store) == generation:
            break
        pin.release()   # a build published a newer one meanwhile: hold that instead
    if (generation / "databases" / DATABASE / "database.lck").exists():
        try:
            pin.take(exclusive=True, wait=wait)
            if (generation / "databases" / DATABASE / "database.lck").exists():
                start_server(generation).stop()  # the engine replays its log
            pin.take(wait=wait)
        except BaseException:
            pin.release()
            raise
    return generation, pin


def _first_line(exc: BaseException | None) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _limit(server, read_only: bool, timeout: float | None) -> None:
    """Check the database opened as asked and set its query time limit."""
    import jpype  # deferred: the JVM bindings load only where the engine runs
    db = server._java_server.getDatabase(DATABASE)
    if read_only and str(db.getMode()) != "READ_ONLY":
        raise StoreError("the database did not open read-only")
    settings = jpype.JClass("com.arcadedb.GlobalConfiguration")
    config = db.getConfiguration()
    config.setValue(settings.OPENCYPHER_LOAD_CSV_ALLOW_FILE_URLS, False)
    config.setValue(settings.OPENCYPHER_LOAD_CSV_ALLOW_REMOTE_URLS, False)
    if timeout:
        config.setValue(settings.COMMAND_TIMEOUT, max(1, round(timeout * 1000)))


def check_integrity(store: Path, generation: Path, server: EmbeddedServer) -> None:
    """Refuse a damaged generation: paged files cut short, or types holding
    other counts than the build recorded (see :func:`generations.damage`)."""
    problem = generations.damage(generation, server.counts())
    if problem:
        raise StoreError(f"the store {store} is damaged: {problem}; rebuild it with "
                         f"'htkg build [your files] --db {store}'")


def publish_generation(store: Path, generation: Path,
                       counts: dict[str, int] | None = None) -> None:
    """Make ``generation`` current (see :func:`generations.publish_generation`).

    ``counts`` are the records per type the build verified; when None they
    are read from the engine, if the generation's database is open in this
    process, and recorded for the integrity check of every later open.
    """
    if counts is None:
        counts = _open_counts(generation)
    generations.publish_generation(store, generation, counts)


def _open_counts(generation: Path) -> dict[str, int] | None:
    """Records per type of the generation's database, if this process has it open."""
    import jpype  # deferred: the JVM bindings load only where the engine runs
    if not jpype.isJVMStarted():
        return None
    try:
        factory = jpype.JClass("com.arcadedb.database.DatabaseFactory")
        path = (generation / "databases" / DATABASE).resolve()
        for db in factory.getActiveDatabaseInstances():
            if db.isOpen() and Path(str(db.getDatabasePath())).resolve() == path:
                return {str(t.getName()): int(db.countType(t.getName(), False))
                        for t in db.getSchema().getTypes()}
    except Exception:  # noqa: BLE001 - no counts recorded: the check then skips them
        return None
    return None
