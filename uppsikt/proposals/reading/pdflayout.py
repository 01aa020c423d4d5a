"""A PDF's lines made blocks, by layout.

- the body text's size is the most used one; lines clearly larger are headings, their
  level by size (largest = 1) unless a decimal number gives it ("3.2.1" → 3);
- a short bold line at body size with no full stop is a heading one level below the last;
  a longer bold block is a paragraph with ``emphasis``;
- a line starting with a bullet or a list number ("a)", "1)") starts a list item, its
  depth from how far in the bullet stands; the lines below it, indented to its text,
  continue it;
- otherwise a line continues the block above when it follows it closely (no paragraph
  spacing) in the same style, also over a page or column break when the block above had
  not ended (its last line full, or hyphenated);
- lines that form an unruled table (figures in columns) are found by ``texttables``; a
  table that goes on at the top of the next page is joined to the one before it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

from . import cleanup
from .blocks import Block, Kind, Source
from .pdfitems import PdfLine, PdfPage, PdfTable
from .texttables import find_tables

HEADING_RATIO = 1.12
# Lines part into blocks where the gap between them is larger than the text's usual gap
# between lines by this share of the size (at least PARAGRAPH_STEP points).
PARAGRAPH_GAP = 0.15
PARAGRAPH_STEP = 1.5
FULL_LINE = 0.85
BOLD_HEADING_MAX_CHARS = 80
# A line this share of the text area's width, of this many words, is running text.
WIDE_LINE = 0.6
RUNNING_WORDS = 8
# A heading is short: a "heading" longer than this is a paragraph in a larger type.
HEADING_MAX_CHARS = 250
HEADING_MAX_LINES = 3
HEADING_SENTENCE_WORDS = 12  # … and an unnumbered sentence this long is a lead paragraph


@dataclass
class Style:
    body: float
    left: float
    width: float
    levels: dict[float, int]
    bullet_levels: list[float]
    line_gap: float | None = None  # the usual gap between two lines of a paragraph
    right: float = 0.0  # where full body lines end

    def parts(self, gap: float, size: float) -> bool:
        """Whether a vertical ``gap`` between lines of ``size`` parts two blocks: more
        than the leading and a little; without a leading to go by, half the size."""
        if self.line_gap is None:
            return gap > size * 0.5
        return gap > self.line_gap + max(PARAGRAPH_STEP, size * PARAGRAPH_GAP)


@dataclass
class Current:
    kind: Kind | None = None
    lines: list[PdfLine] = field(default_factory=list)
    number: str = ""
    level: int = 0
    emphasis: bool = False
    text_x: float = 0.0


def assemble(pages: list[PdfPage]) -> list[Block]:
    items = [
        item
        for page in pages
        for item in _with_text_tables(page.items)
        if not (isinstance(item, PdfLine) and cleanup.is_contents_entry(item.text))
    ]
    lines = [item for item in items if isinstance(item, PdfLine)]
    style = _style(lines)
    builder = _Builder(style)
    for item in items:
        if isinstance(item, PdfTable):
            builder.table(item)
        else:
            builder.line(item)
    builder.flush()
    return builder.blocks


def _with_text_tables(items: list[PdfLine | PdfTable]) -> list[PdfLine | PdfTable]:
    """``items`` with runs of lines that are an unruled table made a ``PdfTable``."""
    lines = [item for item in items if isinstance(item, PdfLine)]
    tables = {table.start: table for table in find_tables([line.text for line in lines])}
    if not tables:
        return items
    replaced: dict[int, PdfLine | PdfTable | None] = {}
    for start, table in tables.items():
        first = lines[start]
        rows = [list(row) for row in table.rows]
        replaced[id(first)] = PdfTable(
            first.page, first.top, rows, bottom=lines[table.end - 1].bottom
        )
        for line in lines[start + 1 : table.end]:
            replaced[id(line)] = None
    result: list[PdfLine | PdfTable] = []
    for item in items:
        new = replaced.get(id(item), item)
        if new is not None:
            result.append(new)
    return result


def body_size(lines: list[PdfLine]) -> float:
    """The body text's size: the one most characters have among the wide lines of many
    words (running text fills the measure; tables, legends, captions and notes, often
    smaller, mostly do not)."""
    if not lines:
        return 10.0
    area = max(line.x1 for line in lines) - min(line.x0 for line in lines)
    wide = [
        line
        for line in lines
        if line.x1 - line.x0 >= WIDE_LINE * area and len(line.text.split()) >= RUNNING_WORDS
    ] or lines
    sizes: Counter[float] = Counter()
    for line in wide:
        sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0]


def _style(lines: list[PdfLine]) -> Style:
    body = body_size(lines)
    body_lines = [line for line in lines if abs(line.size - body) < 0.6]
    lefts: Counter[int] = Counter(round(line.x0) for line in body_lines)
    left = float(lefts.most_common(1)[0][0]) if lefts else 0.0
    widths = sorted(line.x1 - line.x0 for line in body_lines) or [500.0]
    width = widths[int(len(widths) * 0.9)]
    heading_sizes = sorted(
        {line.size for line in lines if line.size >= body * HEADING_RATIO}, reverse=True
    )
    # A size used only on the first page (a cover's title) does not push the document's
    # own headings a level down: it is level 1 beside them.
    first_page_only = {
        size
        for size in heading_sizes
        if all(line.page == lines[0].page for line in lines if line.size == size)
    }
    others = [size for size in heading_sizes if size not in first_page_only]
    first_page_only = {size for size in first_page_only if others and size > max(others)}
    ranked = [size for size in heading_sizes if size not in first_page_only]
    levels = {size: i + 1 for i, size in enumerate(ranked)}
    levels.update({size: 1 for size in first_page_only if size not in levels})
    bullets = sorted(
        {round(line.x0 / 4) * 4.0 for line in body_lines if cleanup.split_bullet(line.text)[0]}
    )
    return Style(
        body=body,
        left=left,
        width=width,
        levels=levels,
        bullet_levels=bullets,
        line_gap=_line_gap(body_lines, _right_edge(body_lines, left + width)),
        right=_right_edge(body_lines, left + width),
    )


def _right_edge(lines: list[PdfLine], fallback: float) -> float:
    """Where the body text's full lines end (the 95th percentile of their right ends)."""
    ends = sorted(line.x1 for line in lines)
    return ends[int(len(ends) * 0.95)] if len(ends) >= 5 else fallback


def _line_gap(lines: list[PdfLine], right: float) -> float | None:
    """The most usual gap below a full body line (one reaching the right edge, so the
    paragraph goes on below it) to the next line in the same column: the leading, which
    differs from document to document. None when no paragraph has two lines."""
    gaps: Counter[float] = Counter()
    for above, below in pairwise(lines):
        full = above.x1 >= right - 2 * above.size
        if full and above.page == below.page and above.column == below.column:
            gap = below.top - above.bottom
            if 0 <= gap < above.size * 2:
                gaps[round(gap * 2) / 2] += 1
    return gaps.most_common(1)[0][0] if gaps else None


class _Builder:
    def __init__(self, style: Style) -> None:
        self.style = style
        self.blocks: list[Block] = []
        self.current = Current()
        self.depth = 0
        self.last_table_page = 0

    # -- blocks --------------------------------------------------------------------------
    def flush(self) -> None:
        current = self.current
        if current.kind is not None and current.lines:
            texts = [line.text for line in current.lines]
            if current.number or current.kind == Kind.LIST_ITEM:
                texts[0] = self._first_text(current)
            text = cleanup.join_all(texts)
            sentence = text[-1:] in ".!?" and len(text.split()) >= HEADING_SENTENCE_WORDS
            if current.kind == Kind.HEADING and (
                len(text) > HEADING_MAX_CHARS
                or len(current.lines) > HEADING_MAX_LINES
                or (sentence and not current.number)
            ):
                current.kind, current.level = Kind.PARAGRAPH, 0
            self._add(
                Block(
                    current.kind,
                    Source(len(self.blocks) + 1, current.lines[0].page),
                    text,
                    current.number,
                    current.level,
                    emphasis=current.emphasis,
                )
            )
        self.current = Current()

    def _first_text(self, current: Current) -> str:
        text = current.lines[0].text
        if current.kind == Kind.LIST_ITEM:
            _bulleted, text = cleanup.split_bullet(text)
        if current.number:
            text = cleanup.tidy(text)[len(current.number) :].strip()
        return text

    def _add(self, block: Block) -> None:
        self.blocks.append(block)

    def table(self, table: PdfTable) -> None:
        self.flush()
        previous = self.blocks[-1] if self.blocks else None
        width = max(len(row) for row in table.rows)
        rows = tuple(tuple(row) + ("",) * (width - len(row)) for row in table.rows)
        if (
            previous is not None
            and previous.kind == Kind.TABLE
            and previous.source.page is not None
            and table.page == previous.source.page + self._pages_spanned(previous)
            and len(previous.rows[0]) == width
        ):
            if rows and rows[0] == previous.rows[0]:
                rows = rows[1:]  # the header row repeated on the new page
            head = previous.rows
            if rows and _continues_row(rows[0]):  # a row broken over the page
                joined = tuple(
                    cleanup.join_all([above, below])
                    for above, below in zip(head[-1], rows[0], strict=True)
                )
                head, rows = (*head[:-1], joined), rows[1:]
            merged = Block(Kind.TABLE, previous.source, rows=head + rows)
            self.blocks[-1] = merged
            self.last_table_page = table.page
            return
        self.last_table_page = table.page
        self._add(Block(Kind.TABLE, Source(len(self.blocks) + 1, table.page), rows=rows))

    def _pages_spanned(self, previous: Block) -> int:
        return self.last_table_page - (previous.source.page or 0) + 1

    # -- lines ---------------------------------------------------------------------------
    def line(self, line: PdfLine) -> None:
        style, current = self.style, self.current
        level = style.levels.get(line.size)
        if level is not None:
            self._heading_line(line, level)
            return
        bulleted, _text = cleanup.split_bullet(line.text)
        number, _rest = cleanup.split_number(line.text, decimal=False)
        if bulleted or (number and _is_list_number(number)):
            self._start(Kind.LIST_ITEM, line, number=number, level=self._bullet_level(line))
            return
        if current.kind is not None and self._continues(line):
            current.lines.append(line)
            return
        self._start_body(line)

    def _heading_line(self, line: PdfLine, level: int) -> None:
        current = self.current
        if (
            current.kind == Kind.HEADING
            and current.lines[-1].size == line.size
            and current.lines[-1].page == line.page
            and not self.style.parts(line.top - current.lines[-1].bottom, line.size)
        ):
            current.lines.append(line)
            return
        number, _rest = cleanup.split_number(line.text)
        depth = cleanup.number_depth(number)
        self._start(Kind.HEADING, line, number=number, level=depth or level)
        self.depth = self.current.level

    def _start_body(self, line: PdfLine) -> None:
        number, _rest = cleanup.split_number(line.text, decimal=line.bold)
        depth = cleanup.number_depth(number)
        if line.bold and depth:
            self._start(Kind.HEADING, line, number=number, level=depth)
            self.depth = depth
            return
        short = len(line.text) <= BOLD_HEADING_MAX_CHARS and line.text[-1] not in ".:;,"
        if line.bold and short and not number:
            self._start(Kind.HEADING, line, level=self.depth + 1)
            return
        self._start(Kind.PARAGRAPH, line, number=number, emphasis=line.bold)

    def _start(
        self, kind: Kind, line: PdfLine, *, number: str = "", level: int = 0, emphasis: bool = False
    ) -> None:
        self.flush()
        self.current = Current(kind, [line], number, level, emphasis, text_x=line.x0)

    def _bullet_level(self, line: PdfLine) -> int:
        x = round(line.x0 / 4) * 4.0
        levels = self.style.bullet_levels
        return 1 + sum(1 for level in levels if level < x - 2) if levels else 1

    def _continues(self, line: PdfLine) -> bool:
        current = self.current
        last = current.lines[-1]
        if current.kind == Kind.HEADING:
            return False
        if line.bold != last.bold or abs(line.size - last.size) > 0.6:
            return False
        if line.page != last.page or line.column != last.column:
            open_end = cleanup.ends_hyphenated(last.text) or last.text[-1] not in ".:!?"
            return (not self._ended(last) and open_end) or line.text[0].islower()
        gap = line.top - last.bottom
        if self.style.parts(gap, line.size) or gap < -line.size:
            return False
        # Paragraphs set with no space between them: a sentence ends a line that had room
        # for the next line's first word (a typesetter breaks a line only when the next
        # word does not fit), or a first line indented further than the line above begins
        # the next.
        stopped = current.kind == Kind.PARAGRAPH and last.text[-1] in ".!?:"
        if stopped and (self._had_room(last, line) or line.x0 > last.x0 + line.size * 0.6):
            return False
        if current.kind == Kind.LIST_ITEM:
            hanging = line.x0 > current.text_x + 1
            return hanging or (line.x0 >= current.text_x - 1 and not self._had_room(last, line))
        return True

    def _had_room(self, last: PdfLine, line: PdfLine) -> bool:
        """Whether ``line``'s first word would have fit at the end of ``last``."""
        word = line.text.split(" ", 1)[0]
        width = line.first_width or (line.x1 - line.x0) * len(word) / max(len(line.text), 1)
        return last.x1 + line.size * 0.3 + width <= self.style.right + 1

    def _ended(self, last: PdfLine) -> bool:
        if cleanup.ends_hyphenated(last.text):
            return False
        return (last.x1 - last.x0) < FULL_LINE * self.style.width


def _continues_row(row: tuple[str, ...]) -> bool:
    """Whether a table's first row on a page is the rest of the row the page before ended
    with: some cells empty, and every filled one going on with a lowercase word."""
    filled = [cell for cell in row if cell]
    return bool(filled) and len(filled) < len(row) and all(cell[0].islower() for cell in filled)


def _is_list_number(number: str) -> bool:
    """A list item's number ("a)", "(1)", "iv."), not a labelled one ("Mål 1:")."""
    return " " not in number and (number.endswith(")") or number[0].islower())
