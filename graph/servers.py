"""The record of a running server that a store's commands share.

Per store, in a directory that is the user's own (``$XDG_RUNTIME_DIR/htkg``,
else ``~/.cache/htkg/servers``; mode 0700, its owner checked)::

    <key>.json    the record: address, credentials, process id and start
                  time, the generation served (mode 0600, made with it)
    <key>.lock    held while a server is started, so two commands start one
    <key>.use     held shared by each command using the server; its time
                  is the last use (the idle clock)

``<key>`` is a hash of the store's real path. A record is believed only when
its process is alive *and* is the one that wrote it (its start time, so a
reused pid does not pass), and its address is on loopback; the rest (the
generation it serves, whether the server takes its credentials) is for
:mod:`htkg.graph.background` to check. Two users never share a record: each
has a directory of their own, and a record another user could read or own
is ignored and removed.

The background server writes its record (:mod:`htkg.graph.daemon`); so does
``htkg serve``, and any other front end that runs an engine on a store may
(:func:`registered`).
"""
from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

from htkg.errors import HtkgError

DEFAULT_IDLE = 600.0
LOOPBACK = ("127.0.0.1", "::1", "localhost")
KINDS = ("background", "serve", "app")


class Unavailable(HtkgError):
    """No shared server can be used here (the record directory is not the user's own)."""


# -- settings -----------------------------------------------------------------------
def enabled(value: str | None = None) -> bool:
    """Whether commands share a server: ``value`` (else ``$HTKG_SERVER``) is not ``off``.

    >>> enabled("off"), enabled("on"), enabled("")
    (False, True, True)
    """
    value = (os.environ.get("HTKG_SERVER", "") if value is None else value).strip().lower()
    if value in ("", "on", "auto", "1", "yes", "true"):
        return True
    if value in ("off", "0", "no", "false"):
        return False
    raise HtkgError(f"HTKG_SERVER must be 'on' or 'off', not {value!r}")


def idle_seconds(value: str | None = None) -> float:
    """How long a background server waits unused before it exits:
    ``value`` or ``$HTKG_SERVER_IDLE``, in seconds, or with ``s``, ``m`` or ``h``.

    >>> idle_seconds("90"), idle_seconds("10m"), idle_seconds("1.5h"), idle_seconds("")
    (90.0, 600.0, 5400.0, 600.0)
    >>> idle_seconds("soon")
    Traceback (most recent call last):
    htkg.errors.HtkgError: HTKG_SERVER_IDLE must be a time above 0 (seconds, or 30s, 10m, 1h), not 'soon'
    """
    text = (os.environ.get("HTKG_SERVER_IDLE", "") if value is None else value).strip().lower()
    if not text:
        return DEFAULT_IDLE
    unit = {"s": 1, "m": 60, "h": 3600}.get(text[-1])
    try:
        seconds = float(text[:-1] if unit else text) * (unit or 1)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds < float("inf"):
        raise HtkgError(f"HTKG_SERVER_IDLE must be a time above 0 (seconds, or 30s, 10m, 1h), "
                        f"not {text!r}")
    return seconds


# -- where records live -------------------------------------------------------------
def record_dir() -> Path:
    """The user's own directory for records (made 0700); :class:`Unavailable`
    if it, or the runtime directory above it, belongs to someone else."""
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime and os.path.isabs(runtime) and _own_dir(Path(runtime), narrow=False):
        folder = Path(runtime) / "htkg"
    else:
        cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        folder = cache / "htkg" / "servers"
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=0o700)
    except OSError as exc:
        raise Unavailable(f"cannot make {folder}: {exc.strerror or exc}") from None
    if not _own_dir(folder, narrow=True):
        raise Unavailable(f"{folder} is not a directory of this user's own")
    return folder


def _own_dir(path: Path, narrow: bool) -> bool:
    """Whether ``path`` is a real directory (not a link) this user owns; with
    ``narrow``, one that others could enter is made 0700 again."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        return False
    if narrow and info.st_mode & 0o077:
        try:
            os.chmod(path, 0o700, follow_symlinks=False)
        except OSError:
            return False
    return True


@dataclass(frozen=True)
class Paths:
    """The files of one store's server (see the module docstring)."""

    store: Path
    record: Path
    lock: Path
    use: Path

    @classmethod
    def of(cls, store: Path) -> "Paths":
        store = Path(os.path.realpath(store))
        key = hashlib.sha256(os.fsencode(store)).hexdigest()[:20]
        folder = record_dir()
        return cls(store, folder / f"{key}.json", folder / f"{key}.lock", folder / f"{key}.use")

    @property
    def log(self) -> Path:
        """The background server's own log, beside the engine's."""
        cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        return cache / "htkg" / f"server-{self.record.stem}.log"


# -- the record ---------------------------------------------------------------------
@dataclass
class Record:
    """A running server, as its record names it."""

    kind: str
    store: str
    generation: str
    uri: str
    user: str
    password: str = field(repr=False)
    database: str | None
    pid: int
    started: str | None          # the process's start time, as the kernel counts it
    read_only: bool              # the engine refuses writes (the background server)
    timeout: float | None        # the engine's own time limit on a query, if any
    idle: float | None           # seconds unused before it exits (background only)
    since: float                 # when it started serving this generation (Unix time)

    def to_json(self) -> str:
        return json.dumps({"htkg": "server", "version": 1, **dataclasses.asdict(self)},
                          indent=1, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> "Record | None":
        try:
            data = json.loads(text)
            if not isinstance(data, dict) or data.pop("htkg", None) != "server" \
                    or data.pop("version", None) != 1:
                return None
            rec = cls(**data)
        except (ValueError, TypeError):
            return None
        types = {"kind": str, "store": str, "generation": str, "uri": str, "user": str,
                 "password": str, "pid": int, "read_only": bool, "since": (int, float)}
        optional = {"database": str, "started": str, "timeout": (int, float), "idle": (int, float)}
        if any(not isinstance(getattr(rec, k), t) for k, t in types.items()) \
                or any(getattr(rec, k) is not None and not isinstance(getattr(rec, k), t)
                       for k, t in optional.items()) \
                or rec.kind not in KINDS or rec.pid <= 1 or not _loopback(rec.uri):
            return None
        return rec

    def serves(self, limit: float) -> bool:
        """Whether a query with time limit ``limit`` may run here: the engine's
        own limit, when it has one, is not shorter."""
        return self.timeout is None or self.timeout >= limit - 1e-6

    def same(self, other: "Record | None") -> bool:
        return other is not None and (self.pid, self.password, self.generation) == (
            other.pid, other.password, other.generation)


def _loopback(uri: str) -> bool:
    try:
        parts = urlsplit(uri)
        return parts.scheme in ("bolt", "bolt+s", "bolt+ssc") and parts.hostname in LOOPBACK \
            and parts.port is not None
    except ValueError:
        return False


def read_record(paths: Paths) -> Record | None:
    """The record, if it is a regular file of this user's, readable by no one
    else, and well formed; a record that is not is removed."""
    try:
        fd = os.open(paths.record, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return None
    except OSError:
        _unlink(paths.record)
        return None
    try:
        info = os.fstat(fd)
        ok = stat.S_ISREG(info.st_mode) and info.st_uid == os.getuid() \
            and not info.st_mode & 0o077 and info.st_size < 65536
        text = os.read(fd, 65536).decode("utf-8", "replace") if ok else ""
    finally:
        os.close(fd)
    rec = Record.from_json(text) if ok else None
    if rec is None or rec.store != str(paths.store):
        _unlink(paths.record)
        return None
    return rec


def write_record(paths: Paths, rec: Record) -> None:
    """Write the record whole (a new file, made 0600, moved into place)."""
    tmp = paths.record.with_name(f".{paths.record.name}.{os.getpid()}.tmp")
    _unlink(tmp)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        os.fchmod(fd, 0o600)     # whatever the umask: readable by this user only
        os.write(fd, rec.to_json().encode())
    finally:
        os.close(fd)
    os.replace(tmp, paths.record)


def owns(paths: Paths, rec: Record) -> bool:
    """Whether the record on disk is still ``rec`` (not replaced, not removed)."""
    return rec.same(read_record(paths))


def remove_record(paths: Paths, rec: Record) -> None:
    """Remove the record if it is still ``rec``."""
    if owns(paths, rec):
        _unlink(paths.record)


def _unlink(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError, IsADirectoryError, PermissionError):
        path.unlink()


@contextlib.contextmanager
def registered(store: Path, rec: Record) -> Iterator[Paths | None]:
    """Name a running server in the store's record while the block runs (for
    ``htkg serve`` and other front ends that run an engine of their own)."""
    try:
        paths = Paths.of(store)
    except Unavailable:
        yield None
        return
    write_record(paths, rec)
    try:
        yield paths
    finally:
        remove_record(paths, rec)


def current_name(store: Path) -> str | None:
    """The name of the generation a store's ``current`` points to, or None."""
    try:
        return os.readlink(Path(store) / "current")
    except OSError:
        return None


# -- processes ----------------------------------------------------------------------
def process_start(pid: int) -> str | None:
    """When process ``pid`` started (clock ticks since boot), or None when it
    is gone or a zombie. Without /proc: ``"?"`` while it exists."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rpartition(b")")[2].split()
    except FileNotFoundError:
        if os.path.isdir("/proc"):
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass
        return "?"
    except OSError:
        return None
    if len(fields) < 20 or fields[0] in (b"Z", b"X"):
        return None
    return fields[19].decode()


def alive(rec: Record) -> bool:
    """Whether the record's process is running and is the one that wrote it."""
    return rec.started is not None and process_start(rec.pid) == rec.started
