"""Read a PDF plan document (pdfplumber) into blocks.

Page by page: ruled tables are found by pdfplumber's table finder and read cell by cell;
the words outside them are grouped into lines (by their baseline), in reading order (a
two-column page is read column by column). Running headers, footers and page numbers are
removed (``cleanup.running_line_indexes``); ``pdflayout`` then makes the lines blocks by
font size and weight relative to the body text. A table that goes on over a page break is
joined into one (its repeated header row dropped). Unruled tables (figures in columns)
are found among the lines (``texttables``).

Refused (``ReadError``): an encrypted PDF (``encrypted``), a damaged one (``damaged``),
more pages than ``UPPSIKT_PLAN_READ_MAX_PAGES`` (``too_many_pages``), one with no text
layer, a scan (``no_text_layer``), and a reading that takes too long (``too_slow``).
"""

from __future__ import annotations

import dataclasses
import io
import math
import re
from collections import Counter
from typing import Any

from django.utils.translation import gettext as _

from . import cleanup
from .blocks import Block, Kind, ReadDocument
from .errors import Deadline, ReadError, damaged, read_limits, too_many_pages
from .pdfitems import PdfLine, PdfPage, PdfTable
from .pdflayout import assemble, body_size

# Words whose baselines differ by less than this share of their size are one line.
SAME_LINE = 0.45
# A column gutter: an empty vertical band this wide (points), crossed by few lines.
GUTTER_WIDTH = 12.0
MAX_TABLE_EDGES = 5000
# Marks where a table cell's word may have been broken for want of room (see _mend_words).
BROKEN = "\ue000"
SINGLE_LETTER_WORDS = frozenset("iåö")


def read_pdf(content: bytes) -> ReadDocument:
    """The blocks of the PDF whose bytes are ``content``."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    deadline = Deadline()
    try:
        document = pdfplumber.open(io.BytesIO(content))
    except (PDFPasswordIncorrect, PDFEncryptionError) as error:
        raise encrypted() from error
    except Exception as error:  # pdfminer raises many kinds on a damaged file
        if "password" in str(error).lower() or "encrypt" in str(error).lower():
            raise encrypted() from error
        raise damaged("PDF") from error
    with document:
        try:
            count = len(document.pages)
        except Exception as error:
            raise _classify(error) from error
        if count == 0:
            raise damaged("PDF")
        limit = read_limits().pages
        if count > limit:
            raise too_many_pages(count, limit)
        pages = []
        for page in document.pages:
            deadline.check()
            try:
                pages.append(_read_page(page))
            except ReadError:
                raise
            except Exception as error:
                raise _classify(error) from error
            finally:
                page.close()
    if not any(isinstance(item, PdfLine) or item.rows for page in pages for item in page.items):
        raise no_text_layer()
    _drop_furniture(pages)
    blocks = _mend_words(assemble(pages))
    title = cleanup.tidy(str((document.metadata or {}).get("Title", "") or ""))
    return ReadDocument(format="pdf", blocks=blocks, pages=count, title=title)


def _mend_words(blocks: list[Block]) -> list[Block]:
    """Settle the words a table cell may have broken for want of room ("anläggnin" +
    "gstillgång" + "ar", "Tandvårdsenhete" + "n"), by the document's own words (its running
    text and its cells, the broken pieces left out): joined when the whole word is written
    elsewhere in it, or the rest is a single letter that is no word; otherwise two words,
    as most line breaks are ("Avstämning" + "varje")."""
    pieces = re.compile(rf"\w+(?:{BROKEN}\w*)+")
    texts = [block.text for block in blocks if block.kind != Kind.TABLE]
    texts += [pieces.sub(" ", cell) for block in blocks for row in block.rows for cell in row]
    words = {word.lower() for text in texts for word in re.findall(r"\w+", text)}

    def settle(match: re.Match[str]) -> str:
        parts = [part for part in match.group(0).split(BROKEN) if part]
        if "".join(parts).lower() in words:
            return "".join(parts)
        text = parts[0]
        for part in parts[1:]:
            last = text.split(" ")[-1]
            whole = (last + part).lower() in words
            letter = len(part) == 1 and part.lower() not in SINGLE_LETTER_WORDS
            text += part if whole or letter else f" {part}"
        return text

    mended = []
    for block in blocks:
        if block.kind == Kind.TABLE and any(BROKEN in cell for row in block.rows for cell in row):
            rows = tuple(tuple(pieces.sub(settle, cell) for cell in row) for row in block.rows)
            block = dataclasses.replace(block, rows=rows)
        mended.append(block)
    return mended


def encrypted() -> ReadError:
    return ReadError(
        _(
            "PDF-filen är krypterad eller lösenordsskyddad och kan inte läsas. Spara den utan "
            "lösenord och skydd, eller exportera den på nytt från originalet."
        ),
        "encrypted",
    )


def no_text_layer() -> ReadError:
    return ReadError(
        _(
            "PDF-filen saknar textlager: sidorna är bilder (till exempel en inskannad "
            "handling), så ingen text kan läsas. Kör textigenkänning (OCR) på filen, eller "
            "exportera PDF:en på nytt från originaldokumentet (Word eller liknande)."
        ),
        "no_text_layer",
    )


def _classify(error: Exception) -> ReadError:
    text = str(error).lower()
    if "password" in text or "encrypt" in text:
        return encrypted()
    return damaged("PDF")


def _read_page(page: Any) -> PdfPage:
    number = page.page_number
    result = PdfPage(number=number, width=float(page.width), height=float(page.height))
    # A page of very many strokes is a drawing or a chart, not a ruled table: the table
    # finder's time grows with the strokes, so it is not run there.
    tables = page.find_tables() if len(page.edges) <= MAX_TABLE_EDGES else []
    boxes = [table.bbox for table in tables]
    all_words = page.extract_words(extra_attrs=["fontname", "size"], keep_blank_chars=False)
    for table in tables:
        inside = [word for word in all_words if _inside(word, table.bbox)]
        cells = [
            [
                None if box is None else _word_rows([w for w in inside if _inside(w, box)])
                for box in row.cells
            ]
            for row in table.rows
        ]
        widest = _widest_lines(cells)
        rows = [[_cell(lines, widest[c]) for c, lines in enumerate(row)] for row in cells]
        rows = [row for row in rows if any(row)]
        if rows:
            x0, top, x1, bottom = (float(value) for value in table.bbox)
            result.items.append(PdfTable(number, top, rows, bottom=bottom, x0=x0, x1=x1))
    words = [word for word in all_words if not any(_inside(word, box) for box in boxes)]
    gutter = _gutter(words, result.width)
    if gutter is None:
        lines = _lines(words, number)
    else:
        lines = [
            *_lines([w for w in words if w["x1"] <= gutter], number, column=1),
            *_lines([w for w in words if w["x0"] >= gutter], number, column=2),
            *_lines([w for w in words if w["x0"] < gutter < w["x1"]], number),
        ]
        for item in result.items:  # the tables, in their column
            item.column = 1 if item.x1 <= gutter else 2 if item.x0 >= gutter else 0
        _place_full_width([*lines, *result.items])
    result.items.extend(lines)
    result.items.sort(key=_reading_key)
    return result


def _reading_key(item: PdfLine | PdfTable) -> tuple[int, float]:
    return (item.column, item.top)


Lines = list[list[dict[str, Any]]]


def _widest_lines(cells: list[list[Lines | None]]) -> list[float]:
    """For each column of a table, the width of its widest line of text."""
    widest: list[float] = []
    for row in cells:
        for c, lines in enumerate(row):
            while len(widest) <= c:
                widest.append(0.0)
            for line in lines or []:
                widest[c] = max(widest[c], _width(line))
    return widest


def _width(line: list[dict[str, Any]]) -> float:
    return float(line[-1]["x1"] - line[0]["x0"])


def _cell(lines: list[list[dict[str, Any]]] | None, widest: float) -> str:
    """A table cell's text, its lines joined (``cleanup.join_lines``); a word broken over
    two lines with no hyphen because it is wider than the column is joined whole
    ("anläggningstillgån" + "gar"). A merged cell's other places (None) are empty."""
    if not lines:
        return ""
    text = ""
    for above, below in zip([None, *lines], lines, strict=False):
        piece = cleanup.tidy(" ".join(word["text"] for word in below))
        if above is not None and _broken_word(above, below[0], widest):
            text = cleanup.tidy(text) + BROKEN + piece  # settled by the document's words
        else:
            text = cleanup.join_lines(text, piece)
    return cleanup.tidy(text)


def _broken_word(above: list[dict[str, Any]], first: dict[str, Any], widest: float) -> bool:
    """Whether a cell's line and the next one's first word are one word broken because it
    is wider than the column: the line is that word alone, reaching within a character of
    the column's widest line (a word wrapped whole leaves the next word's room), with no
    hyphen, and the rest starts in lowercase."""
    if len(above) != 1:
        return False
    word = above[0]
    char = (word["x1"] - word["x0"]) / max(len(word["text"]), 1)
    return (
        word["text"][-1:].isalpha()
        and first["text"][:1].islower()
        and widest - _width(above) < 1.2 * char
    )


def _word_rows(words: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Words grouped into lines by baseline, each left to right."""
    rows: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda w: (round(w["bottom"], 1), w["x0"])):
        if rows and abs(rows[-1][0]["bottom"] - word["bottom"]) < SAME_LINE * word["size"]:
            rows[-1].append(word)
        else:
            rows.append([word])
    for row in rows:
        row.sort(key=lambda w: w["x0"])
    return rows


def _inside(word: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    x = (word["x0"] + word["x1"]) / 2
    y = (word["top"] + word["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _bold(fontname: str) -> bool:
    name = fontname.split("+")[-1].lower()
    return any(mark in name for mark in ("bold", "black", "heavy", "semibold", "demi"))


def _lines(words: list[dict[str, Any]], page: int, column: int = 0) -> list[PdfLine]:
    """Words grouped into lines by baseline, each line's words left to right; a line's
    size is its most common one, bold when most of its characters are."""
    lines = []
    for row in _word_rows(words):
        sizes: Counter[float] = Counter()
        bold = 0
        for word in row:
            sizes[round(word["size"], 1)] += len(word["text"])
            bold += len(word["text"]) if _bold(word["fontname"]) else 0
        lines.append(
            PdfLine(
                text=cleanup.tidy(" ".join(word["text"] for word in row)),
                page=page,
                x0=float(row[0]["x0"]),
                x1=float(row[-1]["x1"]),
                top=float(min(word["top"] for word in row)),
                bottom=float(max(word["bottom"] for word in row)),
                size=sizes.most_common(1)[0][0],
                bold=bold * 2 > sum(sizes.values()),
                column=column,
                first_width=float(row[0]["x1"] - row[0]["x0"]),
            )
        )
    return [line for line in lines if line.text]


def _place_full_width(lines: list[PdfLine | PdfTable]) -> None:
    """A line or table crossing the gutter is read before the columns when above them (a
    title), after them when below (a footnote, a wide table)."""
    columned = [line.top for line in lines if line.column]
    first = min(columned, default=0.0)
    for line in lines:
        if not line.column and line.top > first:
            line.column = 3


def _gutter(words: list[dict[str, Any]], width: float) -> float | None:
    """The middle of the widest empty vertical band in the page's middle that no more than
    a few words cross, with many words on either side; None for a one-column page."""
    if len(words) < 40:
        return None
    free: list[float] = []
    for step in range(int(width * 0.3), int(width * 0.7), 2):
        x = float(step)
        low, high = x - GUTTER_WIDTH / 2, x + GUTTER_WIDTH / 2
        crossing = sum(1 for w in words if w["x0"] < high and w["x1"] > low)
        left = sum(1 for w in words if w["x1"] <= low)
        right = sum(1 for w in words if w["x0"] >= high)
        if crossing <= len(words) * 0.02 and min(left, right) >= len(words) * 0.25:
            free.append(x)
    if not free:
        return None
    runs: list[list[float]] = [[free[0]]]
    for x in free[1:]:
        if x - runs[-1][-1] <= 2:
            runs[-1].append(x)
        else:
            runs.append([x])
    widest = max(runs, key=len)
    return (widest[0] + widest[-1]) / 2


def _place(line: PdfLine, page: PdfPage) -> int:
    from_top = line.top
    from_bottom = page.height - line.bottom
    return round(from_top / 4) if from_top < from_bottom else -round(from_bottom / 4)


def _drop_furniture(pages: list[PdfPage]) -> None:
    """Remove running headers, footers and page numbers (lines at a page's top or bottom)."""
    ordered = [
        sorted(
            (item for item in page.items if isinstance(item, PdfLine)), key=lambda line: line.top
        )
        for page in pages
    ]
    texts = [[line.text for line in lines] for lines in ordered]
    # A running line keeps its place: its distance from the top (or bottom) in 4-point steps.
    places = [
        [_place(line, page) for line in lines] for page, lines in zip(pages, ordered, strict=True)
    ]
    furniture = cleanup.running_line_indexes(texts, places=places)
    furniture = [
        dropped | extra
        for dropped, extra in zip(furniture, _running_titles(ordered, places), strict=True)
    ]
    for page, lines, dropped in zip(pages, ordered, furniture, strict=True):
        gone = {id(lines[i]) for i in dropped}
        page.items = [item for item in page.items if id(item) not in gone]


def _running_titles(ordered: list[list[PdfLine]], places: list[list[int]]) -> list[set[int]]:
    """A page's first or last line set smaller than the body text, beginning with the same
    two words in the same place as on many pages: a running title that names the chapter
    ("Årsredovisning 2023 3 Mål och strategier")."""
    body = body_size([line for lines in ordered for line in lines])
    keys: list[dict[int, tuple[int, str]]] = []
    for lines, where in zip(ordered, places, strict=True):
        found = {}
        for i in {0, len(lines) - 1} if lines else set():
            line = lines[i]
            words = line.text.lower().split()
            if line.size < body - 0.4 and len(words) >= 2:
                found[i] = (where[i], re.sub(r"\d+", "#", " ".join(words[:2])))
        keys.append(found)
    counts = Counter(key for found in keys for key in set(found.values()))
    needed = max(2, math.ceil(len(ordered) * cleanup.RECURRING_SHARE))
    if len(ordered) < 3:
        return [set() for _ in ordered]
    return [{i for i, key in found.items() if counts[key] >= needed} for found in keys]
