"""A country's links to UK bodies other than referrals (``country-links``), and the
focused map of the country, those bodies and its strongest first responders."""
from __future__ import annotations

import re

from htkg.reports.document import Column, MapBlock, Source, Table, Text
from htkg.reports.reading import Reader, kind_text, where_of
from htkg.selection import Selection, read_ids

# What country-links calls each way a body is linked (its `connection` column).
REFERRED = "referred people to the NRM"
PROGRAMME = "leads a programme there"
WORKS = "works in the country"
NAMED = "named in minutes discussing the country"
ACTION = "owns an action agreed where the country was discussed"
_ITEM = re.compile(r"^item (\S+): (.*)$", re.S)


def link_tables(rows: list[dict], name: str, ref: str) -> list:
    """Tables of the links other than referrals, by way of linking; a table of any
    other way the query reports, so that nothing it returns is left out."""
    groups: dict[str, list[dict]] = {}
    for r in rows:
        if r["connection"] != REFERRED:
            groups.setdefault(r["connection"], []).append(r)
    blocks: list = []

    def table(tid, caption, columns, table_rows, empty):
        blocks.append(Table(tid, caption, columns, table_rows, source=ref, empty=empty))

    table("programmes", f"Programmes UK bodies lead in {name}",
          [Column("programme", "Programme"), Column("body", "Led by"), Column("kind", "Kind")],
          [{"programme": r["detail"], "body": r["body"], "kind": kind_text(r["kind"])}
           for r in sorted(groups.pop(PROGRAMME, []), key=lambda r: (r["detail"] or "",
                                                                      r["body"] or ""))],
          f"The graph records no UK programme in {name}.")
    table("working", f"UK bodies and companies working in {name}",
          [Column("body", "Body"), Column("kind", "Kind")],
          [{"body": r["body"], "kind": kind_text(r["kind"])}
           for r in groups.pop(WORKS, [])],
          f"The graph records no UK body or company working in {name}.")
    table("named", f"Bodies named where the minutes discuss {name}",
          [Column("body", "Body"), Column("kind", "Kind"), Column("where", "Named at"),
           Column("discussed", "The country is discussed at")],
          [{"body": r["body"], "kind": kind_text(r["kind"]),
            "where": f"¶{r['paragraph']}, meeting of {r['meeting']}",
            "discussed": (r["detail"] or "").replace("the country at ", "")}
           for r in groups.pop(NAMED, [])],
          f"No minutes loaded name a body where they discuss {name}.")
    table("actions", f"Actions agreed where the minutes discuss {name}",
          [Column("action", "Action"), Column("owners", "Owner"), Column("item", "Item"),
           Column("meeting", "Meeting")],
          _actions(groups.pop(ACTION, [])),
          f"No action was agreed under an item of the minutes that discusses {name}.")
    other = [r for rs in groups.values() for r in rs]
    if other:
        table("other-links", f"Other links to {name}",
              [Column("body", "Body"), Column("connection", "Link"), Column("detail", "Detail")],
              [{"body": r["body"], "connection": r["connection"], "detail": r["detail"]}
               for r in other], "")
    return blocks


def link_counts(rows: list[dict]) -> list[tuple[str, int]]:
    """How many bodies are linked each way other than by referrals, in words.

    >>> rows = [{"connection": WORKS, "body_id": "a"}, {"connection": WORKS, "body_id": "b"},
    ...         {"connection": ACTION, "body_id": "a"}, {"connection": ACTION, "body_id": "a"}]
    >>> link_counts(rows)
    [('work there', 2), ('own an action agreed where the minutes discuss it', 1)]
    """
    words = {PROGRAMME: "lead a programme there", WORKS: "work there",
             NAMED: "are named where the minutes discuss it",
             ACTION: "own an action agreed where the minutes discuss it"}
    bodies: dict[str, set] = {}
    for r in rows:
        if r["connection"] != REFERRED:
            bodies.setdefault(r["connection"], set()).add(r["body_id"])
    order = [*words, *sorted(set(bodies) - set(words))]
    return [(words.get(c, c), len(bodies[c])) for c in order if c in bodies]


def _actions(rows: list[dict]) -> list[dict]:
    """One row per action, with its owners together (the query gives one per owner)."""
    out: dict[tuple, dict] = {}
    for r in rows:
        m = _ITEM.match(r["detail"] or "")
        item, text = (m.group(1), m.group(2)) if m else ("", r["detail"] or "")
        row = out.setdefault((r["meeting"], item, text), {
            "action": text, "owners": [], "item": item, "meeting": r["meeting"]})
        if r["body"] not in row["owners"]:
            row["owners"].append(r["body"])
    return sorted(out.values(), key=lambda a: (str(a["meeting"]), a["item"], a["action"]))


def link_source(reader: Reader, ref: str, rows: list[dict], country: str) -> Source:
    """The appendix entry of the links: each fact with its file and line or paragraph."""
    locations = []
    for r in rows:
        if r["connection"] == REFERRED:
            continue
        what = f"{r['body']}: {r['connection']}" + (f" ({r['detail']})" if r["detail"] else "")
        locations.append(f"{what}: {'; '.join(where_of(r['sources'])) or 'no source recorded'}")
    return Source(ref, "UK bodies linked in other ways (section 5)",
                  [reader.command("country-links", country=country)], locations)


def country_map(reader: Reader, country_id: str, name: str, strongest: list[str],
                links: list[dict], dropped: int) -> MapBlock | Text:
    """A map of the country, every body linked to it in other ways, its
    ``strongest`` first responders, and the programmes and meetings where they meet."""
    linked = {r["body_id"] for r in links if r["connection"] != REFERRED}
    if not strongest and not linked:
        return Text(f"No map: no UK body is linked to {name} in the graph.", "empty")
    keep = {country_id, *strongest, *linked}
    keep |= {m["meeting"] for m in reader.rows("mentions", entity=country_id)}
    resolver = reader.lookup.resolver
    for r in links:
        if r["connection"] == PROGRAMME:
            found = resolver.resolve_all(r["detail"] or "", "Initiative")
            keep |= set(found[:1])
    nodes, rels = read_ids(reader.store, keep)
    notes = []
    if dropped:
        notes.append(f"the {len(strongest)} strongest first responders are drawn; the other "
                     f"{dropped} are in the table of first responders")
    selection = Selection(nodes, rels, f"{name}: the UK bodies linked to it", notes,
                          focus=country_id)
    return MapBlock(selection, selection.title,
                    "Drag to move, scroll to zoom, click a node or a line for its details "
                    "and sources. " + (notes[0][0].upper() + notes[0][1:] + "." if notes else ""))
