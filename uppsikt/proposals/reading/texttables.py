"""Tables in plain text: runs of lines ending in figures ("Hälsovalsenheten, varav -2 061
-1 948 -1 973"), their labels wrapped over lines, and the header line above them
("Belopp i mnkr Budget 2023 Prognos 2022 Budget 2022", perhaps broken into short lines).

A figure is written the Swedish way: an optional minus, digits in groups of three with a
space ("-2 061"), a decimal comma ("14,4"), perhaps a per cent sign.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import cleanup

FIGURE = r"[-−–]?\d+(?: \d{3})*(?:,\d+)?\s?%?"
_FIGURE = re.compile(FIGURE)
_TAIL = re.compile(rf"^(.*?)\s*((?:(?<![^\s(]){FIGURE}\s*){{2,}})$")
_ONLY_FIGURES = re.compile(rf"^(?:{FIGURE}\s*)+$")
# A column heading: a word and a year ("Budget 2023"), or a year alone.
_COLUMN = re.compile(r"(?:[A-ZÅÄÖa-zåäö][\wåäö.]*\s+)?(?:19|20)\d\d\b")
LABEL_MAX_CHARS = 90
HEADER_PIECE_MAX_CHARS = 16


@dataclass(frozen=True)
class TextTable:
    start: int  # the first line (its header's, when it has one)
    end: int  # one past the last line
    rows: tuple[tuple[str, ...], ...]


def figures(line: str) -> tuple[str, list[str]] | None:
    """(label, figures) when ``line`` ends with two or more figures; only figures: ("", …)."""
    if _ONLY_FIGURES.match(line) and len(_FIGURE.findall(line)) >= 1:
        return "", [cell.strip() for cell in _FIGURE.findall(line)]
    match = _TAIL.match(line)
    if not match or len(match.group(1)) > LABEL_MAX_CHARS:
        return None
    label = match.group(1)
    if label and label[-1].isdigit():
        return None  # "… 307 422 personer" and the like are not rows
    return label, [cell.strip() for cell in _FIGURE.findall(match.group(2))]


def find_tables(lines: list[str]) -> list[TextTable]:
    tables: list[TextTable] = []
    i = 0
    while i < len(lines):
        table = _table_at(lines, i)
        if table is None:
            i += 1
            continue
        tables.append(table)
        i = table.end
    return tables


def _is_row(line: str) -> bool:
    found = figures(line)
    return found is not None and (bool(found[0]) or len(found[1]) >= 2)


def _starts_table(lines: list[str], start: int) -> bool:
    """A row with a label, or a label wrapped over the lines before its figures."""
    found = figures(lines[start])
    if found is not None:
        return bool(found[0])
    ahead = lines[start + 1 : start + 3]
    return _label_piece(lines, start) and any(
        _ONLY_FIGURES.match(line) and len(_FIGURE.findall(line)) >= 2 for line in ahead
    )


def _table_at(lines: list[str], start: int) -> TextTable | None:
    if not _starts_table(lines, start):
        return None
    rows: list[tuple[str, list[str]]] = []
    pending: list[str] = []
    end = start
    j = start
    while j < len(lines):
        found = figures(lines[j])
        if found is not None and (found[0] or pending):
            label = (
                cleanup.join_all([*pending, found[0]]) if found[0] else cleanup.join_all(pending)
            )
            rows.append((label, found[1]))
            pending, end = [], j + 1
        elif _label_piece(lines, j) and len(pending) < 3:
            if lines[j].rstrip().endswith(":"):  # a label-only row ("Övrigt …:", "- Varav:")
                rows.append((cleanup.join_all([*pending, lines[j]]), []))
                pending = []
            else:
                pending.append(lines[j])
        else:
            break
        j += 1
    for piece in pending:  # trailing labels with no figures: a label-only row ends the table
        if piece.rstrip().endswith(":"):
            rows.append((cleanup.tidy(piece), []))
            end += 1
        break
    numeric = [row for row in rows if len(row[1]) >= 2]
    if len(numeric) < 2:
        return None
    width = max(len(cells) for _label, cells in numeric)
    header, first = _header(lines, start, width)
    body = [(label, *cells, *[""] * (width - len(cells))) for label, cells in rows]
    return TextTable(start=first, end=end, rows=(*header, *body))


def _label_piece(lines: list[str], j: int) -> bool:
    """A line inside a table with no figures: a label wrapped, or a label-only row
    ("- Varav:", "Övrigt inom …:") followed soon by a row."""
    line = lines[j]
    if len(line) > LABEL_MAX_CHARS or line.endswith("."):
        return False
    return any(
        _is_row(lines[k]) or _ONLY_FIGURES.match(lines[k])
        for k in range(j + 1, min(j + 4, len(lines)))
    )


def _header(lines: list[str], start: int, width: int) -> tuple[list[tuple[str, ...]], int]:
    """The header row above the table at ``start`` and the line it starts on: the line
    above, or short lines above joined, naming ``width`` columns."""
    first = start
    while (
        first > 0 and len(lines[first - 1]) <= HEADER_PIECE_MAX_CHARS and start - first < 2 * width
    ):
        first -= 1
    candidates = [(start - 1, start)] if start else []
    if first < start and first > 0:
        candidates.insert(0, (first - 1, start))
    for begin, stop in candidates:
        text = cleanup.tidy(" ".join(lines[begin:stop]))
        columns = list(_COLUMN.finditer(text))
        if len(columns) == width:
            label = text[: columns[0].start()].strip()
            return [(label, *(column.group(0).strip() for column in columns))], begin
    return [], start
