"""Who may reach the app, and what every response carries.

The app binds 127.0.0.1 by default. Any other address is refused unless a
password protects it (``$HTKG_APP_PASSWORD``): then every request must carry
it, as HTTP Basic authentication (a browser asks once) or as ``Authorization:
Bearer PASSWORD``. It is compared in constant time (:func:`hmac.compare_digest`),
read only from the environment (never a command-line argument, which other
users can list), and never written to a log or a page.

:class:`Guard` is the one middleware in front of every page: it refuses what
the app never serves (a method other than GET or HEAD, a Host header that is
not the app's own address while it listens on loopback, which stops DNS
rebinding, a query string longer than :data:`LONGEST_QUERY`, a missing or wrong
password) with a short page and a 4xx status, and adds the security headers
to every response.
"""
from __future__ import annotations

import base64
import binascii
import hmac
import html
import ipaddress
import os
from dataclasses import dataclass, field

from htkg.errors import HtkgError

PASSWORD_ENV = "HTKG_APP_PASSWORD"
SHORTEST_PASSWORD = 16
#: Longest query string a page accepts, in bytes (a page's state fits in far less).
LONGEST_QUERY = 8192
#: The policy of the app's own pages: its own scripts, styles and frames only.
POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          "connect-src 'self'; frame-src 'self'; frame-ancestors 'self'; form-action 'self'; "
          "base-uri 'none'; object-src 'none'")
HEADERS = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
           (b"x-frame-options", b"SAMEORIGIN"), (b"cross-origin-opener-policy", b"same-origin"),
           (b"cross-origin-resource-policy", b"same-origin")]


class AccessError(HtkgError):
    """The app cannot listen as asked (an address without protection, a weak password)."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only.

    >>> [is_loopback(h) for h in ("127.0.0.1", "::1", "localhost", "127.1.2.3", "0.0.0.0", "192.168.1.4", "[::1]")]
    [True, True, True, True, False, False, True]
    """
    host = host.strip().strip("[]")
    if host.casefold() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Access:
    """Where the app listens and the password every request must carry (or None)."""

    host: str
    port: int
    password: str | None = field(default=None, repr=False)

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)

    def url(self, port: int | None = None) -> str:
        host = self.host if ":" not in self.host.strip("[]") else f"[{self.host.strip('[]')}]"
        return f"http://{host}:{port or self.port}/"


def access_for(host: str, port: int, environ: dict | None = None) -> Access:
    """The app's access, or :class:`AccessError` for a host it may not listen on.

    >>> access_for("127.0.0.1", 8765, {}).password is None
    True
    >>> access_for("0.0.0.0", 8765, {})
    Traceback (most recent call last):
    ...
    htkg.web.access.AccessError: --host 0.0.0.0 would let other machines read the graph, and no password protects it; set HTKG_APP_PASSWORD (at least 16 characters; make one with: python3 -c 'import secrets; print(secrets.token_urlsafe())') or leave out --host to serve this machine only
    """
    environ = os.environ if environ is None else environ
    password = environ.get(PASSWORD_ENV) or None
    if password is not None and len(password) < SHORTEST_PASSWORD:
        raise AccessError(f"{PASSWORD_ENV} is too short to protect the app: give at least "
                          f"{SHORTEST_PASSWORD} characters (make one with: python3 -c 'import "
                          f"secrets; print(secrets.token_urlsafe())')")
    if not is_loopback(host) and password is None:
        raise AccessError(f"--host {host} would let other machines read the graph, and no "
                          f"password protects it; set {PASSWORD_ENV} (at least "
                          f"{SHORTEST_PASSWORD} characters; make one with: python3 -c 'import "
                          f"secrets; print(secrets.token_urlsafe())') or leave out --host to "
                          f"serve this machine only")
    return Access(host, port, password)


def carries(authorization: str | None, password: str) -> bool:
    """Whether an Authorization header carries the password (Basic, any user name,
    or Bearer), compared in constant time.

    >>> basic = "Basic " + base64.b64encode(b"anyone:s3cret-s3cret-s3cret").decode()
    >>> carries(basic, "s3cret-s3cret-s3cret"), carries("Bearer s3cret-s3cret-s3cret", "s3cret-s3cret-s3cret")
    (True, True)
    >>> carries("Bearer wrong", "s3cret-s3cret-s3cret"), carries(None, "x"), carries("Basic !!", "x")
    (False, False, False)
    """
    if not authorization:
        return False
    scheme, _, value = authorization.strip().partition(" ")
    given = ""
    if scheme.casefold() == "bearer":
        given = value.strip()
    elif scheme.casefold() == "basic":
        try:
            given = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return False
        given = given.partition(":")[2]
    return hmac.compare_digest(given.encode("utf-8"), password.encode("utf-8"))


def _page(status: int, title: str, text: str) -> bytes:
    """A short page for a request refused before any handler runs."""
    return (f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
            f'<link rel="icon" href="data:,"><title>{status} {html.escape(title)}</title></head>'
            f'<body><h1>{html.escape(title)}</h1><p>{html.escape(text)}</p></body></html>'
            ).encode("utf-8")


class Guard:
    """ASGI middleware: the checks and headers every request and response pass."""

    def __init__(self, app, access: Access, longest_query: int = LONGEST_QUERY):
        self.app = app
        self.access = access
        self.longest_query = longest_query

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self.refusal(scope)
        if refusal is not None:
            status, title, text, extra = refusal
            await _respond(send, status, _page(status, title, text), extra)
            return

        async def with_headers(message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                headers = list(message.get("headers", []))
                headers += [(k, v) for k, v in HEADERS if k not in names]
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", POLICY.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)

    def refusal(self, scope) -> tuple[int, str, str, list] | None:
        """Why a request is refused before any page runs: (status, title, text, headers)."""
        headers = dict((k.lower(), v) for k, v in scope.get("headers", []))
        if self.access.password is not None:
            given = headers.get(b"authorization", b"").decode("latin-1")
            if not carries(given, self.access.password):
                return (401, "Password needed",
                        "This app is protected: give the password it was started with.",
                        [(b"www-authenticate", b'Basic realm="htkg", charset="UTF-8"')])
        if self.access.loopback:
            host = headers.get(b"host", b"").decode("latin-1").strip().lower()
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if not is_loopback(name):
                return (421, "Not this address",
                        "This app serves this machine only, at 127.0.0.1 or localhost.", [])
        if scope["method"] not in ("GET", "HEAD"):
            return (405, "Method not allowed",
                    "This app only reads: every page is a GET request.", [(b"allow", b"GET, HEAD")])
        if len(scope.get("query_string", b"")) > self.longest_query:
            return (414, "Address too long",
                    f"The address's query is longer than the {self.longest_query:,} bytes any "
                    f"page of this app needs; shorten it.", [])
        return None


async def _respond(send, status: int, body: bytes, headers: list) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/html; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()),
                            (b"content-security-policy", POLICY.encode()),
                            *HEADERS, *headers]})
    await send({"type": "http.response.body", "body": body})
