"""Loaders: one adapter per kind of source, and the routing between them.

Each loader module offers ``NAME``, ``DESCRIPTION``, ``recognises(path,
head) -> bool`` (``head`` is the file's first few kilobytes as text) and
``load(path, ctx) -> FileReport``. A loader reads its file, yields records
into ``ctx.kg`` (validated there) and reports names it could not resolve
through ``ctx.kg.report_unresolved``; it never writes to a database. A
loader whose files are large and many may also offer ``prepare`` and
``apply``, to read several files at once (see :mod:`htkg.loaders.parallel`).
"""
from __future__ import annotations

import dataclasses
import importlib
import itertools
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from htkg.errors import LoadError
from htkg.graph.model import KnowledgeGraph
from htkg.graph.resolver import Resolver

# Module names under htkg.loaders, in the order they are asked.
LOADER_MODULES = ["registry", "minutes", "nrm", "rdf"]


@dataclass
class FileReport:
    """What one loader did with one file."""

    path: str
    loader: str
    rows: int = 0
    records: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass
class LoadContext:
    kg: KnowledgeGraph
    options: dict[str, Any] = field(default_factory=dict)
    progress: Callable[[str, int, int], None] | None = None

    _resolver: Resolver | None = field(default=None, repr=False)
    _resolver_size: int = field(default=-1, repr=False)

    def resolver(self) -> Resolver:
        """A resolver over everything loaded so far (registry first).

        Rebuilt only when entities have been added since the last call, so
        loaders may ask for it once per file at no cost.
        """
        size = self.kg.g.number_of_nodes()
        if self._resolver is None or size != self._resolver_size:
            self._resolver, self._resolver_size = Resolver.from_graph(self.kg), size
        return self._resolver

    def without_progress(self) -> "LoadContext":
        """The same context for a worker process, which has no progress bar."""
        return dataclasses.replace(self, progress=None)


@dataclass
class BuildReport:
    files: list[FileReport] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0


def loader_modules() -> list:
    mods = []
    for name in LOADER_MODULES:
        try:
            mods.append(importlib.import_module(f"htkg.loaders.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"htkg.loaders.{name}":
                raise
    return mods


def _head(path: Path) -> str:
    try:
        with open(path, "rb") as f:
            raw = f.read(8192)
    except OSError as exc:
        raise LoadError(f"cannot read the file: {exc.strerror}", str(path)) from None
    return raw.decode("utf-8", errors="replace")


def route(path: Path) -> Any | None:
    """The loader module that recognises a file, or None."""
    head = _head(path)
    for mod in loader_modules():
        if mod.recognises(path, head):
            return mod
    return None


def known_kinds() -> str:
    return "; ".join(f"{m.NAME} ({m.DESCRIPTION})" for m in loader_modules())


def _unknown_kind(path: Path) -> str:
    """Why no loader took a file, and what to do."""
    with open(path, "rb") as f:
        raw = f.read(8192)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16 text: htkg reads text files as UTF-8; save the file as UTF-8 and build again"
    what = "; this file is binary data, not text" if b"\x00" in raw else ""
    return f"htkg does not know this kind of file; it reads: {known_kinds()}{what}"


def expand(paths: list[str | Path]) -> list[tuple[Path, bool]]:
    """Files to load: (path, named explicitly). Folders are walked in name order."""
    out: list[tuple[Path, bool]] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            out += [(f, False) for f in sorted(p.rglob("*"))
                    if f.is_file() and not f.name.startswith(".")]
        elif p.exists():
            out.append((p, True))
        else:
            raise LoadError("no such file or folder", str(p))
    return out


def build_graph(paths: list[str | Path], bundled: bool = True,
                options: dict | None = None,
                progress: Callable[[str, int, int], None] | None = None,
                sink: Any = None) -> tuple[KnowledgeGraph, BuildReport]:
    """Load the bundled registry (unless ``bundled`` is False) and every path.

    ``sink`` (an :class:`~htkg.graph.embedded_build.EmbeddedBuild`) is opened
    when the first group of files read together begins (after its workers
    fork) and fed after every file, so the store is written while files are
    still read; the caller finishes it.
    """
    from htkg.loaders import registry
    started = time.perf_counter()
    kg = KnowledgeGraph()
    report = BuildReport()
    ctx = LoadContext(kg, dict(options or {}), progress)
    if bundled:
        registry.load_registry(kg)
        report.files.append(FileReport("(bundled registry)", registry.NAME,
                                       records=kg.size()))
    plan = []
    for path, explicit in expand(paths):
        mod = route(path)
        if mod is None:
            if explicit:
                raise LoadError(_unknown_kind(path), str(path))
            report.skipped.append((str(path), "not a kind of file htkg reads"))
            continue
        plan.append((path, mod))
    # Registry files first, then the others in loader order: every name a
    # later file uses can then resolve, whatever order the paths came in.
    order = {mod.NAME: i for i, mod in enumerate(loader_modules())}
    plan.sort(key=lambda item: order[item[1].NAME])
    feed = sink.feed if sink is not None else (lambda kg: None)
    for mod, group in itertools.groupby(plan, key=lambda item: item[1]):
        paths = [path for path, _ in group]
        if not hasattr(mod, "prepare") or len(paths) < 2:
            for path in paths:
                report.files.append(mod.load(path, ctx))
                feed(kg)
            continue
        from htkg.loaders.parallel import prepared
        stage = f"reading {len(paths)} {mod.NAME} files"
        begin = (lambda: sink.open(kg)) if sink is not None else None
        for done, (path, ready) in enumerate(prepared(mod, paths, ctx, begin), 1):
            report.files.append(mod.load(path, ctx) if ready is None else mod.apply(ready, ctx))
            feed(kg)
            if progress:
                progress(stage, done, len(paths))
    report.seconds = time.perf_counter() - started
    return kg, report
