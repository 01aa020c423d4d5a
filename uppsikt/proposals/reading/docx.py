"""Read a Word (DOCX) plan document (python-docx) into blocks, in body order: paragraphs
and tables as they come.

- headings by style ("Heading 1", "Rubrik 1", … and the styles based on them) or by
  outline level (the paragraph's or its style's ``w:outlineLvl``); "Title"/"Rubrik" is
  the document's title;
- numbering from the numbering definitions: a paragraph's ``w:numPr`` (its own or its
  style's) gives the list and level; the number shown ("1.2", "a)", "IV.") is computed
  from the level's format and text as Word counts it; a bullet level makes a list item;
  a number typed into the text ("3.2 Ekonomi") is split off as well;
- tables cell by cell, a horizontally merged cell once (the columns it spans empty), a
  vertically merged cell's text repeated in the rows it spans;
- a paragraph all in bold is marked ``emphasis``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from . import cleanup
from .blocks import Block, Kind, ReadDocument, Source
from .docxnumbering import Numbering
from .errors import Deadline, ReadError, check_pages, damaged

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"^(?:heading|rubrik|överskrift)\s*(\d)$", re.IGNORECASE)
_TITLE_STYLES = {"title", "rubrik", "titel"}
# "TOC 1", "toc 2", "Innehållsförteckning 1": the entries of a table of contents.
_TOC_STYLE = re.compile(r"^(?:toc|innehåll|innehållsförteckning)\s*\d", re.IGNORECASE)


def read_docx(content: bytes) -> ReadDocument:
    import docx

    deadline = Deadline()
    try:
        document = docx.Document(io.BytesIO(content))
    except Exception as error:  # python-docx raises many kinds on a broken package
        raise damaged("Word (DOCX)") from error
    body = document.element.body
    _check_pages(body)
    numbering = Numbering.of(document)
    reader = _Reader(document, numbering)
    for index, element in enumerate(_body_elements(body)):
        if index % 200 == 0:
            deadline.check()
        if element.tag == f"{W}p":
            reader.paragraph(element)
        elif element.tag == f"{W}tbl":
            reader.table(element)
    if not reader.blocks:
        raise ReadError(_("Dokumentet innehåller ingen text."), "empty")
    title = cleanup.tidy(document.core_properties.title or "") or reader.title
    return ReadDocument(format="docx", blocks=reader.blocks, pages=reader.pages, title=title)


def _body_elements(parent: Any, depth: int = 0) -> Iterator[Any]:
    """The body's paragraphs and tables in order, also those inside content controls
    (``w:sdt``, where Word puts a cover page or a table of contents) and custom XML."""
    for element in parent.iterchildren():
        if element.tag in (f"{W}p", f"{W}tbl"):
            yield element
        elif element.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml") and depth < 8:
            yield from _body_elements(element, depth + 1)


def paragraph_text(element: Any) -> str:
    """A paragraph's text as shown: its runs' text (also inside hyperlinks, fields and
    tracked insertions; deleted text is ``w:delText`` and left out), tabs and breaks as
    spaces."""
    parts = []
    for node in element.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr"):
        parts.append(node.text or "" if node.tag == f"{W}t" else " ")
    return "".join(parts)


def _check_pages(body: Any) -> None:
    """Refuse a document longer than the page limit: its page breaks, or words / 500."""
    breaks = sum(1 for br in body.iter(f"{W}br") if br.get(f"{W}type") == "page") + sum(
        1 for _ in body.iter(f"{W}sectPr")
    )
    words = sum(len((t.text or "").split()) for t in body.iter(f"{W}t"))
    check_pages(breaks, words)


class _Reader:
    def __init__(self, document: Any, numbering: Numbering) -> None:
        self.document = document
        self.numbering = numbering
        self.styles = {style.style_id: style for style in document.styles}
        self.blocks: list[Block] = []
        self.title = ""
        self.pages = 0

    def _source(self) -> Source:
        return Source(index=len(self.blocks) + 1)

    def paragraph(self, element: Any) -> None:
        from docx.text.paragraph import Paragraph

        paragraph = Paragraph(element, self.document.part)
        text = cleanup.tidy(paragraph_text(element))
        if not text:
            return
        style = paragraph.style
        if _TOC_STYLE.match((style.name or "") if style is not None else ""):
            return  # a table of contents repeats the headings
        heading = _heading_level(style, element)
        num = self.numbering.shown(element, style)
        if heading == -1:  # the title style: the document's title, a heading like the top
            self.title = self.title or text
            heading = 1
        if heading:
            if num is not None and not num.bullet:
                number, rest = num.text, text
            else:
                number, rest = cleanup.split_number(text)
            level = heading
            self.blocks.append(Block(Kind.HEADING, self._source(), rest, number, level))
            return
        if num is not None:
            number = "" if num.bullet else num.text
            self.blocks.append(Block(Kind.LIST_ITEM, self._source(), text, number, num.level + 1))
            return
        bulleted, rest = cleanup.split_bullet(text)
        if bulleted:
            self.blocks.append(Block(Kind.LIST_ITEM, self._source(), rest, "", 1))
            return
        number, rest = cleanup.split_number(text, decimal=False)
        self.blocks.append(
            Block(Kind.PARAGRAPH, self._source(), rest, number, 0, emphasis=_all_bold(paragraph))
        )

    def table(self, element: Any) -> None:
        rows: list[list[str]] = []
        for tr in element.iterchildren(f"{W}tr"):
            row: list[str] = []
            for tc in tr.iterchildren(f"{W}tc"):
                span, merge = _cell_props(tc)
                column = len(row)
                if merge == "continue" and rows and column < len(rows[-1]):
                    text = rows[-1][column]
                else:
                    text = cleanup.join_all(
                        ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in tc.iter(f"{W}p")]
                    )
                row.extend([text] + [""] * (span - 1))
            rows.append(row)
        rows = [row for row in rows if any(row)]
        if not rows:
            return
        width = max(len(row) for row in rows)
        cells = tuple(tuple(row) + ("",) * (width - len(row)) for row in rows)
        self.blocks.append(Block(Kind.TABLE, self._source(), rows=cells))


def _cell_props(tc: Any) -> tuple[int, str | None]:
    props = tc.find(f"{W}tcPr")
    if props is None:
        return 1, None
    span = props.find(f"{W}gridSpan")
    merge = props.find(f"{W}vMerge")
    span_count = int(span.get(f"{W}val", "1")) if span is not None else 1
    merge_value = None if merge is None else (merge.get(f"{W}val") or "continue")
    return max(1, min(span_count, 64)), merge_value


def _heading_level(style: Any, element: Any) -> int:
    """1, 2, … for a heading; -1 for the title style; 0 for other paragraphs."""
    outline = element.find(f"{W}pPr/{W}outlineLvl")
    if outline is not None:
        return int(outline.get(f"{W}val", "9")) + 1 if outline.get(f"{W}val", "9") != "9" else 0
    seen = 0
    while style is not None and seen < 10:
        name = (style.name or "").strip()
        if name.lower() in _TITLE_STYLES:
            return -1
        match = _HEADING_STYLE.match(name)
        if match:
            return int(match.group(1))
        level = style.element.find(f"{W}pPr/{W}outlineLvl")
        if level is not None and level.get(f"{W}val", "9") != "9":
            return int(level.get(f"{W}val")) + 1
        style, seen = style.base_style, seen + 1
    return 0


def _all_bold(paragraph: Any) -> bool:
    runs = [run for run in paragraph.runs if run.text.strip()]
    if not runs:
        return False
    style_bold = bool(paragraph.style is not None and paragraph.style.font.bold)
    return all(run.bold or (run.bold is None and style_bold) for run in runs)
