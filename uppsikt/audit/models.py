"""The audit trail: append-only, every row chained to the one before by a hash."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class ChainHead(models.Model):
    """One row that writers lock, so that rows join the chain one at a time."""

    last_hash = models.CharField(max_length=64, default="")
    last_sequence = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.last_sequence}:{self.last_hash[:12]}"


class AuditEvent(models.Model):
    sequence = models.PositiveBigIntegerField(_("löpnummer"), unique=True)
    occurred_at = models.DateTimeField(_("tidpunkt"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("användare"),
    )
    actor_name = models.CharField(_("användarnamn"), max_length=150, blank=True)
    action = models.CharField(_("händelse"), max_length=50)
    object_type = models.CharField(_("objekttyp"), max_length=100)
    object_id = models.CharField(_("objekt-id"), max_length=64)
    object_repr = models.CharField(_("objekt"), max_length=300, blank=True)
    before = models.JSONField(_("före"), null=True, blank=True)
    after = models.JSONField(_("efter"), null=True, blank=True)
    reason = models.TextField(_("motivering"), blank=True)
    previous_hash = models.CharField(_("föregående hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("händelse i ändringsloggen")
        verbose_name_plural = _("ändringslogg")
        ordering = ["sequence"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.sequence} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Ändringsloggen kan inte ändras i efterhand.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Ändringsloggen kan inte raderas.")
