"""The htkg command line: a thin shell over the library.

Each command parses its options, makes one library call and prints what it
returns (the commands live in :mod:`htkg.commands`, registered below). Library
errors become one-line messages (exit 1); bad usage exits 2; ``--verbose``
shows the traceback.
"""
from __future__ import annotations

import logging

import click

from htkg.commands import build, export, maps, minutes, queries, read, report, serve
from htkg.errors import HtkgError
from htkg.output import visible


def _printable(exc: click.ClickException) -> click.ClickException:
    """A usage error whose message may quote what was typed (a file name, a
    value), with control characters shown escaped rather than sent to the terminal."""
    exc.message = visible(exc.message)
    if getattr(exc, "ui_filename", None):
        exc.ui_filename = visible(exc.ui_filename)
    return exc


class HtkgGroup(click.Group):
    """Turn library errors into one-line messages naming file and line."""

    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.ClickException as exc:
            raise _printable(exc)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except click.ClickException as exc:
            raise _printable(exc)
        except HtkgError as exc:
            if ctx.obj and ctx.obj.get("verbose"):
                raise
            click.echo(f"Error: {visible(str(exc))}", err=True)
            ctx.exit(1)


@click.group(cls=HtkgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--verbose", is_flag=True, help="Show tracebacks on errors.")
@click.version_option(package_name="htkg")
@click.pass_context
def main(ctx: click.Context, verbose: bool) -> None:
    """htkg: a knowledge graph of the UK bodies that fight human trafficking."""
    ctx.ensure_object(dict)["verbose"] = verbose
    # The driver logs connection failures itself; htkg reports them as one
    # line, so its log is shown only with --verbose.
    logging.getLogger("neo4j").setLevel(logging.DEBUG if verbose else logging.CRITICAL)


for command in (build.build, read.cypher, read.show, read.stats, minutes.minutes,
                queries.list_queries, queries.run_saved, maps.map_command, report.report,
                export.export, export.validate, serve.serve):
    main.add_command(command)


if __name__ == "__main__":  # pragma: no cover - `python -m htkg.cli`
    main()
