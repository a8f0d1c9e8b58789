"""Quarterly referral totals derived from REFERRED, for fast queries.

REFERRED holds one relationship per responder, country, quarter,
exploitation type and nationality as published: a million of them for a
large corpus, and a query that totals a country's referrals reads them all.
``REFERRED_QUARTER`` sums them per responder, country and quarter (a tenth
or less of the count), so ``top-source-countries`` and ``country-links``
read the totals. Each total also says how many of its people to count where totals are
summed over countries (``people_once``): a dual nationality ("Albanian Greek") is one
REFERRED to each of its countries, and counts in full under the first of them (by id)
and nowhere else, so that a responder's people summed over countries count each person
once, as the published tables do. It is derived data: every writer recomputes it from the
REFERRED relationships just before it writes (dropping any copy that came
in, say, from an RDF export), so it can never disagree with them. Its
provenance names the files of the relationships it sums, with the tag
``summary``.
"""
from __future__ import annotations

import operator
from typing import TYPE_CHECKING

from htkg.graph.records import Provenance, provenance

if TYPE_CHECKING:   # named in annotations only: a read that needs TYPE loads no networkx
    from htkg.graph.model import KnowledgeGraph

TYPE = "REFERRED_QUARTER"
LOADER = "summary"


def summarise_referrals(kg: KnowledgeGraph) -> int:
    """Replace ``kg``'s REFERRED_QUARTER relationships with totals of its REFERRED
    ones; return how many there are."""
    if TYPE not in kg.schema.relationships:
        return 0
    stale = [(a, b, k) for a, b, k, d in kg.g.edges(keys=True, data=True) if d["type"] == TYPE]
    kg.g.remove_edges_from(stale)
    referrals = list(_referrals(kg))
    # The country that counts each published cell once: the first of its countries.
    first: dict[tuple, str] = {}
    for a, b, year, quarter, exploitation, _, nationality, _ in referrals:
        cell = (a, year, quarter, exploitation, nationality)
        if cell not in first or b < first[cell]:
            first[cell] = b
    totals: dict[tuple, list] = {}
    files: dict[str, str] = {}          # provenance without its line -> its file
    for a, b, year, quarter, exploitation, people, nationality, sources in referrals:
        key = (a, b, year, quarter)
        t = totals.get(key)
        if t is None:
            t = totals[key] = [0, 0, {}, {}, 0]
        t[0] += people
        t[1] += 1
        t[2][nationality] = None
        for s in ((sources,) if isinstance(sources, str) else sources):
            t[3][_file(s, files)] = None
        if first[(a, year, quarter, exploitation, nationality)] == b:
            t[4] += people
    # Every value comes from REFERRED relationships the schema has checked, so
    # these are added as the model stores them, without checking each again.
    for (a, b, year, quarter), (people, count, forms, sources, once) in totals.items():
        props = {"year": year, "quarter": quarter, "people": people, "people_once": once,
                 "relationships": count, "nationalities": list(forms),
                 "sources": [provenance(LOADER, f) for f in sources if f]}
        kg.g.add_edge(a, b, key=f"{TYPE}|{year}|{quarter}", type=TYPE, props=props)
    return len(totals)


def _file(source: str, files: dict[str, str]) -> str:
    """The file a provenance string names. Each REFERRED has its own line, so
    the line is cut off first ("t.csv:12 (nrm)" -> "t.csv (nrm)") and the rest
    parsed once per file."""
    head, colon, tail = source.rpartition(":")
    number, space, loader = tail.partition(" ")
    short = f"{head} {loader}" if colon and space and number.isdigit() else source
    f = files.get(short)
    if f is None:
        f = files[short] = Provenance.parse(short).file
    return f


def _referrals(kg: KnowledgeGraph):
    """(responder, country, year, quarter, exploitation, people, nationality, sources) of
    every REFERRED; sources a list, or one string (the table's form of a single source)."""
    table = kg.tables.get("REFERRED")
    if table is not None:
        at = [table.position[c] for c in ("year", "quarter", "exploitation", "people",
                                          "nationality")]
        pick = operator.itemgetter(*at)
        for a, b, values, sources in table.rows:
            yield (a, b, *pick(values), sources or ())
    for a, b, d in kg.g.edges(data=True):
        if d["type"] == "REFERRED":
            p = d["props"]
            yield (a, b, p["year"], p["quarter"], p["exploitation"], p["people"],
                   p["nationality"], p.get("sources", ()))
