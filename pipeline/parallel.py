"""Reading many files of one loader at once, one process per core.

A loader may offer ``parallel(source) -> bool``: True for a file whose
records depend only on what was loaded before its group of files began
(the NRM referral tables). Consecutive files of such a loader are read in
worker processes forked from this one, so each sees the graph as loaded so
far; the relationships they yield in bulk are checked there too (the
model's ``check_edges``, the costly part), and everything is merged here in
the files' order: the graph is the same as one built a file at a time (a
test compares them). A file the loader does not allow comes back as None,
to be read here in its turn.

Workers are forked (they inherit the registry, the resolver and the schema
rather than rebuilding them) and are used only where forking is safe: on
Linux, with no Java virtual machine running in this process. ``HTKG_WORKERS``
sets their number (default: the machine's cores; 1 reads one file at a time).
"""
from __future__ import annotations

import multiprocessing
import os
from typing import Any, Callable, Iterator

from htkg import textfile
from htkg.errors import HtkgError
from htkg.loaders.base import CheckedRows, EdgeRows, Loader, Record, Source

_STATE: Any = None          # (loader, context) inherited by the forked workers
# Below this many bytes in a group (decompressed) the fork costs more than it saves.
MIN_BYTES = 4 * 2**20


def workers() -> int:
    """How many processes read files at once (``HTKG_WORKERS``, else the cores)."""
    raw = os.environ.get("HTKG_WORKERS", "").strip()
    if raw:
        try:
            return max(1, int(raw))
        except ValueError:
            raise HtkgError(f"HTKG_WORKERS={raw!r} is not a whole number; set it to the number "
                            f"of processes to read tables with (1 for one at a time)") from None
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else os.cpu_count() or 1)


def _jvm_running() -> bool:
    try:
        import jpype        # deferred: only to ask whether a JVM runs in this process
    except ImportError:
        return False
    return jpype.isJVMStarted()


def checked(loader: Loader, source: Source, ctx) -> list[Record] | None:
    """The file's records with bulk relationships checked, or None when the loader
    wants the file read in the parent process."""
    if not loader.parallel(source):
        return None
    out: list[Record] = []
    for record in loader.read(source, ctx):
        if isinstance(record, EdgeRows):
            record = CheckedRows(record.type, ctx.kg.check_edges(record.type, record.rows))
        out.append(record)
    return out


def _read_one(source: Source) -> list[Record] | None:
    loader, ctx = _STATE
    return checked(loader, source, ctx)


def read_many(loader: Loader, sources: list[Source], ctx,
              started: Callable[[], None] | None = None
              ) -> Iterator[tuple[Source, list[Record] | None]]:
    """Yield (source, checked records or None) in order, in worker processes where that
    pays, else here. ``started`` is called once reading has begun, after any fork (a
    build starts its database then, in this process)."""
    global _STATE
    n = min(workers(), len(sources))
    size = sum(textfile.plain_size(s.path) for s in sources)   # decompressed
    if (n < 2 or size < MIN_BYTES or _jvm_running()
            or "fork" not in multiprocessing.get_all_start_methods()):
        if started is not None:
            started()
        for source in sources:
            yield source, checked(loader, source, ctx)
        return
    ctx.resolver()                          # built once, here, and inherited
    _STATE = (loader, ctx.for_worker())
    try:
        with multiprocessing.get_context("fork").Pool(n) as pool:
            results = pool.imap(_read_one, sources)
            if started is not None:
                started()
            yield from zip(sources, results)
    finally:
        _STATE = None
