"""``htkg report``: a country or nation report, one file to read and forward."""
from __future__ import annotations

from pathlib import Path

import click

from htkg.commands.options import db_option, emit, format_option, output_option, period_options

_FORMAT = dict(choices=("html", "md"), default=None,
               help="html (self-contained, prints on A4) or md (Markdown, without the map).  "
                    "[default: from -o's suffix, else html]")


@click.group("report")
def report() -> None:
    """Write a country or nation report: one file to read, print and forward.

    A report gathers what the graph knows about one source country or one
    UK nation: headline NRM figures, charts with their tables, the UK
    bodies linked and the actions agreed, a network map, and an appendix
    tracing every figure and fact to its file and line or paragraph (and
    to the 'htkg query' command that prints the same numbers).

    Example:

        htkg report country Nigeria

        htkg report nation Scotland --from 2023Q1 -o scotland.md
    """


def _write(kind: str, name: str, output: Path | None, start: str | None, end: str | None,
           fmt: str | None, db: str | None) -> None:
    from htkg.reports import write_report  # deferred: keeps start-up fast
    result = write_report(db, kind, name, output, fmt, start=start, end=end)
    what = "country" if kind == "country" else "nation"
    period = f" ({result.report.period})" if result.report.period else ""
    emit(f"Wrote the {what} report on {result.report.subject}{period} to "
         f"{result.path.resolve()}")
    if result.format == "html":
        emit("Open it in any web browser (it needs no network connection), or print it on A4.")


@report.command("country")
@click.argument("name")
@output_option("File to write (default: htkg-report-NAME.html or .md here).")
@period_options
@format_option(**_FORMAT)
@db_option
def country(name: str, output: Path | None, start: str | None, end: str | None,
            fmt: str | None, db: str | None) -> None:
    """Report on the source country NAME (name, ISO code or demonym).

    People referred to the NRM in the latest quarter and over the period,
    the change from a year before and the country's rank; referrals by
    quarter and kind of first responder; exploitation types, age and
    gender; the nations against the UK; the strongest first responders;
    the UK bodies linked in other ways and the actions agreed; a map. A
    country with no referrals gets a report that says so.

    Example:

        htkg report country Nigeria

        htkg report country Vietnamese --from 2023Q1 --to 2023Q4 -o vietnam.html

        htkg report country AL --format md
    """
    _write("country", name, output, start, end, fmt, db)


@report.command("nation")
@click.argument("name")
@output_option("File to write (default: htkg-report-NAME.html or .md here).")
@period_options
@format_option(**_FORMAT)
@db_option
def nation(name: str, output: Path | None, start: str | None, end: str | None,
           fmt: str | None, db: str | None) -> None:
    """Report on the UK nation NAME: Scotland, Wales, Northern Ireland or England.

    Its first responders' top source countries against the UK's, their
    referrals by quarter, the first responders, the frontline
    organisations, regulators and police forces working there, the
    actions that concern it, and a map. Nation figures are partial: the
    NRM tables do not say where a referral was made (the report says how).

    Example:

        htkg report nation Scotland

        htkg report nation Wales --from 2023Q1 -o wales.md
    """
    _write("nation", name, output, start, end, fmt, db)
