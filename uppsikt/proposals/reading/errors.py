"""Why a plan document could not be read: ``ReadError`` with a machine code and a Swedish
message, and the bounds every reader keeps (pages, bytes, seconds) from the settings.

Codes: ``too_large`` (bytes), ``too_many_pages``, ``too_slow``, ``unknown_type`` (neither
PDF, DOCX nor text), ``not_docx`` (a zip that is not a Word document: an XLSX, a zip of
other files), ``damaged``, ``encrypted``, ``no_text_layer`` (a scan), ``empty``,
``zip_bomb``/``unpacked_too_large``/``xml_dtd`` (from ``lib.filetypes``' checks).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from uppsikt.lib.limits import InputRefused

# A document without pages (DOCX, text without form feeds) counts one per this many words.
WORDS_PER_PAGE = 500


class ReadError(InputRefused):
    """A plan document refused as a whole; ``message`` Swedish, ``code`` for the API."""


@dataclass(frozen=True)
class ReadLimits:
    pages: int
    seconds: float


def read_limits() -> ReadLimits:
    """The bounds now in force (read on each call, so tests may override the settings)."""
    return ReadLimits(pages=settings.PLAN_READ_MAX_PAGES, seconds=settings.PLAN_READ_MAX_SECONDS)


def too_many_pages(pages: int, limit: int) -> ReadError:
    return ReadError(
        ngettext(
            "Dokumentet har %(pages)s sidor; högst %(limit)s sida kan läsas in.",
            "Dokumentet har %(pages)s sidor; högst %(limit)s sidor kan läsas in.",
            limit,
        )
        % {"pages": pages, "limit": limit},
        "too_many_pages",
    )


def check_pages(pages: int, words: int = 0) -> None:
    """Refuse a document of more pages than the limit: ``pages`` as it has them, or its
    ``words`` / ``WORDS_PER_PAGE`` when that is more."""
    count = max(pages, words // WORDS_PER_PAGE)
    limit = read_limits().pages
    if count > limit:
        raise too_many_pages(count, limit)


def damaged(kind: str) -> ReadError:
    return ReadError(
        _("Filen ser ut som %(kind)s men är skadad och kan inte läsas.") % {"kind": kind},
        "damaged",
    )


class Deadline:
    """The time a reading may take; ``check()`` between pages or blocks refuses it after."""

    def __init__(self, seconds: float | None = None) -> None:
        self.seconds = read_limits().seconds if seconds is None else seconds
        self.ends = time.monotonic() + self.seconds

    def check(self) -> None:
        if time.monotonic() > self.ends:
            raise ReadError(
                _(
                    "Dokumentet tog för lång tid att läsa in (mer än %(seconds)s sekunder). "
                    "Dela upp det eller spara det på nytt från originalet."
                )
                % {"seconds": int(self.seconds)},
                "too_slow",
            )
