"""Read a plain-text plan document (as a PDF's text is exported) into blocks.

Lines are joined into paragraphs until a line ends one: a line clearly shorter than the
text's full lines, a blank line (when the text is not double-spaced), or the start of a
heading, list item or table. Headings are found by their numbering ("3.2.1 Strategi: …")
and by their shape (a short line standing alone, no full stop); list items by a bullet, a
letter ("a)"), or by an indented line after a lead-in ("… ansvarar för:"); tables by lines
ending in two or more figures (``texttables``). Pages are split at form feeds, and running
headers, footers and page numbers are removed (``cleanup.drop_running_lines``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from . import cleanup
from .blocks import Block, Kind, ReadDocument, Source
from .errors import Deadline, ReadError, check_pages
from .texttables import TextTable, find_tables

# A line at most this share of the text's full line length ends its paragraph.
SHORT_LINE = 0.8
# … and one ending a sentence this share (or when the next line's first word would fit).
STOPPED_LINE = 0.93
HEADING_MAX_CHARS = 100
SHAPE_HEADING_MAX_CHARS = 70
SHAPE_HEADING_MAX_WORDS = 9


@dataclass
class Line:
    text: str
    page: int | None
    indented: bool = False
    after_break: bool = False


def decode(content: bytes | str) -> str:
    if isinstance(content, str):
        return content
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return content.decode("latin-1")


def text_lines(text: str) -> list[Line]:
    """The document's non-empty lines, page by page, without page furniture."""
    pages = text.replace("\r\n", "\n").replace("\r", "\n").split("\f")
    check_pages(len(pages), len(text.split()))
    page_lines = cleanup.drop_running_lines([page.split("\n") for page in pages])
    raw = [line for page in page_lines for line in page]
    filled = [i for i, line in enumerate(raw) if line.strip()]
    double_spaced = len(filled) > 4 and sum(
        1 for i in filled if i + 1 < len(raw) and not raw[i + 1].strip()
    ) > 0.6 * len(filled)
    lines: list[Line] = []
    numbered = len(pages) > 1
    for number, page in enumerate(page_lines, 1):
        blank = False
        for line in page:
            text_ = cleanup.tidy(line)
            if cleanup.is_contents_entry(text_):
                continue  # a table of contents repeats the headings
            if not text_ or (not numbered and cleanup.is_page_number(text_)):
                blank = blank or not text_
                continue
            lines.append(
                Line(
                    text_,
                    number if numbered else None,
                    indented=line[:1].isspace(),
                    after_break=blank and not double_spaced,
                )
            )
            blank = False
    return lines


def full_width(lines: list[Line]) -> int:
    """The length of the text's full lines (the 95th percentile of the longer ones)."""
    lengths = sorted(len(line.text) for line in lines if len(line.text) > 40)
    if len(lengths) < 5:
        return 10_000  # too few long lines to tell: only blank lines end paragraphs
    return lengths[int(len(lengths) * 0.95)]


@dataclass
class Assembler:
    """Collects lines into blocks."""

    width: int
    blocks: list[Block] = field(default_factory=list)
    kind: Kind | None = None
    lines: list[str] = field(default_factory=list)
    number: str = ""
    level: int = 0
    page: int | None = None
    depth: int = 0  # the last numbered heading's depth
    last: str = ""  # the last line as written (its number included)
    signed: bool = False  # the last list item had a bullet sign

    def flush(self) -> None:
        if self.kind is not None and self.lines:
            self.add(self.kind, cleanup.join_all(self.lines), self.number, self.level, self.page)
        self.kind, self.lines, self.number, self.level = None, [], "", 0

    def add(self, kind: Kind, text: str, number: str = "", level: int = 0, page=None, rows=()):
        source = Source(index=len(self.blocks) + 1, page=page)
        self.blocks.append(Block(kind, source, text, number, level, tuple(rows)))

    def start(self, kind: Kind, line: Line, text: str, number: str = "", level: int = 0):
        self.flush()
        self.kind, self.lines, self.number, self.level = kind, [text], number, level
        self.page, self.last = line.page, line.text

    def append(self, line: Line) -> None:
        self.lines.append(line.text)
        self.last = line.text

    def ended(self, following: str = "") -> bool:
        """Whether the block being collected is complete: its last line was short, or it
        ends a sentence and is shortish or the ``following`` line's first word would have
        fit on it (a typesetter breaks a line only when the next word does not fit)."""
        if self.kind is None:
            return True
        if self.kind == Kind.HEADING:
            return True
        last = self.last
        if cleanup.ends_hyphenated(last):
            return False
        if len(last) < SHORT_LINE * self.width:
            return True
        if last[-1] not in ".:!?":
            return False
        if self.kind == Kind.LIST_ITEM and following[:1].isupper():
            return True  # a list item is one sentence: a new one after it is not its own
        word = following.split(" ", 1)[0]
        fits = bool(word) and len(last) + 1 + len(word) <= self.width
        return fits or len(last) < STOPPED_LINE * self.width

    def lead_in(self) -> bool:
        """Whether the last block introduces a list (ends with a colon, or with no stop)
        or is an item of a list whose bullets were lost (an indented line goes on with
        it; a list drawn with bullets does not)."""
        if self.kind == Kind.LIST_ITEM or (
            self.blocks and self.blocks[-1].kind == Kind.LIST_ITEM and self.kind is None
        ):
            return not self.signed
        text = cleanup.join_all(self.lines) if self.lines else ""
        return bool(text) and self.kind == Kind.PARAGRAPH and text[-1] not in '.!?”"'


def read_text(content: bytes | str) -> ReadDocument:
    """The blocks of a plain-text document (UTF-8, or Windows-1252)."""
    lines = text_lines(decode(content))
    if not lines:
        raise ReadError(_("Dokumentet innehåller ingen text."), "empty")
    tables = {table.start: table for table in find_tables([line.text for line in lines])}
    assembler = Assembler(width=full_width(lines))
    skip_to = 0
    deadline = Deadline()
    for i, line in enumerate(lines):
        if i % 1000 == 0:
            deadline.check()
        if i < skip_to:
            continue
        if i in tables:
            table = tables[i]
            assembler.flush()
            assembler.add(Kind.TABLE, "", page=line.page, rows=table.rows)
            skip_to = table.end
            continue
        following = lines[i + 1] if i + 1 < len(lines) else None
        _place(assembler, line, following)
    assembler.flush()
    pages = max((line.page or 0 for line in lines), default=0)
    return ReadDocument(
        format="text", blocks=assembler.blocks, pages=pages, title=_title(assembler.blocks)
    )


def _title(blocks: list[Block]) -> str:
    return next((block.text for block in blocks if block.kind == Kind.HEADING), "")


def _place(assembler: Assembler, line: Line, following: Line | None) -> None:
    """Start a new block with ``line`` or continue the one being collected."""
    ended = assembler.ended(line.text) or line.after_break
    bulleted, text = cleanup.split_bullet(line.text)
    if bulleted:
        assembler.start(Kind.LIST_ITEM, line, text, level=1)
        assembler.signed = True
        return
    hanging = assembler.kind == Kind.LIST_ITEM and assembler.signed and line.indented
    if hanging and assembler.last[-1] not in ".!?" and not line.after_break:
        assembler.append(line)  # an item's text indented under its bullet
        return
    number, rest = cleanup.split_number(line.text)
    depth = cleanup.number_depth(number)
    after_stop = bool(assembler.last) and assembler.last[-1] in ".:!?"
    new_item = after_stop and (bool(_LABEL.match(line.text)) or bool(number and not depth))
    heading = bool(depth) and _heading_shaped(rest, HEADING_MAX_CHARS)
    if not ended and not new_item and not (heading and (depth > 1 or after_stop)):
        assembler.append(line)
        return
    if heading:
        assembler.start(Kind.HEADING, line, rest, number, depth)
        assembler.depth = depth
        assembler.flush()
        return
    if number and not depth:
        kind = Kind.LIST_ITEM if number[0] in "(" or number[-1] in ")" else Kind.PARAGRAPH
        if cleanup.number_depth(number.rstrip(".:–- ")) == 0 and number[0].islower():
            kind = Kind.LIST_ITEM
        assembler.start(kind, line, rest, number, 1 if kind == Kind.LIST_ITEM else 0)
        return
    if line.indented and assembler.lead_in():
        assembler.start(Kind.LIST_ITEM, line, line.text, level=1)
        assembler.signed = False
        return
    next_is_item = following is not None and (
        following.indented or cleanup.split_bullet(following.text)[0]
    )
    if (
        _heading_shaped(line.text, SHAPE_HEADING_MAX_CHARS)
        and not next_is_item
        and following
        and len(line.text.split()) <= SHAPE_HEADING_MAX_WORDS
        and line.text[-1] not in ":"
    ):
        assembler.start(Kind.HEADING, line, line.text, "", assembler.depth + 1)
        assembler.flush()
        return
    assembler.start(Kind.PARAGRAPH, line, line.text)


# "Mål: …", "Uppdrag: …": a labelled statement starts a paragraph of its own.
_LABEL = re.compile(r"^[A-ZÅÄÖ][a-zåäö]{1,20}:\s")


def _heading_shaped(text: str, limit: int) -> bool:
    return (
        0 < len(text) <= limit
        and (text[0].isupper() or text[0] in '"”«')
        and text[-1] not in ".,;!?"
        and not cleanup.ends_hyphenated(text)
    )


__all__ = ["Line", "TextTable", "read_text", "text_lines"]
