"""A report as Markdown, for people who paste into documents: the same content as the
HTML page, charts as their text alternative beside their table, the map left out with
a note saying so.

Every value from the graph is escaped so that it prints as written wherever the
Markdown is rendered: characters Markdown or HTML would act on get a backslash.

>>> md_text("<img src=x onerror=alert(1)>")
'\\\\<img src=x onerror=alert(1)\\\\>'
>>> md_text("a | b *c* [d](e) (f) & g &amp;")
'a \\\\| b \\\\*c\\\\* \\\\[d\\\\](e) (f) & g \\\\&amp;'
>>> md_text("# 1. heading"), md_text("12. list"), md_text("2.5 million")
('\\\\# 1. heading', '12\\\\. list', '2.5 million')
"""
from __future__ import annotations

import re

from htkg.output import visible
from htkg.reports.document import Chart, MapBlock, Report, Table, Text, cell_text

# What Markdown (CommonMark, GitHub's tables) or HTML would act on anywhere in a line;
# with "[" and "]" escaped, "(" and ")" can make no link.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~]|&(?=#?\w+;))")
# What starts a heading, a list, a quote or a rule at the start of a line.
_NUMBERED = re.compile(r"^(\d+)([.)])(?=\s|$)")


def md_text(value) -> str:
    """Text from data for Markdown: one line, control characters shown, every
    character Markdown or HTML would act on escaped with a backslash."""
    text = _SPECIAL.sub(r"\\\1", " ".join(visible(str(value)).split()))
    if text[:1] in ("#", "+", "-", "="):
        return "\\" + text
    return _NUMBERED.sub(r"\1\\\2", text)


def _heading(text) -> str:
    """A heading's text: escaped as :func:`md_text`, but its own "1." left as it is."""
    return _SPECIAL.sub(r"\\\1", " ".join(visible(str(text)).split()))


def _code(command: str) -> str:
    """A command on one line of an indented code block, where Markdown acts on nothing."""
    return visible(command).replace("\n", "\\n")


def _table(t: Table) -> list[str]:
    if not t.rows:
        return [f"_{md_text(t.empty)}_", ""] if t.empty else []
    out = [f"**{md_text(t.caption)}**", "",
           "| " + " | ".join(md_text(c.title) for c in t.columns) + " |",
           "| " + " | ".join("---:" if c.numeric else "---" for c in t.columns) + " |"]
    rows = list(t.rows) + ([t.total] if t.total else [])
    for i, row in enumerate(rows):
        cells = [md_text(cell_text(row.get(c.key), c)) for c in t.columns]
        if t.total and i == len(rows) - 1:
            cells = [f"**{c}**" for c in cells]
        out.append("| " + " | ".join(cells) + " |")
    notes = [md_text(t.note)] if t.note else []
    if t.source:
        notes.append(f"Source: {md_text(t.source)}")
    return out + ([""] + [" · ".join(notes)] if notes else []) + [""]


def _blocks(blocks) -> list[str]:
    out: list[str] = []
    for b in blocks:
        if isinstance(b, Text):
            prefix = "> **Caveat:** " if b.style == "caveat" else ""
            text = md_text(b.text)
            out += [f"{prefix}_{text}_" if b.style == "empty" else prefix + text, ""]
        elif isinstance(b, Table):
            out += _table(b)
        elif isinstance(b, Chart):
            out += [f"*Chart: {md_text(b.title)}.* {md_text(b.alt)}", ""]
        elif isinstance(b, MapBlock):
            out += [f"_The network map ({md_text(b.title)}) is left out of the Markdown: it is "
                    f"interactive, and only the HTML report holds it. Every body it draws is "
                    f"in the tables above._", ""]
    return out


def render_markdown(report: Report) -> str:
    """The whole report as one Markdown document."""
    kind = "Country report" if report.kind == "country" else "Nation report"
    meta = [f"Figures run to {report.data_to}" if report.data_to else "",
            f"graph built {report.built}" if report.built else "",
            f"report made {report.made}" if report.made else ""]
    out = [f"# {md_text(report.subject)}: {kind.lower()}", "",
           f"{md_text(report.subtitle)}" + (f" · {md_text(report.period)}" if report.period
                                            else ""), "",
           f"_{md_text(' · '.join(m for m in meta if m))}_", ""]
    for s in report.summary:
        out += [md_text(s), ""]
    for f in report.figures:
        detail = f" ({md_text(f.detail)})" if f.detail else ""
        out.append(f"- **{md_text(f.value)}** {md_text(f.label)}{detail}")
    if report.figures:
        out.append("")
    for section in report.sections:
        if section.id != "headline":   # a heading's own "1." starts no list
            out += [f"## {_heading(section.title)}", ""]
        out += _blocks(section.blocks)
    if report.caveats:
        out += ["## About these figures", ""] + [f"- {md_text(c)}" for c in report.caveats] + [""]
    if report.sources:
        out += ["## Sources", "", "Each figure above is a row of a saved query, or the sum of "
                "such rows, and the commands below print the same rows; each fact is traced "
                "to its file and line, or minutes paragraph.", ""]
        for s in report.sources:
            out += [f"**{md_text(s.ref)}** {md_text(s.what)}", ""]
            if s.commands:
                out += ["Check with:", ""] + [f"    {_code(c)}" for c in s.commands] + [""]
            if s.locations:
                out += ["From:", ""] + [f"- {md_text(p)}" for p in s.locations] + [""]
    return "\n".join(out).rstrip("\n") + "\n"
