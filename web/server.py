"""The app itself: its routes over one open store, and serving it until Ctrl-C.

:func:`make_app` builds the ASGI application over an open
:class:`~htkg.graph.store.Store`; :func:`serve` is what ``htkg app`` calls:
it checks where the app may listen and binds the port before the store opens
(the embedded engine takes seconds to start), opens the store once,
read-only and lasting, and serves until Ctrl-C or SIGTERM.

Each page runs in a worker thread within the request's time limit
(:func:`htkg.graph.bounded.deadline`), so a slow query stops at the limit
with a page that says so, and the app stays up.
"""
from __future__ import annotations

import errno
import functools
import socket
import threading
import webbrowser
from pathlib import Path
from typing import Callable, Iterable

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from htkg.errors import HtkgError
from htkg.graph.bounded import deadline, query_timeout
from htkg.graph.store import open_store
from htkg.maps.html import _asset, _sha256, vis_files   # the map page's own script hashes
from htkg.queries import load_catalogue, user_dirs
from htkg.reports.html import content_security_policy
from htkg.web import pages
from htkg.web.access import Access, AccessError, Guard, access_for
from htkg.web.errors import http_error, library_error, unexpected_error
from htkg.web.present import STATIC, environment
from htkg.web.state import MAX_ROWS, Workbench

DEFAULT_PORT = 8765
DEFAULT_TIMEOUT = 20.0
#: Largest request head uvicorn reads (the app refuses a query string far shorter
#: with a page of its own; beyond this, uvicorn answers 400 itself).
LARGEST_HEAD = 1 << 20


def _within_limit(handler: Callable, seconds: float) -> Callable:
    """A page that reads within the request's time limit (run in a worker thread)."""
    @functools.wraps(handler)
    def page(request):
        with deadline(seconds):
            return handler(request)
    return page


def _map_policy() -> str:
    """The map page's own policy (its two scripts by hash), framed by the app's pages only."""
    vis_js, _ = vis_files()
    return ("default-src 'none'; " f"script-src {_sha256(vis_js)} {_sha256(_asset('map.js'))}; "
            "style-src 'unsafe-inline'; img-src data:; font-src data:; connect-src 'none'; "
            "frame-src 'none'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'; "
            "object-src 'none'")


def _report_policy() -> str:
    """A report's own policy with a map (htkg.reports.html), framed by the app's pages only."""
    return (content_security_policy("", [vis_files()[0], _asset("map.js")])
            + "; frame-ancestors 'self'")


def make_app(store, access: Access, *, timeout: float = DEFAULT_TIMEOUT,
             max_rows: int = MAX_ROWS, queries_dirs: Iterable[str | Path] = ()):
    """The app over an open store: every route, the error pages and the guard."""
    limit = functools.partial(_within_limit, seconds=timeout)
    routes = [
        Route("/", limit(pages.home)),
        Route("/search", limit(pages.search)),
        Route("/search.json", limit(pages.search_json)),
        Route("/entity/{id}", limit(pages.entity)),
        Route("/entity/{id}/map", limit(pages.entity_map)),
        Route("/queries", limit(pages.queries)),
        Route("/queries/{name}", limit(pages.query_form)),
        Route("/queries/{name}/results", limit(pages.query_results)),
        Route("/queries/{name}/results.{fmt}", limit(pages.query_download)),
        Route("/queries/{name}/map", limit(pages.query_map)),
        Route("/connection", limit(pages.connection)),
        Mount("/static", StaticFiles(directory=str(STATIC)), name="static"),
    ]
    for kind in ("country", "nation"):
        routes += [Route(f"/{kind}/{{name}}", limit(pages.report_page)),
                   Route(f"/{kind}/{{name}}/report.{{fmt}}", limit(pages.report_file))]
    app = Starlette(routes=routes, exception_handlers={
        HtkgError: library_error, HTTPException: http_error, Exception: unexpected_error})
    app.state.bench = Workbench(store, queries_dirs=queries_dirs, max_rows=max_rows)
    app.state.templates = environment()
    app.state.timeout = timeout
    app.state.map_policy = _map_policy()
    app.state.report_policy = _report_policy()
    guard = Guard(app, access)
    guard.bench = app.state.bench
    return guard


def _bind(access: Access) -> socket.socket:
    """The listening socket, bound before the store opens; one line if it cannot be."""
    family = socket.AF_INET6 if ":" in access.host.strip("[]") else socket.AF_INET
    # IPPROTO_TCP named, so that asyncio turns Nagle's algorithm off on each connection
    # (it does only for sockets that say they are TCP): else a response written in two
    # parts waits for the client's delayed acknowledgement, 40 ms, on a kept-alive one.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((access.host.strip("[]"), access.port))
    except OSError as exc:
        sock.close()
        why = ("the port is in use; give another with --port" if exc.errno == errno.EADDRINUSE
               else exc.strerror or str(exc))
        raise AccessError(f"cannot listen on {access.host}:{access.port}: {why}") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def serve(db=None, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT,
          timeout: float | None = None, max_rows: int = MAX_ROWS,
          queries_dirs: Iterable[str | Path] = (), open_browser: bool = False,
          announce: Callable[[str], None] = print, environ: dict | None = None) -> None:
    """Serve the app on ``host``:``port`` (0: a free port) over the store ``db``
    (what ``--db`` takes) until Ctrl-C or SIGTERM.

    Refuses, before the store opens: a host other than loopback without
    ``$HTKG_APP_PASSWORD``, a short password, a port it cannot bind, a folder
    of saved queries that does not load. ``announce`` is given one line with
    the address once the app answers.
    """
    import uvicorn  # deferred: only the app serves HTTP
    seconds = query_timeout(timeout if timeout is not None else DEFAULT_TIMEOUT)
    access = access_for(host, port, environ)
    load_catalogue(user_dirs(list(queries_dirs)))       # a broken folder fails now, not later
    sock = _bind(access)
    try:
        with open_store(db, timeout=seconds, lasting=True) as store:
            app = make_app(store, access, timeout=seconds, max_rows=max_rows,
                           queries_dirs=queries_dirs)
            app.bench.warm()        # what every page shares, read before the first page asks
            config = uvicorn.Config(app, http="h11", lifespan="off", access_log=False,
                                    log_level="warning",
                                    h11_max_incomplete_event_size=LARGEST_HEAD,
                                    timeout_graceful_shutdown=3, server_header=False)
            server = uvicorn.Server(config)
            url = access.url(sock.getsockname()[1])
            threading.Thread(target=_when_started, args=(server, url, announce, open_browser),
                             name="htkg-app-announce", daemon=True).start()
            server.run(sockets=[sock])
    finally:
        sock.close()


def _when_started(server, url: str, announce: Callable[[str], None], open_browser: bool) -> None:
    while not server.started and not server.should_exit:
        threading.Event().wait(0.05)
    if server.started:
        announce(url)
        if open_browser:
            webbrowser.open(url)


__all__ = ["AccessError", "DEFAULT_PORT", "DEFAULT_TIMEOUT", "make_app", "serve"]
