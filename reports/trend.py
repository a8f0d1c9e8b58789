"""The referral trend of one country or one first responder, as a page beside the
reports shows it (``htkg app``'s entity pages): the chart and table of people
referred by quarter, read by the saved query ``referrals-by-quarter`` as in a
report (:func:`htkg.reports.figures.by_quarter`), with the command that prints
the same rows.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from htkg.reports import figures
from htkg.reports.context import Context
from htkg.reports.reading import Period, Reader

QUERY = "referrals-by-quarter"


@dataclass
class Trend:
    """``blocks``: a Chart and its Table, or one Table that says there is nothing;
    ``rows``: the saved query's rows; ``params``: its parameters (ids)."""

    blocks: list
    rows: list[dict]
    params: dict[str, str]
    command: str
    query: str = QUERY


def figures_context(store: Any) -> Context:
    """Every quarter the graph holds figures for: make it once per open store and
    give it to each :func:`referral_trend` (it reads every country's figures)."""
    return Context.of(Reader(store), Period())


def referral_trend(store: Any, *, country: str | None = None, responder: str | None = None,
                   context: Context | None = None) -> Trend:
    """People referred by quarter for a country (its id: people of that nationality)
    or a first responder (its id: the people it referred), over every quarter
    loaded."""
    ctx = context or figures_context(store)
    reader = Reader(store)
    where = {k: v for k, v in (("country", country), ("responder", responder)) if v}
    blocks, rows, _ = figures.by_quarter(reader, ctx.period, ctx.quarters, ctx.has_figures, "",
                                         **where)
    resolver = reader.lookup.resolver
    shown = dict(where)     # the command names the country and the body where the names find them
    if country:
        shown["country"] = reader.shown_country(country, resolver.name(country) or country)
    if responder and resolver.resolve(resolver.name(responder) or "", "Organisation") == responder:
        shown["responder"] = resolver.name(responder)
    return Trend(blocks, rows, where, reader.command(QUERY, **shown))
