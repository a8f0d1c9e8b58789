"""What the app keeps while it runs: the store it opened once, the saved queries,
and the few library results every page shares or that cost a second to make.

Each method here is one library call (htkg.browse, htkg.queries,
htkg.selection, htkg.reports, htkg.maps) with a cache: the store is opened
read-only and never changes under the app (a new build is seen when the app is
started again), so a result made once stays true. Caches are bounded (least
recently used first out), so memory stays flat however long the app runs.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from htkg import browse, selection
from htkg.graph.lookup import Lookup
from htkg.graph.summary import TYPE as SUMMARY
from htkg.maps import render as render_map
from htkg.maps.subgraph import build_date, map_of
from htkg.queries import load_catalogue, run_query, user_dirs
from htkg.queries.params import NATIONS, bind
from htkg.reports import figures_context, make_report, referral_trend, render as render_report
from htkg.reports.reading import Reader

#: Rows a query's page or download holds at most, unless the app is told otherwise.
MAX_ROWS = 2000
#: How many made maps and reports are kept (each page is a few hundred KiB to 2 MiB),
#: saved queries' results (at most MAX_ROWS rows each), entity profiles and referral
#: trends (a few KiB each).
KEPT_MAPS = 32
KEPT_REPORTS = 32
KEPT_RESULTS = 64
KEPT_PROFILES = 2048
KEPT_TRENDS = 1024


class Kept:
    """A small least-recently-used cache, safe across threads."""

    def __init__(self, most: int):
        self.most = most
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Any, make: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]
            self.misses += 1
        value = make()      # outside the lock: two pages may make the same thing at once
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.most:
                self._items.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._items)


@dataclass
class Summary:
    """What the home page says about the graph."""

    labels: dict[str, int]
    types: dict[str, int]
    quarters: list[int]
    countries: list[dict]      # top-source-countries over every quarter, every row
    built: str | None

    @property
    def entities(self) -> int:
        return sum(self.labels.values())

    @property
    def stored_types(self) -> dict[str, int]:
        """Relationships by type, without the quarterly totals htkg derives from REFERRED."""
        return {t: n for t, n in self.types.items() if t != SUMMARY}

    @property
    def relationships(self) -> int:
        return sum(self.stored_types.values())


class Workbench:
    """The open store and the library calls the pages make."""

    def __init__(self, store, *, queries_dirs: Iterable[str | Path] = (),
                 max_rows: int = MAX_ROWS):
        self.store = store
        self.catalogue = load_catalogue(user_dirs(list(queries_dirs)))
        self.queries_dirs = list(queries_dirs)
        self.max_rows = max_rows
        self._once = threading.Lock()
        self._summary: Summary | None = None
        self._context = None
        self.maps = Kept(KEPT_MAPS)
        self.reports = Kept(KEPT_REPORTS)
        self.trends = Kept(KEPT_TRENDS)
        self.results = Kept(KEPT_RESULTS)
        self.profiles = Kept(KEPT_PROFILES)

    # -- made once --------------------------------------------------------------------
    @property
    def context(self):
        """Every quarter the graph holds figures for (htkg.reports), made once."""
        with self._once:
            if self._context is None:
                self._context = figures_context(self.store)
            return self._context

    def summary(self) -> Summary:
        if self._summary is None:
            labels, types = self.store.counts()
            ctx = self.context
            self._summary = Summary(labels, types, list(ctx.quarters), list(ctx.ranking),
                                    build_date(getattr(self.store, "shown", None)))
        return self._summary

    def warm(self) -> None:
        """Read what every page shares (the names of every entity, the home page's
        counts, the quarters the figures cover and which hold figures) once, before
        the first page asks."""
        Lookup.of(self.store).resolver
        self.summary()
        for quarter in self.context.quarters:
            self.context.has_figures(quarter)

    @staticmethod
    def nations() -> list[tuple[str, str]]:
        """The four nations: (code, name)."""
        return [(code, words[0]) for code, (_, words) in NATIONS.items()]

    # -- entities -----------------------------------------------------------------------
    def search(self, text: str, most: int = 20) -> list[browse.Match]:
        return browse.search(self.store, text, most)

    def is_entity(self, value: Any) -> bool:
        """Whether a value is an entity's id (a results table links it to its page)."""
        return isinstance(value, str) and value in Lookup.of(self.store).resolver

    def profile(self, entity: str) -> browse.Profile:
        return self.profiles.get(entity, lambda: browse.profile(self.store, entity))

    def trend(self, profile: browse.Profile):
        """The referral trend of a country or a first responder, or None; made once
        for each (a sum over the figures of every quarter)."""
        if not profile.figures or profile.label not in ("Country", "Organisation"):
            return None
        which = "country" if profile.label == "Country" else "responder"
        return self.trends.get(profile.id, lambda: referral_trend(
            self.store, context=self.context, **{which: profile.id}))

    def entity_map(self, entity: str, expand: list[str]) -> str:
        key = ("entity", entity, tuple(expand))
        return self.maps.get(key, lambda: self._draw(browse.entity_map(self.store, entity,
                                                                       expand)))

    # -- saved queries -----------------------------------------------------------------
    def query(self, name: str):
        return self.catalogue.get(name)

    def bind(self, query, given: dict[str, str]) -> dict:
        """The query's parameters from text values (names resolved), or a QueryError /
        ResolveError naming the parameter and the closest matches."""
        return bind(query, given, self.store)

    def run(self, query, given: dict[str, str]):
        """The query's rows, at most :attr:`max_rows` (``more`` says when it cut); kept
        for the same values given."""
        key = (query.name, tuple(sorted(given.items())))
        return self.results.get(key, lambda: run_query(self.store, query, given,
                                                       most=self.max_rows))

    @staticmethod
    def command(name: str, given: dict[str, str]) -> str:
        """The ``htkg query`` command that prints the same rows."""
        return Reader.command(name, **{k: v for k, v in given.items() if v.strip()})

    def query_map(self, name: str, given: dict[str, str]) -> str:
        key = ("query", name, tuple(sorted(given.items())))
        return self.maps.get(key, lambda: self._draw(selection.saved_query(
            self.store, name, given, queries_dirs=self.queries_dirs)))

    # -- reports -------------------------------------------------------------------------
    def report(self, kind: str, name: str, start: str | None, end: str | None,
               fmt: str = "html") -> tuple[Any, str]:
        """The report and its text, made once per kind, name, period and format."""
        def make():
            report = make_report(self.store, kind, name, start=start, end=end)
            return report, render_report(report, fmt)
        return self.reports.get((kind, name, start, end, fmt), make)

    # -- drawing --------------------------------------------------------------------------
    def _draw(self, sel) -> str:
        mg = map_of(sel)
        mg.store = getattr(self.store, "shown", None)
        mg.built = build_date(mg.store)
        return render_map(mg, "html").decode("utf-8")
