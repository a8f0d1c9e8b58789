"""The one reader of users' files: decompression, the encoding policy, the head.

Every loader, the saved-query reader and the YAML reader open users' files
here, so the rules are the same for all of them:

- ``.gz`` and ``.xz`` files are decompressed transparently (names are judged
  without the suffix: ``t.csv.gz`` is a CSV file); at most :data:`MAX_BYTES`
  are read, so a small bomb cannot fill the memory;
- text is UTF-8 (a byte-order mark is dropped). UTF-16, binary data (a NUL
  byte) and any other encoding, Windows' cp1252 included, are refused with
  the line of the first bad byte and how to save the file as UTF-8. (htkg
  does not guess encodings: a wrong guess would store misspelt names.)
"""
from __future__ import annotations

import gzip
import lzma
import re
import unicodedata
from pathlib import Path

from htkg.errors import LoadError

#: Compressed suffixes read transparently, and their openers.
COMPRESSED = {".gz": gzip.open, ".xz": lzma.open}
#: The most bytes read from one file (after decompression).
MAX_BYTES = 2 * 2**30
HEAD_BYTES = 8192

#: Characters that break or hide a line (C0 controls but tab, DEL, the C1
#: range, and the Unicode line and paragraph separators): no header or name
#: a person writes holds one.
UNSAFE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


def plain_name(path: str | Path) -> str:
    """The file's name without a compression suffix.

    >>> plain_name("nrm_referrals_ngo_2023_q4.csv.gz"), plain_name("a.yaml")
    ('nrm_referrals_ngo_2023_q4.csv', 'a.yaml')
    """
    name = Path(path).name
    for suffix in COMPRESSED:
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            return name[:-len(suffix)]
    return name


def _opener(path: Path):
    return COMPRESSED.get(path.suffix.lower(), open)


def read_bytes(path: str | Path, shown: str, limit: int = MAX_BYTES) -> bytes:
    """The file's bytes, decompressed; ``LoadError`` naming the file when it cannot be read."""
    path = Path(path)
    try:
        with _opener(path)(path, "rb") as f:
            raw = f.read(limit + 1)
    except (OSError, EOFError, lzma.LZMAError) as exc:
        what = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        if isinstance(exc, (EOFError, lzma.LZMAError, gzip.BadGzipFile)):
            what = f"a damaged {path.suffix.lstrip('.')} file ({what}); download or compress it again"
        raise LoadError(f"cannot read the file: {what}", shown) from None
    if len(raw) > limit:
        raise LoadError(f"the file holds more than {limit:,} bytes: too large for an input of "
                        f"htkg (is it the right file?)", shown)
    return raw


def head(path: str | Path, size: int = HEAD_BYTES) -> str:
    """The first ``size`` bytes, decompressed, as text (bad bytes replaced): for
    telling kinds of file apart, never for reading them."""
    path = Path(path)
    try:
        with _opener(path)(path, "rb") as f:
            raw = f.read(size)
    except (OSError, EOFError, lzma.LZMAError):
        return ""
    return raw.decode("utf-8", errors="replace")


def plain_size(path: str | Path) -> int:
    """The file's size once decompressed, read from the gzip trailer or the xz
    index without decompressing (the size on disk if neither can be read): for
    judging how much work a file is.

    >>> import lzma, tempfile, os
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = os.path.join(d, "t.csv.xz")
    ...     with lzma.open(p, "wb") as f:
    ...         _ = f.write(b"a,b\\n" * 1000)
    ...     plain_size(p)
    4000
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        suffix = path.suffix.lower()
        if suffix == ".gz" and size >= 18:
            with open(path, "rb") as f:
                f.seek(-4, 2)
                return int.from_bytes(f.read(4), "little")      # ISIZE (mod 2**32)
        if suffix == ".xz" and size >= 24:
            return _xz_plain_size(path, size)
        return size
    except (OSError, ValueError, IndexError):      # unreadable, or a damaged trailer
        try:
            return path.stat().st_size
        except OSError:
            return 0


def _xz_plain_size(path: Path, size: int) -> int:
    """The uncompressed size an .xz file's index records (one stream, as xz writes)."""
    with open(path, "rb") as f:
        f.seek(-12, 2)
        footer = f.read(12)
        if footer[-2:] != b"YZ":
            return size
        index_size = (int.from_bytes(footer[4:8], "little") + 1) * 4
        f.seek(-12 - index_size, 2)
        index = f.read(index_size)
    if not index or index[0] != 0:
        return size
    pos, total = 1, 0

    def varint() -> int:
        nonlocal pos
        value = shift = 0
        while True:
            byte = index[pos]
            pos += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                return value

    for _ in range(varint()):
        varint()                    # unpadded size
        total += varint()           # uncompressed size
    return total


def is_binary(path: str | Path) -> bool:
    """True when the head holds a NUL byte or a UTF-16 byte-order mark."""
    path = Path(path)
    try:
        with _opener(path)(path, "rb") as f:
            raw = f.read(HEAD_BYTES)
    except (OSError, EOFError, lzma.LZMAError):
        return False
    return b"\x00" in raw and not raw.startswith((b"\xff\xfe", b"\xfe\xff"))


def is_utf16(path: str | Path) -> bool:
    path = Path(path)
    try:
        with _opener(path)(path, "rb") as f:
            return f.read(2) in (b"\xff\xfe", b"\xfe\xff")
    except (OSError, EOFError, lzma.LZMAError):
        return False


def decode_utf8(raw: bytes, shown: str, what: str, fix: str) -> str:
    """Bytes as UTF-8 text under the policy above; ``LoadError`` with the line otherwise.

    >>> decode_utf8("Café\\n".encode(), "x.txt", "text", "save it as UTF-8")
    'Café\\n'
    >>> decode_utf8(b"ok\\nCaf\\xe9\\n", "x.txt", "text", "save it as UTF-8")
    Traceback (most recent call last):
    ...
    htkg.errors.LoadError: x.txt:2: not UTF-8 text (byte 0xe9): save it as UTF-8
    """
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


def read_utf8(path: str | Path, shown: str, what: str, fix: str) -> str:
    """The file's text (decompressed, UTF-8); ``LoadError`` naming the line for
    UTF-16, binary or non-UTF-8 bytes.

    ``what`` names the expected kind ("YAML text"), ``fix`` says how to save it
    ("save the file as UTF-8").
    """
    return decode_utf8(read_bytes(path, shown), shown, what, fix)

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
