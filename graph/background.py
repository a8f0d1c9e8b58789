"""A server the commands of one user share, per store: how a command finds
it, starts it, replaces it, or stops it.

Starting the embedded engine (a JVM and ArcadeDB) costs seconds; reading
through a running one costs milliseconds. So the first command that reads a
store starts a background server for it (:mod:`htkg.graph.daemon`), and
later commands read through it until it has been idle for
``$HTKG_SERVER_IDLE`` (default 10 minutes). ``HTKG_SERVER=off`` turns this
off: every command then starts its own engine.

The server is named by a record (:mod:`htkg.graph.servers`). A command uses
it only when its process is alive and is the one that wrote it, it serves
the store's current generation, and it accepts the record's credentials;
a record that fails any of these is replaced: the server it names is
stopped, when it is a background server of this user's, and a new one
started. A server of ``htkg serve`` (or of another front end) is used the
same way, but never stopped from here.
"""
from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import signal
import sys
import time
from pathlib import Path
from typing import Callable, Iterator, TypeVar

from htkg.errors import HtkgError, StoreError
from htkg.graph.servers import (Paths, Record, Unavailable, alive, current_name, idle_seconds,
                                owns, read_record, remove_record)

T = TypeVar("T")
START_WAIT = 90.0       # seconds a command waits for a server to start or to switch
STEP = 0.05


class Stale(Exception):
    """Raised by a ``connect`` callback: the server named by a record is not
    reachable, or refused the record's credentials."""


# -- stopping a server ----------------------------------------------------------------
def _ours(rec: Record) -> bool:
    """Whether the record's process may be signalled: alive, the one that
    wrote it (a real start time, not a guess), and an htkg server."""
    if rec.started in (None, "?") or not alive(rec):
        return False
    try:
        with open(f"/proc/{rec.pid}/cmdline", "rb") as f:
            return b"htkg.graph.daemon" in f.read()
    except OSError:
        return False


def retire(paths: Paths, rec: Record | None, wait: float = 30.0) -> None:
    """Stop the background server ``rec`` names, if it is ours and alive
    (SIGTERM; SIGKILL after ``wait`` seconds: it only reads), and remove its record."""
    if rec is None:
        return
    if rec.kind == "background" and _ours(rec):
        with contextlib.suppress(ProcessLookupError):
            os.kill(rec.pid, signal.SIGTERM)
        deadline = time.monotonic() + wait
        while alive(rec) and time.monotonic() < deadline:
            time.sleep(STEP)
        if alive(rec):
            with contextlib.suppress(ProcessLookupError):
                os.kill(rec.pid, signal.SIGKILL)
            while alive(rec) and time.monotonic() < deadline + 5:
                time.sleep(STEP)
    remove_record(paths, rec)


# -- locks ----------------------------------------------------------------------------
@contextlib.contextmanager
def start_lock(paths: Paths, wait: float = START_WAIT + 30) -> Iterator[None]:
    """Held while a server for the store is started, stopped or replaced."""
    fd = os.open(paths.lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
            if time.monotonic() >= deadline:
                raise StoreError(f"another command has been starting the server for "
                                 f"{paths.store} for {wait:.0f} s; try again, or run with "
                                 f"HTKG_SERVER=off")
            time.sleep(STEP)
        yield
    finally:
        os.close(fd)


class Lease:
    """A command's hold on a server: a shared lock on the use file, so that
    the server neither switches nor exits while the command runs; the file's
    time, set on taking and on release, is the server's last use."""

    def __init__(self, fd: int, path: Path):
        self._fd, self.path = fd, path

    @classmethod
    def take(cls, paths: Paths) -> "Lease | None":
        """A lease, or None while the server is switching or exiting (it holds
        the file exclusively then)."""
        fd = os.open(paths.use, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return None
        lease = cls(fd, paths.use)
        lease.touch()
        return lease

    def touch(self) -> None:
        with contextlib.suppress(OSError):
            os.utime(self._fd)

    def release(self) -> None:
        if self._fd is not None:
            self.touch()
            os.close(self._fd)
            self._fd = None


def last_use(paths: Paths) -> float | None:
    """When a command last took or released a lease (Unix time), if ever."""
    try:
        return os.stat(paths.use).st_mtime
    except OSError:
        return None


# -- a command's way in ---------------------------------------------------------------
def lease(store: Path, limit: float, connect: Callable[[Record], T]) -> tuple[T, Lease] | None:
    """Connect to the server for ``store``'s current generation, starting one
    when none is running (or the one named is stale); None when the command
    should start an engine of its own (records unavailable here, a time
    limit longer than the server's, a server that would not start).

    ``connect(record)`` returns the connection or raises :class:`Stale`.
    A server still serving an older generation is waited for: it switches
    to the new one by itself, and no command reads the old one meanwhile.
    A server that cannot open the store says why, and that is raised
    (:class:`StoreError`): an engine of the command's own would fail alike.
    """
    idle_seconds()                      # a bad $HTKG_SERVER_IDLE is the command's error
    try:
        paths = Paths.of(store)
    except Unavailable:
        return None
    deadline = time.monotonic() + START_WAIT
    spawned = False
    while True:
        current = current_name(paths.store)
        if current is None:
            return None                  # nothing built: the command's own engine says so
        rec = read_record(paths)
        stale = rec
        if rec is not None and alive(rec):
            if rec.generation == current:
                if not rec.serves(limit):
                    return None
                hold = Lease.take(paths)
                if hold is not None and not (owns(paths, rec)
                                             and current_name(paths.store) == rec.generation):
                    hold.release()       # it switched, or a build published, meanwhile
                    continue
                if hold is not None:
                    try:
                        return connect(rec), hold
                    except Stale:
                        hold.release()
                    except BaseException:
                        hold.release()
                        raise
                elif time.monotonic() < deadline:
                    stale = None         # switching or exiting: look again shortly
            elif rec.kind == "background" and time.monotonic() < deadline + (rec.timeout or 0):
                stale = None             # it switches by itself, once its queries have ended
            if stale is None:
                time.sleep(STEP)
                continue
        if spawned:
            return None
        with start_lock(paths):
            again = read_record(paths)
            if again is not None and not again.same(stale) and alive(again):
                continue                 # another command started one meanwhile
            retire(paths, again)
            spawned = True
            answer = _spawn(paths, limit)
        if answer.startswith("error: "):
            raise StoreError(answer[len("error: "):])
        if answer != "ready":
            return None


def _spawn(paths: Paths, limit: float) -> str:
    """Start a background server for the store and wait until it is ready;
    what it said: ``ready``, ``error: why`` (it cannot open the store), or
    nothing (it did not start). It runs detached: a session of its own, no
    terminal, its output to its log."""
    import select  # deferred: only a command that starts a server needs these
    import subprocess  # deferred: as above
    from htkg.graph.bounded import query_timeout  # deferred: as above

    log = paths.log
    log.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        if log.stat().st_size > 2**20:
            log.unlink()
    read_end, write_end = os.pipe()
    try:
        with open(os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), "ab") as out:
            launcher = subprocess.Popen(
                [sys.executable, "-m", "htkg.graph.daemon", str(paths.store),
                 "--timeout", repr(max(limit, query_timeout())), "--ready-fd", str(write_end)],
                stdin=subprocess.DEVNULL, stdout=out, stderr=out, pass_fds=(write_end,),
                start_new_session=True, cwd="/")
    finally:
        os.close(write_end)
    answer = b""
    try:
        launcher.wait(timeout=START_WAIT)   # it forks the server and returns at once
        deadline = time.monotonic() + START_WAIT
        while not answer.endswith(b"\n") and time.monotonic() < deadline:
            ready, _, _ = select.select([read_end], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                break
            chunk = os.read(read_end, 4096)
            if not chunk:
                break
            answer += chunk
    except subprocess.TimeoutExpired:
        return ""
    finally:
        os.close(read_end)
    return answer.decode("utf-8", "replace").strip() if answer.endswith(b"\n") else ""


# -- htkg server status|stop ---------------------------------------------------------
def describe(paths: Paths) -> dict | None:
    """What ``htkg server status`` shows of the store's server (never its
    password), or None when none is running (a stale record is removed)."""
    rec = read_record(paths)
    if rec is None:
        return None
    if not alive(rec):
        remove_record(paths, rec)
        return None
    info = {"store": rec.store, "kind": rec.kind, "generation": rec.generation,
            "current": rec.generation == current_name(paths.store), "pid": rec.pid,
            "address": rec.uri, "read_only": rec.read_only,
            "serving_for": _duration(time.time() - rec.since)}
    if rec.idle is not None:
        last = max(last_use(paths) or 0.0, rec.since)
        info["idle_left"] = _duration(max(0.0, rec.idle - (time.time() - last)))
    return info


def _duration(seconds: float) -> str:
    """
    >>> _duration(59.4), _duration(61), _duration(3725)
    ('59 s', '1 min 1 s', '1 h 2 min')
    """
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"


def stop(paths: Paths) -> Record | None:
    """Stop the store's background server; the record it had, or None when
    none was running. A server of ``htkg serve`` is left to its own terminal."""
    with start_lock(paths):
        rec = read_record(paths)
        if rec is None or not alive(rec):
            if rec is not None:
                remove_record(paths, rec)
            return None
        if rec.kind != "background":
            raise HtkgError(f"the store {paths.store} is served by 'htkg {rec.kind}' (process "
                            f"{rec.pid}); stop it where it runs (Ctrl-C)")
        retire(paths, rec)
        return rec
