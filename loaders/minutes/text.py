"""Minutes as text for people to review (``htkg minutes FILE``)."""
from __future__ import annotations

from htkg.loaders.minutes.parse import Minutes


def format_text(minutes: Minutes) -> str:
    """A readable listing of what was extracted, for review before building."""
    out = [f"{minutes.title or '(no title)'} — {minutes.date or '(no date)'}", ""]
    for heading, people in (("Attendees", minutes.attendees), ("Apologies", minutes.apologies)):
        out.append(f"{heading} ({len(people)}):")
        for a in people:
            who = a.name or ("official" if a.official else "(no name)")
            bits = [f"for {a.on_behalf_of}" if a.on_behalf_of else "",
                    "CHAIR" if a.role == "chair" else "", "remote" if a.remote else ""]
            extra = ", ".join(b for b in bits if b)
            org = f"{a.organisation} [{a.organisation_id or 'not resolved'}]"
            out.append(f"  {org}: {who}{f' ({extra})' if extra else ''}")
        out.append("")
    for item in minutes.items:
        out.append(f"{item.number}. {item.title}")
        for p in item.paragraphs:
            out.append(f"  {p.number} {p.text}")
        for a in item.actions or []:
            owners = ", ".join(a.owners) or "no owner"
            out.append(f"  ACTION [{owners} -> {', '.join(a.owner_ids) or '-'}] {a.text}")
        if not item.actions:
            out.append("  (no actions)")
        out.append("")
    if minutes.mentions:
        by_para: dict[str, list[str]] = {}
        for m in minutes.mentions:
            by_para.setdefault(m.paragraph, []).append(m.entity_id)
        out.append("Mentions:")
        out += [f"  {p}: {', '.join(ids)}" for p, ids in by_para.items()]
        out.append("")
    out.append(f"Warnings ({len(minutes.warnings)}):")
    out += [f"  line {'-' if w.line is None else w.line}: {w.message}"
            for w in minutes.warnings]
    return "\n".join(out)
