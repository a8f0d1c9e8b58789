"""What every report states about the figures it rests on: which quarters they cover,
how far the graph's figures run, when the graph was built and the report made, the
ranking of source countries over the period, the caveats, and the NRM lines behind
a country's figures."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from htkg.graph.records import Provenance
from htkg.maps.subgraph import build_date
from htkg.reports.document import Source
from htkg.reports.reading import (ALL, Period, Reader, line_ranges, quarter_words,
                                  quarters_between, span)


def made_now() -> str:
    """When a report is made, to the minute, with the time zone."""
    return dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z").strip()


def caveat_nations() -> str:
    return ("The NRM tables do not say where in the UK a referral was made. A nation's "
            "figure counts only the first responders registered for that nation alone "
            "(its police forces, and the nation's own NGOs and services); referrals by "
            "UK-wide bodies (the Home Office's agencies, national NGOs, local authorities as "
            "published together) are in no nation's figure, and a body registered for "
            "several nations (British Transport Police) is counted in none of them. These "
            "are partial views, not the nations' totals.")


@dataclass
class Context:
    """The period a report covers, and the ranking of source countries over it."""

    reader: Reader
    period: Period
    ranking: list[dict]               # top-source-countries over the period, every row
    quarters: list[int]               # every quarter from the first to the last loaded
    data_to: int | None               # the latest quarter the graph holds figures for
    built: str | None = None
    _by_quarter: dict[int, list[dict]] = field(default_factory=dict)

    @classmethod
    def of(cls, reader: Reader, period: Period) -> "Context":
        ranking = reader.rows("top-source-countries", start=period.param(period.start),
                              end=period.param(period.end), limit=ALL)
        spans = [s for s in (span(r["quarters"]) for r in ranking) if s]
        quarters = (quarters_between(min(s[0] for s in spans), max(s[1] for s in spans))
                    if spans else [])
        data_to = quarters[-1] if quarters else None
        if period.end is not None:   # the figures may run beyond the period
            later = reader.rows("top-source-countries", start=period.param(period.end),
                                limit=ALL)
            data_to = max([s[1] for s in (span(r["quarters"]) for r in later) if s]
                          + ([data_to] if data_to else []), default=None)
        return cls(reader, period, ranking, quarters, data_to,
                   build_date(getattr(reader.store, "shown", None)))

    # -- words --------------------------------------------------------------------------
    @property
    def start_param(self) -> str | None:
        return self.period.param(self.period.start)

    @property
    def end_param(self) -> str | None:
        return self.period.param(self.period.end)

    @property
    def latest(self) -> int | None:
        return self.quarters[-1] if self.quarters else None

    @property
    def period_words(self) -> str:
        if self.quarters:
            first, last = self.quarters[0], self.quarters[-1]
            return (quarter_words(first) if first == last
                    else f"{quarter_words(first)} to {quarter_words(last)}")
        p = self.period
        if p.start is not None and p.end is not None:
            return f"{quarter_words(p.start)} to {quarter_words(p.end)}"
        if p.start is not None:
            return f"{quarter_words(p.start)} onwards"
        if p.end is not None:
            return f"up to {quarter_words(p.end)}"
        return "every quarter loaded"

    @property
    def data_to_words(self) -> str:
        return quarter_words(self.data_to) if self.data_to else "no NRM figures loaded"

    @property
    def no_figures(self) -> str:
        if self.data_to is None and self.period == Period():
            return ("The graph holds no NRM referral figures: build it with the NRM tables "
                    "to see referrals.")
        return (f"The NRM figures loaded hold no referrals for {self.period_words} (they run "
                f"to {self.data_to_words}).")

    def has_figures(self, quarter: int) -> bool:
        """Whether the graph holds NRM figures (of any country) for a quarter: a quarter
        missing between two loaded ones is blank in a report, not none referred."""
        return bool(self.quarter_ranking(quarter))

    def quarter_ranking(self, quarter: int) -> list[dict]:
        """top-source-countries for one quarter, every row."""
        if quarter not in self._by_quarter:
            self._by_quarter[quarter] = self.reader.rows(
                "top-source-countries", year=quarter // 10, quarter=quarter % 10, limit=ALL)
        return self._by_quarter[quarter]

    def caveats(self) -> list[str]:
        return [
            "The figures count people referred to the National Referral Mechanism (NRM) as "
            "potential victims of modern slavery; a referral is not a finding that the "
            "person was trafficked.",
            "A person is counted under the nationality the NRM records. A dual nationality "
            "(such as Albanian Greek) counts for each of its countries, so the figures of "
            "different countries overlap and do not add up to a UK total.",
            "People whose nationality the tables give as unknown are in no country's "
            "figures.",
            caveat_nations(),
            "A body named where minutes discuss a country was named under the same agenda "
            "item: the minutes discussed them together, which does not mean the body works "
            "there.",
            f"The NRM figures in the graph run to {self.data_to_words}.",
        ]


def sources_of_figures(reader: Reader, ref: str, period: Period, country_id: str,
                       shown: str, name: str) -> Source:
    """The NRM lines behind a country's figures (``referrals``), by quarter and file."""
    rows = reader.rows("referrals", country=country_id, limit=ALL)
    lines: dict[int, dict[str, list[int]]] = {}
    for r in rows:
        q = r["year"] * 10 + r["quarter"]
        if not period.covers(q):
            continue
        for s in r["sources"] or []:
            p = Provenance.parse(s)
            lines.setdefault(q, {}).setdefault(p.file, [])
            if p.line is not None:
                lines[q][p.file].append(p.line)
    locations = [f"{quarter_words(q)}: " + "; ".join(
        f"{f}, {line_ranges(ls)}" if ls else f for f, ls in sorted(lines[q].items()))
        for q in sorted(lines)]
    count = sum(1 for r in rows if period.covers(r["year"] * 10 + r["quarter"]))
    what = (f"The NRM lines behind every figure on {name}: each line one first responder, "
            f"exploitation type and nationality as published ({count:,} lines)")
    return Source(ref, what, [reader.command("referrals", country=shown, limit=ALL)],
                  locations or ["no NRM lines: no referrals in this period"])
