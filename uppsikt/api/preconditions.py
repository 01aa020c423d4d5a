"""Conditional requests: an ``ETag`` on the reads of what people edit, ``If-Match`` on writes.

A goal, a plan text, a follow-up entry, a budget table and a risk each have a version
(``row_version``, ``lib.concurrency``) that moves with every change. Reading one answers
with ``ETag: "goal-345-7"`` (the kind, the id, the version). A write that sends
``If-Match`` with that value is done only while the object is still that version; otherwise
it is refused with **412** and changes nothing. ``If-Match: *`` only asks that the object
exists. A write without ``If-Match`` is done as before, whatever the version.

The endpoint checks ``If-Match`` once the request is otherwise valid (so 401, 403, 404, 409
and 422 come first), and the action checks again under the row's lock
(``expected_version``), so that a change made in between is refused too (``EditConflict``,
answered 412 by ``errors``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Header

from .errors import ApiError

IF_MATCH_DESCRIPTION = (
    "Villkor: ändra bara om objektet fortfarande har denna ETag (från GET eller ett tidigare "
    'svar), t.ex. "goal-345-7". Annars 412 och ingenting ändras. * kräver bara att objektet '
    "finns. Utan If-Match görs ändringen oavsett version."
)


def IfMatch() -> Any:  # used like ninja's Header()
    return Header(None, alias="If-Match", description=IF_MATCH_DESCRIPTION, max_length=2000)


# The operations whose 2xx answers carry an ETag (``tagged``), for the OpenAPI document.
TAGGED: set[str] = set()


def tagged(view: Callable) -> Callable:
    """Mark an endpoint (under its router's decorator) as answering with an ETag."""
    TAGGED.add(f"{view.__module__.replace('.', '_')}_{view.__name__}")
    return view


def document_etags(schema: dict[str, Any]) -> None:
    """Name the ETag header in the answers of the ``tagged`` operations."""
    header = {
        "description": "Objektets version, att skicka som If-Match när det ändras.",
        "schema": {"type": "string"},
    }
    for operations in schema["paths"].values():
        for operation in operations.values():
            if operation.get("operationId") not in TAGGED:
                continue
            for status, answer in operation["responses"].items():
                if 200 <= int(status) < 300:
                    answer.setdefault("headers", {})["ETag"] = header


def etag(kind: str, pk: int, version: int) -> str:
    """The strong ETag of object ``pk`` of ``kind`` at ``version``: ``"goal-345-7"``."""
    return f'"{kind}-{pk}-{version}"'


def set_etag(response: HttpResponse, kind: str, obj: Any) -> None:
    response["ETag"] = etag(kind, obj.pk, obj.row_version)


def listed(request: HttpRequest) -> list[str] | None:
    """The entity tags of the request's ``If-Match`` (None when there is none)."""
    header = request.headers.get("If-Match")
    if header is None:
        return None
    return [tag.strip() for tag in header.split(",") if tag.strip()]


def stale(current: str | None) -> ApiError:
    headers = {"ETag": current} if current else {}
    return ApiError(
        412,
        "precondition_failed",
        _(
            "Objektet har ändrats sedan du läste det (If-Match stämmer inte med dess "
            "nuvarande ETag). Ingenting ändrades. Läs det igen och gör om ändringen."
        ),
        [
            {
                "field": "If-Match",
                "code": "stale" if current else "missing",
                "message": _("Nuvarande ETag: %(etag)s.") % {"etag": current}
                if current
                else _("Objektet finns inte."),
            }
        ],
        headers=headers,
    )


def expected_version(request: HttpRequest, kind: str, pk: int | None, version: int) -> int | None:
    """The version to hand the action: None without ``If-Match`` (or with ``*``), else the
    current one, after checking that ``If-Match`` names it (412 if not). The action checks it
    again under lock."""
    tags = listed(request)
    if tags is None:
        return None
    current = etag(kind, pk, version) if pk is not None else None
    if current is not None and "*" in tags:
        return None
    if current is None or current not in tags:
        raise stale(current)
    return version
