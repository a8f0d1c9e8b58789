"""Reconciling an NRM referral table against the totals it publishes.

:func:`reconcile` sums the detail cells that :func:`htkg.loaders.nrm.referrals.parse_referrals`
indexed and compares the sums with every "Total" row of the table; the notes it returns say
what was checked and list the differences (none in the tables published so far).
"""
from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from htkg.loaders.nrm.format import TOTAL

if TYPE_CHECKING:
    from htkg.loaders.nrm.referrals import _Parsed

SHOW_AT_MOST = 5


class _Check:
    """One kind of comparison between summed cells and a published total."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.checked = 0
        self.skipped = 0
        self.differences: list[str] = []

    def compare(self, label: str | tuple, summed: int | None, published: int | None) -> None:
        """``label`` names what was compared (a tuple is joined only if it differs)."""
        if summed is None or published is None:
            self.skipped += 1
            return
        self.checked += 1
        if summed != published:
            shown = " / ".join(label) if isinstance(label, tuple) else label
            self.differences.append(f"{shown}: sum {summed}, published {published}")


def _sum(values) -> int | None:
    """Sum of counts; None (not checkable) if any is suppressed."""
    total = 0
    for v in values:
        if v is None:
            return None
        total += v
    return total


def reconcile(p: "_Parsed") -> list[str]:
    """Compare the detail cells' sums with every published total; return notes.

    Checks: per responder and nationality, the exploitation types against the
    "Total" exploitation row; per responder type and nationality (and
    overall), all responders against the aggregate responder's row; per
    responder and exploitation type (and overall), the nationalities against
    the "Total" nationality row; and within each detail cell, the age bands
    against it and the genders against their age band.
    """
    by_resp_nat: dict[tuple[str, str], list] = defaultdict(list)
    by_resp_expl: dict[tuple[str, str], list] = defaultdict(list)
    by_type_nat: dict[tuple[str, str], list] = defaultdict(list)
    by_resp: dict[str, list] = defaultdict(list)
    by_type: dict[str, list] = defaultdict(list)
    ages, genders = _Check("age bands within a detail row"), _Check("genders within an age band")
    for (resp, expl, nat), cell in p.detail.items():
        v = cell.people
        rtype = p.types[resp]
        by_resp_nat[(resp, nat)].append(v)
        by_resp_expl[(resp, expl)].append(v)
        by_type_nat[(rtype, nat)].append(v)
        by_resp[resp].append(v)
        by_type[rtype].append(v)
        if cell.bands:
            ages.compare((resp, expl, nat), _sum(cell.bands.values()), v)
        if cell.genders:
            genders.compare((resp, expl, nat, "all ages"), _sum(cell.genders.values()), v)
        if cell.cells:
            per_band: dict[str, int | None] = {}
            for (band, _), c in cell.cells.items():
                s = per_band.get(band, 0)
                per_band[band] = None if c is None or s is None else s + c
            for band, summed in per_band.items():
                genders.compare((resp, expl, nat, band), summed, cell.bands.get(band, 0))

    expl = _Check("exploitation types against the 'Total' exploitation row, "
                  "per responder and nationality")
    for (resp, nat), published in p.exploitation_totals.items():
        expl.compare(f"{resp} / {nat}", _sum(by_resp_nat.get((resp, nat), ())), published)
    nats = _Check("nationalities against the 'Total' nationality row, "
                  "per responder and exploitation type")
    for (resp, ex), published in p.nationality_totals.items():
        if ex == TOTAL:
            nats.compare(f"{resp} / all exploitation types", _sum(by_resp.get(resp, ())), published)
        else:
            nats.compare(f"{resp} / {ex}", _sum(by_resp_expl.get((resp, ex), ())), published)
    agg = _Check("responders against the published responder-type total, per nationality")
    grand: list[str] = []
    for (rtype, nat), published in p.aggregates.items():
        if nat == TOTAL:
            summed = _sum(by_type.get(rtype, ()))
            agg.compare(f"{rtype} / all nationalities", summed, published)
            grand.append(f"{rtype} {published}")
        else:
            agg.compare(f"{rtype} / {nat}", _sum(by_type_nat.get((rtype, nat), ())), published)

    notes = []
    checks = (agg, expl, nats, ages, genders)
    done = [c for c in checks if c.checked]
    differences = [d for c in checks for d in c.differences]
    summary = "; ".join(f"{c.what}: {c.checked}" for c in done)
    if not p.aggregates:
        notes.append("no published responder-type total in this table: the responder type "
                     "could not be reconciled")
    if differences:
        shown = "; ".join(differences[:SHOW_AT_MOST])
        more = f" and {len(differences) - SHOW_AT_MOST} more" if len(differences) > SHOW_AT_MOST else ""
        notes.append(f"reconciled against published totals ({summary}): "
                     f"{len(differences)} differ: {shown}{more}")
    elif done:
        total = f", total {', '.join(grand)}" if grand else ""
        notes.append(f"reconciled against published totals{total} ({summary}): all equal")
    skipped = sum(c.skipped for c in checks)
    if skipped:
        notes.append(f"{skipped} totals not reconciled: they cover suppressed cells")
    return notes
