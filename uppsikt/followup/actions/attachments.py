"""Attaching a file to a follow-up entry and removing it (bilagor).

>>> attachment = add_attachment(entry, upload, name="Protokoll.pdf", actor=anna)
>>> remove_attachment(attachment, actor=anna)

Whoever may write the entry may attach and remove files (``entries.may_write``), while the
period is open, the entry is not reviewed and the unit's report is still with the unit.
A file's type is judged by its content (``lib.filetypes``), its size is at most
``settings.ATTACHMENT_MAX_BYTES``. A refused file leaves nothing behind: not a row, not a
file in storage, not an audit event. (Called inside a transaction of the caller's that
later rolls back, the stored file would stay: the views and the API call these on their own.)
"""

from __future__ import annotations

import hashlib
from typing import IO

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from uppsikt.audit.trail import record
from uppsikt.lib.filetypes import display_name, judge
from uppsikt.lib.limits import InputRefused, limits, size_text
from uppsikt.lib.problems import coded, refusal
from uppsikt.lib.typing import Actor

from ..attachments import Attachment
from ..models import FollowUp, UnitReport
from .entries import LOCKED_REPORT_STATES, may_write

FIELDS = ("original_name", "content_type", "size", "sha256")


def max_bytes() -> int:
    """The largest attachment taken: ``ATTACHMENT_MAX_BYTES``, and never more than the web's
    upload handler keeps of a file (``IMPORT_MAX_UPLOAD_BYTES``, ``lib.uploads``)."""
    return min(settings.ATTACHMENT_MAX_BYTES, limits().upload_bytes)


def may_attach(actor: Actor, entry: FollowUp) -> bool:
    """Would ``add_attachment`` and ``remove_attachment`` let ``actor`` change ``entry``'s
    files now? For pages: show the form only when it would be accepted."""
    return (
        entry.period.is_open
        and may_write(actor, entry.unit_id, entry.responsible_id)
        and entry.state != FollowUp.State.GRANSKAD
        and not UnitReport.objects.filter(
            period_id=entry.period_id, unit_id=entry.unit_id, state__in=LOCKED_REPORT_STATES
        ).exists()
    )


def _check_may_change(actor: Actor, entry: FollowUp) -> None:
    """Refuse by reason: no right, a closed period, a reviewed entry, a locked report."""
    if not may_write(actor, entry.unit_id, entry.responsible_id):
        raise PermissionDenied(
            _("Du har inte behörighet att ändra bilagorna till den här uppföljningen.")
        )
    if not entry.period.is_open:
        raise ValidationError(
            coded(
                _("Uppföljningstillfället %(name)s är stängt; bilagorna kan inte ändras.")
                % {"name": entry.period.name},
                "period_closed",
            )
        )
    if entry.state == FollowUp.State.GRANSKAD:
        raise ValidationError(
            coded(
                _("Uppföljningen är granskad; bilagorna kan inte ändras."),
                "entry_reviewed",
            )
        )
    report = UnitReport.objects.filter(period_id=entry.period_id, unit_id=entry.unit_id).first()
    if report is not None and report.state in LOCKED_REPORT_STATES:
        raise ValidationError(
            coded(
                _(
                    "Enhetens rapport är %(state)s; bilagorna kan inte ändras förrän "
                    "rapporten har återtagits eller återförts."
                )
                % {"state": UnitReport.State(report.state).label.lower()},
                "report_locked",
            )
        )


def _too_large(size: int, limit: int) -> ValidationError:
    return refusal(
        "file",
        _("Filen är %(size)s; den största bilaga som tas emot är %(limit)s.")
        % {"size": size_text(size), "limit": size_text(limit)},
        "too_large",
    )


def _content(upload: IO[bytes] | bytes, size: int | None) -> bytes:
    """The file's bytes, refused (field ``file``) above the limit before they are read."""
    limit = max_bytes()
    if isinstance(upload, bytes):
        size = len(upload)
    if size is not None and size > limit:
        raise _too_large(size, limit)
    content = upload if isinstance(upload, bytes) else upload.read(limit + 1)
    if len(content) > limit:  # the size was not known
        raise _too_large(len(content), limit)
    if size is not None and len(content) < size:  # the upload handler stopped writing
        raise _too_large(size, limit)
    if not content:
        raise refusal("file", _("Filen är tom."), "empty")
    return content


def add_attachment(
    entry: FollowUp,
    upload: IO[bytes] | bytes,
    *,
    name: str,
    actor: Actor,
    size: int | None = None,
) -> Attachment:
    """Attach the file ``upload`` (an uploaded file or its bytes; ``size`` as sent, if
    known) to ``entry`` under the shown name ``name``.

    Refused, with nothing stored: a caller who may not write the entry
    (``PermissionDenied``), a closed period, a reviewed entry, a report with the granskare
    or approved, a file too large or of a type not taken (``ValidationError`` with codes
    ``period_closed``, ``entry_reviewed``, ``report_locked``, ``too_large``, ``empty``,
    ``forbidden_type``).
    """
    if size is None and not isinstance(upload, bytes):
        size = getattr(upload, "size", None)
    with transaction.atomic():
        entry = FollowUp.objects.select_for_update().select_related("period").get(pk=entry.pk)
        _check_may_change(actor, entry)
        content = _content(upload, size)
        try:
            kind = judge(content)
        except InputRefused as refused:
            raise refusal("file", refused.message, refused.code) from refused
        attachment = Attachment(
            entry=entry,
            original_name=display_name(name),
            content_type=kind.content_type,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by=actor if getattr(actor, "pk", None) else None,
            uploaded_at=timezone.now(),
        )
        attachment.file.save("bilaga", ContentFile(content), save=False)
        try:
            attachment.save()
            record(
                actor=actor,
                action="followup.attachment_add",
                obj=attachment,
                after={name: getattr(attachment, name) for name in FIELDS},
            )
        except BaseException:
            attachment.file.storage.delete(attachment.file.name)
            raise
    return attachment


def remove_attachment(attachment: Attachment, *, actor: Actor, reason: str = "") -> None:
    """Remove ``attachment``, its file once the removal is committed. Refused as
    ``add_attachment`` for the caller's rights and the entry's period, state and report."""
    with transaction.atomic():
        entry = (
            FollowUp.objects.select_for_update()
            .select_related("period")
            .get(pk=attachment.entry_id)
        )
        current = Attachment.objects.select_for_update().filter(pk=attachment.pk).first()
        if current is None:
            raise ValidationError(coded(_("Bilagan finns inte längre."), "gone"))
        _check_may_change(actor, entry)
        record(
            actor=actor,
            action="followup.attachment_remove",
            obj=current,
            before={name: getattr(current, name) for name in FIELDS},
            reason=reason,
        )
        current.delete()  # its file goes once this commits (attachments.delete_stored_file)
