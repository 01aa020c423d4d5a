"""Forms for the budget pages. They read and check input; the actions do the rest."""

import copy
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from uppsikt.lib.uploads import UploadField

from . import tree
from .frame import QUANTA
from .importers import ImportOptions, kind_of
from .mapping import parse_account_range
from .models import BudgetRow, BudgetTable, MappingRule
from .money import UNITS, MoneyError, parse_money, parse_number
from .series import FigureKind, Series, SeriesError, parse_label, valid_period

UNIT_CHOICES = [(unit, unit) for unit in UNITS]


class AmountField(forms.CharField):
    """A Swedish amount written in ``unit``, cleaned to kronor (``Decimal``)."""

    def __init__(self, *args, unit: str = "kr", positive: bool = False, **kwargs):
        self.unit, self.positive = unit, positive
        super().__init__(*args, **kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        try:
            amount = parse_money(text, self.unit)
        except MoneyError as exc:
            raise forms.ValidationError(str(exc)) from exc
        if amount != amount.quantize(Decimal("0.01")):
            raise forms.ValidationError(_("Beloppet har fler decimaler än öre."))
        if self.positive and amount <= 0:
            raise forms.ValidationError(_("Ange ett belopp större än noll."))
        return amount


def own_rows(table: BudgetTable):
    return table.rows.filter(kind__in=tree.OWN_FIGURES).order_by("position")


class RowChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, row: BudgetRow) -> str:
        return f"– {row.label}" if row.kind == tree.VARAV else row.label


class ImportForm(forms.Form):
    file = UploadField(
        label=_("Fil"),
        help_text=_("CSV eller Excel (XLSX) med en rad per budgetrad, eller en SIE-fil (.se)."),
    )
    unit = forms.ChoiceField(
        label=_("Beloppen i CSV- eller Excel-filen är i"), choices=UNIT_CHOICES, required=False
    )
    outcome = forms.BooleanField(
        label=_("SIE: läs periodsaldon (#PSALDO) som utfall per månad"),
        required=False,
        initial=True,
    )
    budgets_as = forms.ChoiceField(
        label=_("SIE: budgetposterna (#PBUDGET) är"),
        choices=[
            ("", _("inte med i importen")),
            (FigureKind.BUDGET, _("årets budget")),
            (FigureKind.PROGNOS, _("en årsprognos")),
        ],
        required=False,
    )
    forecast_period = forms.CharField(
        label=_("SIE: prognosen gjordes per"),
        help_text=_("År och månad, t.ex. 2023-06. Bara när budgetposterna är en årsprognos."),
        required=False,
        max_length=7,
    )
    is_example = forms.BooleanField(
        label=_("Beloppen är exempeldata (märks som exempel på sidorna)"), required=False
    )

    def __init__(self, *args, table: BudgetTable, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].initial = table.display_unit

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if kind_of(upload.name) is None:
            raise forms.ValidationError(
                _("Okänd filtyp: välj en CSV-, XLSX- eller SIE-fil (.csv, .xlsx, .se).")
            )
        return upload

    def clean_forecast_period(self):
        period = self.cleaned_data["forecast_period"].strip()
        if period and not valid_period(period):
            raise forms.ValidationError(_("Skriv perioden som år-månad, t.ex. 2023-06."))
        return period

    def options(self) -> ImportOptions:
        data = self.cleaned_data
        return ImportOptions(
            unit=data.get("unit") or "kr",
            is_example=data["is_example"],
            outcome=data["outcome"],
            budgets_as=data["budgets_as"],
            forecast_period=data["forecast_period"],
        )

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is not None and "forecast_period" in data:
            for problem in self.options().problems(kind_of(upload.name)):
                self.add_error(None, str(problem))
        return data


def budget_series_choices(table: BudgetTable, series: set[Series]) -> list[tuple[str, str]]:
    wanted = [s for s in series if s.kind in (FigureKind.BUDGET, FigureKind.REVIDERAD)]
    return [(s.key, str(s)) for s in sorted(wanted, key=lambda s: s.sort_key)]


class FrameForm(forms.Form):
    rate = forms.CharField(
        label=_("Löne- och prisuppräkning (procent)"),
        initial="4,3",
        help_text=_("Med decimalkomma, t.ex. 4,3."),
    )
    base = forms.ChoiceField(label=_("Räkna upp"))
    rounding = forms.ChoiceField(
        label=_("Avrunda varje rad till"),
        choices=[("ore", _("öre")), ("kr", _("kronor")), ("tkr", _("tkr")), ("mnkr", _("mnkr"))],
        initial="tkr",
    )

    def __init__(self, *args, table: BudgetTable, series: set[Series], **kwargs):
        super().__init__(*args, **kwargs)
        cast("forms.ChoiceField", self.fields["base"]).choices = budget_series_choices(
            table, series
        )

    def clean_rate(self) -> Decimal:
        try:
            return parse_number(self.cleaned_data["rate"])
        except MoneyError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_rounding(self) -> str:
        if self.cleaned_data["rounding"] not in QUANTA:
            raise forms.ValidationError(_("Okänd avrundning."))
        return self.cleaned_data["rounding"]


class ReallocationForm(forms.Form):
    from_row = RowChoiceField(label=_("Från rad"), queryset=BudgetRow.objects.none())
    to_row = RowChoiceField(label=_("Till rad"), queryset=BudgetRow.objects.none())
    series = forms.ChoiceField(
        label=_("Kolumn"),
        help_text=_(
            "Beloppet flyttas i årets reviderade budget; den beslutade budgeten ändras inte. "
            "Finns ingen reviderad budget skapas den som en kopia av budgeten."
        ),
    )
    amount = AmountField(label=_("Belopp"), positive=True)
    reason = forms.CharField(
        label=_("Motivering"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Varför beloppet flyttas. Syns i tabellens historik."),
    )

    def __init__(self, *args, table: BudgetTable, series: set[Series], **kwargs):
        super().__init__(*args, **kwargs)
        rows = table.rows.filter(kind__in=[tree.LINE, tree.VARAV]).order_by("position")
        cast("RowChoiceField", self.fields["from_row"]).queryset = rows
        cast("RowChoiceField", self.fields["to_row"]).queryset = rows
        years = sorted(
            {s.year for s in series if s.kind in (FigureKind.BUDGET, FigureKind.REVIDERAD)},
            reverse=True,
        )
        revised = [Series(year, FigureKind.REVIDERAD) for year in years]
        cast("forms.ChoiceField", self.fields["series"]).choices = [
            (s.key, str(s)) for s in revised
        ]
        amount = cast("AmountField", self.fields["amount"])
        amount.unit = table.display_unit
        amount.label = _("Belopp att flytta (%(unit)s)") % {"unit": table.display_unit}
        amount.help_text = _(
            "Positivt. Budgetutrymmet flyttas: i en driftbudget minskar kostnaden på "
            "från-raden och ökar på till-raden."
        )

    def clean_series(self) -> Series:
        return Series.from_key(self.cleaned_data["series"])


class FigureForm(forms.Form):
    """One figure of a row. ``seen`` carries each of the row's figures' ``row_version`` as the
    page was opened (``prognos-2023-06:4 budget-2023:1``), so that a figure written by
    someone else meanwhile is not overwritten (``lib.concurrency``)."""

    seen = forms.CharField(required=False, widget=forms.HiddenInput)
    series = forms.ChoiceField(label=_("Kolumn"), required=False)
    new_series = forms.CharField(
        label=_("eller en ny kolumn"),
        required=False,
        help_text=_("T.ex. prognos 2023-06, utfall 2023-07 eller reviderad 2023."),
    )
    amount = AmountField(label=_("Belopp"), required=False)
    reason = forms.CharField(
        label=_("Anledning"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, table: BudgetTable, series: set[Series], **kwargs):
        super().__init__(*args, **kwargs)
        cast("forms.ChoiceField", self.fields["series"]).choices = [("", _("(välj)"))] + [
            (s.key, str(s)) for s in sorted(series, key=lambda s: s.sort_key)
        ]
        amount = cast("AmountField", self.fields["amount"])
        amount.unit = table.display_unit
        amount.label = _("Belopp (%(unit)s)") % {"unit": table.display_unit}
        amount.help_text = _("Kostnader som negativa tal, t.ex. −258. Tomt tar bort beloppet.")

    def clean(self):
        data = super().clean()
        text = (data.get("new_series") or "").strip()
        if text:
            try:
                data["target"] = parse_label(text)
            except SeriesError as exc:
                self.add_error("new_series", str(exc))
        elif data.get("series"):
            data["target"] = Series.from_key(data["series"])
        else:
            self.add_error("series", _("Välj en kolumn eller skriv en ny."))
        return data

    def expected_version(self, series: Series) -> int | None:
        """The version ``series``'s figure had when the page was opened (0: none), or None
        for a post without ``seen`` (no check)."""
        if self.add_prefix("seen") not in self.data:
            return None
        return versions_from_text(self.cleaned_data.get("seen") or "").get(series.key, 0)

    def rebase(self, versions: dict[str, int]) -> None:
        """After a conflict: the next save goes against the versions the user has now seen."""
        data: Any = copy.copy(self.data)
        data[self.add_prefix("seen")] = versions_as_text(versions)
        self.data = data


def versions_as_text(versions: dict[str, int]) -> str:
    return " ".join(f"{key}:{version}" for key, version in sorted(versions.items()))


def versions_from_text(text: str) -> dict[str, int]:
    result = {}
    for part in text.split():
        key, _sep, version = part.rpartition(":")
        if key and version.isdigit():
            result[key] = int(version)
    return result


class MappingRuleForm(forms.ModelForm):
    accounts = forms.CharField(
        label=_("Konton"), help_text=_("Ett konto eller ett intervall, t.ex. 4000-4999.")
    )
    row = RowChoiceField(label=_("Budgetrad"), queryset=BudgetRow.objects.none())

    class Meta:
        model = MappingRule
        fields = ["row", "dimension", "object_code", "flip_sign", "note"]

    def __init__(self, *args, table: BudgetTable, **kwargs):
        super().__init__(*args, **kwargs)
        cast("RowChoiceField", self.fields["row"]).queryset = own_rows(table)
        self.fields["flip_sign"].initial = table.kind == BudgetTable.Kind.DRIFT
        self.order_fields(["accounts", "dimension", "object_code", "row", "flip_sign", "note"])

    def clean_accounts(self) -> tuple[int, int]:
        try:
            return parse_account_range(self.cleaned_data["accounts"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc).capitalize() + ".") from exc

    def clean_object_code(self) -> str:
        return self.cleaned_data["object_code"].strip()
