"""Options, parameter parsing and output helpers shared by the commands.

Declared once here, so that ``--db``, ``--timeout``, ``--format``, ``-p`` and
``--queries`` read and document the same way in every command.
"""
from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Callable, Iterator

import click

from htkg.output import visible


def db_option(f):
    """``--db PATH|URI`` (also ``$HTKG_DB``)."""
    return click.option(
        "--db", "db", metavar="PATH|URI", envvar="HTKG_DB", default=None,
        help="Embedded store directory, or a bolt:// / neo4j:// / neo4j+s:// URI "
             "(default: $NEO4J_URI, else the per-user embedded store).")(f)


def timeout_option(f):
    """``--timeout SECONDS`` (also ``$HTKG_QUERY_TIMEOUT``): each query's time limit."""
    return click.option(
        "--timeout", "timeout", metavar="SECONDS", envvar="HTKG_QUERY_TIMEOUT", default=120.0,
        show_default=True, type=click.FloatRange(min=0, min_open=True, max=10 ** 7),
        help="Stop any query that runs longer than this (also $HTKG_QUERY_TIMEOUT).")(f)


def store_target(db: str | None, timeout: float):
    """What ``--db`` and ``--timeout`` name, for library calls that open the store."""
    from htkg.graph.store import resolve_target  # deferred: the driver is slow to import
    return resolve_target(db, timeout=timeout)


def format_option(choices: tuple[str, ...] = ("table", "json", "csv"), default: str | None = "table",
                  help: str = "Output format."):
    """``--format`` with the given choices."""
    def decorate(f):
        return click.option("--format", "fmt", type=click.Choice(list(choices)), default=default,
                            show_default=default is not None, help=help)(f)
    return decorate


def param_option(help: str = "A parameter of the saved query (repeatable); its declared type "
                             "reads VALUE: -p country=Nigerian, -p year=2023."):
    """``-p/--param NAME=VALUE``, repeatable."""
    def decorate(f):
        return click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
                            help=help)(f)
    return decorate


def queries_option(help: str = "A folder of your own .cypher queries, read beside the bundled "
                               "ones (repeatable; also $HTKG_QUERIES, folders separated by ':')."):
    """``--queries DIR``, repeatable."""
    def decorate(f):
        return click.option("--queries", "query_dirs", multiple=True, metavar="DIR",
                            type=click.Path(file_okay=False, path_type=Path), help=help)(f)
    return decorate


def output_option(help: str):
    """``-o/--output FILE``: where a command writes its file."""
    def decorate(f):
        return click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                            default=None, help=help)(f)
    return decorate


def period_options(f):
    """``--from YYYYQn`` and ``--to YYYYQn``: the quarters of NRM figures to cover."""
    f = click.option("--to", "end", metavar="YYYYQn", default=None,
                     help="Last quarter of NRM figures to cover (default: the latest loaded).")(f)
    return click.option("--from", "start", metavar="YYYYQn", default=None,
                        help="First quarter of NRM figures to cover (default: the earliest "
                             "loaded).")(f)


def text_params(pairs: tuple[str, ...]) -> dict[str, str]:
    """``-p NAME=VALUE`` pairs as text (a saved query's parameter types read them)."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"'{pair}' is not NAME=VALUE", param_hint="-p")
        if name.strip() in out:
            raise click.BadParameter(f"'{name.strip()}' is given twice", param_hint="-p")
        out[name.strip()] = value
    return out


def parse_params(pairs: tuple[str, ...]) -> dict:
    """``-p NAME=VALUE`` pairs to a dict, reading VALUE as JSON where it parses
    (a value no database holds is refused, naming the parameter)."""
    from htkg.queries.values import read_json_value  # deferred: keeps start-up fast
    return {name: read_json_value(name, value) for name, value in text_params(pairs).items()}


def emit(text: str, err: bool = False) -> None:
    """Print command output, ending with exactly one newline; control characters
    are shown escaped (:func:`htkg.output.visible`), never sent to the terminal."""
    text = visible(text)
    click.echo(text, nl=not text.endswith("\n"), err=err)


def terminal_console(**options):
    """A rich console for command output whose printed text shows control
    characters escaped (:func:`htkg.output.visible`): a name, a path or an error
    read from the inputs never sends an escape sequence to the terminal."""
    from rich.console import Console  # deferred: rich loads only in commands that draw with it

    class TerminalConsole(Console):
        def print(self, *objects, **kwargs) -> None:
            super().print(*[visible(o) if isinstance(o, str) else o for o in objects], **kwargs)

    return TerminalConsole(**options)


@contextlib.contextmanager
def progress_bar(console=None) -> Iterator[Callable[[str, int, int], None]]:
    """A ``progress(stage, done, total)`` callback that draws bars on stderr when
    it is a terminal, and is silent otherwise."""
    from rich.console import Console  # deferred: rich loads only in commands that draw with it
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress,  # deferred: as above
                               TextColumn, TimeElapsedColumn)
    console = console or Console(stderr=True)
    bar = Progress(TextColumn("{task.description:<24}", markup=False), BarColumn(),
                   MofNCompleteColumn(), TimeElapsedColumn(), console=console, transient=True,
                   disable=not console.is_terminal)
    tasks: dict[str, int] = {}

    def progress(stage: str, done: int, total: int) -> None:
        if stage not in tasks:   # a stage may name an input file: shown escaped
            tasks[stage] = bar.add_task(visible(stage), total=total)
        bar.update(tasks[stage], completed=done, total=total)

    with bar:
        yield progress
