"""TLS URIs: htkg over bolt+s://, neo4j+s:// and the +ssc schemes.

`htkg serve --tls-keystore` runs the embedded store in a separate process
with a Bolt listener that accepts only TLS. Its certificates are made here
with openssl: a CA and a server certificate it signs for 127.0.0.1 and
localhost, and a self-signed one. Certificate checks stay on: the test CA is
trusted through SSL_CERT_FILE, which the driver's default trust (the system
CAs, via OpenSSL's default paths) honours. Nothing is mocked.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from htkg.cli import main

KEYSTORE_PASSWORD = "keystore-secret-4711"
ROYAL_MAIL = "MATCH (o:Organisation {id: 'royal-mail'}) RETURN o.name AS n"
COUNT = "MATCH (n) RETURN count(n) AS n"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def cypher_json(query):
    result = run("cypher", query, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def openssl(folder: Path, *args: str) -> None:
    done = subprocess.run(["openssl", *args], cwd=folder, capture_output=True, text=True)
    assert done.returncode == 0, f"openssl {' '.join(args)}: {done.stderr}"


@pytest.fixture(scope="module")
def certs(tmp_path_factory) -> Path:
    """ca.pem; server.p12 (a certificate ca.pem signed); self.p12 (self-signed)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed: it makes the test certificates")
    d = tmp_path_factory.mktemp("tls")
    openssl(d, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=htkg test CA",
            "-addext", "basicConstraints=critical,CA:true",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    openssl(d, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key",
            "-out", "server.csr", "-subj", "/CN=localhost")
    (d / "server.ext").write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                                  "extendedKeyUsage=serverAuth\nbasicConstraints=CA:false\n")
    openssl(d, "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-days", "2", "-extfile", "server.ext", "-out", "server.pem")
    openssl(d, "pkcs12", "-export", "-in", "server.pem", "-inkey", "server.key",
            "-certfile", "ca.pem", "-out", "server.p12", "-passout", f"pass:{KEYSTORE_PASSWORD}")
    openssl(d, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-keyout", "self.key", "-out", "self.pem", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1")
    openssl(d, "pkcs12", "-export", "-in", "self.pem", "-inkey", "self.key",
            "-out", "self.p12", "-passout", f"pass:{KEYSTORE_PASSWORD}")
    return d


def tls_serving(serve_store, tmp: Path, keystore: Path):
    return serve_store(tmp / "store", tmp / "cache", "--tls-keystore", str(keystore),
                       env={"HTKG_TLS_PASSWORD": KEYSTORE_PASSWORD})


@pytest.fixture
def ca_server(serve_store, certs, tmp_path):
    """A fresh, empty store served with the CA-signed certificate."""
    with tls_serving(serve_store, tmp_path, certs / "server.p12") as info:
        yield info


@pytest.fixture(scope="module")
def self_signed_server(serve_store, certs, tmp_path_factory):
    with tls_serving(serve_store, tmp_path_factory.mktemp("self-signed"),
                     certs / "self.p12") as info:
        yield info


def point_at(monkeypatch, info: dict, scheme: str, trust: Path | None) -> str:
    """NEO4J_* for ``info``'s server under ``scheme``; trust only ``trust``'s CAs."""
    assert info["uri"].startswith("bolt+s://127.0.0.1:")
    uri = info["uri"].replace("bolt+s://", f"{scheme}://")
    monkeypatch.setenv("NEO4J_URI", uri)
    monkeypatch.setenv("NEO4J_USERNAME", info["user"])
    monkeypatch.setenv("NEO4J_PASSWORD", info["password"])
    monkeypatch.setenv("NEO4J_DATABASE", info["database"])
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    if trust is None:
        monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    else:
        monkeypatch.setenv("SSL_CERT_FILE", str(trust))
    return uri


def one_line_error(result, password: str) -> str:
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: cannot reach the graph database at "), \
        result.output
    assert password not in result.output and KEYSTORE_PASSWORD not in result.output
    return lines[0]


@pytest.mark.parametrize("scheme", ["bolt+s", "neo4j+s"])
def test_build_and_read_with_the_certificate_verified(ca_server, certs, monkeypatch, scheme):
    """Push and read back over a verified TLS URI; the CA is trusted only
    because SSL_CERT_FILE names it."""
    point_at(monkeypatch, ca_server, scheme, trust=None)
    line = one_line_error(run("cypher", COUNT), ca_server["password"])
    assert "certificate failed verification" in line

    uri = point_at(monkeypatch, ca_server, scheme, trust=certs / "ca.pem")
    assert cypher_json(COUNT) == [{"n": 0}]
    result = run("build", "--no-map", "--no-figures")
    assert result.exit_code == 0, result.output
    assert uri in result.output
    assert cypher_json(ROYAL_MAIL) == [{"n": "Royal Mail"}]
    assert cypher_json(COUNT)[0]["n"] > 100


@pytest.mark.parametrize("scheme", ["bolt+ssc", "neo4j+ssc"])
def test_ssc_accepts_a_self_signed_certificate(self_signed_server, monkeypatch, scheme):
    point_at(monkeypatch, self_signed_server, scheme, trust=None)
    result = run("build", "--no-map", "--no-figures")
    assert result.exit_code == 0, result.output
    assert cypher_json(ROYAL_MAIL) == [{"n": "Royal Mail"}]


@pytest.mark.parametrize("scheme", ["bolt+s", "neo4j+s"])
@pytest.mark.parametrize("command", [("build", "--no-map", "--no-figures"),
                                     ("cypher", COUNT)])
def test_untrusted_certificate_is_a_one_line_error(self_signed_server, certs, monkeypatch,
                                                   scheme, command):
    """A self-signed certificate under +s (even with another CA trusted)."""
    point_at(monkeypatch, self_signed_server, scheme, trust=certs / "ca.pem")
    line = one_line_error(run(*command), self_signed_server["password"])
    assert "TLS certificate failed verification (self-signed certificate)" in line
    assert "SSL_CERT_FILE" in line and "bolt+ssc://" in line


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
@pytest.mark.parametrize("command", [("build", "--no-map", "--no-figures"),
                                     ("cypher", COUNT)])
def test_plain_uri_to_a_tls_only_listener_is_a_one_line_error(self_signed_server, monkeypatch,
                                                              scheme, command):
    point_at(monkeypatch, self_signed_server, scheme, trust=None)
    line = one_line_error(run(*command), self_signed_server["password"])
    assert "handshake failed; if the server accepts only TLS, use bolt+s:// or neo4j+s://" in line


def test_tls_uri_to_a_plain_listener_is_a_one_line_error(bolt_server, monkeypatch):
    info = {**bolt_server, "uri": bolt_server["uri"].replace("bolt://", "bolt+s://")}
    point_at(monkeypatch, info, "bolt+ssc", trust=None)
    line = one_line_error(run("cypher", COUNT), bolt_server["password"])
    assert "TLS handshake failed; if the server does not use TLS, use bolt://" in line


def test_serve_with_a_wrong_keystore_password_says_so(certs, tmp_path):
    done = subprocess.run([sys.executable, "-m", "htkg.cli", "serve", "--db", str(tmp_path / "s"),
                           "--tls-keystore", str(certs / "server.p12")],
                          capture_output=True, text=True, timeout=180,
                          env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"),
                               "HTKG_TLS_PASSWORD": "not-the-keystore-password"})
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        f"Error: cannot open the TLS key store {certs / 'server.p12'}: "
        f"keystore password was incorrect"]


def test_serve_asks_for_the_keystore_password(certs, monkeypatch):
    monkeypatch.delenv("HTKG_TLS_PASSWORD", raising=False)
    result = run("serve", "--db", certs / "unused", "--tls-keystore", certs / "server.p12")
    assert result.exit_code == 2 and "HTKG_TLS_PASSWORD" in result.output
