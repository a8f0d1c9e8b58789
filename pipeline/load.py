"""Loading files into the in-memory model: routing, reading, merging.

:func:`load` walks the paths, routes each file to the loader that
recognises it (:func:`htkg.loaders.route`), reads its records and merges
them into one :class:`~htkg.graph.model.KnowledgeGraph`, which validates
every record. Registry files are loaded first, then the others in the
loaders' order, so every name a later file uses can resolve whatever order
the paths came in. A run of files whose loader allows it is read in worker
processes (:mod:`.parallel`) and merged here in the files' order.
"""
from __future__ import annotations

import hashlib
import itertools
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from htkg import textfile
from htkg.errors import LoadError
from htkg.graph.model import KnowledgeGraph, Unresolved
from htkg.graph.records import Edge, Node
from htkg.graph.resolver import Resolver
from htkg.loaders import LOADERS, govuk, registry, route, unknown_kind
from htkg.loaders.base import (CheckedRows, EdgeRows, FileReport, GraphContext, Loader, Note,
                               Record, RowsRead, Source)
from htkg.pipeline import parallel

Progress = Callable[[str, int, int], None]
DATA = Path(__file__).resolve().parent.parent / "data"
#: Public reference data the package ships (compressed), loaded with the registry:
#: official geography, GOV.UK's organisations.
REFERENCE = DATA / "reference"
#: The public figures the package ships (compressed), loaded by default: NRM tables.
FIGURES = DATA / "figures"


def _shipped(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")
                  and p.suffix != ".md")


def bundled_reference() -> list[Path]:
    """Every file of the bundled reference data, in name order (see ``data/SOURCES.md``)."""
    return _shipped(REFERENCE)


def bundled_figures() -> list[Path]:
    """Every file of the bundled figures, in name order (see ``data/SOURCES.md``)."""
    return _shipped(FIGURES)


def _fingerprint(path: Path) -> tuple[str, str] | None:
    """(name without .gz/.xz, digest of the content): a user's copy of a bundled table
    is the same file, compressed or not."""
    try:
        data = textfile.read_bytes(path, str(path))
    except LoadError:
        return None
    return textfile.plain_name(path), hashlib.sha256(data).hexdigest()


@dataclass
class LoadResult:
    """The model built from the inputs, and what each loader did."""

    graph: KnowledgeGraph
    files: list[FileReport] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class Context(GraphContext):
    """What loaders see of the build (:class:`htkg.loaders.base.ReadContext`)."""

    _resolver: Resolver | None = field(default=None, repr=False)
    _resolver_size: int = field(default=-1, repr=False)

    def resolver(self) -> Resolver:
        """A resolver over everything loaded so far, rebuilt only when entities were
        added since the last call (so loaders may ask once per file at no cost)."""
        size = self.kg.g.number_of_nodes()
        if self._resolver is None or size != self._resolver_size:
            self._resolver, self._resolver_size = Resolver.from_graph(self.kg), size
        return self._resolver

    def for_worker(self) -> "Context":
        """The same view for a worker process, which draws no progress bar."""
        return Context(self.kg, self.options, None, self._resolver, self._resolver_size)


def expand(paths: Iterable[str | Path]) -> list[tuple[Path, bool]]:
    """Files to load: (path, named explicitly). Folders are walked in name order;
    hidden files are left out."""
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


def merge(kg: KnowledgeGraph, loader: Loader, source: Source, records: Iterable[Record]
          ) -> FileReport:
    """Add one file's records to the model; return its report."""
    report = FileReport(str(source.path), loader.NAME)
    explain = getattr(loader, "explain", None)
    for record in records:
        try:
            if isinstance(record, (Node, Edge)):
                kg.add(record)
                report.records += 1
            elif isinstance(record, EdgeRows):
                report.records += kg.add_edges(record.type, record.rows)
            elif isinstance(record, CheckedRows):
                kg.add_checked(record.type, record.rows)
                report.records += len(record.rows)
            elif isinstance(record, Unresolved):
                kg.unresolved.append(record)
            elif isinstance(record, Note):
                report.notes.append(record.text)
            elif isinstance(record, RowsRead):
                report.rows += record.count
            else:
                raise TypeError(f"loader {loader.NAME} yielded {record!r}, not a record")
        except LoadError as exc:
            if explain is None:
                raise
            raise explain(record, exc, source) from None
    return report


def _rank(loader: Loader, source: Source) -> int:
    """Where a file comes among its loader's files (``loader.rank``; else as given)."""
    rank = getattr(loader, "rank", None)
    return 0 if rank is None else rank(source)


def read_records(loader: Loader, source: Source, ctx) -> list[Record]:
    """Every record of one file, read whole before any is merged."""
    return list(loader.read(source, ctx))


def load(paths: Iterable[str | Path] = (), *, bundled: bool = True, figures: bool = True,
         options: dict | None = None, progress: Progress | None = None,
         began: Callable[[KnowledgeGraph], None] | None = None,
         loaded: Callable[[KnowledgeGraph], None] | None = None) -> LoadResult:
    """Load the bundled registry (with the GOV.UK organisations that complete it),
    reference data and figures, and every path.

    ``bundled=False`` leaves out everything that ships (a graph made only of
    one's own files, such as an RDF export); ``figures=False`` keeps the
    registry and the reference data (geography, GOV.UK organisations) but
    leaves out the bundled figures (the NRM tables), for one's own tables. A
    file given that is a copy of a bundled one is skipped, with a note.

    ``began(kg)`` is called once, when reading the first group of files read
    together has begun (after its worker processes fork; a build starts its
    database then), and ``loaded(kg)`` after every file (a build writes what
    the graph has gained).
    """
    started = time.perf_counter()
    kg = KnowledgeGraph()
    result = LoadResult(kg)
    ctx = Context(kg, dict(options or {}), progress)
    completing = govuk.bundled_files() if bundled else []
    if bundled:
        result.files.append(merge(kg, registry, Source(registry.REGISTRY_DIR),
                                  registry.records()))
        result.files[-1].path = "(bundled registry)"
        result.files[-1].records = kg.size()
        # GOV.UK's organisations complete the registry's entries for the bodies it lists
        # (their names, formats, parents), before any file of one's own is read.
        for path in completing:
            source = Source(path)
            result.files.append(merge(kg, govuk, source, read_records(govuk, source, ctx)))
    plan: list[tuple[Source, Loader]] = []
    given = expand(paths)
    if bundled:
        shipped = ([p for p in bundled_reference() if p not in completing]
                   + (bundled_figures() if figures else []))
        if shipped or completing:
            copies = {_fingerprint(p) for p in shipped + completing}
            kept = []
            for path, explicit in given:
                if path.stat().st_size and _fingerprint(path) in copies:
                    result.skipped.append((str(path), "the same table ships with htkg and is "
                                                      "loaded already"))
                else:
                    kept.append((path, explicit))
            given = [(p, False) for p in shipped] + kept
    for path, explicit in given:
        source = Source(path)
        loader = route(source)
        if loader is None:
            if explicit:
                raise LoadError(unknown_kind(path), str(path))
            result.skipped.append((str(path), "not a kind of file htkg reads"))
            continue
        plan.append((source, loader))
    order = {loader.NAME: i for i, loader in enumerate(LOADERS)}
    plan.sort(key=lambda item: (order[item[1].NAME], _rank(item[1], item[0])))
    after = loaded or (lambda kg: None)
    for loader, group in itertools.groupby(plan, key=lambda item: item[1]):
        sources = [source for source, _ in group]
        if not hasattr(loader, "parallel") or len(sources) < 2:
            for source in sources:
                result.files.append(merge(kg, loader, source, read_records(loader, source, ctx)))
                after(kg)
            continue
        stage = f"reading {len(sources)} {loader.NAME} files"
        begin = (lambda: began(kg)) if began is not None else None
        for done, (source, records) in enumerate(
                parallel.read_many(loader, sources, ctx, begin), 1):
            if records is None:
                records = read_records(loader, source, ctx)
            result.files.append(merge(kg, loader, source, records))
            after(kg)
            if progress:
                progress(stage, done, len(sources))
    kg.check_complete()
    result.seconds = time.perf_counter() - started
    return result


__all__ = ["Context", "LoadResult", "expand", "load", "merge"]
