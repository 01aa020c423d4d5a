"""Kolada's JSON data format: files shaped like the responses of its API's data calls.

    {"count": 2, "values": [
      {"kpi": "N79179", "municipality": "0018", "period": 2023,
       "values": [{"gender": "T", "count": 1, "status": "", "value": 74.1}, …]}]}

``kpi`` names the indicator by its source id (``IndicatorDefinition.source_code``),
``municipality`` the organisation by its code (Kolada's region ids are ``00`` + länskod, Riket
is ``0000``). A value that is ``null`` (Kolada's status "Missing") is not a measurement and is
counted as empty, not as an error: a file is a snapshot, and a value missing from it says
nothing about a value stored earlier. A value marked ``"isdeleted": true`` is one Kolada
withdrew: it becomes a withdrawal row (``"withdrawn": True``, see ``core``), which makes a
stored value of that key no longer current. The Kolada sync, which asks Kolada what changed
since its last run, reads with ``null_withdraws=True``: there a ``null`` means the value was
taken away, and it withdraws too. Numbers are read exactly (no binary floats). Errors name
the line in the file and the value's place in the document, e.g. ``values[3].values[1].value``.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator
from decimal import Decimal

from django.utils.translation import gettext as _

from uppsikt.lib.limits import limits, too_many_rows

from .csvfile import decode
from .rows import FileRejected, RowError, SourceRow

_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def _offsets(text: str) -> dict[tuple[int, ...], int]:
    """Where each ``values[i]`` and ``values[i].values[j]`` starts (a valid document)."""
    found: dict[tuple[int, ...], int] = {}

    def skip(i: int) -> int:
        space = _SPACE.match(text, i)
        return space.end() if space is not None else i  # \s* always matches

    def obj(i: int, path: tuple[int, ...]) -> int:
        i = skip(i + 1)  # past "{"
        while text[i] != "}":
            key, i = json.decoder.scanstring(text, i + 1)  # type: ignore[attr-defined]  # not in typeshed
            i = skip(skip(i) + 1)  # past ":"
            if key == "values" and text[i] == "[" and len(path) < 2:
                i = skip(i + 1)
                index = 0
                while text[i] != "]":
                    found[(*path, index)] = i
                    i = (
                        obj(i, (*path, index))
                        if text[i] == "{"
                        else _DECODER.raw_decode(text, i)[1]
                    )
                    i = skip(i)
                    if text[i] == ",":
                        i = skip(i + 1)
                    index += 1
                i += 1
            else:
                i = _DECODER.raw_decode(text, i)[1]
            i = skip(i)
            if text[i] == ",":
                i = skip(i + 1)
        return i + 1

    start = skip(0)
    if text[start : start + 1] == "{":
        obj(start, ())
    return found


def value_fields(entry: dict, item: dict, *, null_withdraws: bool = False) -> dict:
    """The import fields of one value in Kolada's shape: ``entry`` is a KPI, municipality and
    period, ``item`` one of its ``values``. Shared by this reader and the Kolada sync.

    Kolada's status "Missing" (no figure) becomes no status. ``"isdeleted": true`` always
    withdraws the stored value; a ``null`` value withdraws it with ``null_withdraws``, else it
    is ``empty`` (nothing to record).
    """
    status = item.get("status")
    withdrawn = item.get("isdeleted") is True or (null_withdraws and item.get("value") is None)
    return {
        "indicator": entry.get("kpi"),
        "organisation": entry.get("municipality"),
        "period": entry.get("period"),
        "gender": item.get("gender"),
        # withdrawn: whatever value Kolada still sent is gone
        "value": None if withdrawn else item.get("value"),
        "status": "" if status is None or str(status).lower() == "missing" else status,
        "empty": item.get("value") is None and not withdrawn,
        "withdrawn": withdrawn,
    }


def read(
    data: bytes, *, null_withdraws: bool = False
) -> tuple[Iterator[SourceRow | RowError], int]:
    limit = limits().rows
    # Before parsing (a parsed document takes many times the file's size): every measured
    # value has its own "value" key, so their count is the file's rows.
    if data.count(b'"value"') > limit:
        raise FileRejected([RowError(None, "", "too_many_rows", too_many_rows(limit).message)])
    text = decode(data)
    try:
        document = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as error:
        raise FileRejected(
            [
                RowError(
                    error.lineno,
                    _("tecken %(col)s") % {"col": error.colno},
                    "bad_json",
                    _("Filen är inte giltig JSON (är den avkortad?): %(msg)s.")
                    % {"msg": error.msg},
                )
            ]
        ) from error
    if not isinstance(document, dict) or not isinstance(document.get("values"), list):
        raise FileRejected(
            [
                RowError(
                    1,
                    "values",
                    "bad_structure",
                    _("Filen har inte Koladas format: en lista ”values” saknas."),
                )
            ]
        )
    newlines = [m.start() for m in re.finditer("\n", text)]
    offsets = _offsets(text)

    def line_of(path: tuple[int, ...]) -> int:
        return bisect.bisect_right(newlines, offsets.get(path, 0)) + 1

    entries = document["values"]
    total = sum(len(e.get("values") or []) if isinstance(e, dict) else 1 for e in entries)
    return _rows(entries, line_of, null_withdraws), total


def _rows(entries: list, line_of, null_withdraws: bool) -> Iterator[SourceRow | RowError]:
    for i, entry in enumerate(entries):
        where = f"values[{i}]"
        inner = entry.get("values") if isinstance(entry, dict) else None
        if not isinstance(inner, list):
            yield RowError(
                line_of((i,)),
                where,
                "bad_structure",
                _("Posten saknar kpi, municipality, period eller values."),
            )
            continue
        for j, item in enumerate(inner):
            path = f"{where}.values[{j}]"
            if not isinstance(item, dict):
                yield RowError(
                    line_of((i, j)), path, "bad_structure", _("Värdet är inte ett objekt.")
                )
                continue
            values = value_fields(entry, item, null_withdraws=null_withdraws)
            columns = {
                "indicator": f"{where}.kpi",
                "organisation": f"{where}.municipality",
                "period": f"{where}.period",
                "gender": f"{path}.gender",
                "value": f"{path}.value",
                "status": f"{path}.status",
                "source": path,
            }
            yield SourceRow(line_of((i, j)), values, columns)
