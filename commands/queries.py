"""Saved queries: ``htkg queries`` and ``htkg query``."""
from __future__ import annotations

from pathlib import Path

import click

from htkg.commands.options import (db_option, emit, format_option, param_option, queries_option,
                                   text_params, timeout_option)
from htkg.errors import HtkgError
from htkg.output import json_text, render



def _show(columns: list[str], rows: list[dict], fmt: str, caveat: str = "") -> None:
    emit(shown(columns, rows, fmt, caveat))


def shown(columns: list[str], rows: list[dict], fmt: str, caveat: str = "",
          width: int | None = None) -> str:
    """Rows in the format asked for, as ``htkg query`` prints them, with the query's
    caveat: a line above a table, a ``caveat`` field on each row of JSON and CSV. Above a
    table of figures with a ``left_out`` column, a line says how many published people
    they leave out. ``width``: a table's width in characters (default 120)."""
    from htkg.queries import with_caveat  # deferred: keeps start-up fast
    lines = []
    if caveat and fmt == "table":
        lines.append(f"Caveat: {caveat}")
    elif caveat:
        columns, rows = with_caveat(columns, rows, caveat)
    if fmt == "table" and "left_out" in columns and rows:
        lines.append(left_out_line(rows))
    lines.append(render(columns, rows, fmt, width=width))
    return "\n".join(lines)


def left_out_line(rows: list[dict]) -> str:
    """How many people the published tables count for these rows that no relationship
    holds, and why (the rows' ``left_out`` and ``left_out_why``).

    >>> left_out_line([{"left_out": 2, "left_out_why": ["2 of a nationality published as "
    ...                 "Unknown"]}, {"left_out": 0, "left_out_why": []}])
    'Left out: the published tables count 2 more people for these rows, in no relationship of the graph: 2 of a nationality published as Unknown (left_out on each row; htkg query unattributed lists them).'
    >>> left_out_line([{"left_out": 0, "left_out_why": []}])
    'Left out: none; every person the published tables count for these rows is in them.'
    """
    total = sum(r.get("left_out") or 0 for r in rows)
    if not total:
        return "Left out: none; every person the published tables count for these rows is in them."
    why: dict[str, int] = {}
    for r in rows:
        for text in r.get("left_out_why") or []:
            number, _, words = text.partition(" ")
            why[words] = why.get(words, 0) + int(number) if number.isdigit() else 0
    reasons = "; ".join(f"{n} {words}" for words, n in why.items())
    return (f"Left out: the published tables count {total} more "
            f"{'person' if total == 1 else 'people'} for these rows, in no relationship of "
            f"the graph: {reasons} (left_out on each row; htkg query unattributed lists them).")


@click.command("queries")
@format_option(("table", "json"))
@queries_option()
@click.option("--show", "show", metavar="NAME",
              help="Print the saved query NAME: its header as written, then the exact Cypher "
                   "that 'htkg query NAME' runs.")
def list_queries(fmt: str, query_dirs: tuple[Path, ...], show: str | None) -> None:
    """List the saved queries: name, parameters and description, and their caveats.

    Queries from your own folders (--queries, $HTKG_QUERIES) are listed
    beside the bundled ones, with their file. Run one with 'htkg query NAME';
    read what it runs with 'htkg queries --show NAME'.

    Example:

        htkg queries --queries ./my-queries --format json

        htkg queries --show country-links
    """
    from htkg.queries import load_catalogue, user_dirs  # deferred: keeps start-up fast
    cat = load_catalogue(user_dirs(query_dirs))
    if show is not None:
        query = cat.get(show)
        if fmt == "json":
            emit(json_text({"name": query.name, "file": query.path, "header": query.header,
                            "cypher": query.cypher}))
        else:
            emit(query.listing())
        return
    if fmt == "json":
        emit(render([], [q.to_json() for q in cat], "json"))
        return
    rows = [{"name": q.name,
             "parameters": ", ".join(p.signature for p in q.params) or "-",
             "description": q.description + ("" if q.bundled else f" [{q.path}]")
                            + (" (see its caveat below)" if q.caveat else "")}
            for q in cat]
    _show(["name", "parameters", "description"], rows, "table")
    caveats = [q for q in cat if q.caveat]
    if caveats:
        emit("\nCaveats, printed with each result:\n" + "\n".join(
            f"  {q.name}: {q.caveat}" for q in caveats))


class QueryCommand(click.Command):
    """``htkg query``, whose ``--help`` after a query's name is that query's help.

    ``htkg query --help`` alone is the command's help, listing the saved queries;
    ``htkg query NAME --help`` shows NAME's parameters (types and defaults), its
    description, note, caveat and examples, read from the query's header.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        helper = self.get_help_option(ctx)
        if helper is not None and not ctx.resilient_parsing:
            try:
                opts, _, _ = self.make_parser(ctx).parse_args(args=list(args))
            except click.UsageError:
                opts = {}   # let the ordinary parse report it
            name = opts.get("name")   # not a str when no name was given
            if opts.get(helper.name) is True and isinstance(name, str):
                from htkg.queries import load_catalogue, user_dirs  # deferred: keeps start-up fast
                try:
                    query = load_catalogue(user_dirs(opts.get("query_dirs") or ())).get(name)
                except HtkgError as exc:
                    raise click.ClickException(str(exc)) from None
                click.echo(query_help(ctx, query), color=ctx.color)
                ctx.exit()
        return super().parse_args(ctx, args)

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_epilog(ctx, formatter)
        from htkg.queries import load_catalogue, user_dirs  # deferred: keeps start-up fast
        try:
            cat = list(load_catalogue(user_dirs()))
        except HtkgError as exc:   # a broken folder of one's own: list the bundled ones
            cat = list(load_catalogue())
            formatter.write_paragraph()
            formatter.write_text(f"(Your own queries could not be read: {exc})")
        with formatter.section("Saved queries (htkg query NAME --help for one's parameters)"):
            formatter.write_dl([(q.name, q.description) for q in cat])


def query_help(ctx: click.Context, query) -> str:
    """The help of one saved query: usage, description, parameters with their types
    and defaults, what each type accepts, note, caveat, examples, then the options."""
    from htkg.queries import TYPES  # deferred: keeps start-up fast
    f = ctx.make_formatter()
    f.write_usage(f"{ctx.command_path} {query.name}", "[-p NAME=VALUE]... [OPTIONS]")
    f.write_paragraph()
    with f.indentation():
        f.write_text(query.description.rstrip(".") + "."
                     + ("" if query.bundled else f" From {query.path}."))
    if query.params:
        with f.section("Parameters (give each as -p NAME=VALUE)"):
            f.write_dl([(p.signature, p.description or "") for p in query.params])
        types = dict.fromkeys(p.type for p in query.params)
        with f.section("What each type accepts"):
            f.write_dl([(t, TYPES[t].help) for t in types])
    else:
        f.write_paragraph()
        f.write_text("This query has no parameters.")
    for title, text in (("Note", query.note),
                        ("Caveat (printed with every result)", query.caveat)):
        if text:
            with f.section(title):
                f.write_text(text)
    with f.section("Examples"):
        for example in query.examples:
            f.write_text(example)
    ctx.command.format_options(ctx, f)
    f.write_paragraph()
    f.write_text("'htkg queries --show " + query.name + "' prints the Cypher it runs.")
    return f.getvalue().rstrip("\n")


@click.command("query", cls=QueryCommand)
@click.argument("name")
@param_option(help="A parameter of the query (repeatable); its declared type reads VALUE: "
                  "-p country=Nigerian, -p year=2023, -p owner=\"Home Office\".")
@format_option()
@db_option
@queries_option()
@timeout_option
def run_saved(name: str, params: tuple[str, ...], fmt: str, db: str | None,
              query_dirs: tuple[Path, ...], timeout: float) -> None:
    """Run the saved query NAME, read-only, with typed parameters.

    'htkg query NAME --help' shows NAME's parameters, their types and
    defaults, its notes, caveat and examples.

    A query with a caveat prints it with the result: a line above the table,
    and a 'caveat' field on each row in JSON and CSV.

    Names of bodies, people, sectors, meetings and countries are resolved
    through the graph (ids, names, aliases; countries also by ISO code or
    demonym). 'htkg queries' lists the queries and their parameters.

    Example:

        htkg query country-links -p country=Nigeria

        htkg query top-source-countries -p year=2023 -p quarter=4 --format csv
    """
    from htkg.graph.store import open_store  # deferred: keeps start-up fast
    from htkg.queries import load_catalogue, run_query, user_dirs  # deferred: keeps start-up fast
    from htkg.queries.params import check  # deferred: keeps start-up fast
    query = load_catalogue(user_dirs(query_dirs)).get(name)
    given = text_params(params)
    check(query, given)  # fail fast, before the store opens
    with open_store(db, timeout=timeout) as store:
        result = run_query(store, query, given)
    _show(result.columns, result.rows, fmt, query.caveat)
