"""Errors as pages: what went wrong in words, with a 4xx or 5xx status, never a
traceback.

The library's typed errors say what to do already (:mod:`htkg.errors`): a
name that means nothing lists the closest matches, a bad parameter names
itself, a query stopped at its limit says so. Here each becomes a status:
an unknown entity, query or page 404; a malformed address or parameter 400;
a read stopped at the time limit or a store that cannot be read 503. Anything
else is a 500 page that says nothing was changed, while the app's log keeps
the details.
"""
from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse

from htkg.errors import HtkgError, QueryError, QueryTimeout, ResolveError, StoreError
from htkg.web.present import candidate_links

log = logging.getLogger("htkg.web")

_TITLES = {400: "This address cannot be read", 401: "Password needed", 404: "Not found",
           405: "Method not allowed", 414: "Address too long",
           503: "The graph did not answer in time", 500: "Something went wrong"}


def _error_page(request: Request, status: int, message: str, candidates=(), title=None):
    env = request.app.state.templates
    html = env.get_template("error.html").render(
        request=request, status=status, title=title or _TITLES.get(status, "Error"),
        message=message, candidates=candidate_links(candidates))
    return HTMLResponse(html, status_code=status)


def library_error(request: Request, exc: HtkgError):
    if isinstance(exc, ResolveError):
        return _error_page(request, 404, str(exc), exc.candidates)
    if isinstance(exc, QueryTimeout):
        limit = request.app.state.timeout
        return _error_page(request, 503, f"This page was stopped at its time limit of {limit:g} s "
                                         f"and read nothing more. Narrow what it asks (a saved "
                                         f"query's parameters), or start the app with a longer "
                                         f"--timeout.", title="Stopped at the time limit")
    if isinstance(exc, StoreError):
        return _error_page(request, 503, str(exc), title="The graph cannot be read")
    if isinstance(exc, QueryError) and str(exc).startswith("no saved query"):
        return _error_page(request, 404, str(exc))
    return _error_page(request, 400, str(exc))


def http_error(request: Request, exc: HTTPException):
    messages = {404: "No page of this app has this address. Start from the home page, or "
                     "search for a name.",
                405: "This app only reads: every page is a GET request."}
    return _error_page(request, exc.status_code,
                       messages.get(exc.status_code, str(exc.detail)))


def unexpected_error(request: Request, exc: Exception):
    log.error("a page failed: %s %s: %s", request.method, request.url.path, type(exc).__name__)
    return _error_page(request, 500, "This page could not be made; nothing was changed. The "
                                     "app's log (where it was started) says more.")
