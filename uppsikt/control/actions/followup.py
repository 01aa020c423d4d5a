"""The year's follow-up of internal control: åtgärder, avvikelser, ISK-bedömningar.

Åtgärder are followed up with the shared ``followup`` entries (status from ``WorkStatus``,
comment, workflow); a region-wide åtgärd is followed up by every nämnd on its own, so the
entry's unit is the nämnd. Avvikelser hang on the entry. All writes check that the period
is open (``periods.rules.ensure_open``) and are audited in the same transaction.

>>> follow_up_measure(measure, delarsrapport, actor=anna, unit=namnd, status="pagar")
>>> add_deviation(measure, delarsrapport, actor=anna, unit=namnd, found="…", handling="…")
>>> save_unit_assessment(regionstyrelsen, verksamhetsberattelse, actor=anna,
...                      level="tillracklig", motivation="…")
>>> confirm_overall_assessment(region, verksamhetsberattelse, actor=anna,
...                            level="delvis_tillracklig", motivation="…")
"""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, require
from uppsikt.audit.trail import record, snapshot
from uppsikt.followup.actions.entries import save_followup
from uppsikt.followup.models import FollowUp
from uppsikt.lib.concurrency import EditConflict, bump, check_version
from uppsikt.lib.typing import Actor
from uppsikt.organisations.models import Organisation, Unit
from uppsikt.periods.models import ReportingPeriod
from uppsikt.periods.rules import ensure_open

from ..models import ControlAssessment, Deviation, Measure, Sufficiency
from ..rules import Proposal, propose_overall
from ..units import ASSESSING_KINDS, assessing_units, is_namnd, region_owner

YEAR_END_KINDS = (
    ReportingPeriod.Kind.VERKSAMHETSBERATTELSE,
    ReportingPeriod.Kind.ARSREDOVISNING,
)


def check_reporting_unit(measure: Measure, unit: Unit) -> None:
    """Region-wide åtgärder are followed up by nämnder; others only by their own unit."""
    owner_id = measure.risk.control_plan.unit_id
    if measure.risk.is_region_wide:
        same_org = unit.organisation_id == measure.risk.control_plan.unit.organisation_id
        if not (same_org and is_namnd(unit)):
            raise ValidationError(
                {"unit": _("Regionövergripande åtgärder följs upp av organisationens nämnder.")}
            )
    elif unit.pk != owner_id:
        raise ValidationError({"unit": _("Åtgärden följs upp av enheten som äger risken.")})


def check_period(measure: Measure, period: ReportingPeriod) -> None:
    plan = measure.risk.control_plan
    if period.organisation_id != plan.unit.organisation_id or period.year != plan.year:
        raise ValidationError(
            {"period": _("Uppföljningstillfället hör inte till planens organisation och år.")}
        )


def check_followup(measure: Measure, period: ReportingPeriod, unit: Unit) -> None:
    """The follow-up rules of an åtgärd, run by ``followup.actions.entries.save_followup`` for every
    writer (registered in ``ControlConfig.ready``)."""
    check_reporting_unit(measure, unit)
    check_period(measure, period)


@transaction.atomic
def follow_up_measure(
    measure: Measure,
    period: ReportingPeriod,
    *,
    actor: Actor,
    unit: Unit | None = None,
    status: str | None = None,
    comment: str | None = None,
    is_example: bool = False,
    expected_version: int | None = None,
) -> FollowUp:
    """Write ``unit``'s follow-up of ``measure`` (status from ``WorkStatus``, comment).

    ``save_followup`` checks who follows the åtgärd up and in which periods
    (``check_followup``), and ``expected_version`` (``EditConflict`` when stale)."""
    unit = unit or measure.risk.control_plan.unit
    return save_followup(
        measure,
        period,
        actor=actor,
        unit=unit,
        status=status,
        comment=comment,
        is_example=is_example,
        expected_version=expected_version,
    )


def _deviation_state(deviation: Deviation) -> dict[str, Any]:
    return snapshot(deviation, ("found", "handling"))


@transaction.atomic
def add_deviation(
    measure: Measure,
    period: ReportingPeriod,
    *,
    actor: Actor,
    unit: Unit | None = None,
    found: str,
    handling: str = "",
    is_example: bool = False,
    expected_version: int | None = None,
) -> Deviation:
    """Record an avvikelse found when following up ``measure``, and what is done about it.

    Writing an avvikelse is writing the follow-up: the same permission, open period and
    workflow checks apply (the entry is created if it does not exist yet), and
    ``expected_version`` is the entry's (``EditConflict`` when it was written since).
    """
    found = (found or "").strip()
    if not found:
        raise ValidationError({"found": _("Beskriv avvikelsen.")})
    entry = follow_up_measure(
        measure,
        period,
        actor=actor,
        unit=unit,
        is_example=is_example,
        expected_version=expected_version,
    )
    last = Deviation.objects.filter(followup=entry).aggregate(m=Max("position"))["m"]
    deviation = Deviation.objects.create(
        followup=entry,
        found=found,
        handling=(handling or "").strip(),
        position=0 if last is None else last + 1,
        written_by=actor if getattr(actor, "pk", None) else None,
        is_example=is_example,
    )
    record(
        actor=actor,
        action="control.deviation.create",
        obj=deviation,
        after=_deviation_state(deviation),
    )
    return deviation


def _touch_entry(deviation: Deviation, actor: Actor) -> None:
    entry = deviation.followup
    target = cast(Measure, entry.target)  # deviations are about åtgärder only
    follow_up_measure(target, entry.period, actor=actor, unit=entry.unit)


@transaction.atomic
def update_deviation(
    deviation: Deviation,
    *,
    actor: Actor,
    found: str,
    handling: str,
    expected_version: int | None = None,
) -> Deviation:
    """Change an avvikelse; with ``expected_version`` (its ``row_version`` when the caller
    read it), refused with ``EditConflict`` when someone saved it since."""
    found = (found or "").strip()
    if not found:
        raise ValidationError({"found": _("Beskriv avvikelsen.")})
    _touch_entry(deviation, actor)
    current = Deviation.objects.select_for_update().filter(pk=deviation.pk).first()
    if current is None:
        raise EditConflict(_("Avvikelsen har tagits bort av någon annan."), current=0)
    check_version(current.row_version, expected_version, name=str(current), obj=current)
    deviation = current
    before = _deviation_state(deviation)
    deviation.found, deviation.handling = found, (handling or "").strip()
    deviation.written_by = actor if getattr(actor, "pk", None) else None
    bump(deviation)
    deviation.save()
    after = _deviation_state(deviation)
    if after != before:
        record(
            actor=actor,
            action="control.deviation.update",
            obj=deviation,
            before=before,
            after=after,
        )
    return deviation


@transaction.atomic
def delete_deviation(deviation: Deviation, *, actor: Actor) -> None:
    _touch_entry(deviation, actor)
    record(
        actor=actor,
        action="control.deviation.delete",
        obj=deviation,
        before=_deviation_state(deviation),
    )
    deviation.delete()


# -- ISK-bedömning and samlad bedömning ----------------------------------------------------


def _check_year_end(period: ReportingPeriod, organisation_id: int) -> None:
    if period.kind not in YEAR_END_KINDS:
        raise ValidationError(
            {
                "period": _(
                    "ISK-bedömningen görs vid uppföljningen av helår (verksamhetsberättelse)."
                )
            }
        )
    if period.organisation_id != organisation_id:
        raise ValidationError(
            {"period": _("Uppföljningstillfället hör till en annan organisation.")}
        )
    ensure_open(period)


def _check_level(level: str | None, motivation: str) -> str:
    problems = {}
    if level not in Sufficiency.values:
        problems["level"] = _("Välj tillräcklig, delvis tillräcklig eller ej tillräcklig.")
    if not (motivation or "").strip():
        problems["motivation"] = _("Motivera bedömningen.")
    if problems:
        raise ValidationError(problems)
    return motivation.strip()


ASSESSMENT_STATE = ("level", "motivation", "proposed_level")


@transaction.atomic
def save_unit_assessment(
    unit: Unit,
    period: ReportingPeriod,
    *,
    actor: Actor,
    level: str,
    motivation: str,
    is_example: bool = False,
) -> ControlAssessment:
    """The unit's ISK-bedömning: was its internal control sufficient this year?"""
    require(actor, Perm.PLAN, unit)
    if unit.kind not in ASSESSING_KINDS:
        raise ValidationError(
            {
                "unit": _("ISK-bedömningar görs av nämnder och förvaltningar, inte av %(kind)s.")
                % {"kind": unit.get_kind_display().lower()}
            }
        )
    _check_year_end(period, unit.organisation_id)
    motivation = _check_level(level, motivation)
    return _save_assessment(
        unit,
        period,
        ControlAssessment.Kind.UNIT,
        actor=actor,
        level=level,
        motivation=motivation,
        is_example=is_example,
    )


def overall_basis(
    organisation: Organisation | int, period: ReportingPeriod
) -> tuple[list[Unit], dict[int, ControlAssessment], Proposal]:
    """The units' bedömningar for ``period`` and the proposal built from them."""
    expected = list(assessing_units(organisation))
    judgements = {
        a.unit_id: a
        for a in ControlAssessment.objects.filter(
            period=period, kind=ControlAssessment.Kind.UNIT, unit__organisation=organisation
        ).select_related("unit")
    }
    proposal = propose_overall(
        [unit.pk for unit in expected], {uid: a.level for uid, a in judgements.items()}
    )
    return expected, judgements, proposal


@transaction.atomic
def confirm_overall_assessment(
    organisation: Organisation,
    period: ReportingPeriod,
    *,
    actor: Actor,
    level: str,
    motivation: str,
    is_example: bool = False,
) -> ControlAssessment:
    """Regionstyrelsens samlad bedömning: the proposal and its basis are stored beside the
    confirmed level and its motivation."""
    owner = region_owner(organisation)
    if owner is None:
        raise ValidationError(_("Organisationen har ingen styrelse som gör en samlad bedömning."))
    require(actor, Perm.PLAN, owner)
    _check_year_end(period, organisation.pk)
    motivation = _check_level(level, motivation)
    _expected, judgements, proposal = overall_basis(organisation, period)
    basis = [
        {"unit": a.unit.name, "unit_id": a.unit_id, "level": a.level}
        for a in sorted(judgements.values(), key=lambda a: (a.unit.position, a.unit.name))
    ]
    return _save_assessment(
        owner,
        period,
        ControlAssessment.Kind.OVERALL,
        actor=actor,
        level=level,
        motivation=motivation,
        is_example=is_example,
        proposed_level=proposal.level,
        basis=basis,
    )


def _save_assessment(
    unit: Unit,
    period: ReportingPeriod,
    kind: str,
    *,
    actor: Actor,
    is_example: bool,
    **values: object,
) -> ControlAssessment:
    assessment = (
        ControlAssessment.objects.select_for_update()
        .filter(unit=unit, period=period, kind=kind)
        .first()
    )
    created = assessment is None
    if assessment is None:
        assessment = ControlAssessment(unit=unit, period=period, kind=kind)
    before = None if created else snapshot(assessment, ASSESSMENT_STATE)
    for name, value in values.items():
        setattr(assessment, name, value)
    assessment.is_example = is_example
    assessment.decided_by = actor if getattr(actor, "pk", None) else None
    assessment.decided_at = timezone.now()
    assessment.save()
    after = snapshot(assessment, ASSESSMENT_STATE)
    if after != before or created:
        record(
            actor=actor,
            action=f"control.isk.{kind}",
            obj=assessment,
            before=before,
            after={**after, "basis": assessment.basis} if kind == "samlad" else after,
        )
    return assessment
