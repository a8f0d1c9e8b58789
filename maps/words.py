"""How a map says things to its reader: relationship types as phrases, counts in words,
what ``--top`` left out. Shared by the page and the PNG, so both say the same.
"""
from __future__ import annotations

# How a relationship type is written in legends and tooltips, for a reader.
EDGE_NAMES = {
    "REFERRED": "Referred people from",
    "REFERRED_QUARTER": "Referred people from (quarterly totals)",
    "ACTIVE_IN": "Works in the country",
    "WORKS_WITH": "Works with",
    "MEMBER_OF": "Member of",
    "PART_OF": "Part of",
    "LEADS": "Leads",
    "SUCCEEDED_BY": "Replaced by",
    "ATTENDED": "Attended",
    "SENT_APOLOGIES": "Sent apologies to",
    "OWNS": "Owns the action",
    "AGREED_AT": "Agreed at",
    "MEETING_OF": "Meeting of",
    "MENTIONED_IN": "Mentioned in",
    "REGULATES": "Regulates",
    "OPERATES_IN": "Works in the sector",
}


def edge_text(rel_type: str) -> str:
    """A relationship type as a reader would say it.

    >>> edge_text("REFERRED"), edge_text("FUNDED_BY")
    ('Referred people from', 'Funded by')
    """
    return EDGE_NAMES.get(rel_type) or rel_type.replace("_", " ").capitalize()


def plural(text: str, n: int) -> str:
    """``n`` and a noun, plural unless one.

    >>> plural("country", 3), plural("police force", 1), plural("NGO", 2), plural("body", 2)
    ('3 countries', '1 police force', '2 NGOs', '2 bodies')
    """
    if n == 1:
        return f"{n:,} {text}"
    if text == "person":
        return f"{n:,} people"
    if text.endswith("y") and text[-2:-1] not in "aeiou":
        return f"{n:,} {text[:-1]}ies"
    if text.endswith(("s", "x", "ch", "sh")):
        return f"{n:,} {text}es"
    return f"{n:,} {text}s"


def shown_text(sm) -> str:
    """What a map shows, in words: organisations, then each other kind, then links.

    >>> from htkg.maps.style import LegendEntry, StyledMap
    >>> sm = StyledMap("t", None, "now", None, [], [], "relationships", [], [], [
    ...     LegendEntry("ngo", "NGO", "", 4, "Organisations"),
    ...     LegendEntry("police_force", "Police force", "", 45, "Organisations"),
    ...     LegendEntry("Country", "Country", "", 1, "Other")])
    >>> shown_text(sm)
    '49 organisations, 1 country and 0 links'
    """
    if sm.shown:
        return sm.shown
    orgs = sum(e.count for e in sm.legend if e.group == "Organisations")
    parts = [plural("organisation", orgs)] if orgs else []
    parts += [plural(e.text.lower(), e.count) for e in sm.legend
              if e.group != "Organisations" and e.count]
    parts.append(plural("link", len(sm.edges)))
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]


def cut_text(cut) -> str | None:
    """What ``--top`` left out, for the legend and the PNG.

    >>> from htkg.maps.subgraph import Cut
    >>> cut_text(Cut(shown=10, total=60, by="people referred"))
    'The 10 strongest links of 60, by people referred, and 50 more not drawn.'
    """
    if cut is None:
        return None
    if cut.more <= 0:
        return f"All {cut.total} link{'s' if cut.total != 1 else ''} drawn."
    return (f"The {cut.shown} strongest link{'s' if cut.shown != 1 else ''} of {cut.total}, "
            f"by {cut.by}, and {cut.more} more not drawn.")
