"""How much an import may read: the limits every importer applies, from the settings.

- ``upload_bytes``: the largest file taken through the web (and kept for a budget import);
- ``unpacked_bytes``: the largest an XLSX file may be once unpacked (the sum of its zip
  members' sizes), and ``ratio`` how much more than its packed size one member may unpack
  to (zip bombs); both are checked before anything parses the file (``xlsx_input``);
- ``rows``: the most rows one import reads (CSV, XLSX, SIE lines), counted while reading,
  so no file is read past the limit;
- ``errors``: how many problems an import lists; the rest are counted and summed up in one
  line (``more_problems``).

The numbers come from ``settings.IMPORT_MAX_*`` (``UPPSIKT_IMPORT_MAX_*`` in the
environment, see README "Configuration" and docs/security.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    upload_bytes: int
    unpacked_bytes: int
    ratio: int
    rows: int
    errors: int


def limits() -> Limits:
    """The limits now in force (read on each call, so tests may override the settings)."""
    return Limits(
        upload_bytes=settings.IMPORT_MAX_UPLOAD_BYTES,
        unpacked_bytes=settings.IMPORT_MAX_UNPACKED_BYTES,
        ratio=settings.IMPORT_MAX_COMPRESSION_RATIO,
        rows=settings.IMPORT_MAX_ROWS,
        errors=settings.IMPORT_MAX_ERRORS,
    )


class InputRefused(ValueError):
    """A file refused as a whole, before or while reading it; the message is Swedish.

    ``code`` says why, for the API and tests: ``too_large``, ``too_many_rows``,
    ``unpacked_too_large``, ``zip_bomb``, ``xml_dtd``, ``bad_workbook``.
    """

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def size_text(size: int) -> str:
    """A size as people read it ("50,0 MB")."""
    return str(filesizeformat(size)).replace("\xa0", " ")


def check_size(size: int, limit: int | None = None) -> None:
    """Refuse a file of ``size`` bytes above the upload limit."""
    limit = limits().upload_bytes if limit is None else limit
    if size > limit:
        raise InputRefused(
            _("Filen är %(size)s; den största fil som tas emot är %(limit)s.")
            % {"size": size_text(size), "limit": size_text(limit)},
            "too_large",
        )


def too_many_rows(limit: int) -> InputRefused:
    return InputRefused(
        ngettext(
            "Filen har fler än %(n)s rad; en import får ha högst %(n)s rad.",
            "Filen har fler än %(n)s rader; en import får ha högst %(n)s rader.",
            limit,
        )
        % {"n": limit},
        "too_many_rows",
    )


def capped(rows: Iterable[T], limit: int | None = None) -> Iterator[T]:
    """``rows`` as they come, refusing (``InputRefused``) the one past ``limit``: the file is
    never read further than that, and nothing before it needs to be kept."""
    limit = limits().rows if limit is None else limit
    for count, row in enumerate(rows, 1):
        if count > limit:
            raise too_many_rows(limit)
        yield row


def check_line_count(content: bytes, limit: int | None = None) -> None:
    """Refuse a text file with more lines than the row limit, before parsing it."""
    limit = limits().rows if limit is None else limit
    lines = content.count(b"\n") + (0 if content.endswith(b"\n") else 1)
    if lines > limit:
        raise too_many_rows(limit)


def more_problems(more: int) -> str:
    """The line after the listed problems: how many more there are."""
    return ngettext(
        "… och %(n)s fel till, som inte visas här.",
        "… och %(n)s fel till, som inte visas här.",
        more,
    ) % {"n": more}


def listed(problems: list[T], limit: int | None = None) -> tuple[list[T], int]:
    """The first ``limit`` problems, and how many more there are."""
    limit = limits().errors if limit is None else limit
    return problems[:limit], max(len(problems) - limit, 0)
