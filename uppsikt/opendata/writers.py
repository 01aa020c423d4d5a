"""A dataset's rows as CSV and as JSON, written piece by piece.

CSV: UTF-8 without a byte-order mark, a header row, comma-separated, RFC 4180 quoting,
``\\r\\n`` line ends. Numbers are written for machines: a decimal point and every stored
decimal (``74.1000``, ``-2754000.00``), never a thousands separator; truth values are
``true``/``false``; dates ISO 8601; an empty cell is no value. A text that a spreadsheet
could take for a formula gets an apostrophe first (``lib.celltext.csv_text``), as in every
CSV Uppsikt writes.

JSON: one object, the envelope (``envelope``) with the licence, then ``rader``, a list of
objects keyed by column name. Decimals are strings (``"74.1000"``) so no digit is lost;
whole numbers are numbers, truth values ``true``/``false``, dates ISO strings.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from uppsikt.lib.celltext import TRIGGERS, csv_text

from .dataset import Row, Value

BATCH_ROWS = 500  # rows per piece sent


# A text needs ``csv_text`` only when it starts with one of these (a formula's first
# character, or the apostrophe ``csv_text`` itself adds); the rest is written as it is.
_MAY_NEED_MARK = frozenset((*TRIGGERS, "'"))


def csv_cell(value: Value) -> str:
    """One CSV cell; by the value's exact type first, as this runs for every cell."""
    kind = type(value)
    if kind is str:
        text = str(value)
        return csv_text(text) if text[:1] in _MAY_NEED_MARK else text
    if value is None:
        return ""
    if kind is bool:
        return "true" if value else "false"
    if kind is Decimal:
        return format(value, "f")
    if kind is int:
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return csv_cell(str(value))


def json_value(value: Value) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def csv_stream(columns: list[str], rows: Iterable[Row]) -> Iterator[str]:
    """The header, then the rows in pieces of ``BATCH_ROWS``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for count, row in enumerate(rows, start=1):
        writer.writerow([csv_cell(value) for value in row])
        if count % BATCH_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def json_stream(head: dict[str, Any], columns: list[str], rows: Iterable[Row]) -> Iterator[str]:
    """``head`` with ``"rader": [...]`` added last, the rows written as they come."""
    opening = json.dumps(head, ensure_ascii=False)[:-1]
    yield opening + (', "rader": [' if head else '"rader": [')
    piece: list[str] = []
    first = True
    for row in rows:
        item = {name: json_value(value) for name, value in zip(columns, row, strict=True)}
        text = json.dumps(item, ensure_ascii=False)
        piece.append(("\n" if first else ",\n") + text)
        first = False
        if len(piece) >= BATCH_ROWS:
            yield "".join(piece)
            piece = []
    yield "".join(piece) + "\n]}\n"
