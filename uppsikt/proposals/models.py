"""A plan document brought in, and what was proposed from it until a person accepts it.

``PlanProposal`` is made only from a document that could be read (a document refused is
not kept at all). It keeps the uploaded file (it stays as the accepted plan's source
document), the blocks read from it (``blocks``, so the review can show each object beside
its passage), the proposal as the reader made it (``original``) and as the person has
changed it (``data``). Nothing of it is a plan until ``actions.accept`` writes the draft.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from uppsikt.lib.concurrency import row_version_field
from uppsikt.organisations.models import Organisation, Unit


class PlanProposal(models.Model):
    ACCESS_UNIT = "unit"

    class State(models.TextChoices):
        READY = "klart", _("att granska")
        ACCEPTED = "antaget", _("antaget som utkast")
        DISCARDED = "kasserat", _("kasserat")

    organisation = models.ForeignKey(
        Organisation, models.CASCADE, related_name="plan_proposals", verbose_name=_("organisation")
    )
    unit = models.ForeignKey(
        Unit, models.CASCADE, related_name="plan_proposals", verbose_name=_("enhet")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    document = models.FileField(_("dokument"), upload_to="plandokument/%Y/")
    filename = models.CharField(_("filnamn"), max_length=255)
    size = models.PositiveIntegerField(_("storlek (byte)"))
    sha256 = models.CharField(_("kontrollsumma"), max_length=64)
    format = models.CharField(_("format"), max_length=10, blank=True)
    pages = models.PositiveIntegerField(_("sidor"), default=0)
    state = models.CharField(_("läge"), max_length=10, choices=State.choices, default=State.READY)
    blocks = models.JSONField(_("lästa stycken"), default=list)
    original = models.JSONField(_("förslaget som det lästes"), default=dict)
    data = models.JSONField(_("förslaget"), default=dict)
    row_version = row_version_field()
    plan = models.ForeignKey(
        "plans.Plan",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("antagen plan"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("inläst av"),
    )
    created_at = models.DateTimeField(_("inläst"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrat"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("förslag från plandokument")
        verbose_name_plural = _("förslag från plandokument")

    def __str__(self) -> str:
        return f"{self.filename} ({self.unit}, {self.year})"

    def get_absolute_url(self) -> str:
        return reverse("proposals:review", args=[self.pk])

    @property
    def open(self) -> bool:
        """Whether the proposal may still be changed, accepted or discarded."""
        return self.state == self.State.READY
