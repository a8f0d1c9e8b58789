"""The pages: each handler reads its address, makes the library calls the
:class:`~htkg.web.state.Workbench` offers, and fills a template. No handler
holds query logic; the library raises typed errors and :mod:`.errors` turns
them into pages with a 4xx or 5xx status.

Every page is a GET whose whole state is in its address (path and query
string; a table's sort order in the fragment), so a link pasted in an email
opens the same view.
"""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from htkg.errors import HtkgError, QueryError
from htkg.output import render
from htkg.queries import with_caveat
from htkg.web.present import entity_url, form_fields, given_values, query_url
from htkg.web.state import Workbench

#: Most names a search lists.
SEARCH_SHOWN = 25
#: Query parameters the pages read (anything else on a page without a form is refused).
PERIOD = ("from", "to")


def _bench(request: Request) -> Workbench:
    return request.app.state.bench


def _page(request: Request, template: str, status: int = 200, **values) -> HTMLResponse:
    env = request.app.state.templates
    html = env.get_template(template).render(request=request, **values)
    return HTMLResponse(html, status_code=status)


def _only(request: Request, *names: str) -> None:
    """Refuse parameters a page does not read, naming the ones it does."""
    unknown = sorted({k for k in request.query_params if k not in names})
    if unknown:
        known = ", ".join(names) if names else "none"
        raise QueryError(f"this page has no parameter {', '.join(repr(u) for u in unknown)}; "
                         f"its parameters: {known}")


def _one(request: Request, name: str) -> str:
    values = request.query_params.getlist(name)
    if len(values) > 1:
        raise QueryError(f"parameter '{name}' is given twice; give it once")
    return values[0].strip() if values else ""


# -- home and search ----------------------------------------------------------------------
def home(request: Request) -> Response:
    _only(request)
    bench = _bench(request)
    return _page(request, "home.html", summary=bench.summary(), nations=bench.nations())


def search(request: Request) -> Response:
    _only(request, "q")
    text = _one(request, "q")
    matches = _bench(request).search(text, SEARCH_SHOWN) if text else []
    return _page(request, "search.html", q=text, matches=matches)


def search_json(request: Request) -> Response:
    """Suggestions for the search box (the page's script asks as you type)."""
    _only(request, "q")
    text = _one(request, "q")
    matches = _bench(request).search(text, 10) if text else []
    return JSONResponse([{"id": m.id, "name": m.name, "matched": m.matched, "label": m.label,
                          "kind": m.kind, "url": entity_url(m.id)} for m in matches])


# -- entities ---------------------------------------------------------------------------------
def _expand(request: Request) -> list[str]:
    return [e.strip() for e in request.query_params.getlist("expand") if e.strip()]


def entity(request: Request) -> Response:
    _only(request, "expand")
    bench = _bench(request)
    asked = request.path_params["id"]
    profile = bench.profile(asked)
    expand = _expand(request)
    if profile.id != asked:     # a name or an alias: the page's own address is by id
        return RedirectResponse(entity_url(profile.id, expand), status_code=302)
    return _page(request, "entity.html", p=profile, trend=bench.trend(profile), expand=expand,
                 nations=dict(bench.nations()))


def entity_map(request: Request) -> Response:
    _only(request, "expand")
    page = _bench(request).entity_map(request.path_params["id"], _expand(request))
    return _map_response(request, page)


def _map_response(request: Request, page: str) -> Response:
    return HTMLResponse(page, headers={"content-security-policy":
                                       request.app.state.map_policy})


# -- reports ---------------------------------------------------------------------------------
def _period(request: Request) -> dict[str, str]:
    _only(request, *PERIOD)
    return {k: _one(request, k) for k in PERIOD if _one(request, k)}


def report_page(request: Request) -> Response:
    kind = request.url.path.split("/")[1]
    name = request.path_params["name"]
    period = _period(request)
    report, _ = _bench(request).report(kind, name, period.get("from"), period.get("to"))
    return _page(request, "report.html", kind=kind, name=name, report=report, period=period)


def report_file(request: Request) -> Response:
    kind = request.url.path.split("/")[1]
    name, fmt = request.path_params["name"], request.path_params["fmt"]
    if fmt not in ("html", "md"):
        raise QueryError(f"a report is written as .html or .md, not .{fmt}")
    period = _period(request)
    report, text = _bench(request).report(kind, name, period.get("from"), period.get("to"), fmt)
    if fmt == "md":
        return Response(text, media_type="text/markdown; charset=utf-8", headers={
            "content-disposition": f'attachment; filename="htkg-report-{kind}.md"'})
    return HTMLResponse(text, headers={"content-security-policy":
                                       request.app.state.report_policy})


# -- saved queries ---------------------------------------------------------------------------
def queries(request: Request) -> Response:
    _only(request)
    return _page(request, "queries.html", queries=list(_bench(request).catalogue))


def query_form(request: Request) -> Response:
    bench = _bench(request)
    query = bench.query(request.path_params["name"])
    given = given_values(request.query_params)
    return _page(request, "query.html", query=query, fields=form_fields(query, given),
                 given=given, result=None, error=None)


def query_results(request: Request) -> Response:
    bench = _bench(request)
    query = bench.query(request.path_params["name"])
    given = given_values(request.query_params)
    try:
        bench.bind(query, given)
    except HtkgError as exc:    # the form again, saying which value and the closest match
        return _page(request, "query.html", status=400, query=query,
                     fields=form_fields(query, given), given=given, result=None,
                     error=str(exc))
    result = bench.run(query, given)
    return _page(request, "query.html", query=query, fields=form_fields(query, given),
                 given=given, result=result, error=None, max_rows=bench.max_rows,
                 is_entity=bench.is_entity, command=bench.command(query.name, given))


def query_download(request: Request) -> Response:
    bench = _bench(request)
    name, fmt = request.path_params["name"], request.path_params["fmt"]
    if fmt not in ("csv", "json"):
        raise QueryError(f"results download as .csv or .json, not .{fmt}")
    query = bench.query(name)
    result = bench.run(query, given_values(request.query_params))
    headers = {"content-disposition": f'attachment; filename="htkg-{name}.{fmt}"'}
    if result.more:
        headers["x-htkg-rows-cut-at"] = str(bench.max_rows)
    media = "text/csv; charset=utf-8" if fmt == "csv" else "application/json"
    # The query's caveat travels with its figures, as `htkg query --format csv|json` gives it.
    columns, rows = with_caveat(result.columns, result.rows, query.caveat)
    return Response(render(columns, rows, fmt), media_type=media, headers=headers)


def query_map(request: Request) -> Response:
    bench = _bench(request)
    name = request.path_params["name"]
    given = given_values(request.query_params)
    bench.bind(bench.query(name), given)        # a bad value is a 400 before anything is drawn
    return _map_response(request, bench.query_map(name, given))


# -- connections -------------------------------------------------------------------------------
def connection(request: Request) -> Response:
    _only(request, "from", "to")
    bench = _bench(request)
    ends = {k: _one(request, k) for k in ("from", "to")}
    query = bench.query("connection")
    result = error = None
    if ends["from"] or ends["to"]:
        try:
            bench.bind(query, ends)
        except HtkgError as exc:
            return _page(request, "connection.html", status=400, ends=ends, result=None,
                         error=str(exc), map_url=None)
        result = bench.run(query, ends)
    map_url = query_url("connection", ends, "map") if result and result.rows else None
    return _page(request, "connection.html", ends=ends, result=result, error=error,
                 map_url=map_url)

