"""Run ArcadeDB embedded in this process and expose its Bolt endpoint.

The project talks to every database through the official ``neo4j`` driver.
For the embedded default it starts ArcadeDB's server in-process (the JVM
comes with the ``arcadedb-embedded`` wheel) with only the Bolt listener
that matters, bound to 127.0.0.1 on a free port, with generated
credentials and a capped heap. Its logs go to a file under the store, not
to the terminal or the working directory.

A store directory holds generations of the database::

    <store>/current -> gen-20261127T120000-1234   (symlink, swapped atomically)
    <store>/gen-.../databases/htkg                  (ArcadeDB's files)
    <store>/lock                                    (which process has it open)

A build writes a new generation and swaps ``current`` only when complete,
so a failed or killed build leaves the previous graph usable.
"""
from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import secrets
import shutil
import socket
import time
from dataclasses import dataclass, field
from pathlib import Path

from htkg.errors import StoreError

DATABASE = "htkg"
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
                                                *_gc_args()])
    finally:
        os.dup2(saved, 2)
        os.close(saved)


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


@dataclass(frozen=True)
class TLS:
    """Bolt over TLS only, with the certificate chain and private key of a
    PKCS#12 key store (``openssl pkcs12 -export -in cert.pem -inkey key.pem``)."""

    keystore: Path
    password: str = field(repr=False)

    def check(self) -> None:
        """Open the key store, so a wrong file or password is a one-line error
        (the JVM must be running). The password is never part of the message."""
        import jpype  # deferred: the JVM bindings load only where the engine runs
        path = Path(self.keystore)
        try:
            store = jpype.JClass("java.security.KeyStore").getInstance("PKCS12")
            stream = jpype.JClass("java.io.FileInputStream")(str(path))
            try:
                store.load(stream, jpype.JString(self.password).toCharArray())
            finally:
                stream.close()
            has_key = any(store.isKeyEntry(alias) for alias in store.aliases())
        except jpype.JException as exc:
            raise StoreError(f"cannot open the TLS key store {path}: "
                             f"{exc.getMessage()}") from None
        if not has_key:
            raise StoreError(f"the TLS key store {path} holds no private key; make one with "
                             f"'openssl pkcs12 -export -in cert.pem -inkey key.pem -out {path.name}'")

    def config(self) -> dict:
        """ArcadeDB's settings: TLS required on Bolt. It wants a trust store too
        (for client certificates, which it does not ask for): the key store serves."""
        path = str(Path(self.keystore).resolve())
        return {"bolt_ssl": "REQUIRED", "ssl_keyStore": path, "ssl_keyStorePassword": self.password,
                "ssl_trustStore": path, "ssl_trustStorePassword": self.password}


@dataclass
class EmbeddedServer:
    """A running in-process ArcadeDB server with a Bolt listener."""

    root: Path
    uri: str
    user: str
    password: str
    _server: object

    def database(self):
        """The engine's own handle on the database, for the bulk path."""
        return self._server.get_database(DATABASE)

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._server.stop()


def start_server(root: Path, create: bool = False, tls: TLS | None = None) -> EmbeddedServer:
    """Start ArcadeDB on ``root`` with Bolt on a free loopback port; with
    ``tls``, Bolt accepts only TLS connections and the URI is ``bolt+s://``."""
    _start_jvm()
    if tls is not None:
        tls.check()
    # deferred: the JVM bindings load only where the engine runs
    from arcadedb_embedded.server import ArcadeDBServer
    (root / "config").mkdir(parents=True, exist_ok=True)
    (root / "config" / "mcp-config.json").write_text('{"enabled": false}\n')
    # Credentials are generated afresh on every start: the root user the
    # previous start created is removed so the server creates it again.
    (root / "config" / "server-users.jsonl").unlink(missing_ok=True)
    password = secrets.token_urlsafe(18)
    last: Exception | None = None
    for _ in range(3):  # a free port can be taken between choosing and binding
        bolt = _free_port()
        server = ArcadeDBServer(
            root_path=str(root), root_password=password,
            config={"host": "127.0.0.1", "http_port": _free_port(),
                    "server_plugins": "Bolt:com.arcadedb.bolt.BoltProtocolPlugin",
                    "bolt_port": bolt, "server_logsDirectory": str(root / "log"),
                    "serverMetrics": False, "polyglotEngineEnabled": False,
                    "backup_enabled": False, **(tls.config() if tls else {})})
        try:
            server.start()
        except Exception as exc:  # noqa: BLE001 - reported below
            last = exc
            continue
        try:
            if create and not (root / "databases" / DATABASE).exists():
                server.create_database(DATABASE)
        except Exception as exc:
            server.stop()
            raise StoreError(f"cannot create the embedded database in {root}: {exc}") from None
        scheme = "bolt+s" if tls else "bolt"
        return EmbeddedServer(root, f"{scheme}://127.0.0.1:{bolt}", "root", password, server)
    raise StoreError(f"cannot start the embedded database in {root}: {last}")


class StoreLock:
    """An exclusive lock on a store directory, naming the process that holds it."""

    def __init__(self, store: Path, wait: float | None = None):
        self.path = store / "lock"
        self.wait = float(os.environ.get("HTKG_LOCK_WAIT", "10")) if wait is None else wait
        self._fd: int | None = None

    def __enter__(self) -> "StoreLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    os.close(fd)
                    raise
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "another"
                    os.close(fd)
                    raise StoreError(f"the store {self.path.parent} is in use by process {holder}; "
                                     f"wait for it to finish, or use another --db") from None
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def current_generation(store: Path) -> Path | None:
    """The generation ``current`` points to, or None when nothing was built."""
    link = store / "current"
    if not link.is_symlink():
        return None
    target = store / os.readlink(link)
    return target if (target / "databases" / DATABASE).exists() else None


def new_generation(store: Path) -> Path:
    stamp = time.strftime("%Y%m%dT%H%M%S")
    path = store / f"gen-{stamp}-{os.getpid()}-{secrets.token_hex(3)}"
    path.mkdir(parents=True)
    return path


def publish_generation(store: Path, generation: Path) -> None:
    """Point ``current`` at a finished generation atomically; remove older ones."""
    tmp = store / f".current-{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    os.symlink(generation.name, tmp)
    os.replace(tmp, store / "current")
    for old in store.glob("gen-*"):
        if old != generation:
            shutil.rmtree(old, ignore_errors=True)


def discard_generation(generation: Path) -> None:
    shutil.rmtree(generation, ignore_errors=True)


def serve(store: Path, announce=print, tls: TLS | None = None) -> None:
    """Serve a store's current graph over Bolt until interrupted.

    The store must not be in use by another process. ``announce`` receives
    one JSON line with the URI, user and password to give the driver. With
    ``tls``, only TLS connections are accepted (a ``bolt+s://`` URI).
    """
    import json
    import signal
    import threading
    with StoreLock(store, wait=0):
        generation = current_generation(store)
        if generation is None:
            generation = new_generation(store)
            fresh = start_server(generation, create=True)
            fresh.stop()
            publish_generation(store, generation)
        server = start_server(generation, tls=tls)
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        announce(json.dumps({"uri": server.uri, "user": server.user,
                             "password": server.password, "database": DATABASE}))
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            server.stop()
