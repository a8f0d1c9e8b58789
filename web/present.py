"""How the pages write what the library returns: the templates' environment,
the addresses of pages, the words for labels and relationship types, and the
fields of a saved query's form.

Every value reaches a page through a Jinja2 template with autoescaping on
(names, properties, sources, messages), and with control characters shown
escaped (:func:`htkg.output.visible`), as the command line shows them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Iterable
from urllib.parse import quote, urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from htkg.browse import MOST_LINKS
from htkg.graph.records import Provenance
from htkg.output import cell, visible
from htkg.queries.params import NATIONS, TYPES, kinds
from htkg.reports.document import cell_text
from htkg.reports.reading import nations_text
from htkg.reports.svg import draw
from htkg.schema.model import load_schema

TEMPLATES = resources.files("htkg.web").joinpath("templates")
STATIC = resources.files("htkg.web").joinpath("static")


# -- addresses ------------------------------------------------------------------------
def _path(*parts: str) -> str:
    return "/" + "/".join(quote(str(p), safe="") for p in parts)


def with_query(path: str, params: Iterable[tuple[str, Any]] | dict) -> str:
    items = list(params.items()) if isinstance(params, dict) else list(params)
    items = [(k, "" if v is None else str(v)) for k, v in items
             if v is not None and str(v) != ""]
    return path + ("?" + urlencode(items) if items else "")


def entity_url(entity_id: str, expand: Iterable[str] = ()) -> str:
    return with_query(_path("entity", entity_id), [("expand", e) for e in expand])


def entity_map_url(entity_id: str, expand: Iterable[str] = ()) -> str:
    return with_query(_path("entity", entity_id, "map"), [("expand", e) for e in expand])


def report_url(kind: str, name: str, period: dict | None = None, fmt: str | None = None) -> str:
    """The country or nation page (``/country/NAME``), or with ``fmt`` the report
    itself (``/country/NAME/report.html`` or ``.md``); ``period``: ``from``, ``to``."""
    path = _path(kind, name) + (f"/report.{fmt}" if fmt else "")
    return with_query(path, period or {})


def query_url(name: str, params: dict | None = None, suffix: str = "") -> str:
    """``/queries/NAME`` (the form), or ``/queries/NAME/results`` with ``suffix``
    ``results``, ``results.csv``, ``results.json`` or ``map``."""
    path = _path("queries", name) + (f"/{suffix}" if suffix else "")
    return with_query(path, params or {})


# -- words ------------------------------------------------------------------------------
def type_words(rel_type: str) -> str:
    """``ACTIVE_IN`` as ``active in``.

    >>> type_words("SENT_APOLOGIES")
    'sent apologies'
    """
    return rel_type.replace("_", " ").lower()


def kind_words(kind: str | None) -> str:
    """``police_force`` as ``police force``; ``ngo`` as ``NGO``."""
    if not kind:
        return ""
    return "NGO" if kind == "ngo" else kind.replace("_", " ")


def describe_type(rel_type: str) -> str:
    rel = load_schema().relationships.get(rel_type)
    return rel.description if rel else ""


def describe_property(label: str, name: str) -> str:
    schema = load_schema()
    declared = schema.labels[label].properties if label in schema.labels else {}
    prop = declared.get(name)
    return prop.description if prop else ""


def where(source: str) -> str:
    """A provenance string as a reader sees it: the file and line or paragraph,
    and the loader that read it."""
    p = Provenance.parse(source)
    return f"{p.where} ({p.loader})" if p.loader else p.where


def value_text(value: Any) -> str:
    """A property's or a cell's value as text (lists joined, nothing as a dash)."""
    return cell_text(value) if value is not None and value != [] else "–"


def chart_svg(chart) -> Markup:
    """A report chart as inline SVG (drawn, every value escaped, by htkg.reports.svg)."""
    return Markup(draw(chart))


_CANDIDATE = re.compile(r"\(([a-z0-9][a-z0-9-]*)\)$")


def candidate_links(candidates: Iterable[str]) -> list[tuple[str, str]]:
    """(text, entity id) for the closest matches an error lists ("Name (id)" or an id)."""
    out = []
    for c in candidates:
        m = _CANDIDATE.search(c)
        out.append((c, m.group(1) if m else c))
    return out


def _shown(value: Any) -> Any:
    """Every value a template writes: text with control characters shown escaped;
    markup made here (a chart drawn by htkg.reports.svg, itself escaped) as it is."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return visible(value)
    return value


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True,
                      undefined=StrictUndefined, auto_reload=False, trim_blocks=True,
                      lstrip_blocks=True,
                      finalize=_shown)
    env.filters.update(cell=cell, where=where, value=value_text, type_words=type_words,
                       kind_words=kind_words, nations=nations_text, chart=chart_svg,
                       describe_type=describe_type)
    env.globals.update(entity_url=entity_url, entity_map_url=entity_map_url,
                       report_url=report_url, query_url=query_url, with_query=with_query,
                       describe_property=describe_property, cell_text=cell_text,
                       most_links=MOST_LINKS)
    return env


# -- a saved query's form ---------------------------------------------------------------
@dataclass
class Field:
    """One input of a saved query's form, made from its header's ``param`` line."""

    name: str
    type: str
    description: str
    accepts: str
    required: bool
    default: Any
    value: str = ""
    widget: str = "text"                 # text, number, select
    options: list[tuple[str, str]] = field(default_factory=list)
    pattern: str | None = None
    placeholder: str = ""


def form_fields(query, given: dict[str, str]) -> list[Field]:
    """The typed inputs of a saved query's form, filled with what was given."""
    out = []
    for p in query.params:
        f = Field(p.name, p.type, p.description, TYPES[p.type].help, p.required, p.default,
                  given.get(p.name, ""))
        if p.type == "int":
            f.widget = "number"
        elif p.type == "bool":
            f.widget, f.options = "select", [("true", "true"), ("false", "false")]
        elif p.type == "nation":
            f.widget = "select"
            f.options = [(code, words[0]) for code, (_, words) in NATIONS.items()]
        elif p.type == "kind":
            f.widget, f.options = "select", [(k, kind_words(k)) for k in kinds()]
        elif p.type == "quarter":
            f.pattern = r"\s*\d{4}\s*[\-/ ]?\s*[Qq][1-4]\s*"
            f.placeholder = "YYYYQn, e.g. 2023Q4"
        if p.default is not None and not f.placeholder:
            f.placeholder = f"default {p.default}"
        out.append(f)
    return out


def given_values(query_params) -> dict[str, str]:
    """A page's query string as the values of a saved query's parameters (text, as
    the command line's ``-p`` gives them); a name given twice is a QueryError."""
    from htkg.errors import QueryError
    out: dict[str, str] = {}
    for name, value in query_params.multi_items():
        if name in out:
            raise QueryError(f"parameter '{name}' is given twice; give it once")
        out[name] = value
    return out
