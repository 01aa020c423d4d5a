"""A follow-up entry's attachments (bilagor): list, upload, download, remove.

Written through ``followup.actions.attachments`` (rights, an open period, the unit's report
still with the unit, the file's type judged by its content and its size; audited). Only
those who may read the unit's follow-up see the files: an entry the caller may read only as
published internal control has none to show (404), and neither has the public.

An upload is ``multipart/form-data`` with the file in ``file``; the type it is sent with is
ignored. Refusals carry a code: 415 ``forbidden_type``, 413 ``too_large``, 409 with
``period_closed``, ``entry_reviewed`` or ``report_locked`` in ``errors``, 403 ``forbidden``.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile

from uppsikt.accounts.access import Perm, can
from uppsikt.followup.actions.attachments import add_attachment, remove_attachment
from uppsikt.followup.actions.entries import may_write
from uppsikt.followup.models import Attachment, FollowUp
from uppsikt.lib.filetypes import BY_CONTENT_TYPE

from .auth import allowed, caller, writer
from .errors import ApiError, django_errors
from .schemas import READ, WRITE, PathId, answers

router = Router(tags=["Uppföljning"])
FILE_ANSWER = {
    "description": "Filen.",
    "content": {
        content_type: {"schema": {"type": "string", "format": "binary"}}
        for content_type in sorted(BY_CONTENT_TYPE)
    },
}


class AttachmentOut(Schema):
    id: int
    followup_id: int = Field(description="Uppföljningen filen hör till.")
    name: str = Field(description="Filens namn när den laddades upp (bara för visning).")
    content_type: str = Field(description="Filtypen, bedömd efter innehållet.")
    size: int = Field(description="Storlek i byte.")
    sha256: str
    uploaded_by: str | None
    uploaded_at: datetime.datetime
    download: str = Field(description="Adressen filen hämtas från.")

    @staticmethod
    def resolve_followup_id(obj: Attachment) -> int:
        return obj.entry_id

    @staticmethod
    def resolve_name(obj: Attachment) -> str:
        return obj.original_name

    @staticmethod
    def resolve_uploaded_by(obj: Attachment) -> str | None:
        return obj.uploaded_by.get_username() if obj.uploaded_by else None

    @staticmethod
    def resolve_download(obj: Attachment) -> str:
        return f"/api/v1/followups/{obj.entry_id}/attachments/{obj.pk}/file"


def _entry(user, followup_id: int) -> FollowUp:
    """The entry, if the caller may read its unit's follow-up (else 404)."""
    entry = (
        FollowUp.objects.select_related("period").filter(pk=followup_id).first()
        if getattr(user, "is_authenticated", False)
        else None
    )
    if entry is None or not can(user, Perm.VIEW, entry.unit_id):
        raise Http404
    return entry


def _attachment(user, followup_id: int, attachment_id: int) -> Attachment:
    entry = _entry(user, followup_id)
    return get_object_or_404(
        Attachment.objects.select_related("uploaded_by", "entry__period"),
        pk=attachment_id,
        entry=entry,
    )


def _may_change(user, followup_id: int, **_ids) -> None:
    entry = _entry(user, followup_id)
    if not may_write(user, entry.unit_id, entry.responsible_id):
        raise PermissionDenied(
            _("Du har inte behörighet att ändra bilagorna till den här uppföljningen.")
        )


def _refused(error: ValidationError) -> ApiError:
    """415 for a type not taken, 413 for a file too large; else None (the general 409)."""
    errors = django_errors(error)
    codes = {item["code"] for item in errors}
    if "forbidden_type" in codes:
        return ApiError(415, "forbidden_type", " ".join(error.messages), errors)
    if "too_large" in codes:
        return ApiError(413, "too_large", " ".join(error.messages), errors)
    return ApiError(
        409, "conflict", _("Begäran kan inte genomföras med uppgifterna som de ser ut nu."), errors
    )


@router.get(
    "/{followup_id}/attachments",
    response=answers(200, list[AttachmentOut], *READ),
    summary="En uppföljnings bilagor",
    description="För dem som får läsa enhetens uppföljning.",
)
def list_attachments(request, followup_id: int = PathId()):
    entry = _entry(caller(request), followup_id)
    return list(entry.attachments.select_related("uploaded_by"))


@router.post(
    "/{followup_id}/attachments",
    auth=allowed(_may_change),
    response=answers(201, AttachmentOut, *WRITE, 415),
    summary="Bifoga en fil",
    description="multipart/form-data med filen i fältet file: PDF, DOCX, XLSX, PNG eller "
    "JPEG, bedömd efter innehållet (inte namnet eller den angivna typen), högst "
    "ATTACHMENT_MAX_BYTES. 415 forbidden_type, 413 too_large; 409 när tillfället är stängt "
    "(period_closed), uppföljningen granskad (entry_reviewed) eller rapporten inlämnad eller "
    "godkänd (report_locked).",
)
def upload_attachment(request, file: File[UploadedFile], followup_id: int = PathId()):
    user = writer(request)
    entry = _entry(user, followup_id)
    try:
        attachment = add_attachment(entry, file, name=file.name or "", actor=user, size=file.size)
    except ValidationError as error:
        raise _refused(error) from error
    return Status(201, attachment)


@router.get(
    "/{followup_id}/attachments/{attachment_id}/file",
    response=answers(200, None, *READ),
    openapi_extra={"responses": {200: FILE_ANSWER}},
    summary="Hämta en bilaga",
    description="Filen, med filtypen som bedömdes när den kom in, som nedladdning "
    "(Content-Disposition: attachment).",
)
def download_attachment(request, followup_id: int = PathId(), attachment_id: int = PathId()):
    attachment = _attachment(caller(request), followup_id, attachment_id)
    try:
        stream = attachment.file.open("rb")
    except OSError as error:
        raise Http404 from error
    response = FileResponse(
        stream,
        as_attachment=True,
        filename=attachment.download_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@router.delete(
    "/{followup_id}/attachments/{attachment_id}",
    auth=allowed(_may_change),
    response=answers(204, None, *WRITE),
    summary="Ta bort en bilaga",
    description="409 när tillfället är stängt, uppföljningen granskad eller rapporten "
    "inlämnad eller godkänd.",
)
def delete_attachment(request, followup_id: int = PathId(), attachment_id: int = PathId()):
    user = writer(request)
    attachment = _attachment(user, followup_id, attachment_id)
    try:
        remove_attachment(attachment, actor=user)
    except ValidationError as error:
        raise _refused(error) from error
    return Status(204, None)
