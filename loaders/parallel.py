"""Reading many tables of one loader at once, one process per core.

A loader may offer ``prepare(path, ctx)``, which reads and checks a file
and returns what ``apply(prepared, ctx)`` will add, changing nothing in
``ctx`` meanwhile (it returns None for a file it loads only through
``load``). Consecutive files of such a loader are prepared in worker
processes forked from this one, so each sees the graph as loaded so far,
and applied here in the files' order: the graph is the same as one built a
file at a time (a test compares them).

The NRM referral tables use this: a parse that checks every cell is pure
Python and takes one core, and a large corpus has dozens of tables. Workers
are forked (they inherit the registry, the resolver and the schema rather
than rebuilding them) and are used only where forking is safe: on Linux,
with no Java virtual machine running in this process. ``HTKG_WORKERS`` sets
their number (default: the machine's cores; 1 reads one file at a time).
"""
from __future__ import annotations

import multiprocessing
import os
from pathlib import Path
from typing import Any, Callable, Iterator

_CTX: Any = None        # the forked workers' LoadContext, inherited from the parent
_PREPARE: Callable | None = None
# Below this many bytes in a group the fork costs more than it saves.
MIN_BYTES = 4 * 2**20


def workers() -> int:
    """How many processes read tables at once (``HTKG_WORKERS``, else the cores)."""
    raw = os.environ.get("HTKG_WORKERS", "").strip()
    if raw:
        try:
            return max(1, int(raw))
        except ValueError:
            from htkg.errors import HtkgError
            raise HtkgError(f"HTKG_WORKERS={raw!r} is not a whole number; set it to the number "
                            f"of processes to read tables with (1 for one at a time)") from None
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else os.cpu_count() or 1)


def _jvm_running() -> bool:
    try:
        import jpype
    except ImportError:
        return False
    return jpype.isJVMStarted()


def _prepare_one(path: Path):
    return _PREPARE(path, _CTX)


def prepared(mod, paths: list[Path], ctx, started: Callable[[], None] | None = None
             ) -> Iterator[tuple[Path, Any]]:
    """Yield (path, ``mod.prepare(path, ctx)``) in order, in worker processes
    where that pays, else here. ``started`` is called once reading has begun,
    after any fork (a build starts its database then, in this process)."""
    global _CTX, _PREPARE
    n = min(workers(), len(paths))
    size = sum(p.stat().st_size for p in paths)
    if (n < 2 or size < MIN_BYTES or _jvm_running()
            or "fork" not in multiprocessing.get_all_start_methods()):
        if started is not None:
            started()
        for path in paths:
            yield path, mod.prepare(path, ctx)
        return
    ctx.resolver()                          # built once, here, and inherited
    _CTX, _PREPARE = ctx.without_progress(), mod.prepare
    try:
        with multiprocessing.get_context("fork").Pool(n) as pool:
            results = pool.imap(_prepare_one, paths)
            if started is not None:
                started()
            yield from zip(paths, results)
    finally:
        _CTX = _PREPARE = None
