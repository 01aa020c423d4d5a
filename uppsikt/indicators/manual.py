"""Values by hand: a reporter enters an indicator's value and a full-year forecast in the
follow-up, preliminary until the unit's report is approved.

>>> enter_values(target, period, actor=rapportor, total="1 234,5", forecast="2 400")
>>> finalise_for_report(report)  # from followup's ``report_approved`` signal

Which indicators take values by hand (``takes_values``): those of a goal whose definition
is reported manually (``source_kind`` manuell), or that have no value of their own for the
period's year up to the period's end; never a qualitative one or one without a unit.

The value is stored as a ``Measurement`` of the period's assessment period (``2023-07`` for
the delårsrapport, ``2023`` for the year), ``preliminar``, source ``MANUAL_SOURCE``, with who
entered it and when; a changed value keeps the one it replaces as a ``MeasurementRevision``
(as the import does). The forecast is a ``Forecast`` given for that period (only before the
year ends). Numbers are read as the import reads them (Swedish "1 234,5", at most four
decimals and twelve whole digits) and must fit the unit (``authoring.value_problem``:
percentages 0–100, counts whole and not negative). Every refusal names the field in Swedish
with a code and changes nothing. Proposals are recomputed at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from uppsikt.accounts.access import Perm, require
from uppsikt.accounts.commandline import or_command_line
from uppsikt.audit.trail import record
from uppsikt.followup.actions.entries import (
    carried_responsible_id,
    ensure_report_editable,
    followup_for,
    may_write,
)
from uppsikt.followup.models import FollowUp, UnitReport
from uppsikt.followup.scope import in_scope
from uppsikt.lib.problems import coded
from uppsikt.lib.typing import Actor
from uppsikt.periods.models import ReportingPeriod
from uppsikt.periods.rules import ensure_open
from uppsikt.plans.models import Goal

from .authoring import value_problem
from .derived import derived_ids, not_by_hand, recompute_after
from .importers.rows import read_value
from .models import (
    MANUAL_SOURCE,
    Forecast,
    IndicatorDefinition,
    IndicatorTarget,
    Measurement,
    MeasurementRevision,
)
from .periods import parse_period
from .proposals import propose_assessments, repropose_for_definitions
from .rules import QualitativeRule

FIELDS = {
    "total": gettext_lazy("Värde totalt"),
    "women": gettext_lazy("Värde kvinnor"),
    "men": gettext_lazy("Värde män"),
    "forecast": gettext_lazy("Helårsprognos"),
}
GENDER_OF = {"total": "T", "women": "K", "men": "M"}
PRELIMINARY = Measurement.DataStatus.PRELIMINAR
FINAL = Measurement.DataStatus.SLUTLIG


@dataclass(frozen=True)
class Entered:
    """What ``enter_values`` changed (empty when every value was as stored)."""

    measurements: list[Measurement]
    forecast: Forecast | None

    @property
    def changed(self) -> bool:
        return bool(self.measurements) or self.forecast is not None


def is_measured(target: IndicatorTarget) -> bool:
    """Does the indicator take a figure at all (not qualitative, a unit)?"""
    unit = target.definition.unit
    return unit != IndicatorDefinition.Unit.INGEN and not isinstance(
        target.target_rule, QualitativeRule
    )


def takes_values(targets: list[IndicatorTarget], period: ReportingPeriod) -> list[IndicatorTarget]:
    """Of ``targets`` (with ``definition`` and the goal's plan unit), those a reporter enters
    by hand in ``period``: reported manually, or without a value of their own (not by hand)
    for the period's year up to the period's end; never a derived one. Two queries."""
    measured = [t for t in targets if is_measured(t)]
    derived = derived_ids({t.definition_id for t in measured}) if measured else set()
    measured = [t for t in measured if t.definition_id not in derived]
    if not measured:
        return []
    key = parse_period(period.assessment_period)
    organisations = {t.indicator.goal.plan.unit.organisation_id for t in measured}
    rows = (
        Measurement.objects.filter(
            definition__in={t.definition_id for t in measured},
            organisation__in=organisations,
            gender="T",
            period__startswith=str(key.year),
        )
        .exclude(source=MANUAL_SOURCE)
        .order_by()
        .values_list("definition_id", "organisation_id", "period")
    )
    has_value = {(d, o) for d, o, p in rows if parse_period(p).ends <= key.ends}
    return [
        t
        for t in measured
        if t.definition.source_kind == IndicatorDefinition.SourceKind.MANUELL
        or (t.definition_id, t.indicator.goal.plan.unit.organisation_id) not in has_value
    ]


def check_values(
    definition: IndicatorDefinition, values: dict[str, Any], *, forecast_allowed: bool = True
) -> dict[str, Decimal]:
    """The given values as Decimals by field (empty ones left out); every problem of every
    field refused at once, by field, in Swedish with a code."""
    errors: dict[str, list[ValidationError]] = {}
    checked: dict[str, Decimal] = {}
    for name, raw in values.items():
        if name not in FIELDS:
            continue
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        label = str(FIELDS[name])
        problem, code = _problem(name, raw, definition, forecast_allowed)
        if problem is None:
            checked[name] = read_value(raw)
        else:
            errors[name] = [coded(f"{label}: {problem}", code)]
    if ("women" in checked or "men" in checked) and "total" not in checked and not errors:
        errors["total"] = [
            coded(
                _("%(field)s: ange värdet totalt när du anger kvinnor eller män.")
                % {"field": FIELDS["total"]},
                "missing",
            )
        ]
    if errors:
        raise ValidationError(errors)
    return checked


def _problem(
    name: str, raw: Any, definition: IndicatorDefinition, forecast_allowed: bool
) -> tuple[str | None, str]:
    if name in ("women", "men") and not definition.by_gender:
        return _("indikatorn redovisas inte per kön."), "not_by_gender"
    if name == "forecast" and not forecast_allowed:
        return _("en helårsprognos lämnas bara före årets slut."), "no_forecast"
    try:
        number = read_value(raw)
    except (ValueError, TypeError) as error:
        return str(error).rstrip(".").lower() + ".", "bad_number"
    if (problem := value_problem(number, definition.unit)) is not None:
        return problem, "unit_mismatch"
    return None, ""


def require_reporter(actor: Actor, goal: Goal, period: ReportingPeriod) -> FollowUp | None:
    """Refuse unless ``actor`` may write ``goal``'s follow-up in ``period`` now: REPORT on
    the unit (a rapportör only on entries assigned to them), the period open, the goal in
    the unit's follow-up of the period, the entry not granskad, the unit's report not with
    the granskare or approved. Returns the entry."""
    unit = goal.plan.unit
    require(actor, Perm.REPORT, unit)
    if unit.organisation_id != period.organisation_id:
        raise ValidationError(
            {
                "period": [
                    coded(_("Uppföljningstillfället hör till en annan organisation."), "bad_period")
                ]
            }
        )
    entry = followup_for(goal, period, unit)
    responsible_id = (
        entry.responsible_id if entry else carried_responsible_id(period, goal, unit.pk)
    )
    if not may_write(actor, unit.pk, responsible_id):
        raise PermissionDenied(_("Uppföljningen är tilldelad någon annan."))
    ensure_open(period)
    if not any(item.target == goal for item in in_scope(unit, period)):
        raise ValidationError(
            {
                "indicator": [
                    coded(
                        _("Målet följs inte upp av %(unit)s i %(period)s.")
                        % {"unit": unit.name, "period": period.name},
                        "not_in_scope",
                    )
                ]
            }
        )
    if entry is not None and entry.state == FollowUp.State.GRANSKAD:
        raise ValidationError(
            _("Uppföljningen är granskad och kan inte ändras. Granskaren kan återföra den.")
        )
    ensure_report_editable(period.pk, unit.pk)
    return entry


def enter_values(
    target: IndicatorTarget,
    period: ReportingPeriod,
    *,
    actor: Actor,
    total: Any = None,
    women: Any = None,
    men: Any = None,
    forecast: Any = None,
) -> Entered:
    """Store the values a reporter entered by hand for ``target``'s goal in ``period``.

    Validates first (every field), then the permission (``require_reporter``); writes in one
    transaction with an audit event per changed value; recomputes the proposals the
    definition feeds and proposes the goal's assessment for the period. Empty fields leave
    what is stored as it is."""
    definition = target.definition
    if not is_measured(target):
        raise ValidationError(
            {
                "total": [
                    coded(_("Indikatorn bedöms kvalitativt och har inget värde."), "not_measured")
                ]
            }
        )
    if derived_ids([definition.pk]):
        raise ValidationError({"total": [not_by_hand(definition)]})
    key = period.assessment_period
    values = check_values(
        definition,
        {"total": total, "women": women, "men": men, "forecast": forecast},
        forecast_allowed=parse_period(key).kind != "year",
    )
    goal = target.indicator.goal
    require_reporter(actor, goal, period)
    organisation = goal.plan.unit.organisation
    with transaction.atomic():
        stamp = {"entered_by": _person(actor), "entered_at": timezone.now()}
        written = [
            stored
            for name, gender in GENDER_OF.items()
            if name in values
            and (
                stored := _store(definition, organisation, key, gender, values[name], actor, stamp)
            )
        ]
        forecast_row = None
        if "forecast" in values:
            forecast_row = _store_forecast(
                definition, organisation, key, values["forecast"], actor, stamp
            )
        entered = Entered(written, forecast_row)
        if entered.changed:
            repropose_for_definitions([definition.pk])
            recompute_after([definition.pk], [organisation.pk])
            goals = [goal, *goal.contributes_to.all()]
            propose_assessments(
                Goal.objects.filter(pk__in=[g.pk for g in goals]).select_related(
                    "plan__unit__organisation"
                ),
                key,
            )
    return entered


def _person(actor: Actor):
    return actor if getattr(actor, "pk", None) else None


def _snapshot(row) -> dict[str, Any]:
    return {"value": str(row.value), "status": row.status, "source": getattr(row, "source", "")}


def _store(definition, organisation, period, gender, value, actor, stamp) -> Measurement | None:
    """One value by hand; None when it was stored so already."""
    row = (
        Measurement.stored.select_for_update()
        .filter(definition=definition, organisation=organisation, period=period, gender=gender)
        .first()
    )
    if row is None or row.withdrawn:
        # A withdrawn value (``importers.core``) is in the history already: it comes back.
        row = row or Measurement(
            definition=definition, organisation=organisation, period=period, gender=gender
        )
        row.value, row.status, row.source, row.withdrawn = value, PRELIMINARY, MANUAL_SOURCE, False
        row.entered_by, row.entered_at = stamp["entered_by"], stamp["entered_at"]
        row.save()
        record(actor=actor, action="measurement.enter", obj=row, after=_snapshot(row))
        return row
    if (row.value, row.status, row.source) == (value, PRELIMINARY, MANUAL_SOURCE):
        return None
    before = _snapshot(row)
    MeasurementRevision.objects.create(
        measurement=row, value=row.value, status=row.status, source=row.source
    )
    row.value, row.status, row.source = value, PRELIMINARY, MANUAL_SOURCE
    row.entered_by, row.entered_at = stamp["entered_by"], stamp["entered_at"]
    row.save()
    record(actor=actor, action="measurement.enter", obj=row, before=before, after=_snapshot(row))
    return row


def _store_forecast(definition, organisation, period, value, actor, stamp) -> Forecast | None:
    row = (
        Forecast.objects.select_for_update()
        .filter(definition=definition, organisation=organisation, period=period)
        .first()
    )
    before = None
    if row is None:
        row = Forecast(definition=definition, organisation=organisation, period=period)
    elif (row.value, row.status) == (value, PRELIMINARY):
        return None
    else:
        before = _snapshot(row)
    row.value, row.status = value, PRELIMINARY
    row.entered_by, row.entered_at = stamp["entered_by"], stamp["entered_at"]
    row.save()
    record(actor=actor, action="forecast.enter", obj=row, before=before, after=_snapshot(row))
    return row


def finalise_for_report(report: UnitReport) -> int:
    """The unit's report is approved: the preliminary values and forecasts entered by hand
    for its goals' indicators in the period become final (each value's preliminary state
    kept as a revision; one audit event with the count). Returns how many changed."""
    period, unit = report.period, report.unit
    goals = [item.target for item in in_scope(unit, period) if isinstance(item.target, Goal)]
    definitions = set(
        IndicatorTarget.objects.filter(indicator__goal__in=goals).values_list(
            "definition_id", flat=True
        )
    )
    if not definitions:
        return 0
    where = {
        "definition__in": definitions,
        "organisation_id": unit.organisation_id,
        "period": period.assessment_period,
        "status": PRELIMINARY,
    }
    measurements = list(
        Measurement.objects.select_for_update().filter(source=MANUAL_SOURCE, **where)
    )
    MeasurementRevision.objects.bulk_create(
        MeasurementRevision(measurement=m, value=m.value, status=m.status, source=m.source)
        for m in measurements
    )
    Measurement.objects.filter(pk__in=[m.pk for m in measurements]).update(
        status=FINAL, updated_at=timezone.now()
    )
    forecasts = Forecast.objects.filter(**where).update(status=FINAL)
    if not measurements and not forecasts:
        return 0
    record(
        actor=or_command_line(report.reviewed_by),
        action="measurement.finalise",
        obj=report,
        after={"measurements": len(measurements), "forecasts": forecasts, "status": FINAL},
        reason=_("Enhetens rapport godkändes: värdena inmatade för hand är slutliga."),
    )
    repropose_for_definitions(definitions)
    recompute_after(definitions, [unit.organisation_id])  # final once all its inputs are
    return len(measurements) + forecasts


def finalise_on_approval(sender, report: UnitReport, **kwargs) -> None:
    """Receiver of followup's ``report_approved`` (connected in ``IndicatorsConfig.ready``)."""
    finalise_for_report(report)
