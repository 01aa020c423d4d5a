"""Reporting periods (uppföljningstillfällen): an organisation's occasions to follow up.

Follow-up entries, unit reports, budget outcomes and internal-control assessments hang on a
period; a closed period is read-only for all of them (``rules.ensure_open``).
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from uppsikt.organisations.models import Organisation


class ReportingPeriod(models.Model):
    class Kind(models.TextChoices):
        PERIODRAPPORT = "periodrapport", _("Periodrapport")
        TERTIALRAPPORT = "tertialrapport", _("Tertialrapport")
        DELARSRAPPORT = "delarsrapport", _("Delårsrapport")
        VERKSAMHETSBERATTELSE = "verksamhetsberattelse", _("Verksamhetsberättelse")
        ARSREDOVISNING = "arsredovisning", _("Årsredovisning")

    # The short follow-ups within the year (per month, per tertial): the organisation's own,
    # with the economy and indicators but not the plan's goals, and never public.
    PERIODIC_KINDS = (Kind.PERIODRAPPORT, Kind.TERTIALRAPPORT)

    class Status(models.TextChoices):
        OPEN = "oppen", _("Öppen")
        CLOSED = "stangd", _("Stängd")

    organisation = models.ForeignKey(
        Organisation,
        models.CASCADE,
        related_name="reporting_periods",
        verbose_name=_("organisation"),
    )
    slug = models.SlugField(
        _("kortnamn"),
        max_length=60,
        blank=True,
        help_text=_("Används i adresser och på kommandoraden, t.ex. 2023-delarsrapport."),
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
    # Deadlines (sista dag): the whole organisation's; a unit may have earlier ones
    # (``UnitDeadline``), which hold for its subtree too. ``deadlines.deadlines_for``.
    report_by = models.DateField(
        _("sista dag för rapportering"),
        null=True,
        blank=True,
        help_text=_("Sista dag för enheterna att lämna in sin uppföljning."),
    )
    review_by = models.DateField(
        _("sista dag för granskning"),
        null=True,
        blank=True,
        help_text=_("Sista dag för granskarna att godkänna eller återföra rapporterna."),
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
        # The table kept its name when the model moved here from followup.
        db_table = "followup_reportingperiod"
        verbose_name = _("uppföljningstillfälle")
        verbose_name_plural = _("uppföljningstillfällen")
        ordering = ["organisation", "year", "ends_on", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "kind", "ends_on"],
                name="reporting_period_unique",
            ),
            models.UniqueConstraint(
                fields=["organisation", "slug"], name="reporting_period_slug_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = self.free_slug()
        super().save(*args, **kwargs)

    def free_slug(self) -> str:
        """``2023-delarsrapport``; periodrapporter and tertialrapporter carry their month
        (``2023-periodrapport-03``, ``2023-tertialrapport-04``).

        A second period of the same kind and year (two delårsrapporter) gets its month, then
        its day, so every period of an organisation has its own slug.
        """
        base = f"{self.year}-{self.kind}"
        month = f"{base}-{self.ends_on:%m}"
        candidates = [month, f"{month}{self.ends_on:%d}"]
        if not self.is_periodic:
            candidates.insert(0, base)
        taken = set(
            ReportingPeriod.objects.filter(organisation_id=self.organisation_id)
            .exclude(pk=self.pk)
            .values_list("slug", flat=True)
        )
        for candidate in candidates:
            if candidate not in taken:
                return candidate
        return f"{month}{self.ends_on:%d}-{len(taken)}"

    @property
    def is_periodic(self) -> bool:
        """A periodrapport or a tertialrapport (``PERIODIC_KINDS``)."""
        return self.kind in self.PERIODIC_KINDS

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def assessment_period(self) -> str:
        """The period (indicator notation) whose goal assessments this follow-up reports.

        A period ending 31 December assesses the year (``2023``); any other its month
        (``2023-07`` for the delårsrapport per 31 juli), so the delårsrapport's forecast and
        the year's outcome are two assessments and closing one never changes the other.
        """
        if (self.ends_on.month, self.ends_on.day) == (12, 31):
            return str(self.ends_on.year)
        return f"{self.ends_on.year}-{self.ends_on.month:02d}"

    @property
    def ends_on_label(self) -> str:
        """The end date in words ("31 juli 2023"), for headings and report covers."""
        return date_format(self.ends_on, "j F Y")

    @property
    def is_year_end(self) -> bool:
        return self.ends_on == datetime.date(self.ends_on.year, 12, 31)


class UnitDeadline(models.Model):
    """Earlier deadlines for one unit and the units below it (a stab before its styrelse).

    Never later than the period's own (``deadlines.check_unit_deadline``); the nearest unit
    on the way to the root that has one decides (``deadlines.deadlines_for``).
    """

    period = models.ForeignKey(
        ReportingPeriod,
        models.CASCADE,
        related_name="unit_deadlines",
        verbose_name=_("uppföljningstillfälle"),
    )
    unit = models.ForeignKey(
        "organisations.Unit",
        models.CASCADE,
        related_name="deadlines",
        verbose_name=_("enhet"),
    )
    report_by = models.DateField(_("sista dag för rapportering"), null=True, blank=True)
    review_by = models.DateField(_("sista dag för granskning"), null=True, blank=True)

    class Meta:
        verbose_name = _("sista dag för enhet")
        verbose_name_plural = _("sista dagar för enheter")
        ordering = ["period", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="unit_deadline_unique")
        ]

    def __str__(self) -> str:
        return f"{self.period}: {self.unit}"
