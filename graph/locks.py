"""Who has a store, and each of its generations, open: two kinds of lock.

- :class:`StoreLock` (``<store>/lock``, exclusive) is held by what writes a
  store: a build (for its whole run) and ``htkg serve`` (whose clients may
  write). Reads do not take it, so a build never waits for a reader.
- :class:`GenerationLock` (``<store>/gen-…/htkg-open.lock``) is held *shared*
  by every engine that has that generation open read-only (a command's own
  engine, a background server) and *exclusively* by one that writes it
  (``htkg serve``), recovers it, or deletes it. Publishing a new generation
  deletes an older one only when it can take this lock at once
  (:func:`htkg.graph.generations.publish_generation`), so a reader keeps
  the generation it opened, and the last reader out removes it
  (:func:`htkg.graph.generations.collect`).

Both are ``flock`` locks: the kernel releases them when their holder ends,
however it ends. The exclusive holder writes its process id into the file,
for the message a waiting process gives.
"""
from __future__ import annotations

import errno
import fcntl
import os
import time
from pathlib import Path

from htkg.errors import StoreError
from htkg.graph.generations import OPEN_LOCK, claim_store, require_store

STEP = 0.05


def lock_wait() -> float:
    """Seconds to wait for a store another process holds: ``$HTKG_LOCK_WAIT``, else 10."""
    return float(os.environ.get("HTKG_LOCK_WAIT", "10"))


def _flock(fd: int, how: int, wait: float) -> bool:
    """Take ``how`` on ``fd``, trying until ``wait`` seconds have passed."""
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, how | fcntl.LOCK_NB)
            return True
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                raise
        if time.monotonic() >= deadline:
            return False
        time.sleep(min(0.2, max(STEP, deadline - time.monotonic())))


def _holder(fd: int) -> str:
    return os.pread(fd, 64, 0).decode(errors="replace").strip() or "another"


class StoreLock:
    """An exclusive lock on a store directory, naming the process that holds it.

    With ``claim`` (a build, ``serve``) the folder is made a store, or
    refused when it holds other things (:func:`claim_store`); without it it
    must already be one, and nothing is created outside a store.
    """

    def __init__(self, store: Path, wait: float | None = None, *, claim: bool = True):
        self.path = store / "lock"
        self.claim = claim
        self.wait = lock_wait() if wait is None else wait
        self._fd: int | None = None

    def __enter__(self) -> "StoreLock":
        store = self.path.parent
        if self.claim:
            claim_store(store)
        else:
            require_store(store)
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(f"cannot lock the store {store}: {exc.strerror or exc}") from None
        try:
            taken = _flock(fd, fcntl.LOCK_EX, self.wait)
            if not taken:
                raise StoreError(f"the store {store} is in use by process {_holder(fd)}; "
                                 f"wait for it to finish, or use another --db")
        except BaseException:
            os.close(fd)
            raise
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


class GenerationLock:
    """Shared or exclusive hold on one generation (see the module docstring).

    ``store`` is only for messages. :meth:`take` waits up to ``wait``
    seconds and raises :class:`StoreError` naming the holder;
    :meth:`try_take` does not wait and says whether it got the lock.
    """

    def __init__(self, generation: Path, store: Path | None = None):
        self.generation = generation
        self.store = store or generation.parent
        self._fd: int | None = None
        self.exclusive = False

    @property
    def path(self) -> Path:
        return self.generation / OPEN_LOCK

    def _open(self) -> int:
        try:   # made when the generation was; only a generation from before has none
            return os.open(self.path, os.O_RDWR)
        except FileNotFoundError:
            if not (self.generation / "databases").is_dir():
                raise
            return os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)

    def try_take(self, exclusive: bool = False) -> bool:
        """Take the lock if no other process stands in the way; never waits."""
        try:
            return self._take(exclusive, 0.0) is None
        except OSError:
            return False

    def take(self, exclusive: bool = False, wait: float | None = None) -> "GenerationLock":
        """Take the lock, waiting up to ``wait`` seconds (``$HTKG_LOCK_WAIT``)."""
        try:
            holder = self._take(exclusive, lock_wait() if wait is None else wait)
        except OSError as exc:
            raise StoreError(f"cannot open the store {self.store}: "
                             f"{exc.strerror or exc}") from None
        if holder is None:
            return self
        if exclusive:
            raise StoreError(f"the store {self.store} is being read by another process; "
                             f"wait for it to finish (or stop its background server: "
                             f"'htkg server stop --db {self.store}'), or use another --db")
        raise StoreError(f"the store {self.store} is in use by process {holder}; wait for it "
                         f"to finish, or use another --db")

    def _take(self, exclusive: bool, wait: float) -> str | None:
        """None once taken; else the holder named in the file. Changing a
        lock held already is not atomic: on failure nothing is held."""
        fd = self._fd if self._fd is not None else self._open()
        if self.exclusive and not exclusive:
            os.ftruncate(fd, 0)
        if not _flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH, wait):
            holder = _holder(fd)
            os.close(fd)
            self._fd, self.exclusive = None, False
            return holder
        self._fd, self.exclusive = fd, exclusive
        if exclusive:
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode(), 0)
        return None

    def release(self) -> None:
        if self._fd is not None:
            if self.exclusive:
                os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
            self.exclusive = False

    @property
    def held(self) -> bool:
        return self._fd is not None
