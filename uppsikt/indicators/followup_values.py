"""Values by hand in a unit's follow-up form: one part per goal entry (``followup.extras``).

For each indicator of the goal that takes values by hand in the period
(``manual.takes_values``), the entry shows the value stored for the period (marked
preliminary and by whom it was entered) and, where the entry may be written, fields for the
period's value (totalt, kvinnor and män for a definition per kön) and a full-year forecast
(before the year ends). The fields are posted with the follow-up form; ``save`` runs
``manual.enter_values`` per indicator whose fields changed, in the form's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from uppsikt.lib.numbers import format_number
from uppsikt.lib.typing import Actor
from uppsikt.periods.models import ReportingPeriod
from uppsikt.plans.models import Goal

from .manual import FIELDS, GENDER_OF, enter_values, takes_values
from .models import Forecast, IndicatorTarget, Measurement
from .periods import assessment_period_label, parse_period

TEMPLATE = "indicators/followup_values.html"


def as_input(value: Decimal | None) -> str:
    """A stored value as the field shows it: Swedish, every decimal it has, no unit."""
    if value is None:
        return ""
    normal = value.normalize()
    exponent = normal.as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return format_number(value, places)


@dataclass
class IndicatorRow:
    target: IndicatorTarget
    fields: list[forms.BoundField]
    stored: dict[str, Measurement] = field(default_factory=dict)  # gender → value
    forecast: Forecast | None = None

    @property
    def total(self) -> Measurement | None:
        return self.stored.get("T")

    @property
    def women(self) -> Measurement | None:
        return self.stored.get("K")

    @property
    def men(self) -> Measurement | None:
        return self.stored.get("M")


@dataclass
class ValuesPart:
    """The values by hand of one goal entry (a ``followup.extras`` part)."""

    period: ReportingPeriod
    form: forms.Form
    rows: list[IndicatorRow]
    writable: bool
    forecast_allowed: bool
    template: str = TEMPLATE
    refusals: list[str] = field(default_factory=list)

    @property
    def period_label(self) -> str:
        return assessment_period_label(self.period.assessment_period)

    def is_valid(self) -> bool:
        return self.form.is_valid()

    def has_changed(self) -> bool:
        return self.form.is_bound and self.form.has_changed()

    def save(self, actor: Actor) -> None:
        changed = set(self.form.changed_data)
        data = self.form.cleaned_data
        for row in self.rows:
            names = [n for n in FIELDS if f"{row.target.pk}-{n}" in self.form.fields]
            if not any(f"{row.target.pk}-{n}" in changed for n in names):
                continue
            try:
                enter_values(
                    row.target,
                    self.period,
                    actor=actor,
                    **{n: data[f"{row.target.pk}-{n}"] for n in names},
                )
            except ValidationError as error:
                if not hasattr(error, "error_dict"):
                    raise
                for name, errors in error.error_dict.items():
                    target_field = f"{row.target.pk}-{name}"
                    self.form.add_error(
                        target_field if target_field in self.form.fields else None, errors
                    )
                raise ValidationError(_("Värdena sparades inte.")) from error

    def refuse(self, error: ValidationError | PermissionDenied) -> None:
        if isinstance(error, PermissionDenied):
            self.refusals.append(str(error) or _("Behörighet saknas."))
        elif not self.form.errors:  # field errors are already beside their fields
            self.refusals.extend(error.messages)

    def messages(self) -> list[str]:
        found = list(self.refusals)
        if self.form.is_bound:
            for errors in self.form.errors.values():
                found.extend(str(error) for error in errors)
        return found


def _field(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=40,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 12}),
    )


def _form(targets, stored, forecasts, data, prefix, forecast_allowed) -> forms.Form:
    form = forms.Form(data, prefix=prefix)
    initial: dict[str, str] = {}
    for target in targets:
        definition, pk = target.definition, target.pk
        values = stored.get(definition.pk, {})
        names = ["total", *(["women", "men"] if definition.by_gender else [])]
        for name in names:
            form.fields[f"{pk}-{name}"] = _field(
                _("%(field)s, %(name)s") % {"field": FIELDS[name], "name": definition.name}
            )
            row = values.get(GENDER_OF[name])
            initial[f"{pk}-{name}"] = as_input(row.value if row else None)
        if forecast_allowed:
            form.fields[f"{pk}-forecast"] = _field(
                _("%(field)s, %(name)s") % {"field": FIELDS["forecast"], "name": definition.name},
                _("Väntat värde för hela året."),
            )
            forecast = forecasts.get(definition.pk)
            initial[f"{pk}-forecast"] = as_input(forecast.value if forecast else None)
    form.initial = initial
    return form


def build_value_parts(
    items: list, *, user, period: ReportingPeriod, report, data, writable: dict
) -> dict[tuple, list[ValuesPart]]:
    """A part for each goal item with indicators taking values by hand (a fixed number of
    queries for the whole page)."""
    goals = {item.key: item.target for item in items if isinstance(item.target, Goal)}
    if not goals:
        return {}
    targets = list(
        IndicatorTarget.objects.filter(indicator__goal__in=list(goals.values()))
        .select_related("definition", "indicator__goal__plan__unit")
        .order_by("indicator__position", "pk")
    )
    chosen = takes_values(targets, period)
    if not chosen:
        return {}
    key = period.assessment_period
    organisations = {t.indicator.goal.plan.unit.organisation_id for t in chosen}
    definitions = {t.definition_id for t in chosen}
    stored: dict[tuple[int, int], dict[str, Measurement]] = {}
    for row in Measurement.objects.filter(
        definition__in=definitions, organisation__in=organisations, period=key
    ).select_related("entered_by"):
        stored.setdefault((row.organisation_id, row.definition_id), {})[row.gender] = row
    forecasts = {
        (f.organisation_id, f.definition_id): f
        for f in Forecast.objects.filter(
            definition__in=definitions, organisation__in=organisations, period=key
        ).select_related("entered_by")
    }
    forecast_allowed = parse_period(key).kind != "year"
    result: dict[tuple, list[ValuesPart]] = {}
    for item_key, goal in goals.items():
        mine = [t for t in chosen if t.indicator.goal_id == goal.pk]
        if not mine:
            continue
        organisation = goal.plan.unit.organisation_id
        own = {d: v for (o, d), v in stored.items() if o == organisation}
        own_forecasts = {d: f for (o, d), f in forecasts.items() if o == organisation}
        may = writable.get(item_key, False)
        form = _form(
            mine, own, own_forecasts, data if may else None, f"v{goal.pk}", forecast_allowed
        )
        rows = [
            IndicatorRow(
                target,
                [form[name] for name in form.fields if name.startswith(f"{target.pk}-")],
                own.get(target.definition_id, {}),
                own_forecasts.get(target.definition_id),
            )
            for target in mine
        ]
        result[item_key] = [ValuesPart(period, form, rows, may, forecast_allowed)]
    return result
