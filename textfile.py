"""Read a user's text file as UTF-8, refusing what is not text with a line and a fix."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from htkg.errors import LoadError

#: Characters that break or hide a line (C0 controls but tab, DEL, the C1
#: range, and the Unicode line and paragraph separators): no header or name
#: a person writes holds one.
UNSAFE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


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


def split_lines(text: str) -> list[str]:
    """The lines of a user's text as an editor shows them: split at ``\\n`` only,
    a ``\\r`` before it dropped (a final line end starts no line, as with
    ``str.splitlines``).

    ``str.splitlines`` also breaks at U+2028, U+2029, U+0085 and U+001C-U+001E,
    which editors and terminals do not show as line ends: text after one of
    them would be read as a line of its own while looking like part of the
    line before (code hidden in a comment). Those characters stay in the line,
    where a reader can refuse them.

    >>> split_lines("a\\r\\nb\\u2028c\\x1ed\\n")
    ['a', 'b\\u2028c\\x1ed']
    """
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def char_name(char: str) -> str:
    """What an unsafe character is, for a message.

    >>> char_name("\\x1e"), char_name("\\u2028")
    ('control character U+001E', 'line separator U+2028')
    """
    kind = {"Zl": "line separator", "Zp": "paragraph separator"}.get(
        unicodedata.category(char), "control character")
    return f"{kind} U+{ord(char):04X}"
