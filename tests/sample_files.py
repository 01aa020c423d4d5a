"""Real files of every kind an attachment may be, made by the libraries that write them, and
files that only pretend to be one (for ``lib.filetypes`` and the attachment tests)."""

from __future__ import annotations

import functools
import io
import zipfile


@functools.cache
def pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string="<html lang='sv'><p>Protokoll från nämnden.</p></html>").write_pdf()


@functools.cache
def png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


@functools.cache
def jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 20)).save(buffer, "JPEG")
    return buffer.getvalue()


@functools.cache
def docx() -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    document.add_paragraph("Handlingsplan för arbetsmiljön.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@functools.cache
def xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Kvartal", "Utfall"])
    workbook.active.append(["Q1", 12])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


SAMPLES = {"pdf": pdf, "png": png, "jpeg": jpeg, "docx": docx, "xlsx": xlsx}

# A Windows program's first bytes (the DOS stub), as a renamed .exe starts.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(200)
HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def with_member(original: bytes, name: str, content: bytes) -> bytes:
    """``original`` (a zip) with one more member."""
    with zipfile.ZipFile(io.BytesIO(original)) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    members[name] = content
    return zip_of(members)
