"""``htkg app``: the analyst's workbench, a local web app over the graph."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from htkg.commands.options import db_option, emit, queries_option

DEFAULT_PORT = 8765        # htkg.web.DEFAULT_PORT, without importing the web stack for --help
DEFAULT_TIMEOUT = 20.0     # htkg.web.DEFAULT_TIMEOUT
DEFAULT_ROWS = 2000        # htkg.web.state.MAX_ROWS


@click.command("app")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, metavar="ADDRESS",
              help="Address to listen on. Anything but this machine (127.0.0.1, ::1, "
                   "localhost) is refused unless $HTKG_APP_PASSWORD is set, and then every "
                   "request must carry that password.")
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port).")
@click.option("--open", "open_browser", is_flag=True,
              help="Open the app in the web browser once it answers.")
@click.option("--timeout", "timeout", metavar="SECONDS", default=DEFAULT_TIMEOUT,
              show_default=True, type=click.FloatRange(min=0, min_open=True, max=10 ** 6),
              help="Time limit of each page: a page whose reads run longer is stopped, "
                   "and says so.")
@click.option("--max-rows", default=DEFAULT_ROWS, show_default=True,
              type=click.IntRange(1, 10 ** 6),
              help="Most rows a saved query's page or download holds; it says when it cut.")
@queries_option()
def app(db: str | None, host: str, port: int, open_browser: bool, timeout: float,
        max_rows: int, query_dirs: tuple[Path, ...]) -> None:
    """Serve the analyst's workbench, a read-only web app, until Ctrl-C.

    Search every name and alias; open a body, country, person, sector,
    meeting or action with its properties, relationships and sources, its
    referral figures and a map; read the country and nation reports; run
    the saved queries from forms and download their results; find the
    chains between two entities. Every page is a link that reopens the same
    view. The store is opened once, read-only; every asset is served by the
    app itself, so it works with no network connection.

    Example:

        htkg app --open

        export HTKG_APP_PASSWORD=$(cat ~/.htkg-app-password)

        htkg app --host 0.0.0.0 --port 8080
    """
    from htkg.web import serve  # deferred: the web stack loads only for the app
    try:
        serve(db, host=host, port=port, timeout=timeout, max_rows=max_rows,
              queries_dirs=query_dirs, open_browser=open_browser,
              announce=lambda url: (emit(f"htkg app: serving the graph at {url} (press Ctrl-C "
                                         f"to stop)"), sys.stdout.flush()))
    except KeyboardInterrupt:
        emit("htkg app: stopped.", err=True)
