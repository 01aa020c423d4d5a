"""Example data for the demo's internkontrollplan: scores, follow-ups, ISK-bedömningar.

The plan itself (areas, risks, åtgärder) is the seed's, loaded from
``demo/internkontroll-2023.yaml``. What the seed does not say is generated here,
deterministically (``random.Random`` seeded from the risk's or åtgärd's text, no clock), and
stored with ``is_example=True`` so every page and export labels it:

- each risk's likelihood and consequence for 2023 and 2022 (its history). Every risk of the
  seed has åtgärder, and section 6.1 defines an åtgärd as how a risk that is *not accepted*
  is handled, so the 2023 decision is *ej accepterad* throughout;
- a follow-up of every åtgärd in the 2023 delårsrapport and verksamhetsberättelse, a few
  avvikelser;
- ISK-bedömningar of regionstyrelsen and regionkansliet, and regionstyrelsens samlad
  bedömning confirmed from the proposal.

Everything goes through the real actions, acting as the command line; the example rows
are then dated in the plan's year and the weeks after each period (``followup.demodates``),
not on the day the demo is loaded.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction

from uppsikt.control.actions.followup import (
    add_deviation,
    confirm_overall_assessment,
    follow_up_measure,
    overall_basis,
    save_unit_assessment,
)
from uppsikt.control.actions.plans import assess_risk
from uppsikt.followup.actions.entries import set_state
from uppsikt.followup.demodates import at, date_followup
from uppsikt.followup.models import FollowUp
from uppsikt.followup.statuses import WorkStatus
from uppsikt.lib.typing import Actor
from uppsikt.organisations.models import Organisation, Unit
from uppsikt.periods.models import ReportingPeriod

from .models import ControlAssessment, Decision, Deviation, Risk, RiskAssessment, Sufficiency
from .queries import unit_followup
from .units import reporting_units

HOME, YEAR = "0018", 2023
PERIODS = (
    (ReportingPeriod.Kind.DELARSRAPPORT, datetime.date(2023, 7, 31), "Delårsrapport 2023"),
    (
        ReportingPeriod.Kind.VERKSAMHETSBERATTELSE,
        datetime.date(2023, 12, 31),
        "Verksamhetsberättelse 2023",
    ),
)
# Neutral example comments, clearly marked; no facts about Region Örebro län.
COMMENTS = {
    WorkStatus.GENOMFORD: "Exempel: åtgärden är genomförd enligt plan och kontrollmomentet utfört.",
    WorkStatus.PAGAR: "Exempel: arbetet pågår och följer tidplanen.",
    WorkStatus.EJ_PABORJAD: "Exempel: arbetet startar under hösten.",
    WorkStatus.FORSENAD: "Exempel: arbetet är försenat på grund av resursbrist; ny tidplan är tagen.",
    WorkStatus.EJ_GENOMFORD: "Exempel: åtgärden har inte genomförts under året och förs till nästa års plan.",
}
HALF_YEAR = [WorkStatus.PAGAR] * 5 + [
    WorkStatus.GENOMFORD,
    WorkStatus.EJ_PABORJAD,
    WorkStatus.FORSENAD,
]
FULL_YEAR = [WorkStatus.GENOMFORD] * 6 + [WorkStatus.PAGAR, WorkStatus.EJ_GENOMFORD]


def ensure_periods(organisation: Organisation) -> dict[str, ReportingPeriod]:
    """The 2023 delårsrapport and verksamhetsberättelse (shared with the reports)."""
    periods: dict[str, ReportingPeriod] = {}
    for kind, ends_on, name in PERIODS:
        period, _created = ReportingPeriod.objects.get_or_create(
            organisation=organisation,
            year=YEAR,
            kind=kind,
            ends_on=ends_on,
            defaults={"name": name},
        )
        periods[kind] = period
    return periods


def _rng(*parts: object) -> random.Random:
    return random.Random(":".join(str(part) for part in parts))


@transaction.atomic
def load_demo_control(actor: Actor) -> dict[str, int]:
    organisation = Organisation.objects.get(code=HOME)
    periods = ensure_periods(organisation)
    counts = {"bedömningar": 0, "uppföljningar": 0, "avvikelser": 0, "isk-bedömningar": 0}
    risks = list(
        Risk.objects.filter(control_plan__unit__organisation=organisation, control_plan__year=YEAR)
        .select_related("control_plan__unit")
        .prefetch_related("measures")
    )
    for risk in risks:
        rng = _rng("risk", risk.text)
        for year in (YEAR - 1, YEAR):
            decision = Decision.NOT_ACCEPTED if risk.measures.all() else Decision.ACCEPTED
            assess_risk(
                risk,
                actor=actor,
                year=year,
                likelihood=rng.randint(1, 4),
                consequence=rng.randint(2, 4),
                decision=decision,
                motivation="Exempel: bedömningen är genererad för demon.",
                is_example=True,
            )
            counts["bedömningar"] += 1
    for kind, pool in (
        (ReportingPeriod.Kind.DELARSRAPPORT, HALF_YEAR),
        (ReportingPeriod.Kind.VERKSAMHETSBERATTELSE, FULL_YEAR),
    ):
        period = periods[kind]
        if not period.is_open:
            continue
        for risk in risks:
            for measure in risk.measures.all():
                for unit in reporting_units(risk):
                    status = _rng(kind, unit.slug, measure.text).choice(pool)
                    entry = follow_up_measure(
                        measure,
                        period,
                        actor=actor,
                        unit=unit,
                        status=status,
                        comment=COMMENTS[status],
                        is_example=True,
                    )
                    counts["uppföljningar"] += 1
                    if status in (WorkStatus.FORSENAD, WorkStatus.EJ_GENOMFORD):
                        counts["avvikelser"] += _deviation(measure, period, unit, entry, actor)
                    if (
                        kind == ReportingPeriod.Kind.VERKSAMHETSBERATTELSE
                        and entry.state == "utkast"
                    ):
                        set_state(entry, FollowUp.State.KLAR, actor=actor)
    counts["isk-bedömningar"] += _isk(organisation, periods, actor)
    _date_examples(risks, periods)
    return counts


def _date_examples(risks, periods) -> None:
    """Date the example rows in the plan's year: each year's risk assessment in January of
    that year, follow-ups and avvikelser after their period, ISK-bedömningar five weeks after
    it."""
    for row in RiskAssessment.objects.filter(risk__in=risks, is_example=True):
        row_at = at(datetime.date(row.year, 1, 16), "risk", row.risk_id, row.year)
        RiskAssessment.objects.filter(pk=row.pk).update(assessed_at=row_at)
    for period in periods.values():
        if not period.is_open:
            continue
        date_followup(period)
        for deviation in Deviation.objects.filter(
            followup__period=period, is_example=True
        ).select_related("followup"):
            Deviation.objects.filter(pk=deviation.pk).update(
                written_at=deviation.followup.written_at
            )
        for assessment in ControlAssessment.objects.filter(period=period, is_example=True):
            day = period.ends_on + datetime.timedelta(days=35)
            ControlAssessment.objects.filter(pk=assessment.pk).update(
                decided_at=at(day, "isk", assessment.pk)
            )


def _deviation(measure, period, unit, entry, actor: Actor) -> int:
    if Deviation.objects.filter(followup=entry).exists():
        return 0
    add_deviation(
        measure,
        period,
        actor=actor,
        unit=unit,
        found="Exempel: kontrollen visade att rutinen inte följts fullt ut i alla verksamheter.",
        handling="Exempel: rutinen har förtydligats och kontrollen görs om nästa tertial.",
        is_example=True,
    )
    return 1


def _isk(organisation: Organisation, periods, actor: Actor) -> int:
    period = periods[ReportingPeriod.Kind.VERKSAMHETSBERATTELSE]
    if not period.is_open:
        return 0
    count = 0
    for slug in ("regionstyrelsen", "regionkansliet"):
        unit = Unit.objects.filter(organisation=organisation, slug=slug).first()
        if unit is None:
            continue
        followup = unit_followup(unit, period)
        shortfalls = sum(
            1
            for row in followup.rows
            if row.status in (WorkStatus.EJ_GENOMFORD, WorkStatus.FORSENAD)
        )
        level = Sufficiency.PARTLY if shortfalls else Sufficiency.SUFFICIENT
        motivation = (
            f"Exempel: {len(followup.rows)} åtgärder har följts upp, varav {shortfalls} inte "
            "genomfördes som planerat. Avvikelserna hanteras enligt uppföljningen."
            if followup.rows
            else "Exempel: enheten har inga egna risker i internkontrollplanen; styrning och "
            "kontroll har följt regionens gemensamma rutiner."
        )
        save_unit_assessment(
            unit, period, actor=actor, level=level, motivation=motivation, is_example=True
        )
        count += 1
    _expected, _judgements, proposal = overall_basis(organisation, period)
    if proposal.level:
        confirm_overall_assessment(
            organisation,
            period,
            actor=actor,
            level=proposal.level,
            motivation="Exempel: regionstyrelsen delar förslaget utifrån nämndernas och "
            "förvaltningarnas bedömningar. " + proposal.reason,
            is_example=True,
        )
        count += 1
    return count
