"""``htkg.build``: load the inputs, derive the totals, write the store, once.

The target is resolved once and the writer picked once
(:func:`htkg.graph.writers.writer_for`); the embedded store is written while
the files load. Front ends (the command line, tests, benches) call
:func:`build` and present what it returns.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from htkg.errors import QueryError
from htkg.graph.model import KnowledgeGraph, Unresolved
from htkg.graph.store import Result, Target, resolve_target
from htkg.graph.succession import annotate as annotate_status
from htkg.graph.summary import summarise_referrals
from htkg.graph.writers import WriteStats, writer_for
from htkg.loaders.base import FileReport
from htkg.maps import MapResult, write_map
from htkg.pipeline.load import load

Progress = Callable[[str, int, int], None]

#: Frontline organisations with the regulators of their sector whose remit covers one of
#: their nations, while those regulators exist.
SAMPLE_QUERY = (
    "MATCH (o:Organisation {frontline_contact: true})-[:OPERATES_IN]->(s:Sector) "
    "OPTIONAL MATCH (reg:Organisation)-[:REGULATES]->(s) "
    "WHERE reg.status = 'current' AND any(n IN reg.nation WHERE n IN o.nation) "
    "WITH s, o, reg ORDER BY reg.name "
    "RETURN s.name AS sector, o.name AS organisation, collect(DISTINCT reg.name) AS regulators "
    "ORDER BY sector, organisation LIMIT 12")


@dataclass
class BuildResult:
    """What a build loaded and wrote, for a front end to present."""

    target: Target
    graph: KnowledgeGraph
    written: WriteStats
    files: list[FileReport] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    #: Seconds to load, write and verify (the sample query and map come after).
    seconds: float = 0.0
    #: The sample query's rows (organisations in frontline sectors), with the registry.
    sample: Result | None = None
    #: The overview map, when one was asked for and drawn.
    overview: MapResult | None = None
    #: Why no overview map was drawn, when one was asked for.
    overview_note: str | None = None

    @property
    def unresolved(self) -> list[Unresolved]:
        return self.graph.unresolved

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        """Counts per label and per relationship type of the graph written."""
        return self.graph.counts()


def build(paths: Iterable[str | Path] = (), db: str | None = None, *, bundled: bool = True,
          figures: bool = True, period: str | None = None, progress: Progress | None = None,
          overview: str | Path | None = None) -> BuildResult:
    """Build the graph from the bundled registry and figures and ``paths``, and write
    it to ``db`` (a directory, a ``bolt://``/``neo4j://`` URI, or None for
    ``$NEO4J_URI`` or the per-user embedded store).

    ``bundled=False`` leaves out everything that ships with htkg (the registry and
    the figures); ``figures=False`` only the figures (for one's own tables).

    ``period`` (``2023Q4``) is the quarter of NRM tables whose file name lacks
    one; ``progress(stage, done, total)`` is called as files load and rows are
    written; ``overview`` is where to write an overview map of the result.
    An embedded build replaces the previous graph only once it is complete and
    verified. Raises :class:`~htkg.errors.LoadError` (naming file and line) for
    a bad input and :class:`~htkg.errors.StoreError` when the store cannot be
    written; the previous graph is then unchanged.
    """
    started = time.perf_counter()
    paths = list(paths)
    if not bundled and not paths:
        raise QueryError("nothing to build: give paths, or build with the bundled registry")
    target = resolve_target(db)
    options = {"period": period} if period else {}
    with writer_for(target, progress) as writer:
        loaded = load(paths, bundled=bundled, figures=figures, options=options, progress=progress,
                      began=writer.open, loaded=writer.feed)
        kg = loaded.graph
        summarise_referrals(kg)             # derived once, before the writer finishes
        annotate_status(kg)
        written = writer.finish(kg)
        result = BuildResult(target, kg, written, loaded.files, loaded.skipped,
                             seconds=time.perf_counter() - started)
        if bundled:
            result.sample = writer.store.read(SAMPLE_QUERY)
        if overview is not None:
            try:
                result.overview = write_map(writer.store, overview)
            except QueryError as exc:       # too large to read: the build itself succeeded
                result.overview_note = str(exc)
    return result
