"""A store directory, its generations, and the marks that say htkg made them.

::

    <store>/htkg-store.json                          the store's mark
    <store>/current -> gen-20261127T120000-1234-ab12  (symlink, swapped atomically)
    <store>/gen-.../htkg-generation.json             the generation's mark and manifest
    <store>/gen-.../databases/htkg                   ArcadeDB's files
    <store>/gen-.../htkg-open.lock                   which processes have it open
    <store>/lock                                     which process writes the store

htkg writes, replaces and deletes only what carries its mark: a build into
a folder that holds anything else is refused, and publishing a generation
removes older *marked* generations only, never a ``gen-*`` folder htkg did
not make. A store built before the marks existed (``current`` and
``gen-*`` folders, nothing else) is adopted by the next build.

Publishing removes an older generation only when no process has it open
(:mod:`htkg.graph.locks`); one still being read is removed by whoever
closes it last (:func:`collect`).

The manifest of a published generation records how many records each type
held when it was published, and (once the engine has closed it) how many
pages each of its files holds; :func:`damage` compares both with what is
found when the store is opened.
"""
from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
import secrets
import shutil
import time
from pathlib import Path

from htkg.errors import StoreError

DATABASE = "htkg"
STORE_MARK = "htkg-store.json"
GENERATION_MARK = "htkg-generation.json"
OPEN_LOCK = "htkg-open.lock"
_GENERATION_NAME = re.compile(r"gen-[A-Za-z0-9-]+")
_OURS = re.compile(r"gen-[A-Za-z0-9-]+|current|lock|\.current-\d+|" + re.escape(STORE_MARK))


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _read_json(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def is_store(path: Path) -> bool:
    """Whether ``path`` is an htkg store a read may open: marked, or built
    before the marks (``current`` points at a generation holding the database)."""
    mark = _read_json(path / STORE_MARK)
    return (mark or {}).get("htkg") == "store" or _legacy(path, alone=False)


def _legacy(path: Path, alone: bool = True) -> bool:
    """A store from before the marks: ``current`` pointing at a ``gen-*`` folder
    that holds the database (``alone``: and nothing but htkg's own entries beside it)."""
    link = path / "current"
    try:
        if not link.is_symlink() or not _GENERATION_NAME.fullmatch(os.readlink(link)):
            return False
        return (link / "databases" / DATABASE).is_dir() and (not alone or all(
            _OURS.fullmatch(entry.name) for entry in path.iterdir()))
    except OSError:
        return False


def is_generation(path: Path) -> bool:
    """Whether ``path`` is a generation htkg made (it carries the mark)."""
    return (_read_json(path / GENERATION_MARK) or {}).get("htkg") == "generation"


def manifest(generation: Path) -> dict:
    """The generation's mark and manifest ({} when it has none)."""
    return _read_json(generation / GENERATION_MARK) or {}


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


def check_folder(path: Path) -> None:
    """Refuse a path that cannot be a store folder at all (a file, a device)."""
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path} is not a folder; give --db a folder "
                         f"(htkg makes it when it builds)")


def claim_store(path: Path) -> Path:
    """Make ``path`` an htkg store, or confirm that it is one, before a build.

    A missing or empty folder is made a store (its mark written); an htkg
    store is returned as it is (one from before the marks is adopted: it and
    its generations get their marks). Any other folder is refused, so a build
    never writes into, or deletes from, a folder of someone else's files.
    """
    path = Path(path)
    check_folder(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
        mark = _read_json(path / STORE_MARK)
        if (mark or {}).get("htkg") == "store":
            return path
        if _legacy(path):
            for generation in path.glob("gen-*"):
                if (generation / "databases" / DATABASE).is_dir() and not is_generation(generation):
                    _write_json(generation / GENERATION_MARK,
                                {"htkg": "generation", "version": 1, "state": "adopted",
                                 "created": _now(), "counts": None})
        elif any(path.iterdir()):
            raise StoreError(f"{path} holds other files and is not an htkg store; give --db a new "
                             f"or empty folder (htkg makes it), or the folder of an htkg store")
        _write_json(path / STORE_MARK, {"htkg": "store", "version": 1, "created": _now()})
    except OSError as exc:
        raise StoreError(f"cannot use {path} as a store: {exc.strerror or exc}") from None
    return path


def require_store(path: Path) -> Path:
    """Check, creating nothing, that ``path`` is an htkg store a read can open."""
    path = Path(path)
    if not path.exists():
        raise StoreError(f"no graph has been built in {path} yet; run 'htkg build' first")
    check_folder(path)
    try:
        empty = not any(path.iterdir())
    except OSError as exc:
        raise StoreError(f"cannot read the store folder {path}: {exc.strerror or exc}") from None
    if empty:
        raise StoreError(f"no graph has been built in {path} yet; run 'htkg build --db {path}' first")
    if not is_store(path):
        raise StoreError(f"{path} is not an htkg store (it holds other files); give --db the "
                         f"folder that 'htkg build --db DIR' made")
    with contextlib.suppress(OSError):
        if os.statvfs(path).f_flag & os.ST_RDONLY:
            raise StoreError(f"the store {path} is on a read-only file system, and opening it "
                             f"writes a lock and the engine's files; copy it to a writable "
                             f"folder (cp -a {path} DIR) and use --db DIR")
    return path


def current_generation(store: Path) -> Path | None:
    """The generation ``current`` points to, or None when nothing was built."""
    link = store / "current"
    if not link.is_symlink():
        return None
    name = os.readlink(link)
    if not _GENERATION_NAME.fullmatch(name):
        raise StoreError(f"the store {store} is damaged: 'current' points to '{name}', outside "
                         f"the store; rebuild it with 'htkg build --db {store}'")
    target = store / name
    return target if (target / "databases" / DATABASE).exists() else None


def new_generation(store: Path) -> Path:
    """A new, marked, empty generation folder in the store (claimed first)."""
    claim_store(store)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    path = store / f"gen-{stamp}-{os.getpid()}-{secrets.token_hex(3)}"
    try:
        path.mkdir()
        (path / OPEN_LOCK).touch(0o644)
        _write_json(path / GENERATION_MARK, {"htkg": "generation", "version": 1,
                                             "state": "building", "created": _now(),
                                             "counts": None})
    except OSError as exc:
        shutil.rmtree(path, ignore_errors=True)
        raise StoreError(f"cannot make a new generation in {store}: "
                         f"{exc.strerror or exc}") from None
    return path


def publish_generation(store: Path, generation: Path,
                       counts: dict[str, int] | None = None) -> None:
    """Record ``counts`` (records per type, as verified) in the generation's
    manifest, point ``current`` at it atomically, and remove the older
    generations htkg made that no process has open (:func:`remove_unopened`).
    Folders without htkg's mark are never touched."""
    if generation.parent != store or not is_generation(generation):
        raise StoreError(f"{generation} is not a generation htkg made in {store}; not published")
    record = manifest(generation)
    record.update(state="published", published=_now(),
                  counts=None if counts is None else {str(k): int(v) for k, v in counts.items()})
    tmp = store / f".current-{os.getpid()}"
    try:
        _write_json(generation / GENERATION_MARK, record)
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        os.symlink(generation.name, tmp)
        os.replace(tmp, store / "current")
    except OSError as exc:
        raise StoreError(f"cannot make the new graph current in {store}: "
                         f"{exc.strerror or exc}; the previous graph is kept") from None
    for old in store.glob("gen-*"):
        if old != generation and is_generation(old):
            remove_unopened(old)


def remove_unopened(generation: Path) -> bool:
    """Delete a generation htkg made, unless a process has it open (holds its
    ``htkg-open.lock``); whether it was deleted."""
    if not is_generation(generation):
        return False
    try:
        fd = os.open(generation / OPEN_LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        os.close(fd)
        if exc.errno in (errno.EAGAIN, errno.EACCES):
            return False
        raise
    try:   # held while deleting: a reader that opens it now finds it gone
        shutil.rmtree(generation, ignore_errors=True)
    finally:
        os.close(fd)
    return True


def collect(store: Path) -> None:
    """Delete the published generations ``current`` no longer points to and no
    process has open: what publishing left because a reader still had it.
    Generations being built are left to the build (or the next one)."""
    link = store / "current"
    try:
        current = os.readlink(link) if link.is_symlink() else None
    except OSError:
        return
    for old in store.glob("gen-*"):
        if old.name != current and manifest(old).get("state") in ("published", "adopted"):
            remove_unopened(old)


def forget_counts(generation: Path) -> None:
    """Drop the recorded counts and pages of a generation that is about to be
    written to in place (``htkg serve``), so that no later open compares against them."""
    record = manifest(generation)
    if record.get("counts") is not None or record.get("pages") is not None:
        record.update(counts=None, pages=None)
        _write_json(generation / GENERATION_MARK, record)


def _paged(file: Path) -> int | None:
    """The page size in a paged file's name (``Sector_0.9.65536.v0.bucket``), else None."""
    parts = file.name.split(".")
    if len(parts) >= 4 and parts[-3].isdigit() and int(parts[-3]) > 0:
        return int(parts[-3])
    return None


def seal(generation: Path) -> None:
    """Record how many pages each file of a published generation holds, once
    the engine has closed it (only then are the files whole); done once."""
    record = manifest(generation)
    if record.get("htkg") != "generation" or record.get("state") != "published" \
            or record.get("pages") is not None:
        return
    folder = generation / "databases" / DATABASE
    pages = {}
    with contextlib.suppress(OSError):
        for file in folder.iterdir():
            size = _paged(file)
            if size:
                pages[file.name] = file.stat().st_size // size
    record["pages"] = pages
    with contextlib.suppress(OSError):
        _write_json(generation / GENERATION_MARK, record)


def discard_generation(generation: Path) -> None:
    """Delete an unpublished generation htkg made (and nothing else)."""
    if is_generation(generation):
        shutil.rmtree(generation, ignore_errors=True)


def damage(generation: Path, found: dict[str, int]) -> str | None:
    """What is wrong with a generation's files and counts, or None.

    ``found`` is what the engine counts per type on opening it. Each paged
    file must be a whole number of pages (the page size is in its name) and
    hold at least the pages it held when the build closed it; each type
    must hold the records the manifest recorded when it was published.

    >>> import tempfile
    >>> scratch = tempfile.TemporaryDirectory()
    >>> gen = Path(scratch.name)
    >>> (gen / "databases" / "htkg").mkdir(parents=True)
    >>> bucket = gen / "databases" / "htkg" / "Sector_0.9.65536.v0.bucket"
    >>> _ = bucket.write_bytes(b"x" * 1000)
    >>> damage(gen, {"Sector": 15})
    'Sector_0.9.65536.v0.bucket is cut short (1000 bytes is not a whole number of 65536-byte pages)'
    >>> _ = bucket.write_bytes(b"")
    >>> _write_json(gen / GENERATION_MARK, {"htkg": "generation", "counts": {"Sector": 15},
    ...                                     "pages": {bucket.name: 1}})
    >>> damage(gen, {"Sector": 15})
    'Sector_0.9.65536.v0.bucket holds 0 pages where the build left 1'
    >>> bucket.unlink()
    >>> damage(gen, {"Sector": 15})
    'Sector_0.9.65536.v0.bucket is missing'
    >>> _ = bucket.write_bytes(bytes(65536))
    >>> damage(gen, {"Sector": 0})
    'Sector holds 0 records where the build stored 15'
    >>> damage(gen, {"Sector": 15, "Other": 0}) is None
    True
    >>> scratch.cleanup()
    """
    folder = generation / "databases" / DATABASE
    try:
        files = {file.name: file for file in folder.iterdir()}
    except OSError as exc:
        return f"its database folder cannot be read ({exc.strerror or exc})"
    for name, file in sorted(files.items()):
        page = _paged(file)
        if page and file.stat().st_size % page:
            return (f"{name} is cut short ({file.stat().st_size} bytes is not a whole number of "
                    f"{page}-byte pages)")
    record = manifest(generation)
    for name, pages in sorted((record.get("pages") or {}).items()):
        if name not in files:
            return f"{name} is missing"
        held = files[name].stat().st_size // (_paged(files[name]) or 1)
        if held < int(pages):
            return f"{name} holds {held} pages where the build left {pages}"
    expected = record.get("counts")
    if not isinstance(expected, dict):
        return None
    for name in sorted(set(expected) | set(found)):
        want, got = int(expected.get(name, 0)), int(found.get(name, 0))
        if want != got:
            return f"{name} holds {got} records where the build stored {want}"
    return None
