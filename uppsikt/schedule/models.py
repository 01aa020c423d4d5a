"""Årshjul: an organisation's planning and follow-up milestones (milstolpar) of a year.

Milestones are what the organisation enters itself (budgetdirektiv, plan beslutad, …). The
periods' end dates and deadlines (sista dag) are shown in the årshjul too, but read from the
periods when the wheel is drawn (``entries.entries_for``), never copied here.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from uppsikt.organisations.models import Organisation


class Milestone(models.Model):
    class Kind(models.TextChoices):
        BUDGETDIREKTIV = "budgetdirektiv", _("Budgetdirektiv")
        PLAN_BESLUTAD = "plan_beslutad", _("Plan beslutad")
        TERTIALRAPPORT = "tertialrapport", _("Tertialrapport")
        DELARSRAPPORT = "delarsrapport", _("Delårsrapport")
        ARSREDOVISNING = "arsredovisning", _("Årsredovisning")
        INTERNKONTROLL = "internkontroll", _("Internkontroll, uppföljning")
        ISK_BEDOMNING = "isk_bedomning", _("ISK-bedömning")
        ANNAT = "annat", _("Annat")

    organisation = models.ForeignKey(
        Organisation,
        models.CASCADE,
        related_name="milestones",
        verbose_name=_("organisation"),
    )
    year = models.PositiveIntegerField(_("år"))
    date = models.DateField(_("datum"))
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("rubrik"), max_length=200)
    responsible = models.ForeignKey(
        "organisations.Unit",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="milestones",
        verbose_name=_("ansvarig enhet"),
    )
    description = models.TextField(_("beskrivning"), blank=True)
    is_example = models.BooleanField(
        _("exempel"), default=False, help_text=_("Påhittad i demon, inte organisationens egen.")
    )
    # The calendar feed's UID: stays the same through every change of the milestone.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("milstolpe")
        verbose_name_plural = _("milstolpar")
        ordering = ["organisation", "date", "kind", "pk"]
        indexes = [models.Index(fields=["organisation", "year"], name="milestone_org_year")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"
