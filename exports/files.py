"""Write outputs whole or not at all: a temporary file (or folder) beside the
target, renamed over it only once complete. A failed export leaves the
previous file, or nothing, never half a file."""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import IO, Iterator

from htkg.errors import HtkgError


def _parent(path: Path) -> Path:
    parent = path.parent
    if not parent.exists():
        raise HtkgError(f"cannot write {path}: the folder {parent} does not exist")
    return parent


@contextlib.contextmanager
def temporary_path(path: str | Path) -> Iterator[Path]:
    """A temporary file name beside ``path``; renamed to ``path`` on success."""
    path = Path(path)
    if path.is_dir():
        raise HtkgError(f"cannot write {path}: it is a folder")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=_parent(path))
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()


@contextlib.contextmanager
def atomic_text(path: str | Path) -> Iterator[IO[str]]:
    """A text file open for writing that becomes ``path`` only when complete."""
    with temporary_path(path) as tmp:
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            yield f


#: The file htkg writes into every folder it exports, and the only sign it trusts
#: that a folder is its own to replace.
MARK = ".htkg-export"


def _marked(path: Path) -> bool:
    mark = path / MARK
    return mark.is_file() and not mark.is_symlink()


@contextlib.contextmanager
def atomic_folder(path: str | Path, what: str) -> Iterator[Path]:
    """A temporary folder that replaces folder ``path`` when complete.

    htkg writes a mark file (:data:`MARK`, saying ``what`` wrote it) into every
    folder it exports. An existing ``path`` is replaced only when it is empty or
    carries that mark, so a typo cannot wipe an unrelated folder, even one that
    happens to hold files named like an export's."""
    path = Path(path)
    if path.is_symlink():
        raise HtkgError(f"cannot write {path}: it is a link; give the folder itself, or a new one")
    if path.exists():
        if not path.is_dir():
            raise HtkgError(f"cannot write {path}: it is a file, and this format writes a folder")
        if any(path.iterdir()) and not _marked(path):
            raise HtkgError(f"{path} is a folder that is not empty and holds no previous htkg "
                            f"export (no {MARK} file), so it is left as it is; give a new or "
                            f"empty folder")
    parent = _parent(path)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".part", dir=parent))
    try:
        yield tmp
        (tmp / MARK).write_text(f"Written by {what}. The next export to this folder replaces "
                                f"it whole: keep nothing else here.\n", encoding="utf-8")
        os.chmod(tmp, 0o755)
        if path.exists():
            # Moved aside under a fresh name of its own (never an existing ".x.old"
            # that may be someone's), then removed once the new folder is in place.
            old = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".old", dir=parent))
            os.replace(path, old)
            os.replace(tmp, path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, path)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
