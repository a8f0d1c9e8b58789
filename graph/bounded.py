"""Run one piece of blocking work with a time limit, and stop waiting on Ctrl-C.

A query waits in the driver's socket read, where neither a signal nor a
time limit reaches it: the engine's own limit may not apply (a server that
ignores the transaction timeout, a function it does not check), and Python
delivers Ctrl-C to the main thread only when it runs Python code. So the
work runs in a worker thread while the main thread waits in short steps;
at the limit, or on Ctrl-C or SIGTERM, ``give_up`` is called (it closes the
connection or the engine, which ends the worker's read) and the main thread
goes on at once.

A long-lived front end (``htkg app``) gives each request a time limit of its
own with :func:`deadline`: every bounded run within it stops when the
request's time is up, whichever limit comes first.
"""
from __future__ import annotations

import contextlib
import os
import threading
import time
from contextvars import ContextVar
from typing import Callable, Iterator, TypeVar

from htkg.errors import HtkgError, QueryTimeout

T = TypeVar("T")
DEFAULT_TIMEOUT = 120.0
STEP = 0.05
# (when the current request's time is up, on time.monotonic(); its whole limit)
_DEADLINE: ContextVar[tuple[float, float] | None] = ContextVar("htkg_deadline", default=None)


def query_timeout(value: float | str | None = None) -> float:
    """The time limit, in seconds, of each query: ``value``, else
    ``$HTKG_QUERY_TIMEOUT``, else 120.

    >>> query_timeout(5), query_timeout("2.5")
    (5.0, 2.5)
    >>> query_timeout("soon")
    Traceback (most recent call last):
    htkg.errors.HtkgError: the query time limit must be a number of seconds above 0, not 'soon'
    """
    if value is None:
        value = os.environ.get("HTKG_QUERY_TIMEOUT") or DEFAULT_TIMEOUT
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = -1.0
    if not 0 < seconds < float("inf"):
        raise HtkgError(f"the query time limit must be a number of seconds above 0, not {value!r}")
    return seconds


def timeout_message(seconds: float) -> str:
    """The one line that says a query reached its limit.

    >>> timeout_message(2)
    'the query was stopped at its time limit of 2 s; narrow it (a label, a LIMIT, a smaller --depth) or allow more time with --timeout SECONDS'
    """
    return (f"the query was stopped at its time limit of {seconds:g} s; narrow it (a label, "
            f"a LIMIT, a smaller --depth) or allow more time with --timeout SECONDS")


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Within this block, every :func:`run_bounded` stops at most ``seconds`` from
    now in all: its own limit is cut to the time left, and once none is left it
    raises :class:`QueryTimeout` at once (naming ``seconds``).

    >>> with deadline(0.2):
    ...     run_bounded(lambda: time.sleep(5), 60, give_up=lambda: None)
    Traceback (most recent call last):
    htkg.errors.QueryTimeout: the query was stopped at its time limit of 0.2 s; narrow it (a label, a LIMIT, a smaller --depth) or allow more time with --timeout SECONDS
    """
    token = _DEADLINE.set((time.monotonic() + seconds, seconds))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def run_bounded(work: Callable[[], T], seconds: float, give_up: Callable[[], None], *,
                grace: float = 0.0) -> T:
    """``work()``'s result, or :class:`QueryTimeout` after ``seconds`` (and
    ``grace`` more, which leaves the engine's own limit the first to speak).

    On the limit, and on any exception while waiting (KeyboardInterrupt from
    Ctrl-C, SystemExit from SIGTERM), ``give_up()`` is called first.

    >>> run_bounded(lambda: 42, 1, give_up=lambda: None)
    42
    >>> run_bounded(lambda: time.sleep(5), 0.2, give_up=lambda: None)
    Traceback (most recent call last):
    htkg.errors.QueryTimeout: the query was stopped at its time limit of 0.2 s; narrow it (a label, a LIMIT, a smaller --depth) or allow more time with --timeout SECONDS
    """
    limit = seconds
    within = _DEADLINE.get()
    if within is not None:
        left = within[0] - time.monotonic()
        if left <= 0:
            raise QueryTimeout(timeout_message(within[1]))
        if left < seconds + grace:   # the request's time runs out first
            seconds, grace, limit = left, 0.0, within[1]
    outcome: dict[str, object] = {}

    def worker() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
            outcome["error"] = exc

    thread = threading.Thread(target=worker, name="htkg-query", daemon=True)
    until = time.monotonic() + seconds + grace
    thread.start()
    try:
        while thread.is_alive():
            thread.join(STEP)
            if thread.is_alive() and time.monotonic() >= until:
                raise QueryTimeout(timeout_message(limit))
    except BaseException:
        give_up()
        raise
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]
