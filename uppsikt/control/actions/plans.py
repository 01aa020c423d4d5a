"""Every change to an internkontrollplan goes through a function here, in one transaction.

Each function checks permission (``Perm.PLAN`` on the unit owning the plan), validates
everything before writing, and records the change in the audit trail in the same
transaction. Follow-ups, avvikelser and ISK-bedömningar are in ``reporting.py``; the XLSX
and data-file import in ``importing.py``.

>>> plan = ensure_control_plan(regionstyrelsen, 2023, actor=anna)
>>> risk = create_risk(plan, actor=anna, area="Ekonomi", text="Risken att redovisningen …")
>>> create_measure(risk, actor=anna, text="Information och utbildningsinsatser …")
>>> assess_risk(risk, actor=anna, likelihood=2, consequence=4, decision="ej_accepterad")
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, require
from uppsikt.audit.trail import record, snapshot
from uppsikt.followup.models import FollowUp
from uppsikt.lib.concurrency import bump, check_version
from uppsikt.lib.typing import Actor
from uppsikt.organisations.models import Unit
from uppsikt.periods.models import ReportingPeriod

from ..models import (
    ControlPlan,
    Decision,
    Measure,
    ProcessArea,
    Requirement,
    Risk,
    RiskAssessment,
    scale_for,
)
from ..rules import decision_problem
from ..units import region_owner

RISK_FIELDS = ("text", "requirements", "is_region_wide", "note")
MEASURE_FIELDS = ("text", "responsible", "control_method", "frequency", "reported_in")
ASSESSMENT_FIELDS = ("likelihood", "consequence", "score", "decision", "motivation")


# -- small shared checks ----------------------------------------------------------------


def clean_text(value: str | None, field: str, *, required: bool = True) -> str:
    text = " ".join((value or "").split())
    if required and not text:
        raise ValidationError({field: _("Fältet måste fyllas i.")})
    return text


def clean_requirements(values: Iterable[str]) -> list[str]:
    letters = []
    for value in values:
        letter = str(value).strip().lower().rstrip(")")
        if letter not in Requirement.values:
            raise ValidationError(
                {"requirements": _("Okänt krav ”%(v)s”: ange a, b, c, d eller e.") % {"v": value}}
            )
        if letter not in letters:
            letters.append(letter)
    return sorted(letters)


def clean_reported_in(values: Iterable[str]) -> list[str]:
    kinds = []
    for value in values:
        if value not in ReportingPeriod.Kind.values:
            raise ValidationError(
                {"reported_in": _("Okänt uppföljningstillfälle ”%(v)s”.") % {"v": value}}
            )
        if value not in kinds:
            kinds.append(value)
    order = list(ReportingPeriod.Kind.values)
    return sorted(kinds, key=order.index)


def followups_of(measures: Iterable[Measure]) -> QuerySet[FollowUp]:
    ids = [m.pk for m in measures]
    return FollowUp.objects.filter(
        content_type=ContentType.objects.get_for_model(Measure), object_id__in=ids
    )


def check_region_wide(plan: ControlPlan) -> None:
    owner = region_owner(plan.unit.organisation_id)
    if owner is None or owner.pk != plan.unit_id:
        raise ValidationError(
            {
                "is_region_wide": _(
                    "Regionövergripande risker läggs in i %(owner)s internkontrollplan."
                )
                % {"owner": owner.name if owner else _("styrelsens")}
            }
        )


def _area(plan: ControlPlan, name: str) -> ProcessArea:
    name = clean_text(name, "area")
    area = ProcessArea.objects.filter(control_plan=plan, name=name).first()
    if area is None:
        last = ProcessArea.objects.filter(control_plan=plan).aggregate(m=Max("position"))["m"]
        area = ProcessArea.objects.create(
            control_plan=plan, name=name, position=0 if last is None else last + 1
        )
    return area


def _drop_empty_area(area_id: int) -> None:
    ProcessArea.objects.filter(pk=area_id, risks__isnull=True).delete()


def _locked_risk(risk: Risk) -> Risk:
    return (
        Risk.objects.select_for_update()
        .select_related("area", "control_plan__unit")
        .get(pk=risk.pk)
    )


def _check_risk(risk: Risk, expected_version: int | None) -> None:
    """Refuse (``EditConflict``) when the locked risk is not the version the caller saw."""
    check_version(risk.row_version, expected_version, name=str(risk), obj=risk)


def _touch_risk(risk_id: int) -> None:
    """One more version of the risk for a change to its åtgärder or assessments: the risk
    as the API shows it (with them) has changed."""
    Risk.objects.filter(pk=risk_id).update(row_version=F("row_version") + 1)


# -- the plan ----------------------------------------------------------------------------


@transaction.atomic
def ensure_control_plan(
    unit: Unit,
    year: int,
    *,
    actor: Actor,
    section_number: str = "",
    source: str = "",
    note: str = "",
    requirements: list[str] | None = None,
) -> ControlPlan:
    """The unit's plan for ``year``, created on first use."""
    require(actor, Perm.PLAN, unit)
    if not isinstance(year, int) or not 1900 <= year <= 2200:
        raise ValidationError({"year": _("Ange ett årtal, t.ex. 2023.")})
    plan, created = ControlPlan.objects.get_or_create(
        unit=unit,
        year=year,
        defaults={
            "section_number": section_number,
            "source": source,
            "note": note,
            "requirements": list(requirements or []),
        },
    )
    if created:
        record(
            actor=actor,
            action="control.plan.create",
            obj=plan,
            after={"unit": unit.name, "year": year},
        )
    elif requirements is not None and plan.requirements != list(requirements):
        before = plan.requirements
        plan.requirements = list(requirements)
        plan.save(update_fields=["requirements", "updated_at"])
        record(
            actor=actor,
            action="control.plan.update",
            obj=plan,
            before={"requirements": before},
            after={"requirements": plan.requirements},
        )
    return plan


@transaction.atomic
def create_risk(
    plan: ControlPlan,
    *,
    actor: Actor,
    area: str,
    text: str,
    requirements: Iterable[str] = (),
    is_region_wide: bool = False,
    note: str = "",
) -> Risk:
    require(actor, Perm.PLAN, plan)
    text = clean_text(text, "text")
    requirements = clean_requirements(requirements)
    if is_region_wide:
        check_region_wide(plan)
    area_obj = _area(plan, area)
    if Risk.objects.filter(area=area_obj, text=text).exists():
        raise ValidationError(
            {"text": _("Risken finns redan under %(area)s.") % {"area": area_obj}}
        )
    last = Risk.objects.filter(area=area_obj).aggregate(m=Max("position"))["m"]
    risk = Risk.objects.create(
        control_plan=plan,
        area=area_obj,
        text=text,
        requirements=requirements,
        is_region_wide=is_region_wide,
        note=note.strip(),
        position=0 if last is None else last + 1,
    )
    after = {"area": area_obj.name, **snapshot(risk, RISK_FIELDS)}
    after["requirements"] = requirements
    record(actor=actor, action="control.risk.create", obj=risk, after=after)
    return risk


def _risk_state(risk: Risk) -> dict[str, Any]:
    state = snapshot(risk, ("text", "is_region_wide", "note"))
    state["requirements"] = list(risk.requirements)
    state["area"] = risk.area.name
    return state


@transaction.atomic
def update_risk(
    risk: Risk,
    *,
    actor: Actor,
    area: str | None = None,
    expected_version: int | None = None,
    **changes: Any,
) -> Risk:
    """Change a risk's text, area, krav, region-wide flag or note.

    With ``expected_version`` (the risk's ``row_version`` when the caller read it), refused
    with ``EditConflict`` when the risk has been saved since."""
    require(actor, Perm.PLAN, risk)
    unknown = set(changes) - set(RISK_FIELDS)
    if unknown:
        raise TypeError(f"update_risk() got unexpected fields: {sorted(unknown)}")
    risk = _locked_risk(risk)
    before = _risk_state(risk)
    if "text" in changes:
        risk.text = clean_text(changes["text"], "text")
    if "requirements" in changes:
        risk.requirements = clean_requirements(changes["requirements"])
    if "note" in changes:
        risk.note = (changes["note"] or "").strip()
    if "is_region_wide" in changes and bool(changes["is_region_wide"]) != risk.is_region_wide:
        if changes["is_region_wide"]:
            check_region_wide(risk.control_plan)
        elif followups_of(risk.measures.all()).exclude(unit=risk.control_plan.unit).exists():
            raise ValidationError(
                {
                    "is_region_wide": _(
                        "Andra nämnder har redan följt upp riskens åtgärder; risken kan inte "
                        "längre göras nämndspecifik."
                    )
                }
            )
        risk.is_region_wide = bool(changes["is_region_wide"])
    old_area = risk.area_id
    if area is not None and clean_text(area, "area") != risk.area.name:
        risk.area = _area(risk.control_plan, area)
    if Risk.objects.filter(area=risk.area, text=risk.text).exclude(pk=risk.pk).exists():
        raise ValidationError(
            {"text": _("Risken finns redan under %(area)s.") % {"area": risk.area}}
        )
    _check_risk(risk, expected_version)
    bump(risk)
    risk.save()
    if risk.area_id != old_area:
        _drop_empty_area(old_area)
    after = _risk_state(risk)
    if after != before:
        record(actor=actor, action="control.risk.update", obj=risk, before=before, after=after)
    return risk


@transaction.atomic
def delete_risk(risk: Risk, *, actor: Actor) -> None:
    """Remove a risk with its åtgärder and assessments; refused once it has been followed up."""
    require(actor, Perm.PLAN, risk)
    if followups_of(risk.measures.all()).exists():
        raise ValidationError(
            _("Riskens åtgärder har följts upp och risken kan därför inte tas bort.")
        )
    record(actor=actor, action="control.risk.delete", obj=risk, before=_risk_state(risk))
    area_id = risk.area_id
    risk.delete()
    _drop_empty_area(area_id)


def _measure_values(changes: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if "text" in changes:
        values["text"] = clean_text(changes["text"], "text")
    for name in ("responsible", "frequency", "control_method"):
        if name in changes:
            values[name] = clean_text(changes[name], name, required=False)
    if "reported_in" in changes:
        values["reported_in"] = clean_reported_in(changes["reported_in"] or [])
    return values


@transaction.atomic
def create_measure(
    risk: Risk, *, actor: Actor, text: str, expected_version: int | None = None, **fields: Any
) -> Measure:
    """A new åtgärd, last of the risk's; with ``expected_version``, only while the risk is
    the version the caller saw (``EditConflict``)."""
    require(actor, Perm.PLAN, risk)
    unknown = set(fields) - set(MEASURE_FIELDS)
    if unknown:
        raise TypeError(f"create_measure() got unexpected fields: {sorted(unknown)}")
    locked = _locked_risk(risk)
    values = _measure_values({"text": text, **fields})
    if Measure.objects.filter(risk=risk, text=values["text"]).exists():
        raise ValidationError({"text": _("Åtgärden finns redan för risken.")})
    _check_risk(locked, expected_version)
    last = Measure.objects.filter(risk=risk).aggregate(m=Max("position"))["m"]
    measure = Measure.objects.create(risk=risk, position=0 if last is None else last + 1, **values)
    _touch_risk(risk.pk)
    record(
        actor=actor,
        action="control.measure.create",
        obj=measure,
        after=_measure_state(measure),
    )
    return measure


def _measure_state(measure: Measure) -> dict[str, Any]:
    state = snapshot(measure, ("text", "responsible", "control_method", "frequency"))
    state["reported_in"] = list(measure.reported_in)
    return state


@transaction.atomic
def update_measure(
    measure: Measure, *, actor: Actor, expected_version: int | None = None, **changes: Any
) -> Measure:
    """Change an åtgärd; with ``expected_version`` (its ``row_version`` when the caller read
    it), refused with ``EditConflict`` when it has been saved since."""
    require(actor, Perm.PLAN, measure)
    unknown = set(changes) - set(MEASURE_FIELDS)
    if unknown:
        raise TypeError(f"update_measure() got unexpected fields: {sorted(unknown)}")
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    before = _measure_state(measure)
    for name, value in _measure_values(changes).items():
        setattr(measure, name, value)
    duplicate = Measure.objects.filter(risk_id=measure.risk_id, text=measure.text)
    if duplicate.exclude(pk=measure.pk).exists():
        raise ValidationError({"text": _("Åtgärden finns redan för risken.")})
    check_version(measure.row_version, expected_version, name=str(measure), obj=measure)
    bump(measure)
    measure.save()
    _touch_risk(measure.risk_id)
    after = _measure_state(measure)
    if after != before:
        record(
            actor=actor, action="control.measure.update", obj=measure, before=before, after=after
        )
    return measure


def current_assessment(risk: Risk) -> RiskAssessment | None:
    return RiskAssessment.objects.filter(risk=risk, year=risk.control_plan.year).first()


@transaction.atomic
def delete_measure(measure: Measure, *, actor: Actor) -> None:
    """Remove an åtgärd; refused once followed up, or when it is the last åtgärd of a risk
    that is not accepted."""
    require(actor, Perm.PLAN, measure)
    risk = Risk.objects.select_for_update().select_related("control_plan").get(pk=measure.risk_id)
    if followups_of([measure]).exists():
        raise ValidationError(_("Åtgärden har följts upp och kan därför inte tas bort."))
    assessment = current_assessment(risk)
    remaining = risk.measures.exclude(pk=measure.pk).count()
    if assessment is not None and assessment.decision == Decision.NOT_ACCEPTED and not remaining:
        raise ValidationError(
            _(
                "Åtgärden är den enda för en risk som inte accepteras. Lägg till en annan "
                "åtgärd eller ändra beslutet först."
            )
        )
    record(
        actor=actor, action="control.measure.delete", obj=measure, before=_measure_state(measure)
    )
    measure.delete()
    _touch_risk(risk.pk)


@transaction.atomic
def assess_risk(
    risk: Risk,
    *,
    actor: Actor,
    likelihood: int | None,
    consequence: int | None,
    decision: str | None = None,
    motivation: str = "",
    year: int | None = None,
    is_example: bool = False,
    expected_version: int | None = None,
) -> RiskAssessment | None:
    """Set the risk's assessment for ``year`` (default: its plan's year).

    The score is computed here from the organisation's scale; a decision needs a score, and
    *ej accepterad* needs at least one åtgärd. Earlier years may be recorded too (a risk's
    history from before the plan), never later ones. Both steps ``None`` and no decision
    remove the year's assessment. ``expected_version``: the risk's (``EditConflict``).
    """
    require(actor, Perm.PLAN, risk)
    risk = _locked_risk(risk)
    plan_year = risk.control_plan.year
    year = plan_year if year is None else year
    if not isinstance(year, int) or year > plan_year or year < 1900:
        raise ValidationError(
            {
                "year": _("Bedömningsåret kan inte vara senare än planens år (%(y)s).")
                % {"y": plan_year}
            }
        )
    scale = scale_for(risk.control_plan.unit.organisation_id)
    score = scale.score(likelihood, consequence)
    decision = decision or None
    problem = decision_problem(decision, score, risk.measures.count())
    if problem:
        raise ValidationError({"decision": problem})
    _check_risk(risk, expected_version)
    existing = RiskAssessment.objects.filter(risk=risk, year=year).first()
    before = snapshot(existing, ASSESSMENT_FIELDS) if existing else None
    if score is None and decision is None and not motivation.strip():
        if existing is not None:
            record(actor=actor, action="control.assessment.delete", obj=existing, before=before)
            existing.delete()
            _touch_risk(risk.pk)
        return None
    assessment = existing or RiskAssessment(risk=risk, year=year)
    assessment.likelihood, assessment.consequence, assessment.score = likelihood, consequence, score
    assessment.decision = decision
    assessment.motivation = motivation.strip()
    assessment.is_example = is_example
    assessment.assessed_by = actor if getattr(actor, "pk", None) else None
    assessment.assessed_at = timezone.now()
    assessment.save()
    _touch_risk(risk.pk)
    after = snapshot(assessment, ASSESSMENT_FIELDS)
    if after != before:
        record(
            actor=actor,
            action="control.assessment.update" if existing else "control.assessment.create",
            obj=assessment,
            before=before,
            after=after,
        )
    return assessment
