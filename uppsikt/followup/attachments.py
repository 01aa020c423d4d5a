"""Files attached to a follow-up entry (bilagor): a PDF, a Word or Excel file, a picture.

The file is kept through Django's storage API (``STORAGES["default"]``: the file system
under ``MEDIA_ROOT`` unless configured otherwise, see docs/operations.md) under a name made
up here (``uppfoljning/bilagor/<year>/<random>.<type>``), never the name it was sent with;
that name is kept only to show. Its type is judged from its content (``lib.filetypes``).
Written through ``actions.attachments``. A removed row's file is deleted from storage when
the removal commits (``delete_stored_file``), whichever way the row went.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from uppsikt.lib.filetypes import BY_CONTENT_TYPE, download_name, label_for


def stored_name(instance: Attachment, _filename: str) -> str:
    """Where the file is stored: a random name with the judged type's extension."""
    kind = BY_CONTENT_TYPE.get(instance.content_type)
    extension = kind.extension if kind is not None else "bin"
    return f"uppfoljning/bilagor/{timezone.now():%Y}/{secrets.token_hex(16)}.{extension}"


class Attachment(models.Model):
    """One file attached to a follow-up entry, with who attached it and when."""

    ACCESS_UNIT = "entry__unit"

    entry = models.ForeignKey(
        "followup.FollowUp",
        models.CASCADE,
        related_name="attachments",
        verbose_name=_("uppföljning"),
    )
    file = models.FileField(_("fil"), upload_to=stored_name, max_length=200)
    original_name = models.CharField(
        _("filnamn"), max_length=200, help_text=_("Namnet filen hade när den laddades upp.")
    )
    content_type = models.CharField(_("filtyp"), max_length=100)
    size = models.PositiveBigIntegerField(_("storlek i byte"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uppladdad av"),
    )
    uploaded_at = models.DateTimeField(_("uppladdad"), default=timezone.now)

    class Meta:
        verbose_name = _("bilaga")
        verbose_name_plural = _("bilagor")
        ordering = ["entry", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def type_label(self) -> str:
        return label_for(self.content_type)

    @property
    def download_name(self) -> str:
        kind = BY_CONTENT_TYPE.get(self.content_type)
        return download_name(self.original_name, kind) if kind is not None else "fil"


@receiver(post_delete, sender=Attachment, dispatch_uid="followup.attachment_file")
def delete_stored_file(sender, instance: Attachment, **kwargs) -> None:
    """A removed attachment's file goes from storage once the removal is committed: one
    removed on its own (``actions.attachments.remove_attachment``) and those that go with
    their entry or unit. A rolled-back removal keeps its file."""
    storage, name = instance.file.storage, instance.file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))
