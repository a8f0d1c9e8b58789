"""The htkg command line: a thin shell over the library.

Each command parses its options, makes one library call and formats the
result. Library errors become one-line messages (exit 1); bad usage exits 2;
``--verbose`` shows the traceback.
"""
from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click

from htkg.errors import HtkgError


class HtkgGroup(click.Group):
    """Turn library errors into one-line messages naming file and line."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except HtkgError as exc:
            if ctx.obj and ctx.obj.get("verbose"):
                raise
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(1)


def db_option(f):
    return click.option(
        "--db", "db", metavar="PATH|URI", envvar="HTKG_DB", default=None,
        help="Embedded store directory, or a bolt:// / neo4j:// / neo4j+s:// URI "
             "(default: $NEO4J_URI, else the per-user embedded store).")(f)


def format_option(f):
    return click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]),
                        default="table", show_default=True, help="Output format.")(f)


def param_option(f):
    return click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
                        help="A query parameter; VALUE is read as JSON where it parses "
                             "(-p year=2023), else as text (-p name=Nigeria).")(f)


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
    """``-p NAME=VALUE`` pairs to a dict, reading VALUE as JSON where it parses."""
    params = {}
    for name, value in text_params(pairs).items():
        try:
            params[name] = json.loads(value)
        except json.JSONDecodeError:
            params[name] = value
    return params


def emit(text: str) -> None:
    """Print command output, ending with exactly one newline."""
    click.echo(text, nl=not text.endswith("\n"))


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


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@db_option
@click.option("--no-bundled", is_flag=True, help="Leave out the bundled registry.")
@click.option("--period", metavar="YYYYQn", help="Period of NRM tables whose file name lacks it.")
@click.option("--map", "map_path", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("htkg-map.html"), show_default=True,
              help="Where to write the overview map of the built graph.")
@click.option("--no-map", is_flag=True, help="Do not write the overview map.")
def build(paths: tuple[Path, ...], db: str | None, no_bundled: bool, period: str | None,
          map_path: Path, no_map: bool) -> None:
    """Build the graph from the bundled registry and PATHS, and store it.

    Each file is routed to the loader that recognises it; a folder is walked.
    An embedded build replaces the previous graph only when it is complete.
    Then it prints a summary, a sample query, and writes an overview map
    (an HTML file that opens offline in any browser).

    Example:

        htkg build ../shared/data/nrm minutes.txt --map overview.html
    """
    from htkg.cli_build import run_build
    run_build(list(paths), db, bundled=not no_bundled, period=period,
              map_path=None if no_map else map_path)


@main.command()
@click.argument("query")
@param_option
@format_option
@db_option
def cypher(query: str, params: tuple[str, ...], fmt: str, db: str | None) -> None:
    """Run one read-only Cypher QUERY; a query that would write is refused.

    Example:

        htkg cypher "MATCH (o:Organisation {frontline_contact: true}) RETURN o.name AS name"
    """
    from htkg.graph.store import open_store
    from htkg.output import render
    values = parse_params(params)
    with open_store(db) as store:
        result = store.read(query, values)
    emit(render(result.columns, result.rows, fmt))


@main.command()
@click.argument("entity")
@db_option
def show(entity: str, db: str | None) -> None:
    """Show one ENTITY (id, name or alias): properties, relationships, sources.

    Example:

        htkg show "Royal Mail"
    """
    from htkg.graph.inspect import describe
    from htkg.graph.store import open_store
    with open_store(db) as store:
        click.echo(describe(store, entity))


@main.command()
@db_option
@format_option
def stats(db: str | None, fmt: str) -> None:
    """Counts per label and relationship type in the stored graph.

    Example:

        htkg stats --format json
    """
    from htkg.graph.store import open_store
    from htkg.output import render
    with open_store(db) as store:
        labels, types = store.counts()
    rows = ([{"kind": "label", "name": k, "count": v} for k, v in labels.items()]
            + [{"kind": "relationship", "name": k, "count": v} for k, v in types.items()])
    emit(render(["kind", "name", "count"], rows, fmt))


@main.command()
@click.option("--db", "db", metavar="PATH", envvar="HTKG_DB", default=None,
              help="Embedded store directory (default: the per-user store).")
@click.option("--tls-keystore", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              metavar="FILE.p12", default=None,
              help="Accept only TLS connections, with the certificate chain and private key "
                   "in this PKCS#12 key store; the URI printed is then bolt+s://.")
@click.option("--tls-password", envvar="HTKG_TLS_PASSWORD", metavar="TEXT", default=None,
              help="Password of the key store (default: $HTKG_TLS_PASSWORD, which keeps it "
                   "off the command line).")
def serve(db: str | None, tls_keystore: Path | None, tls_password: str | None) -> None:
    """Serve the embedded store over Bolt for other tools, until Ctrl-C.

    Prints one JSON line with the bolt:// URI, user, password and database;
    give them to any Neo4j driver or to htkg itself as NEO4J_URI,
    NEO4J_USERNAME, NEO4J_PASSWORD and NEO4J_DATABASE. An empty store is
    created when none exists. With --tls-keystore the listener takes only
    TLS: clients use bolt+s:// or neo4j+s:// (and trust the certificate's
    CA, e.g. with SSL_CERT_FILE=ca.pem), or bolt+ssc:// for a self-signed one.

    Example:

        htkg serve --db ./store

        HTKG_TLS_PASSWORD=secret htkg serve --tls-keystore server.p12
    """
    from htkg.graph import embedded
    from htkg.graph.store import resolve_target
    target = resolve_target(db)
    if target.uri:
        raise click.UsageError("serve runs the embedded store; give --db a directory, not a URI")
    tls = None
    if tls_keystore is not None:
        if not tls_password:
            raise click.UsageError("give the key store's password in HTKG_TLS_PASSWORD "
                                   "(or --tls-password)")
        tls = embedded.TLS(tls_keystore, tls_password)
    embedded.serve(target.path, announce=lambda line: click.echo(line) or sys.stdout.flush(),
                   tls=tls)


# Commands that live in their own modules register themselves on `main`.
from htkg import cli_minutes, cli_queries, cli_maps, cli_export  # noqa: E402,F401

if __name__ == "__main__":  # pragma: no cover
    # Run as `python -m htkg.cli`, this file is `__main__`, while the area
    # modules register their commands on `htkg.cli.main`: run that one.
    from htkg.cli import main as _registered
    _registered()
