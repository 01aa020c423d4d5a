"""Budget tables (driftbudget, investeringsbudget) as row trees with figures in kronor.

Only a row's own figures are stored; group rows, subtotals and totals are computed from the
tree (``tree.py``), so a sum can never disagree with its parts.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from uppsikt.accounts.access import scope
from uppsikt.lib.concurrency import row_version_field
from uppsikt.organisations.models import Unit
from uppsikt.plans.models import Plan

from .. import tree
from ..series import KIND_ORDER, FigureKind, Series, SeriesError

period_validator = RegexValidator(
    r"^\d{4}-(0[1-9]|1[0-2])$", _("Ange perioden som år och månad, t.ex. 2022-07.")
)


class BudgetTableQuerySet(models.QuerySet["BudgetTable"]):
    def visible_to(self, user) -> "BudgetTableQuerySet":
        """The public sees settled tables without a plan or of a decided plan; roles on the
        unit also see drafts and tables of plans not yet decided."""
        published = Q(status=BudgetTable.Status.FASTSTALLD) & (
            Q(plan__isnull=True) | Q(plan__status__in=Plan.PUBLISHED_STATUSES)
        )
        return scope(self, user, published=published)

    def by_reference(self, reference: str) -> "BudgetTable":
        """A table by its id or as ``organisation/unit/year/number``, e.g.
        ``0018/regionstyrelsen/2023/4.3``; raises ``BudgetTable.DoesNotExist``."""
        reference = reference.strip()
        if reference.isdigit():
            return self.get(pk=int(reference))
        parts = reference.split("/")
        if len(parts) != 4 or not parts[2].isdigit():
            raise self.model.DoesNotExist(
                _(
                    "Ange tabellen som id eller organisation/enhet/år/nummer, t.ex. "
                    "0018/regionstyrelsen/2023/4.3."
                )
            )
        code, slug, year, number = parts
        return self.get(
            unit__organisation__code=code, unit__slug=slug, year=int(year), number=number
        )


class BudgetTable(models.Model):
    ACCESS_UNIT = "unit"

    class Kind(models.TextChoices):
        DRIFT = "drift", _("Driftbudget")
        INVESTERING = "investering", _("Investeringsbudget")

    class Status(models.TextChoices):
        UTKAST = "utkast", _("Utkast")
        FASTSTALLD = "faststalld", _("Fastställd")

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
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.FASTSTALLD,
        help_text=_(
            "Ett utkast, t.ex. nästa års ram, syns bara för dem som har en roll på enheten."
        ),
    )
    columns = models.JSONField(
        _("kolumner"),
        default=list,
        blank=True,
        help_text=_(
            'Kolumnerna som visas om inget annat väljs, t.ex. ["budget-2023", '
            '"prognos-2022-07"]; tomt visar alla.'
        ),
    )
    based_on = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="drafts",
        verbose_name=_("bygger på"),
    )
    # One more on every write of the table's figures or status: the table's ETag in the API.
    row_version = row_version_field()

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

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.UTKAST

    @property
    def default_columns(self) -> list[Series]:
        """The stored default columns (unreadable keys are skipped)."""
        out = []
        for key in self.columns or []:
            try:
                out.append(Series.from_key(key))
            except SeriesError:
                continue
        return out

    @property
    def cost_sign(self) -> int:
        """How the table writes money spent: −1 in a driftbudget (costs negative), +1 in an
        investeringsbudget (investments positive)."""
        return -1 if self.kind == self.Kind.DRIFT else 1


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
    code = models.CharField(
        _("kod"),
        max_length=40,
        blank=True,
        help_text=_("Valfri kort kod som identifierar raden vid import, t.ex. HV-1."),
    )
    kind = models.CharField(_("typ"), max_length=8, choices=Kind.choices, default=Kind.LINE)
    position = models.PositiveIntegerField(
        _("ordning"), default=0, help_text=_("Löpande i hela tabellen, i läsordning.")
    )
    note = models.TextField(_("anmärkning"), blank=True)

    class Meta:
        verbose_name = _("budgetrad")
        verbose_name_plural = _("budgetrader")
        ordering = ["table", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["table", "code"], condition=~Q(code=""), name="budgetrow_unique_code"
            )
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("budget:row", args=[self.pk])

    @property
    def has_own_figures(self) -> bool:
        return self.kind in tree.OWN_FIGURES


class Figure(models.Model):
    """A row's own figure for one series, in kronor."""

    ACCESS_UNIT = "row__table__unit"
    Kind = FigureKind
    KIND_ORDER = KIND_ORDER
    row = models.ForeignKey(
        BudgetRow, models.CASCADE, related_name="figures", verbose_name=_("rad")
    )
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices)
    year = models.PositiveIntegerField(_("år"))
    period = models.CharField(_("period"), max_length=7, blank=True, validators=[period_validator])
    amount = models.DecimalField(_("belopp (kr)"), max_digits=18, decimal_places=2)
    is_example = models.BooleanField(
        _("exempel"), default=False, help_text=_("Beloppet är exempeldata, inte en källa.")
    )
    source = models.CharField(
        _("ursprung"),
        max_length=200,
        blank=True,
        help_text=_("Varifrån beloppet kom, t.ex. en importerad fil eller en uppräkning."),
    )
    # The table's row_version when the figure was last written: never the same twice in a
    # table, so a figure removed and entered again does not look untouched.
    row_version = row_version_field()

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
