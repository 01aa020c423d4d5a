"""Conditional requests: an ``ETag`` on the reads of what people edit, ``If-Match`` on writes.

A plan and each object in it, a follow-up entry, a budget table and a risk each have a
version (``row_version``, ``lib.concurrency``) that moves with every change. Reading one answers
with ``ETag: "goal-345-7"`` (the kind, the id, the version). A write that sends
``If-Match`` with that value is done only while the object is still that version; otherwise
it is refused with **412** and changes nothing. ``If-Match: *`` only asks that the object
exists. A write without ``If-Match`` is done as before, whatever the version.

The endpoint turns ``If-Match`` into the version it expects (``expected_version``) and
hands it to the action, which compares it with the row's version under the row's lock,
after everything else about the request has been checked: a request that would have been
refused anyway (401, 403, 404, 409, 422) is refused for that reason, and 412 means "this
would have been done, had the object not changed" (``EditConflict``, answered by
``errors``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Header

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


STALE = -1  # a version no row has: the action refuses it


def expected_version(request: HttpRequest, kind: str, pk: int | None, version: int) -> int | None:
    """The version to hand the action for the object ``pk`` of ``kind`` now at ``version``
    (``pk`` None: there is no such object yet): None without ``If-Match`` (no check) or with
    ``*`` for an object that exists; ``version`` when ``If-Match`` names its current ETag;
    else ``STALE``, which the action refuses with ``EditConflict`` (412)."""
    tags = listed(request)
    if tags is None:
        return None
    if pk is None:
        return STALE
    if "*" in tags:
        return None
    return version if etag(kind, pk, version) in tags else STALE


# The models whose rows the API names in an ETag, by kind.
KINDS = {
    "plans.plan": "plan",
    "plans.goal": "goal",
    "plans.section": "section",
    "plans.perspective": "perspective",
    "plans.focusarea": "focus_area",
    "plans.strategy": "strategy",
    "plans.indicator": "indicator",
    "plans.assignment": "assignment",
    "plans.activity": "activity",
    "followup.followup": "followup",
    "budget.budgettable": "budget-table",
    "control.risk": "risk",
}


def current_etag(obj: Any) -> str | None:
    """The ETag of ``obj`` as stored now (for a 412), if it is an object the API tags."""
    kind = KINDS.get(obj._meta.label_lower) if obj is not None else None
    if kind is None:
        return None
    version = type(obj).objects.filter(pk=obj.pk).values_list("row_version", flat=True).first()
    return etag(kind, obj.pk, version) if version is not None else None
