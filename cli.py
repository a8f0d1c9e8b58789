"""The htkg command line: a thin shell over the library.

Each command parses its options, makes one library call and prints what it
returns (the commands live in :mod:`htkg.commands`, registered below). Library
errors become one-line messages (exit 1); bad usage exits 2; ``--verbose``
shows the traceback.
"""
from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading

import click

from htkg.commands import app, build, export, maps, minutes, queries, read, report, serve, server
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
        except KeyboardInterrupt:
            click.echo("Interrupted; nothing more was done.", err=True)
            ctx.exit(130)


def _stop_cleanly_on_sigterm(ctx: click.Context) -> None:
    """Turn SIGTERM into SystemExit for this command, so ``finally`` blocks
    run (the store's lock, the engine); the handler before is put back after.

    Only in this process: a process it forks (the loaders' workers) gets the
    default back at once, so that a pool's terminate() ends it wherever it
    is (a Python handler waits for Python code to run, and a worker blocked
    on the pool's queue would then never end).
    """
    if threading.current_thread() is not threading.main_thread():
        return
    before = signal.signal(signal.SIGTERM, _terminated)
    ctx.call_on_close(lambda: signal.signal(signal.SIGTERM, before))


def _terminated(signum, frame) -> None:
    raise SystemExit(128 + signum)


def _default_sigterm_in_child() -> None:
    if signal.getsignal(signal.SIGTERM) is _terminated:
        with contextlib.suppress(ValueError):     # forked from a thread other than main
            signal.signal(signal.SIGTERM, signal.SIG_DFL)


os.register_at_fork(after_in_child=_default_sigterm_in_child)


@click.group(cls=HtkgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--verbose", is_flag=True, help="Show tracebacks on errors.")
@click.version_option(package_name="htkg")
@click.pass_context
def main(ctx: click.Context, verbose: bool) -> None:
    """htkg: a knowledge graph of the UK bodies that fight human trafficking."""
    ctx.ensure_object(dict)["verbose"] = verbose
    _stop_cleanly_on_sigterm(ctx)
    # The driver logs connection failures itself; htkg reports them as one
    # line, so its log is shown only with --verbose.
    logging.getLogger("neo4j").setLevel(logging.DEBUG if verbose else logging.CRITICAL)


for command in (build.build, read.cypher, read.show, read.stats, minutes.minutes,
                queries.list_queries, queries.run_saved, maps.map_command, report.report,
                export.export, export.validate, serve.serve, server.server, app.app):
    main.add_command(command)


if __name__ == "__main__":  # pragma: no cover - `python -m htkg.cli`
    main()
