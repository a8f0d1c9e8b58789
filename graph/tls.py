"""Bolt over TLS for the embedded engine: a PKCS#12 key store, checked before the
server starts, and the settings ArcadeDB needs for it."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from htkg.errors import StoreError


@dataclass(frozen=True)
class TLS:
    """Bolt over TLS only, with the certificate chain and private key of a
    PKCS#12 key store (``openssl pkcs12 -export -in cert.pem -inkey key.pem``)."""

    keystore: Path
    password: str = field(repr=False)

    def check(self) -> None:
        """Open the key store, so a wrong file or password is a one-line error
        (the JVM must be running). The password is never part of the message."""
        import jpype  # deferred: the JVM bindings load only where the engine runs
        path = Path(self.keystore)
        try:
            store = jpype.JClass("java.security.KeyStore").getInstance("PKCS12")
            stream = jpype.JClass("java.io.FileInputStream")(str(path))
            try:
                store.load(stream, jpype.JString(self.password).toCharArray())
            finally:
                stream.close()
            has_key = any(store.isKeyEntry(alias) for alias in store.aliases())
        except jpype.JException as exc:
            raise StoreError(f"cannot open the TLS key store {path}: "
                             f"{exc.getMessage()}") from None
        if not has_key:
            raise StoreError(f"the TLS key store {path} holds no private key; make one with "
                             f"'openssl pkcs12 -export -in cert.pem -inkey key.pem -out {path.name}'")

    def config(self) -> dict:
        """ArcadeDB's settings: TLS required on Bolt. It wants a trust store too
        (for client certificates, which it does not ask for): the key store serves."""
        path = str(Path(self.keystore).resolve())
        return {"bolt_ssl": "REQUIRED", "ssl_keyStore": path, "ssl_keyStorePassword": self.password,
                "ssl_trustStore": path, "ssl_trustStorePassword": self.password}
