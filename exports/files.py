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


@contextlib.contextmanager
def atomic_folder(path: str | Path, marker: str) -> Iterator[Path]:
    """A temporary folder that replaces folder ``path`` when complete.

    An existing ``path`` is replaced only when it is empty or holds a previous
    export (it contains ``marker``), so a typo cannot wipe an unrelated folder."""
    path = Path(path)
    if path.exists():
        if not path.is_dir():
            raise HtkgError(f"cannot write {path}: it is a file, and this format writes a folder")
        if any(path.iterdir()) and not (path / marker).exists():
            raise HtkgError(f"{path} is a folder that is not empty and holds no previous export; "
                            f"give a new or empty folder")
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".part", dir=_parent(path)))
    try:
        yield tmp
        os.chmod(tmp, 0o755)
        if path.exists():
            old = path.with_name(f".{path.name}.old")
            if old.exists():
                shutil.rmtree(old)
            os.replace(path, old)
            os.replace(tmp, path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, path)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
