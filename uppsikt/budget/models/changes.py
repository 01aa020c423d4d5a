"""Changes to a table that are kept as records: reallocations and imports."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..series import FigureKind, Series
from .tables import BudgetRow, BudgetTable


class Reallocation(models.Model):
    """An amount of budget moved from one row to another of the same table, with a reason.

    The table's total does not change. ``amount`` is positive: the budget room moved, in
    kronor (in a driftbudget the from-row's cost falls by it and the to-row's rises).
    """

    ACCESS_UNIT = "table__unit"

    table = models.ForeignKey(
        BudgetTable, models.CASCADE, related_name="reallocations", verbose_name=_("tabell")
    )
    kind = models.CharField(_("typ av belopp"), max_length=10, choices=FigureKind.choices)
    year = models.PositiveIntegerField(_("år"))
    from_row = models.ForeignKey(
        BudgetRow, models.CASCADE, related_name="reallocations_out", verbose_name=_("från rad")
    )
    to_row = models.ForeignKey(
        BudgetRow, models.CASCADE, related_name="reallocations_in", verbose_name=_("till rad")
    )
    amount = models.DecimalField(_("belopp (kr)"), max_digits=18, decimal_places=2)
    reason = models.TextField(_("motivering"))
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gjord av"),
    )
    made_by_name = models.CharField(_("gjord av (namn)"), max_length=150, blank=True)
    made_at = models.DateTimeField(_("tidpunkt"), auto_now_add=True)

    class Meta:
        verbose_name = _("omfördelning")
        verbose_name_plural = _("omfördelningar")
        ordering = ["-made_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.from_row} → {self.to_row}: {self.amount}"

    @property
    def series(self) -> Series:
        return Series(self.year, self.kind)


class BudgetImport(models.Model):
    """An uploaded file on its way into a table: checked first (in a background job), then
    imported, or rejected with every problem named. Nothing is written to the table's
    figures until ``apply_import``."""

    ACCESS_UNIT = "table__unit"

    class Kind(models.TextChoices):
        CSV = "csv", _("CSV")
        XLSX = "xlsx", _("Excel (XLSX)")
        SIE = "sie", _("SIE")

    class Status(models.TextChoices):
        UPLOADED = "uppladdad", _("Uppladdad, kontrolleras")
        CHECKED = "kontrollerad", _("Kontrollerad, kan importeras")
        REJECTED = "avvisad", _("Avvisad")
        IMPORTED = "importerad", _("Importerad")

    table = models.ForeignKey(
        BudgetTable, models.CASCADE, related_name="imports", verbose_name=_("tabell")
    )
    kind = models.CharField(_("filtyp"), max_length=4, choices=Kind.choices)
    file = models.FileField(_("fil"), upload_to="budgetimport/%Y/")
    file_name = models.CharField(_("filnamn"), max_length=200)
    options = models.JSONField(_("val"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.UPLOADED
    )
    problems = models.JSONField(_("fel"), default=list, blank=True)
    changes = models.JSONField(_("ändringar"), default=list, blank=True)
    summary = models.JSONField(_("sammanfattning"), default=dict, blank=True)
    job = models.ForeignKey(
        "jobs.Job",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bakgrundsjobb"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uppladdad av"),
    )
    created_at = models.DateTimeField(_("uppladdad"), auto_now_add=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("importerad av"),
    )
    applied_at = models.DateTimeField(_("importerad"), null=True, blank=True)

    class Meta:
        verbose_name = _("budgetimport")
        verbose_name_plural = _("budgetimporter")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name} → {self.table}"

    def get_absolute_url(self) -> str:
        return reverse("budget:import", args=[self.pk])

    @property
    def problem_count(self) -> int:
        """Every problem found; ``problems`` lists only the first ones (``lib.limits``)."""
        return self.summary.get("antal_fel", len(self.problems))
