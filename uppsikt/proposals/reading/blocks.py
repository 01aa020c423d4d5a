"""A plan document as read: a flat list of blocks in reading order, whatever the format.

Every reader (DOCX, PDF, plain text) gives a ``ReadDocument``; the proposal is built from
its blocks alone, so it never depends on the format. Each block keeps where it came from
(``Source``), so every proposed object can point at the passage it was made from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE = "table"


@dataclass(frozen=True)
class Source:
    """Where a block is in the document: its page (PDF; None for DOCX and text) and its
    running number among the document's blocks (1, 2, …), which DOCX and text also have."""

    index: int
    page: int | None = None

    def label(self) -> str:
        return f"s. {self.page}, stycke {self.index}" if self.page else f"stycke {self.index}"


@dataclass(frozen=True)
class Block:
    """One heading, paragraph, list item or table.

    ``text`` is the block's words with line breaks and end-of-line hyphenation undone;
    ``number`` the numbering as the document writes it ("1.2.3", "a)", "Mål 1:", "" when
    none), kept out of ``text``; ``level`` a heading's level (1 = top) or a list item's
    depth (1 = outermost), 0 for paragraphs and tables; ``rows`` a table's cells, row by
    row, first row first (empty for other kinds); ``emphasis`` whether the whole block is
    bold (a heading the document did not style as one).
    """

    kind: Kind
    source: Source
    text: str = ""
    number: str = ""
    level: int = 0
    rows: tuple[tuple[str, ...], ...] = ()
    emphasis: bool = False


@dataclass
class ReadDocument:
    """What a reader gives: the blocks, how many pages (PDF) and the document's title."""

    format: str  # "docx", "pdf" or "text"
    blocks: list[Block] = field(default_factory=list)
    pages: int = 0
    title: str = ""
