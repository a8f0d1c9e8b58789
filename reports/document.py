"""What a report holds, as plain values: the one structure both renderers draw.

A :class:`Report` is assembled from an open store by :mod:`.country` or
:mod:`.nation` and drawn by :mod:`.html` or :mod:`.markdown`, which decide
nothing about the data: every figure, row, sentence and source is here
already. Values from the graph stay raw (numbers as numbers, names as
written); the renderers escape them.

>>> t = Table("t", "People", [Column("name", "Name"), Column("people", "People", numeric=True)],
...           [{"name": "<b>", "people": 3}])
>>> r = Report("country", "X", "country-x", "X", "", sections=[Section("s", "S", [t])])
>>> r.table("t").rows[0]["people"], r.figure("latest")
(3, None)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, Union


@dataclass
class Column:
    """A table column: the row key it shows, its heading, and whether it holds numbers."""

    key: str
    title: str
    numeric: bool = False
    suffix: str = ""


def cell_text(value: Any, column: Column | None = None) -> str:
    """A value as both renderers show it: numbers with thousands separators (and the
    column's suffix), lists joined, nothing as a dash; text as written (the renderer
    escapes it).

    >>> cell_text(12345), cell_text(None), cell_text(["a", "b"]), cell_text(True)
    ('12,345', '–', 'a; b', 'yes')
    >>> cell_text(12, Column("share", "%", numeric=True, suffix="%"))
    '12%'
    """
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        text = f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"
        return text + (column.suffix if column else "")
    if isinstance(value, (list, tuple)):
        return "; ".join(cell_text(v) for v in value)
    return str(value)


@dataclass
class Table:
    """Rows of plain values (text, numbers, lists of text, None) under their columns.

    ``total`` is a last row set apart (a sum the text says how it was made);
    ``source`` is the ref of the appendix entry that traces the rows;
    ``empty`` is what to say when there are no rows.
    """

    id: str
    caption: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    source: str | None = None
    empty: str = "None."
    note: str = ""
    total: dict[str, Any] | None = None


@dataclass
class Series:
    """One coloured series of a chart: a value per category."""

    name: str
    values: list[int]
    colour: str


@dataclass
class Chart:
    """A chart drawn as inline SVG, with the table that holds the same figures.

    ``kind`` is ``stacked`` (a column per category, the series stacked) or
    ``bars`` (a horizontal bar per category, one series). ``alt`` is the text
    alternative: what the chart shows, in words.
    """

    id: str
    kind: str
    title: str
    x_label: str
    y_label: str
    categories: list[str]
    series: list[Series]
    alt: str
    table: str
    missing: list[str] = field(default_factory=list)   # categories with no figures at all


@dataclass
class Text:
    """A paragraph. ``style`` is ``text``, ``caveat`` (a warning about the figures
    nearby) or ``empty`` (what a section says when the graph holds nothing for it)."""

    text: str
    style: str = "text"


@dataclass
class MapBlock:
    """A network map of a selection (:class:`htkg.selection.Selection`): interactive
    in HTML, left out of Markdown with a note."""

    selection: Any
    title: str
    note: str = ""


Block = Union[Text, Table, Chart, MapBlock]


@dataclass
class Section:
    id: str
    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Figure:
    """A headline figure: ``value`` as shown, ``number`` as counted (None when
    there is none), ``label`` what it is, ``detail`` a line beneath."""

    id: str
    value: str
    label: str
    number: int | float | None = None
    detail: str = ""
    source: str | None = None


@dataclass
class Source:
    """An entry of the sources appendix: what it traces, the saved queries that give
    the same rows (as commands to type), and where in the inputs each fact is."""

    ref: str
    what: str
    commands: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)


@dataclass
class Report:
    """One country or nation report."""

    kind: str                 # "country" or "nation"
    subject: str              # the country's or nation's name, as the graph has it
    subject_id: str | None    # its id in the graph (None: the graph does not hold it)
    title: str
    subtitle: str
    period: str = ""          # the quarters the figures cover, in words
    data_to: str = ""         # the latest quarter the graph's figures reach
    made: str = ""            # when the report was made
    built: str | None = None  # when the graph was built (embedded stores)
    summary: list[str] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)

    def blocks(self) -> Iterator[Block]:
        for section in self.sections:
            yield from section.blocks

    def table(self, table_id: str) -> Table | None:
        return next((b for b in self.blocks() if isinstance(b, Table) and b.id == table_id),
                    None)

    def chart(self, chart_id: str) -> Chart | None:
        return next((b for b in self.blocks() if isinstance(b, Chart) and b.id == chart_id),
                    None)

    def figure(self, figure_id: str) -> Figure | None:
        return next((f for f in self.figures if f.id == figure_id), None)
