"""Quarterly referral totals derived from REFERRED, for fast queries.

REFERRED holds one relationship per responder, country, quarter,
exploitation type and nationality as published: a million of them for a
large corpus, and a query that totals a country's referrals reads them all.
``REFERRED_QUARTER`` sums them per responder, country and quarter (a tenth
or less of the count), so ``top-source-countries`` and ``country-links``
read the totals. It is derived data: every writer recomputes it from the
REFERRED relationships just before it writes (dropping any copy that came
in, say, from an RDF export), so it can never disagree with them. Its
provenance names the files of the relationships it sums, with the tag
``summary``.
"""
from __future__ import annotations

from htkg.graph.model import KnowledgeGraph, where
from htkg.graph.records import Edge, provenance

TYPE = "REFERRED_QUARTER"
LOADER = "summary"


def summarise_referrals(kg: KnowledgeGraph) -> int:
    """Replace ``kg``'s REFERRED_QUARTER relationships with totals of its REFERRED
    ones; return how many there are."""
    if TYPE not in kg.schema.relationships:
        return 0
    stale = [(a, b, k) for a, b, k, d in kg.g.edges(keys=True, data=True) if d["type"] == TYPE]
    kg.g.remove_edges_from(stale)
    totals: dict[tuple, list] = {}
    for a, b, _, p in kg.edges("REFERRED"):
        key = (a, b, p["year"], p["quarter"])
        t = totals.get(key)
        if t is None:
            t = totals[key] = [0, 0, {}, {}]
        t[0] += p["people"]
        t[1] += 1
        t[2][p["nationality"]] = None
        for s in p.get("sources", ()):
            t[3][where(s)[0]] = None
    for (a, b, year, quarter), (people, count, forms, files) in totals.items():
        sources = [provenance(LOADER, f) for f in files if f] or [f"(no source) ({LOADER})"]
        kg.add(Edge(TYPE, a, b, {"year": year, "quarter": quarter, "people": people,
                                 "relationships": count, "nationalities": list(forms)},
                    sources[0]))
        if len(sources) > 1:
            props = kg.g.edges[a, b, f"{TYPE}|{year}|{quarter}"]["props"]
            props["sources"] += sources[1:]
    return len(totals)
