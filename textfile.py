"""Read a user's text file as UTF-8, refusing what is not text with a line and a fix."""
from __future__ import annotations

from pathlib import Path

from htkg.errors import LoadError


def read_utf8(path: str | Path, shown: str, what: str, fix: str) -> str:
    """The file's text; ``LoadError`` naming the line for UTF-16, binary or non-UTF-8 bytes.

    ``what`` names the expected kind ("YAML text"), ``fix`` says how to save it
    ("save the file as UTF-8"). A UTF-8 byte-order mark is dropped.
    """
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise LoadError(f"cannot read the file: {exc.strerror}", shown) from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError(f"UTF-16 text, not UTF-8: {fix}", shown, 1)
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise LoadError(f"binary data (a NUL byte), not {what}: {fix}", shown,
                        raw.count(b"\n", 0, nul) + 1)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError(f"not UTF-8 text (byte 0x{raw[exc.start]:02x}): {fix}", shown,
                        raw.count(b"\n", 0, exc.start) + 1) from None
