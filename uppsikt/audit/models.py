"""The audit trail: append-only, every row chained to the one before by a hash."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class ChainHead(models.Model):
    """One row that writers lock, so that rows join the chain one at a time."""

    last_hash = models.CharField(_("senaste hash"), max_length=64, default="")
    last_sequence = models.PositiveBigIntegerField(_("senaste löpnummer"), default=0)

    class Meta:
        verbose_name = _("kedjans huvud")
        verbose_name_plural = _("kedjans huvud")

    def __str__(self) -> str:
        return f"{self.last_sequence}:{self.last_hash[:12]}"


class AuditEvent(models.Model):
    sequence = models.PositiveBigIntegerField(_("löpnummer"), unique=True)
    occurred_at = models.DateTimeField(_("tidpunkt"))
    # No database constraint and no cascade: the id is part of the hashed row, so deleting a
    # user must leave it as it was (SET_NULL would break the chain).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.DO_NOTHING,
        db_constraint=False,
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
    # The unit that owned the object when the event was written (plain id, for the same reason
    # as ``actor``): who may read the event is decided by it, even after the object is gone.
    unit_id = models.PositiveBigIntegerField(_("enhet"), null=True, blank=True, db_index=True)
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

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Ändringsloggen kan inte ändras i efterhand.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Ändringsloggen kan inte raderas.")
