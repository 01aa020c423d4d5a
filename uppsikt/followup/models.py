"""Reporting periods (uppföljningstillfällen): when the year's follow-up is written.

Other apps hang their follow-up on a period (internal control, budget outcomes, goal
follow-ups); a closed period is read-only for all of them (``periods.ensure_open``).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
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


class FollowUp(models.Model):
    """One object's follow-up by one unit in one period: status, comment, who is responsible.

    Usually the unit is the one owning the object; a region-wide object (a regionövergripande
    risk's åtgärd, say) is followed up by each unit on its own, one entry per unit.

    The object is any governed thing (a goal, an uppdrag, an aktivitet, an internal-control
    åtgärd, a budget table): ``target``. Which statuses apply depends on its kind
    (``statuses.choices_for``). Entries go utkast → klar → granskad (``actions``).
    """

    ACCESS_UNIT = "unit"

    class State(models.TextChoices):
        UTKAST = "utkast", _("Utkast")
        KLAR = "klar", _("Klar")
        GRANSKAD = "granskad", _("Granskad")

    period = models.ForeignKey(
        ReportingPeriod,
        models.PROTECT,
        related_name="followups",
        verbose_name=_("uppföljningstillfälle"),
    )
    unit = models.ForeignKey(
        "organisations.Unit",
        models.PROTECT,
        related_name="followups",
        verbose_name=_("enhet"),
        help_text=_("Enheten som rapporterar."),
    )
    content_type = models.ForeignKey(
        "contenttypes.ContentType", models.PROTECT, verbose_name=_("objekttyp")
    )
    object_id = models.PositiveBigIntegerField(_("objekt-id"))
    target = GenericForeignKey("content_type", "object_id")
    status = models.CharField(_("status"), max_length=30, blank=True)
    comment = models.TextField(_("kommentar"), blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="followups_responsible",
        verbose_name=_("ansvarig"),
    )
    state = models.CharField(
        _("arbetsläge"), max_length=10, choices=State.choices, default=State.UTKAST
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skriven av"),
    )
    written_at = models.DateTimeField(_("skriven"), null=True, blank=True)
    is_example = models.BooleanField(
        _("exempel"), default=False, help_text=_("Exempeldata, inte en verklig uppföljning.")
    )

    class Meta:
        verbose_name = _("uppföljning")
        verbose_name_plural = _("uppföljningar")
        ordering = ["period", "unit", "content_type", "object_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "content_type", "object_id", "unit"], name="followup_unique"
            )
        ]
        indexes = [models.Index(fields=["period", "unit"], name="followup_period_unit_idx")]

    def __str__(self) -> str:
        return f"{self.period}: {self.content_type.name} {self.object_id}"

    def status_label(self) -> str:
        from .statuses import choices_for

        choices = choices_for(self.content_type.model_class()._meta.label_lower)
        if choices is None or not self.status:
            return self.status
        return dict(choices.choices).get(self.status, self.status)
