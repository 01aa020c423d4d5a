"""Reporting periods (uppföljningstillfällen): when the year's follow-up is written.

Other apps hang their follow-up on a period (internal control, budget outcomes, goal
follow-ups); a closed period is read-only for all of them (``periods.ensure_open``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from uppsikt.organisations.models import Organisation


class ReportingPeriod(models.Model):
    class Kind(models.TextChoices):
        PERIODRAPPORT = "periodrapport", _("Periodrapport")
        DELARSRAPPORT = "delarsrapport", _("Delårsrapport")
        VERKSAMHETSBERATTELSE = "verksamhetsberattelse", _("Verksamhetsberättelse")
        ARSREDOVISNING = "arsredovisning", _("Årsredovisning")

    class Status(models.TextChoices):
        OPEN = "oppen", _("Öppen")
        CLOSED = "stangd", _("Stängd")

    organisation = models.ForeignKey(
        Organisation,
        models.CASCADE,
        related_name="reporting_periods",
        verbose_name=_("organisation"),
    )
    year = models.PositiveIntegerField(_("år"))
    kind = models.CharField(_("typ"), max_length=24, choices=Kind.choices)
    name = models.CharField(_("namn"), max_length=200)
    ends_on = models.DateField(
        _("avser tiden till och med"), help_text=_("T.ex. 2023-07-31 för delårsrapporten.")
    )
    status = models.CharField(
        _("status"), max_length=6, choices=Status.choices, default=Status.OPEN
    )
    status_changed_at = models.DateTimeField(_("status ändrad"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("status ändrad av"),
    )

    class Meta:
        verbose_name = _("uppföljningstillfälle")
        verbose_name_plural = _("uppföljningstillfällen")
        ordering = ["organisation", "year", "ends_on", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "kind", "ends_on"],
                name="reporting_period_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN
