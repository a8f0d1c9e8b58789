"""Servers of a store's graph over Bolt: the background server commands
share, and ``htkg serve``.

The background server (:class:`BackgroundServer`) is started by the first
command that reads a store (:func:`htkg.graph.background.lease`) as
``python -m htkg.graph.daemon STORE --timeout S --ready-fd N``. That process
forks at once, so the server is nobody's child, in a session of its own with
no terminal; it says ``ready`` (or why not) on the descriptor ``N``. It
serves the store's current generation read-only, on loopback only, with
generated credentials, and:

- when a build publishes a new generation, it waits for the commands using
  it to finish (new ones wait for it), then switches: the engine restarts on
  the new generation in the same JVM (a fraction of a second) and the record
  is rewritten; the old generation is released and deleted;
- it exits when no command has used it for its idle time, on SIGTERM, when
  its record is replaced or removed, or when the store goes away.

It holds the generation it serves only *shared* (:mod:`htkg.graph.locks`):
a build never waits for it.
"""
from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path

from htkg.errors import HtkgError
from htkg.graph import background, embedded, generations, servers
from htkg.graph.locks import GenerationLock, StoreLock, lock_wait
from htkg.graph.servers import Paths, Record

TICK = 0.2     # seconds between looks at the store, the record and the idle clock
STOP_WAIT = 3.0    # seconds an engine's stop is waited for (see BackgroundServer._close)
log = logging.getLogger("htkg.server")


class BackgroundServer:
    """One store's background server (see the module docstring)."""

    def __init__(self, store: Path, timeout: float):
        self.store = Path(os.path.realpath(store))
        self.timeout = timeout
        self.idle = servers.idle_seconds()
        self.paths = Paths.of(self.store)
        self.stopping = threading.Event()
        self.generation: Path | None = None
        self.pin: GenerationLock | None = None
        self.engine: embedded.EmbeddedServer | None = None
        self.record: Record | None = None
        self._use: int | None = None      # the use file, held exclusively to switch or exit

    # -- the engine -------------------------------------------------------------
    def _open(self) -> None:
        """Start the engine on the current generation, checked whole, and record
        it; a generation a build still has open is waited for (``$HTKG_LOCK_WAIT``)."""
        generation, pin = embedded.open_current(self.store, wait=lock_wait())
        try:
            engine = embedded.start_server(generation, read_only=True, timeout=self.timeout)
            try:
                embedded.check_integrity(self.store, generation, engine)
            except BaseException:
                engine.stop()
                raise
        except BaseException:
            pin.release()
            raise
        self.generation, self.pin, self.engine = generation, pin, engine
        self.record = Record(
            kind="background", store=str(self.store), generation=generation.name, uri=engine.uri,
            user=engine.user, password=engine.password, database=embedded.DATABASE,
            pid=os.getpid(), started=servers.process_start(os.getpid()), read_only=True,
            timeout=self.timeout, idle=self.idle, since=time.time())
        servers.write_record(self.paths, self.record)
        log.info("serving %s (%s) at %s", self.store, generation.name, engine.uri)

    def _close(self, wait: float = STOP_WAIT) -> None:
        """Stop the engine, then let go of its generation (removed if a build
        replaced it). Stopping waits for queries still running: one whose
        command gave up at its own time limit runs on to the engine's. So it
        is waited for ``wait`` seconds only; then it ends in a thread of its
        own, and lets go of the generation when it has."""
        engine, pin = self.engine, self.pin
        self.engine = self.pin = None
        if engine is None:
            return

        def finish() -> None:
            try:
                engine.stop()
            finally:
                if pin is not None:
                    pin.release()
                with contextlib.suppress(OSError):
                    generations.collect(self.store)

        stopping = threading.Thread(target=finish, name="htkg-stop", daemon=True)
        stopping.start()
        stopping.join(wait)
        if stopping.is_alive():
            log.info("a query is still running in the engine; leaving it to end")

    # -- the use file -----------------------------------------------------------
    def _hold_use(self, wait: float) -> bool:
        """Hold the use file exclusively: no command is using the server, and
        none can start to until :meth:`_free_use`."""
        fd = os.open(self.paths.use, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                self._use = fd
                return True
            except OSError:
                if time.monotonic() >= deadline or self.stopping.is_set():
                    os.close(fd)
                    return False
            time.sleep(background.STEP)

    def _free_use(self) -> None:
        if self._use is not None:
            os.close(self._use)
            self._use = None

    # -- the loop -----------------------------------------------------------------
    def run(self, ready=None) -> None:
        """Serve until stopped; ``ready`` (a text file) hears ``ready`` or why not."""
        signal.signal(signal.SIGTERM, lambda *_: self.stopping.set())
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        try:
            self._open()
        except HtkgError as exc:     # the store cannot be opened: the command says why
            _tell(ready, f"error: {exc}")
            raise
        except BaseException:
            _tell(ready, "failed")
            raise
        _tell(ready, "ready")
        with contextlib.suppress(OSError):
            os.utime(self.paths.use)
        try:
            while not self.stopping.wait(TICK):
                if not servers.owns(self.paths, self.record):
                    log.info("the record was replaced or removed: stopping")
                    break
                current = servers.current_name(self.store)
                if current is None:
                    log.info("the store has no current graph any more: stopping")
                    break
                if current != self.generation.name and not self._switch():
                    break
                if self._idle():
                    log.info("idle for %.0f s: stopping", self.idle)
                    break
        finally:
            if self.record is not None:
                servers.remove_record(self.paths, self.record)
            self._close()
            self._free_use()
            embedded.leave_jvm()    # the process ends without waiting for a query left running

    def _switch(self) -> bool:
        """Serve the newly published generation; False when it cannot be opened."""
        log.info("a new generation was published: switching")
        if not self._hold_use(self.timeout + 5):
            log.info("commands still running after %.0f s: switching under them", self.timeout)
        try:
            self._close()
            try:
                self._open()
            except (HtkgError, OSError) as exc:
                log.info("cannot serve the new generation (%s): stopping", exc)
                return False
        finally:
            self._free_use()
        return True

    def _idle(self) -> bool:
        """Unused for the idle time, and no command holds it (then it stays held)."""
        last = max(background.last_use(self.paths) or 0.0, self.record.since)
        if time.time() - last < self.idle:
            return False
        return self._hold_use(0)


def _tell(ready, line: str) -> None:
    if ready is not None:
        with contextlib.suppress(OSError, ValueError):
            ready.write(line.replace("\n", " ") + "\n")
            ready.close()


def main(argv: list[str] | None = None) -> None:
    """``python -m htkg.graph.daemon STORE --timeout S --ready-fd N``."""
    parser = argparse.ArgumentParser(prog="python -m htkg.graph.daemon")
    parser.add_argument("store", type=Path)
    parser.add_argument("--timeout", type=float, required=True)
    parser.add_argument("--ready-fd", type=int, default=None)
    args = parser.parse_args(argv)
    if os.fork():
        os._exit(0)     # the command that started it goes on; the server is nobody's child
    ready = os.fdopen(args.ready_fd, "w") if args.ready_fd is not None else None
    logging.basicConfig(stream=sys.stderr, level=logging.INFO,
                        format=f"%(asctime)s htkg server {os.getpid()}: %(message)s")
    try:
        BackgroundServer(args.store, args.timeout).run(ready)
    except HtkgError as exc:
        log.info("stopped: %s", exc)
        sys.exit(1)


# -- htkg serve ---------------------------------------------------------------------
def serve(store: Path, announce=print, tls: embedded.TLS | None = None) -> None:
    """Serve a store's current graph over Bolt until interrupted.

    The store must not be in use by another process; a background server of
    this user's for it is stopped first. ``announce`` receives one JSON line
    with the URI, user and password to give the driver. With ``tls``, only
    TLS connections are accepted (a ``bolt+s://`` URI). Unless over TLS (or
    ``HTKG_SERVER=off``), the server is recorded, so htkg's own commands on
    this store read through it too.
    """
    with StoreLock(store, wait=0), contextlib.ExitStack() as stack:
        with contextlib.ExitStack() as starting:
            paths = _hold_start(store, starting)    # no background server until recorded
            generation = embedded.current_generation(store)
            if generation is None:
                generation = embedded.new_generation(store)
                fresh = embedded.start_server(generation, create=True)
                fresh.stop()
                embedded.publish_generation(store, generation, counts={})
            # Clients may write through the listener: no engine may read it meanwhile,
            # and the counts recorded at build time no longer describe the graph.
            pin = GenerationLock(generation, store).take(exclusive=True, wait=0)
            stack.callback(pin.release)
            generations.forget_counts(generation)
            server = embedded.start_server(generation, tls=tls)
            stack.callback(server.stop)
            if paths is not None and tls is None:
                rec = Record(kind="serve", store=str(paths.store), generation=generation.name,
                             uri=server.uri, user=server.user, password=server.password,
                             database=embedded.DATABASE, pid=os.getpid(),
                             started=servers.process_start(os.getpid()), read_only=False,
                             timeout=None, idle=None, since=time.time())
                stack.enter_context(servers.registered(paths.store, rec))
        _serve_until_stopped(server, announce)


def _hold_start(store: Path, stack: contextlib.ExitStack) -> Paths | None:
    """Stop this user's background server for ``store`` and hold its start
    lock on ``stack``; the record's paths, or None when there are none."""
    if not servers.enabled():
        return None
    try:
        paths = Paths.of(store)
    except servers.Unavailable:
        return None
    stack.enter_context(background.start_lock(paths))
    background.retire(paths, servers.read_record(paths))
    return paths


def _serve_until_stopped(server: embedded.EmbeddedServer, announce) -> None:
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    announce(json.dumps({"uri": server.uri, "user": server.user, "password": server.password,
                         "database": embedded.DATABASE}))
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":  # pragma: no cover - started by htkg.graph.background
    main()
