"""Reading an XLSX file that someone else made, without trusting it.

Every importer that reads a workbook (indicators, budget, internal control) opens it here:

1. ``check_workbook`` looks at the zip before anything parses it. The members may unpack to
   at most the limit in all (``Limits.unpacked_bytes``; the sizes in the zip directory are
   the most ``zipfile`` will ever unpack), and no large member more than ``Limits.ratio``
   times its packed size (a zip bomb). No XML part may have a DTD: a document type
   declaration can only stand before the root element, so each part is parsed with
   ``defusedxml`` up to its root's start tag and refused on a DTD, an entity or an external
   reference. (openpyxl itself also parses with defusedxml once it is installed.)
2. ``sheet_rows`` reads a sheet row by row (openpyxl's read-only mode) without believing the
   sheet's ``<dimension>`` element, which may name fewer rows or columns than the sheet has;
   it refuses the row past ``Limits.rows`` and a sheet of absurdly wide rows, so the file is
   never read further than that.

Problems are ``limits.InputRefused`` with a Swedish message. A file that is not a zip at all
passes ``check_workbook``: openpyxl then refuses it, and each importer says so in its words.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.utils.translation import gettext as _

from .limits import InputRefused, Limits, capped, limits, size_text

# A member smaller than this is never a bomb, whatever its ratio (a sheet of one repeated
# value packs 1:100 and more).
RATIO_FROM_BYTES = 1024 * 1024
# No importer reads anything near this many columns; a row wider than this (the cells up to
# its last non-empty one) is refused, and so is a sheet whose rows hold more cells in all
# than MAX_CELLS (openpyxl pads every row up to its last cell, even an empty one).
MAX_COLUMNS = 1000
MAX_CELLS = 50_000_000
# A workbook has a few dozen parts; each is opened to look for a DTD.
MAX_MEMBERS = 10_000


def check_archive_limits(archive: zipfile.ZipFile, within: Limits, *, refused: str) -> None:
    """Refuse a zip with too many parts, too large unpacked, or a part packed too hard (a
    zip bomb), reading only its directory. ``refused`` starts each message ("Filen avvisas")."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise InputRefused(
            _("%(refused)s: den består av %(n)s delar, fler än ett dokument har.")
            % {"refused": refused, "n": len(members)},
            "zip_bomb",
        )
    total = sum(member.file_size for member in members)
    if total > within.unpacked_bytes:
        raise InputRefused(
            _(
                "%(refused)s: den packas upp till %(size)s; den största tillåtna storleken "
                "uppackad är %(limit)s."
            )
            % {
                "refused": refused,
                "size": size_text(total),
                "limit": size_text(within.unpacked_bytes),
            },
            "unpacked_too_large",
        )
    for member in members:
        if member.file_size > RATIO_FROM_BYTES:
            ratio = member.file_size // max(member.compress_size, 1)
            if ratio > within.ratio:
                raise InputRefused(
                    _(
                        "%(refused)s: delen %(name)s packas upp till %(ratio)s gånger sin "
                        "packade storlek (högst %(allowed)s gånger tillåts)."
                    )
                    % {
                        "refused": refused,
                        "name": member.filename,
                        "ratio": ratio,
                        "allowed": within.ratio,
                    },
                    "zip_bomb",
                )


def _dtd(name: str) -> InputRefused:
    return InputRefused(
        _(
            "Excel-filen avvisas: %(name)s innehåller en DTD eller en entitetsdeklaration, "
            "något som Excel aldrig skriver och som inte läses av säkerhetsskäl. Spara filen "
            "på nytt i Excel och försök igen."
        )
        % {"name": name},
        "xml_dtd",
    )


def _unreadable(error: Exception) -> InputRefused:
    return InputRefused(
        _("Excel-filen kan inte läsas: den är skadad (%(kind)s).") % {"kind": type(error).__name__},
        "bad_workbook",
    )


def check_workbook(content: bytes, within: Limits | None = None) -> None:
    """Refuse (``InputRefused``) a workbook too large unpacked, a zip bomb, or one with a DTD.

    Reads the zip directory and the start of each member only.
    """
    within = within or limits()
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip: the importer's reader refuses it in its own words
    with archive:
        check_archive_limits(archive, within, refused=_("Excel-filen avvisas"))
        members = archive.infolist()
        for member in members:
            if not member.is_dir():
                _check_prolog(archive, member)


def _check_prolog(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """Parse ``member`` as XML up to its root element's start tag, refusing a DTD."""
    try:
        with archive.open(member) as stream:
            for _event in iterparse(stream, events=("start",), forbid_dtd=True):
                return
    except DefusedXmlException as error:
        raise _dtd(member.filename) from error
    except (NotImplementedError, RuntimeError) as error:  # unknown compression, encrypted
        raise _unreadable(error) from error
    except (ParseError, zipfile.BadZipFile, OSError, EOFError, ValueError):
        return  # not XML (an image, say), or broken: whoever reads it refuses it


def sheet_rows(sheet, *, limit: int | None = None) -> Iterator[tuple]:
    """The rows of a read-only sheet as tuples of values, from row 1, every row there is.

    The sheet's stated dimensions are dropped first: openpyxl would stop at the last row
    and column that ``<dimension>`` names. Missing rows come as empty tuples. Refuses the row
    past ``limit`` (default ``Limits.rows``), and a broken sheet, as ``InputRefused``.
    """
    sheet.reset_dimensions()
    cells = 0
    rows = capped(sheet.iter_rows(values_only=True), limit)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except InputRefused:
            raise
        except DefusedXmlException as error:
            raise _dtd(sheet.title) from error
        except (ParseError, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
            raise _unreadable(error) from error
        cells += len(row)
        width = len(row)
        while width and row[width - 1] is None:
            width -= 1
        if width > MAX_COLUMNS or cells > MAX_CELLS:
            raise InputRefused(
                _("Excel-filen har rader med fler än %(n)s kolumner; så breda rader läses inte.")
                % {"n": MAX_COLUMNS},
                "too_wide",
            )
        yield tuple(row[:width])
