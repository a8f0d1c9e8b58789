"""``htkg serve``: the embedded store over Bolt for other tools."""
from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command()
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
    from htkg.graph import daemon, embedded  # deferred: keeps start-up fast
    from htkg.graph.store import resolve_target  # deferred: keeps start-up fast
    target = resolve_target(db)
    if target.uri:
        raise click.UsageError("serve runs the embedded store; give --db a directory, not a URI")
    tls = None
    if tls_keystore is not None:
        if not tls_password:
            raise click.UsageError("give the key store's password in HTKG_TLS_PASSWORD "
                                   "(or --tls-password)")
        tls = embedded.TLS(tls_keystore, tls_password)
    daemon.serve(target.path, announce=lambda line: click.echo(line) or sys.stdout.flush(),
                   tls=tls)
