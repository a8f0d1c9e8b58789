"""``htkg server status|stop``: the server a store's commands share."""
from __future__ import annotations

import click

from htkg.commands.options import emit, format_option
from htkg.output import json_text


def _store_option(f):
    return click.option("--db", "db", metavar="PATH", envvar="HTKG_DB", default=None,
                        help="Embedded store directory (default: the per-user store).")(f)


def _paths(db: str | None):
    from htkg.graph import servers  # deferred: keeps start-up fast
    from htkg.graph.store import resolve_target  # deferred: keeps start-up fast
    target = resolve_target(db)
    if target.uri:
        raise click.UsageError("the background server reads an embedded store; give --db a "
                               "directory, not a URI")
    return servers.Paths.of(target.path)


@click.group("server")
def server() -> None:
    """Show or stop the server that a store's commands share.

    The first command that reads an embedded store starts a background
    server for it, and later commands read through it instead of starting
    the database each time; it exits after $HTKG_SERVER_IDLE (default 10
    minutes) unused. HTKG_SERVER=off turns it off.

    Example:

        htkg server status

        htkg server stop --db ./store
    """


@server.command("status")
@_store_option
@format_option(("table", "json"))
def status(db: str | None, fmt: str) -> None:
    """Show the server for a store: its generation, process, address and the
    idle time it has left (never its password).

    Example:

        htkg server status --db ./store --format json
    """
    from htkg.graph import background  # deferred: keeps start-up fast
    paths = _paths(db)
    info = background.describe(paths)
    if info is None:
        emit(f"no server is running for the store {paths.store}")
        return
    emit(json_text(info) if fmt == "json" else "\n".join(f"{k}: {v}" for k, v in info.items()))


@server.command("stop")
@_store_option
def stop(db: str | None) -> None:
    """Stop the background server for a store (the next command that reads
    the store starts a new one).

    Example:

        htkg server stop --db ./store
    """
    from htkg.graph import background  # deferred: keeps start-up fast
    paths = _paths(db)
    stopped = background.stop(paths)
    if stopped is None:
        emit(f"no background server is running for the store {paths.store}")
    else:
        emit(f"stopped the background server for the store {paths.store} "
             f"(process {stopped.pid})")
