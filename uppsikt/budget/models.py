"""Budget tables (driftbudget, investeringsbudget) as row trees with figures in kronor.

Only a row's own figures are stored; group rows, subtotals and totals are computed from the
tree (``tree.py``), so a sum can never disagree with its parts.
"""

from dataclasses import dataclass

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from uppsikt.accounts.access import scope
from uppsikt.organisations.models import Unit
from uppsikt.plans.models import Plan

from . import tree

period_validator = RegexValidator(
    r"^\d{4}-(0[1-9]|1[0-2])$", _("Ange perioden som år och månad, t.ex. 2022-07.")
)


class BudgetTableQuerySet(models.QuerySet):
    def visible_to(self, user) -> "BudgetTableQuerySet":
        """The public sees tables without a plan or of a decided plan; roles see the rest."""
        published = Q(plan__isnull=True) | Q(plan__status__in=Plan.PUBLISHED_STATUSES)
        return scope(self, user, published=published)


class BudgetTable(models.Model):
    ACCESS_UNIT = "unit"

    class Kind(models.TextChoices):
        DRIFT = "drift", _("Driftbudget")
        INVESTERING = "investering", _("Investeringsbudget")

    class DisplayUnit(models.TextChoices):
        MNKR = "mnkr", _("mnkr")
        TKR = "tkr", _("tkr")
        KR = "kr", _("kr")

    unit = models.ForeignKey(
        Unit, models.CASCADE, related_name="budget_tables", verbose_name=_("enhet")
    )
    year = models.PositiveIntegerField(_("budgetår"))
    kind = models.CharField(_("typ"), max_length=12, choices=Kind.choices)
    number = models.CharField(_("nummer"), max_length=20, blank=True)
    title = models.CharField(_("rubrik"), max_length=300)
    display_unit = models.CharField(
        _("visas i"), max_length=4, choices=DisplayUnit.choices, default=DisplayUnit.MNKR
    )
    decimals = models.PositiveSmallIntegerField(_("antal decimaler"), default=0)
    plan = models.ForeignKey(
        Plan,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_tables",
        verbose_name=_("plan"),
    )
    note = models.TextField(_("anmärkning"), blank=True)
    source = models.CharField(_("källa"), max_length=300, blank=True)
    is_example = models.BooleanField(
        _("exempel"), default=False, help_text=_("Beloppen är ett exempel, inte en källa.")
    )
    position = models.PositiveIntegerField(_("ordning"), default=0)

    objects = BudgetTableQuerySet.as_manager()

    class Meta:
        verbose_name = _("budgettabell")
        verbose_name_plural = _("budgettabeller")
        ordering = ["unit__organisation__code", "-year", "position", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "number", "title"], name="budgettable_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return reverse("budget:table", args=[self.pk])


class BudgetRow(models.Model):
    ACCESS_UNIT = "table__unit"

    class Kind(models.TextChoices):
        LINE = tree.LINE, _("Rad")
        VARAV = tree.VARAV, _("Varav")
        GROUP = tree.GROUP, _("Grupp")
        HEADING = tree.HEADING, _("Rubrik")
        SUM = tree.SUM, _("Summa")
        TOTAL = tree.TOTAL, _("Totalt")

    table = models.ForeignKey(
        BudgetTable, models.CASCADE, related_name="rows", verbose_name=_("tabell")
    )
    parent = models.ForeignKey(
        "self",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("överordnad rad"),
    )
    label = models.CharField(_("text"), max_length=300)
    kind = models.CharField(_("typ"), max_length=8, choices=Kind.choices, default=Kind.LINE)
    position = models.PositiveIntegerField(
        _("ordning"), default=0, help_text=_("Löpande i hela tabellen, i läsordning.")
    )
    note = models.TextField(_("anmärkning"), blank=True)

    class Meta:
        verbose_name = _("budgetrad")
        verbose_name_plural = _("budgetrader")
        ordering = ["table", "position"]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("budget:row", args=[self.pk])


@dataclass(frozen=True, order=True)
class Series:
    """One column of figures: a kind (budget, prognos …), a year and, for prognos and
    utfall, the period the figure was made at ("2022-07")."""

    year: int
    kind: str
    period: str = ""

    def __str__(self) -> str:
        label = f"{Figure.Kind(self.kind).label} {self.year}"
        if self.period:
            label += " " + gettext("(per %(period)s)") % {"period": self.period}
        return label

    @property
    def sort_key(self) -> tuple:
        """Newest year first; within a year outcome, forecast, revised budget, budget."""
        return (-self.year, Figure.KIND_ORDER.index(self.kind), self.period)


class Figure(models.Model):
    ACCESS_UNIT = "row__table__unit"

    """A row's own figure for one series, in kronor."""

    class Kind(models.TextChoices):
        BUDGET = "budget", _("Budget")
        REVIDERAD = "reviderad", _("Reviderad budget")
        PROGNOS = "prognos", _("Prognos")
        UTFALL = "utfall", _("Utfall")

    KIND_ORDER = ("utfall", "prognos", "reviderad", "budget")
    row = models.ForeignKey(
        BudgetRow, models.CASCADE, related_name="figures", verbose_name=_("rad")
    )
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices)
    year = models.PositiveIntegerField(_("år"))
    period = models.CharField(_("period"), max_length=7, blank=True, validators=[period_validator])
    amount = models.DecimalField(_("belopp (kr)"), max_digits=18, decimal_places=2)

    class Meta:
        verbose_name = _("belopp")
        verbose_name_plural = _("belopp")
        ordering = ["row", "-year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["row", "kind", "year", "period"], name="figure_unique_series"
            )
        ]

    def __str__(self) -> str:
        return f"{self.row}: {self.series} {self.amount}"

    @property
    def series(self) -> Series:
        return Series(self.year, self.kind, self.period)
