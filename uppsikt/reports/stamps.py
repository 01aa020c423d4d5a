"""Times written into generated documents: always Swedish local time (Europe/Stockholm).

A document says when it was made in three places: the text ("Sammanställd 26 november 2026
05:09"), the metadata of its format (PDF ``CreationDate``, the ``dcterms:created`` and
``dcterms:modified`` core properties of DOCX and XLSX, the HTML ``dcterms.created`` meta)
and the metadata of exports. All of them use the same local moment, with its UTC offset
where the format has room for one (``2026-11-26T05:09:42+01:00``), never a bare UTC time.

python-docx and openpyxl write core properties as UTC with a ``Z`` whatever they are given,
so ``set_core_times`` rewrites them in the finished package.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from zoneinfo import ZoneInfo

from django.utils.formats import date_format

ZONE = ZoneInfo("Europe/Stockholm")
CORE = "docProps/core.xml"


def local(moment: datetime.datetime) -> datetime.datetime:
    """The moment in Stockholm time (a naive moment is taken to be UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(ZONE)


def label(moment: datetime.datetime) -> str:
    """ "26 november 2026 05:09", for the text of a document."""
    return date_format(local(moment), "j F Y H:i")


def iso(moment: datetime.datetime) -> str:
    """ "2026-11-26T05:09:42+01:00", for metadata."""
    return local(moment).replace(microsecond=0).isoformat()


def set_core_times(package: bytes, moment: datetime.datetime) -> bytes:
    """The Office package with its created and modified core properties set to ``moment``
    in Stockholm time."""
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    stamp = iso(moment)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == CORE:
                text = data.decode("utf-8")
                for name in ("created", "modified"):
                    text = re.sub(
                        rf"(<dcterms:{name}\b[^>]*>)[^<]*(</dcterms:{name}>)",
                        rf"\g<1>{stamp}\g<2>",
                        text,
                    )
                data = text.encode("utf-8")
            target.writestr(info, data)
    return out.getvalue()
