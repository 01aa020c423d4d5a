"""What kind of file this is, judged by its content and never by its name.

Follow-up attachments (``followup.attachments``) take five kinds of files; ``judge`` says
which one a file is, or refuses it (``limits.InputRefused``, code ``forbidden_type``):

- PDF: starts with ``%PDF-1.`` or ``%PDF-2.`` and has an ``%%EOF`` marker near its end;
- PNG and JPEG: the format's signature and end (a PNG's IEND chunk, a JPEG's EOI), and Pillow reads the whole image (a PNG's checksums
  are verified, a truncated JPEG is refused); images of more than ``MAX_PIXELS`` pixels are
  refused before they are decoded (a decompression bomb);
- DOCX and XLSX: a zip (within the import limits for unpacked size and compression ratio,
  ``limits.Limits``) holding ``[Content_Types].xml`` that names ``word/document.xml`` or
  ``xl/workbook.xml`` as the main part of a Word document or Excel workbook; no part may
  hold a DTD, and macro-enabled files (``vbaProject.bin``) are refused. python-docx or
  openpyxl must then open it.

Everything else is refused: a program renamed ``.pdf``, a zip of something else renamed
``.docx``, HTML and SVG (which may run script in a browser), older Office formats.
"""

from __future__ import annotations

import io
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as parse_xml
from defusedxml.ElementTree import iterparse
from django.utils.translation import gettext as _

from .limits import InputRefused, Limits, limits
from .xlsx_input import check_archive_limits

# An attachment is a photo or a scanned page: 50 megapixels is more than any camera's.
MAX_PIXELS = 50_000_000
# A PDF writer ends the file with %%EOF, perhaps followed by a line break or a little junk.
PDF_TAIL_BYTES = 1024


@dataclass(frozen=True)
class FileType:
    key: str
    content_type: str
    extension: str
    label: str


PDF = FileType("pdf", "application/pdf", "pdf", "PDF")
PNG = FileType("png", "image/png", "png", "PNG")
JPEG = FileType("jpeg", "image/jpeg", "jpg", "JPEG")
DOCX = FileType(
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "docx",
    "Word (DOCX)",
)
XLSX = FileType(
    "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xlsx",
    "Excel (XLSX)",
)
TYPES = (PDF, PNG, JPEG, DOCX, XLSX)
BY_CONTENT_TYPE = {kind.content_type: kind for kind in TYPES}

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# The IEND chunk: its length (0), type and checksum. Nothing may follow it.
PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"
JPEG_SIGNATURE = b"\xff\xd8\xff"
ZIP_SIGNATURE = b"PK\x03\x04"
# The main part of each Office format, and the content type [Content_Types].xml gives it.
OFFICE_MAIN = {
    DOCX: (
        "/word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    XLSX: (
        "/xl/workbook.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ),
}
CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"


def allowed_text() -> str:
    return ", ".join(kind.label for kind in TYPES)


def forbidden(reason: str) -> InputRefused:
    return InputRefused(
        _("Filtypen tas inte emot: %(reason)s. Tillåtna filtyper är %(allowed)s.")
        % {"reason": reason, "allowed": allowed_text()},
        "forbidden_type",
    )


def judge(content: bytes, within: Limits | None = None) -> FileType:
    """The type of the file whose bytes are ``content``; ``InputRefused`` when it is none
    of the allowed ones, or is one only by its first bytes."""
    if content.startswith((b"%PDF-1.", b"%PDF-2.")):
        return _pdf(content)
    if content.startswith(PNG_SIGNATURE):
        if not content.endswith(PNG_END):  # Pillow reads a PNG without its end
            raise forbidden(_("filen börjar som en PNG-bild men är ofullständig"))
        return _image(content, PNG, "PNG")
    if content.startswith(JPEG_SIGNATURE):
        # WeasyPrint lets Pillow read truncated images (``LOAD_TRUNCATED_IMAGES``, set for
        # the whole process when it is imported): the end marker is checked here instead.
        if not content.rstrip(b"\x00\r\n").endswith(b"\xff\xd9"):
            raise forbidden(_("filen börjar som en JPEG-bild men är ofullständig"))
        return _image(content, JPEG, "JPEG")
    if content.startswith(ZIP_SIGNATURE):
        return _office(content, within or limits())
    raise forbidden(_("innehållet är inte någon av de tillåtna filtyperna"))


def _pdf(content: bytes) -> FileType:
    if b"%%EOF" not in content[-PDF_TAIL_BYTES:]:
        raise forbidden(_("filen börjar som en PDF men är ofullständig (slutmarkering saknas)"))
    return PDF


def _image(content: bytes, kind: FileType, pillow_format: str) -> FileType:
    from PIL import Image

    broken = forbidden(
        _("filen börjar som en %(kind)s-bild men bilden kan inte läsas") % {"kind": kind.label}
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content), formats=[pillow_format]) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise forbidden(
                        _("bilden är %(w)s × %(h)s bildpunkter, större än som tas emot")
                        % {"w": width, "h": height}
                    )
                image.verify()
            with Image.open(io.BytesIO(content), formats=[pillow_format]) as image:
                image.load()
    except InputRefused:
        raise
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as error:
        raise broken from error
    except (Image.DecompressionBombWarning, MemoryError, IndexError, TypeError) as error:
        raise broken from error
    return kind


def _office(content: bytes, within: Limits) -> FileType:
    not_office = forbidden(_("filen är ett zip-arkiv men inte ett Word- eller Excel-dokument"))
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise not_office from error
    with archive:
        _check_archive(archive, within)
        kind = _main_part(archive)
        if kind is None:
            raise not_office
    _open_office(content, kind)
    return kind


def _check_archive(archive: zipfile.ZipFile, within: Limits) -> None:
    """The import limits on a zip (as ``xlsx_input.check_workbook``), no macros, no DTD."""
    check_archive_limits(archive, within, refused=_("Filen avvisas"))
    members = archive.infolist()
    for member in members:
        if member.filename.lower().endswith("vbaproject.bin"):
            raise forbidden(_("dokumentet innehåller makron"))
    for member in members:
        if not member.is_dir():
            _check_prolog(archive, member)


def _check_prolog(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """Parse ``member`` as XML up to its root's start tag, refusing a DTD or an entity."""
    broken = forbidden(_("dokumentet är skadat"))
    try:
        with archive.open(member) as stream:
            for _event in iterparse(stream, events=("start",), forbid_dtd=True):
                return
    except DefusedXmlException as error:
        raise forbidden(_("dokumentet innehåller en DTD eller en entitetsdeklaration")) from error
    except (NotImplementedError, RuntimeError, zipfile.BadZipFile, EOFError) as error:
        raise broken from error  # encrypted, unknown compression, a bad checksum
    except (ParseError, OSError, ValueError):
        return  # not XML (an image in the document): nothing here parses it as XML


def _main_part(archive: zipfile.ZipFile) -> FileType | None:
    """DOCX or XLSX by the content type ``[Content_Types].xml`` gives its main part."""
    names = set(archive.namelist())
    if "[Content_Types].xml" not in names:
        return None
    try:
        root = parse_xml(archive.read("[Content_Types].xml"), forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError, zipfile.BadZipFile, OSError):
        return None
    overrides = {
        element.get("PartName", ""): element.get("ContentType", "")
        for element in root.iter(f"{CONTENT_TYPES_NS}Override")
    }
    for kind, (part, content_type) in OFFICE_MAIN.items():
        if part.lstrip("/") in names and overrides.get(part) == content_type:
            return kind
    return None


def _open_office(content: bytes, kind: FileType) -> None:
    """python-docx or openpyxl must be able to open the file."""
    try:
        if kind is DOCX:
            import docx

            docx.Document(io.BytesIO(content))
        else:
            from openpyxl import load_workbook

            load_workbook(io.BytesIO(content), read_only=True).close()
    except Exception as error:  # any failure to read means "not this type"
        raise forbidden(
            _("filen ser ut som %(kind)s men kan inte öppnas") % {"kind": kind.label}
        ) from error


_UNSAFE = re.compile(r"[\x00-\x1f\x7f\"\\/:*?<>|;]+")


def display_name(name: str, limit: int = 200) -> str:
    """A file name as sent, made harmless to show and store: no folders, no control or
    shell characters, at most ``limit`` characters; "fil" if nothing is left."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE.sub("_", name).strip(" .")
    return name[:limit] or "fil"


def download_name(name: str, kind: FileType) -> str:
    """The name a file is downloaded under: its shown name with the judged type's
    extension (a PDF sent as ``rapport.exe`` downloads as ``rapport.pdf``)."""
    stem = display_name(name)
    base, dot, _extension = stem.rpartition(".")
    if dot and base:
        stem = base
    return f"{stem[:150] or 'fil'}.{kind.extension}"


def label_for(content_type: str) -> str:
    kind = BY_CONTENT_TYPE.get(content_type)
    return kind.label if kind is not None else content_type
