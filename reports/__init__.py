"""Country and nation reports: one self-contained file to read, trust and forward.

The library entry points::

    from htkg.graph.store import open_store
    from htkg.reports import country_report, nation_report, render_html, write_report

    with open_store("./store") as store:
        report = country_report(store, "Nigeria", start="2023Q1")   # a Report: plain values
        page = render_html(report)                                  # one HTML page
    write_report("./store", "nation", "Scotland", "scotland.md")    # what `htkg report` does

A report reads the graph only through the saved queries (:mod:`.reading`), so
each of its figures is a row of ``htkg query`` output, or the sum of such rows,
and its sources appendix says which. :mod:`.country` and :mod:`.nation`
assemble a :class:`~htkg.reports.document.Report`; :mod:`.html` and
:mod:`.markdown` draw it, charts by :mod:`.svg`; :mod:`.files` writes it.
"""
from htkg.reports.country import country_report
from htkg.reports.document import Report
from htkg.reports.files import (FORMATS, KINDS, ReportResult, default_path, make_report, render,
                                write_report)
from htkg.reports.html import render_html
from htkg.reports.markdown import render_markdown
from htkg.reports.nation import nation_report
from htkg.reports.trend import Trend, figures_context, referral_trend

__all__ = ["FORMATS", "KINDS", "Report", "ReportResult", "Trend", "country_report",
           "default_path", "figures_context", "make_report", "nation_report",
           "referral_trend", "render", "render_html", "render_markdown", "write_report"]
