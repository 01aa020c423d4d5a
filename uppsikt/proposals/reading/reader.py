"""The one entry point: ``read(path_or_bytes, filename)`` reads a plan document into a
``ReadDocument``, choosing the reader by the file's content (never by its name):

- ``%PDF-`` → ``pdf.read_pdf`` (the file must end with ``%%EOF``, ``lib.filetypes``);
- a zip → ``lib.filetypes.judge`` (unpacked size, compression ratio, no DTD, no macros)
  must call it a Word document → ``docx.read_docx``; an XLSX or a zip of anything else is
  refused (``not_docx``);
- text (UTF-8 or Windows-1252, no NUL bytes, not HTML) → ``text.read_text``;
- anything else is refused (``unknown_type``).

The file's size is checked first against ``UPPSIKT_IMPORT_MAX_UPLOAD_BYTES``. Nothing is
stored: a reading gives blocks or raises ``ReadError``.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

from django.utils.translation import gettext as _

from uppsikt.lib import filetypes
from uppsikt.lib.limits import InputRefused, check_size, limits

from .blocks import ReadDocument
from .errors import ReadError, damaged

# How much of a file is looked at to tell text from binary.
SNIFF_BYTES = 4096


def read(source: str | os.PathLike[str] | bytes, filename: str = "") -> ReadDocument:
    """The blocks of the plan document ``source`` (a path or the file's bytes);
    ``filename`` is only used in messages."""
    content = _content(source)
    if content.startswith(b"%PDF-"):
        _judge(content, "PDF")
        from .pdf import read_pdf

        return read_pdf(content)
    if content.startswith(filetypes.ZIP_SIGNATURE):
        kind = _judge(content, "Word (DOCX)")
        if kind is not filetypes.DOCX:
            raise not_docx(_("filen är en Excel-arbetsbok"))
        from .docx import read_docx

        return read_docx(content)
    if _is_text(content):
        from .text import read_text

        return read_text(content)
    raise unknown_type()


def _content(source: str | os.PathLike[str] | bytes) -> bytes:
    if isinstance(source, bytes | bytearray | memoryview):
        content = bytes(source)
        _check_size(len(content))
        return content
    path = Path(source)
    _check_size(path.stat().st_size)
    return path.read_bytes()


def _check_size(size: int) -> None:
    if size == 0:
        raise ReadError(_("Filen är tom."), "empty")
    try:
        check_size(size, limits().upload_bytes)
    except InputRefused as error:
        raise ReadError(error.message, error.code) from error


def _judge(content: bytes, label: str) -> filetypes.FileType:
    try:
        return filetypes.judge(content)
    except InputRefused as error:
        if error.code != "forbidden_type":
            raise ReadError(error.message, error.code) from error  # zip bomb, DTD, size
        if content.startswith(b"%PDF-") or _names_word_document(content):
            raise damaged(label) from error
        # Not the upload check's own message: its list of allowed types is the attachments'.
        raise not_docx(_("filen är ett zip-arkiv utan Word-dokument i")) from error


def _names_word_document(content: bytes) -> bool:
    """Whether a zip holds a Word document's main part (so a refusal means damage)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False


def not_docx(reason: str) -> ReadError:
    return ReadError(
        _(
            "Filen är inte ett Word-dokument (DOCX) som kan läsas: %(reason)s. Spara planen "
            "som DOCX eller PDF och försök igen."
        )
        % {"reason": reason},
        "not_docx",
    )


def unknown_type() -> ReadError:
    return ReadError(
        _(
            "Filen är varken en PDF, ett Word-dokument (DOCX) eller ren text. Spara planen "
            "som DOCX eller PDF och försök igen."
        ),
        "unknown_type",
    )


def _is_text(content: bytes) -> bool:
    head = content[:SNIFF_BYTES]
    if b"\x00" in head:
        return False
    lowered = head.lstrip().lower()
    if (
        lowered.startswith((b"<!doctype", b"<html", b"<?xml", b"<svg", b"{\\rtf"))
        or b"<html" in lowered
    ):
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 4:  # not merely a character cut at the end
            try:
                head.decode("cp1252")
            except UnicodeDecodeError:
                return False
    return True
