"""Lines of extracted minutes back into items, paragraphs and actions.

Minutes published as two-column PDFs come out of text extraction with the
narrow right-hand "Actions" column interleaved into the body: an action
block can cut a body sentence in two, and the end of an action can turn up
after later paragraphs. This module cleans the lines (page debris, form
feeds, stray whitespace) and rejoins the two columns; it knows nothing about
organisations or people (:mod:`.parse` does).

The signals it uses:

* action lines are short (the column is narrow, under :data:`SHORT`
  characters); body lines are long;
* a body sentence cut by an action block resumes at the next long line,
  which is often indented by a space or starts in lower case;
* an action left open (no closing full stop or bracket) resumes at the next
  run of short lines after a finished body paragraph of the same item;
* actions are separated by blank lines, or begin with an owner phrase
  ("Home Office and FCO to ...").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from htkg.textfile import split_lines

SHORT = 30
"""Lines shorter than this may belong to the narrow Actions column."""

ITEM_RE = re.compile(r"^(?:Item\s+)?(\d{1,2})[.):]\s+([A-Z‘“'\"(].*)$")
PARA_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.?(?:\s+|(?=[A-Z]))(.*)$")
ACTIONS_RE = re.compile(r"^(?:actions?(?:\s+points?)?|agreed\s+actions?)\s*(?::\s*(.*)|$)", re.I)
NONE_RE = re.compile(r"^(?:none|nil|n/?a|no\s+actions?)\.?$", re.I)
_PAGE_RE = re.compile(r"^(?:.{0,60}\s)?Page\s+\d+(?:\s+of\s+\d+)?$|^[-–—\s]*\d{1,3}[-–—\s]*$"
                      r"|^\d{1,3}\s*/\s*\d{1,3}$")
_MARKING_RE = re.compile(r"^(?:OFFICIAL(?:[\s-]+SENSITIVE)?|RESTRICTED(?:[\s-]+POLICY)?|"
                         r"UNCLASSIFIED|PROTECT|CONFIDENTIAL)$")
_FINISHED_RE = re.compile(r"[.!?][\"'’”)\]]*$")
_ACTION_DONE_RE = re.compile(r"(?:[.!?]|\))[\"'’”]*$")
_CONNECTORS = {"and", "or", "&", "of", "the", "to", "for", "on", "in", "with", "by", "at",
               "a", "an", "from", "into", "that", "whose", "which"}


@dataclass
class Line:
    """One line of the file that carries text, as the parser sees it."""

    no: int          # 1-based line number in the file
    text: str        # stripped; inner whitespace kept (attendee columns need it)
    indent: int = 0  # leading spaces in the extraction
    blanks: int = 0  # blank lines just before this one


@dataclass
class Block:
    """A paragraph, an action or a title being assembled from line fragments."""

    line: int
    number: str | None = None
    parts: list[tuple[int, str]] = field(default_factory=list)

    def add(self, no: int, text: str) -> None:
        self.parts.append((no, text))

    @property
    def last(self) -> str:
        return self.parts[-1][1] if self.parts else ""


@dataclass
class RawItem:
    number: str
    title: Block
    paragraphs: list[Block] = field(default_factory=list)
    actions: list[Block] = field(default_factory=list)
    no_actions: bool = False   # "Actions: None"


def garbled(text: str) -> bool:
    """True when a line is mostly not words (a conversion failure).

    >>> garbled("3.1 The Group noted the report."), garbled("#~@@ ¬¬}{ ]]^^ ^^")
    (False, True)
    """
    if "\ufffd" in text or any(ord(c) < 32 or 127 <= ord(c) < 160 for c in text):
        return True
    good = sum(c.isalnum() or c.isspace() or c in ".,;:'’‘“”\"()-–—/&%£" for c in text)
    return good < 0.7 * len(text)


def clean_lines(text: str) -> tuple[list[Line], int]:
    """Non-blank lines without page debris, and the blank-run length that separates blocks.

    Page numbers ("Page 2 of 5"), protective markings, form feeds and
    headers repeated at the top of pages are dropped with the blank lines
    around them, so a page break does not split a paragraph or an action.
    In extractions where every line is followed by an empty line, blocks
    are separated by two or more blank lines; otherwise by one.

    >>> lines, sep = clean_lines("Title\\n\\fPage 2 of 3\\nTitle\\nbody text\\n\\nmore")
    >>> [(l.no, l.text, l.blanks) for l in lines], sep
    ([(1, 'Title', 0), (4, 'body text', 0), (6, 'more', 1)], 1)
    """
    # Lines end at "\n" (or "\r\n") only, as an editor shows them; a stray "\r"
    # stays in its line, which is then reported unreadable.
    raw = split_lines(text)
    rows = []
    for no, line in enumerate(raw, 1):
        line = line.replace("\t", "    ").replace("\xa0", " ").replace("\v", "")
        line = re.sub("[\u200b\u200c\u200d\ufeff]", "", line)
        page_break = "\f" in line
        line = line.replace("\f", "").rstrip()
        rows.append([no, line, page_break])
    texts = [r[1].strip() for r in rows]
    keys = [" ".join(t.split()).casefold() for t in texts]
    head = [k for k in keys if k][:3]
    seen: set[str] = set()
    debris = [False] * len(rows)
    for i, (no, line, page_break) in enumerate(rows):
        t = texts[i]
        if not t:
            debris[i] = page_break
            continue
        if _PAGE_RE.match(t) or _MARKING_RE.match(t) or (keys[i] in head and keys[i] in seen):
            debris[i] = True
        seen.add(keys[i])
    _spread_over_blanks(debris, texts)
    lines: list[Line] = []
    blanks = 0
    for i, (no, line, _) in enumerate(rows):
        if debris[i]:
            continue
        if not texts[i]:
            blanks += 1
            continue
        lines.append(Line(no, texts[i], len(line) - len(line.lstrip()), blanks))
        blanks = 0
    followed = sum(1 for a, b in zip(lines, lines[1:]) if b.blanks == 1)
    sep = 2 if lines and followed > 0.4 * len(lines) else 1
    return lines, sep


def _spread_over_blanks(debris: list[bool], texts: list[str]) -> None:
    """Extend each run of debris over the blank lines on both sides."""
    marked = [i for i, d in enumerate(debris) if d]
    for i in marked:
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(texts) and not texts[j] and not debris[j]:
                debris[j] = True
                j += step


def finished(text: str) -> bool:
    """True when a body fragment ends a sentence."""
    return bool(_FINISHED_RE.search(text))


def action_finished(text: str) -> bool:
    """True when an action fragment ends with a full stop or a closing bracket."""
    return bool(_ACTION_DONE_RE.search(text))


def ends_open(text: str) -> bool:
    """True when a fragment ends with a word that needs a continuation.

    >>> ends_open("Home Office and"), ends_open("source countries")
    (True, False)
    """
    words = text.rstrip().split()
    return bool(words) and (words[-1].casefold() in _CONNECTORS or text.rstrip()[-1] in ",/-–")


def vocabulary(lines: list[Line]) -> set[str]:
    """Lower-case words and hyphenated compounds written in the document."""
    words: set[str] = set()
    for line in lines:
        for w in re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", line.text):
            words.add(w.casefold())
            words.update(p.casefold() for p in w.split("-"))
    return words


class BodyParser:
    """A small state machine over the lines after the attendee lists.

    ``owner_start(text)`` says whether ``text`` opens with an owner phrase
    ("Home Office to ..."); it lets a new action start without a blank line.
    """

    def __init__(self, lines: list[Line], sep: int,
                 owner_start: Callable[[str], bool], short: int = SHORT):
        self.lines, self.sep, self.owner_start, self.short = lines, sep, owner_start, short
        self.items: list[RawItem] = []
        self.unplaced: list[tuple[int, str]] = []
        self.mode = "body"
        self.action: Block | None = None
        self.pending: Block | None = None
        self.title_open = False
        self.narrow: bool | None = None   # the action block so far is all short lines

    @property
    def item(self) -> RawItem | None:
        return self.items[-1] if self.items else None

    @property
    def para(self) -> Block | None:
        return self.item.paragraphs[-1] if self.item and self.item.paragraphs else None

    def run(self) -> tuple[list[RawItem], list[tuple[int, str]]]:
        for i, line in enumerate(self.lines):
            self._feed(i, line)
        return self.items, self.unplaced

    def _feed(self, i: int, line: Line) -> None:
        t = line.text
        if garbled(t):
            self.unplaced.append((line.no, f"unreadable line: {t[:40]!r}"))
            return
        m = ITEM_RE.match(t)
        if m and self._item_ok(int(m[1])):
            self._start_item(str(int(m[1])), m[2], line.no)
            return
        m = PARA_RE.match(t)
        if m and self._para_ok(int(m[1]), int(m[2]), line.no):
            self._start_para(f"{int(m[1])}.{int(m[2])}", m[3], line.no)
            return
        m = ACTIONS_RE.match(t)
        if m and self.item is not None:
            self._start_actions(line, (m[1] or "").strip())
        elif self.item is None:
            self.unplaced.append((line.no, f"text before the first agenda item: {t[:40]!r}"))
        elif self.mode == "actions":
            self._action_line(i, line)
        else:
            self._body_line(line)

    # -- structure ---------------------------------------------------------
    def _item_ok(self, n: int) -> bool:
        current = int(self.item.number) if self.item else 0
        return current < n <= current + 5

    def _para_ok(self, major: int, minor: int, no: int) -> bool:
        item = self.item
        para = self.para
        if item is None or major != int(item.number):
            current = int(item.number) if item else 0
            if not current < major <= current + 3 or (para and not finished(para.last)):
                return False
            self.unplaced.append((no, f"paragraph {major}.{minor} has no agenda item heading"))
            self._start_item(str(major), "", no)
            return True
        last = int(para.number.split(".")[1]) if para and para.number and "." in para.number else 0
        return minor > last and (para is None or finished(para.last) or minor == last + 1
                                 or self.mode == "actions")

    def _start_item(self, number: str, title: str, no: int) -> None:
        self._leave_actions()
        self.items.append(RawItem(number, Block(no, number, [(no, title)] if title else [])))
        self.pending = None
        self.title_open = True

    def _start_para(self, number: str, text: str, no: int) -> None:
        self._leave_actions()
        self.title_open = False
        block = Block(no, number)
        if text.strip():
            block.add(no, text)
        self.item.paragraphs.append(block)

    def _start_actions(self, line: Line, rest: str) -> None:
        self._leave_actions()
        self.pending = None
        self.title_open = False
        self.mode = "actions"
        self.narrow = None
        if NONE_RE.match(rest):
            self.item.no_actions = True
            self.mode = "body"
        elif rest:
            self._new_action(line.no, rest)

    def _leave_actions(self) -> None:
        if self.mode == "actions" and self.action and not action_finished(self.action.last):
            self.pending = self.action
        self.mode = "body"
        self.action = None

    def _new_action(self, no: int, text: str) -> None:
        self.action = Block(no, None, [(no, text)])
        self.item.actions.append(self.action)

    # -- lines in each column ----------------------------------------------
    def _action_line(self, i: int, line: Line) -> None:
        t = line.text
        if NONE_RE.match(t) and self.action is None:
            self.item.no_actions = True
            return
        if self._resumes_body(i, line):
            self._leave_actions()
            self.para.add(line.no, t)
            return
        action = self.action
        self.narrow = (len(t) < self.short) if self.narrow is None else (
            self.narrow and len(t) < self.short)
        if (action is None or line.blanks >= self.sep
                or (not ends_open(action.last) and self.owner_start(self._ahead(i)))
                or (action_finished(action.last) and t[:1].isupper())):
            self._new_action(line.no, t)
        else:
            action.add(line.no, t)

    def _resumes_body(self, i: int, line: Line) -> bool:
        """Does a line inside an action block carry on the body text?"""
        para = self.para
        if para is None:
            return False
        t = line.text
        open_para = not finished(para.last)
        lower = t[:1].islower()
        if len(t) >= self.short:
            if (open_para and (lower or line.indent > 0)) or self.narrow:
                return True
            if self.owner_start(self._ahead(i)):
                return False
            if line.indent > 0:
                return True
            return self.action is not None and action_finished(self.action.last)
        return (open_para and lower and line.indent > 0
                and self.action is not None and action_finished(self.action.last))

    def _body_line(self, line: Line) -> None:
        t = line.text
        item, para = self.item, self.para
        title = item.title
        if (self.title_open and para is None and len(t) < 80 and title.parts
                and not finished(title.last) and (t[:1].islower() or ends_open(title.last))):
            title.add(line.no, t)
            return
        self.title_open = False
        if self.pending and len(t) < self.short and (para is None or finished(para.last)):
            self.action, self.pending, self.mode = self.pending, None, "actions"
            self.narrow = True
            self.action.add(line.no, t)
            return
        if para is None:
            para = Block(line.no, item.number)
            item.paragraphs.append(para)
        para.add(line.no, t)

    def _ahead(self, i: int, n: int = 3) -> str:
        """This line and the next short lines of the same block, joined."""
        out = [self.lines[i].text]
        for line in self.lines[i + 1:i + n]:
            t = line.text
            if (line.blanks >= self.sep or len(t) >= self.short or ITEM_RE.match(t)
                    or PARA_RE.match(t) or ACTIONS_RE.match(t)):
                break
            out.append(t)
        return " ".join(out)
