"""Example follow-up for the demo: Region Örebro län's 2023 periods and a delårsrapport.

Regionstyrelsen, Regionkansliet and the staber beneath it (each with its decided
aktivitetsplan, example data of the demo file) follow up every goal, uppdrag, aktivitet and
budget table in scope of the delårsrapport 2023 with example entries: statuses and comments
are chosen deterministically (``random.Random`` seeded from the object's text, no clock),
saved ``is_example=True`` and begin with "Exempel:", so every page and report labels them.
Everything is written through the real actions (permissions, audit trail) as the demo's
planerare; the staber's and Regionkansliet's reports are then approved by the granskare and
Regionstyrelsen's is left submitted, waiting for review. The example entries, reports and
goal decisions are then dated in August–September 2023 (``demodates``), not on the day the
demo is loaded.

Running it again replaces the example entries (one audit event for the reset); entries
that people have written themselves are left alone.

Other apps' demos may have written example entries of their own kinds first: the internal
control demo (``demo_control``) follows up every åtgärd, with avvikelser. Those are kept
as they are (``OWN_KINDS`` are the only kinds this demo writes or resets); to submit the
report they are only marked klar. An item of another kind without an entry gets a
generic example when its kind uses ``WorkStatus``.
"""

from __future__ import annotations

import hashlib
import random

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from uppsikt.audit.trail import record
from uppsikt.followup.actions.entries import save_followup, set_state
from uppsikt.followup.actions.reports import approve_report, save_summary, submit_report
from uppsikt.followup.demodates import date_followup
from uppsikt.followup.models import FollowUp, UnitReport
from uppsikt.followup.scope import Item, in_scope, unit_tree
from uppsikt.followup.statuses import WorkStatus, values_for
from uppsikt.indicators.assessment import EJ_BEDOMBAR
from uppsikt.indicators.followup import assessment_for
from uppsikt.indicators.models import Assessment, IndicatorTarget
from uppsikt.lib.typing import Actor
from uppsikt.organisations.models import Organisation, Unit
from uppsikt.periods.actions import create_default_periods
from uppsikt.periods.models import ReportingPeriod
from uppsikt.periods.rules import ensure_open

ORGANISATION, YEAR = "0018", 2023
OWN_KINDS = ("plans.goal", "plans.assignment", "plans.activity", "budget.budgettable")
UNITS = ("regionstyrelsen", "regionkansliet")
OFFICE = "regionkansliet"  # the staber beneath it follow up their aktivitetsplaner too
PREFIX = "Exempel: "

GOAL_TEXTS = {
    "uppfyllt": (
        "Indikatorerna utvecklas i önskad riktning under perioden och målet bedöms uppfyllas "
        "vid årets slut.",
        "Arbetet går enligt plan och målet bedöms uppfyllas vid årets slut.",
    ),
    "delvis_uppfyllt": (
        "En del av indikatorerna utvecklas i önskad riktning, andra står still. Målet bedöms "
        "delvis uppfyllas vid årets slut.",
        "Arbetet går framåt men inte i den takt som behövs för att hela målet ska nås under "
        "året.\n\n- Fortsatt fokus på de delar som släpar efter\n- Ny avstämning i "
        "verksamhetsberättelsen",
    ),
    "ej_uppfyllt": (
        "Utvecklingen går inte i önskad riktning. Målet bedöms inte uppfyllas under året och "
        "åtgärder tas fram under hösten.",
    ),
    "ej_bedombar": (
        "Underlag för helåret finns först i början av nästa år. Målet kan inte bedömas i "
        "delårsrapporten.",
    ),
}
WORK_TEXTS = {
    "genomford": (
        "Genomfört enligt plan under våren.",
        "Klart; resultatet redovisas i stabsledningen.",
    ),
    "pagar": (
        "Arbetet pågår och följer tidplanen.",
        "Påbörjat under perioden; huvuddelen av arbetet görs under hösten.",
    ),
    "ej_paborjad": ("Planeras att starta under hösten.",),
    "forsenad": ("Försenat på grund av vakanser; ny tidplan tas fram under hösten.",),
}
BUDGET_TEXTS = {
    "enligt_budget": (
        "Utfallet till och med juli ligger i nivå med budget och prognosen för helåret är ett "
        "resultat enligt budget.",
    ),
    "risk": (
        "Kostnaderna har ökat under våren. Det finns en risk för avvikelse mot budget vid "
        "årets slut som följs i periodrapporterna.",
    ),
}
SUMMARIES = {
    "regionstyrelsen": (
        "Delårsrapporten följer upp regionstyrelsens verksamhetsplan med budget 2023 per den "
        "31 juli: effektmålen, uppdraget och budgeten. Regionkansliets uppföljning ingår som "
        "ett eget avsnitt."
    ),
    "regionkansliet": (
        "Regionkansliets uppföljning av mål och aktiviteter per den 31 juli 2023. Staberna "
        "har rapporterat sina aktiviteter till kansliets stabsledning."
    ),
}
STAB_SUMMARY = (
    "Stabens uppföljning av sin aktivitetsplan per den 31 juli 2023, rapporterad till "
    "regionkansliets stabsledning."
)


def _rng(*parts: str) -> random.Random:
    digest = hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()
    return random.Random(int(digest[:16], 16))


def _pick(rng: random.Random, texts: tuple[str, ...]) -> str:
    return PREFIX + rng.choice(texts)


def example_for(item: Item, period: ReportingPeriod) -> tuple[str, str]:
    """(status, comment) for an item: the same every run."""
    rng = _rng(item.label, item.title, period.slug)
    label = item.label
    if label == "plans.goal":
        # Where the example series gives a proposal for the period (the values known by its
        # end, never a later period's), the example status follows it.
        proposal = assessment_for(item.target, period)
        if proposal.proposed_status != EJ_BEDOMBAR:
            status = proposal.proposed_status
        else:
            status = rng.choices(["uppfyllt", "delvis_uppfyllt", "ej_bedombar"], weights=[3, 4, 2])[
                0
            ]
            # No measured indicator gives a proposal: a comment about how "the indicators"
            # develop would contradict the goal, so only texts about the work are used.
            texts = tuple(t for t in GOAL_TEXTS[status] if "ndikator" not in t)
            return status, _pick(rng, texts)
        return status, _pick(rng, GOAL_TEXTS[status])
    if label == "budget.budgettable":
        status = rng.choice(list(BUDGET_TEXTS))
        return status, _pick(rng, BUDGET_TEXTS[status])
    status = rng.choices(list(WORK_TEXTS), weights=[3, 5, 1, 2])[0]
    return status, _pick(rng, WORK_TEXTS[status])


def _user(username: str):
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise ValidationError(
            _("Demoanvändaren %(name)s saknas: kör uppsikt demo_users först.") % {"name": username}
        )
    return user


def _own_kinds() -> list[int]:
    return [ContentType.objects.get_by_natural_key(*label.split(".")).pk for label in OWN_KINDS]


@transaction.atomic
def reset_examples(period: ReportingPeriod, *, actor: Actor) -> int:
    """Remove the period's example entries of ``OWN_KINDS`` and the example reports (one
    audit event); real entries and other demos' examples stay."""
    ensure_open(period)
    entries = FollowUp.objects.filter(
        period=period, is_example=True, content_type_id__in=_own_kinds()
    )
    reports = UnitReport.objects.filter(period=period, is_example=True)
    count = entries.count()
    if count or reports.exists():
        record(
            actor=actor,
            action="followup.demo_reset",
            obj=period,
            before={"entries": count, "reports": reports.count()},
        )
        entries.delete()
        reports.delete()
    return count


def load_demo_followup(
    *,
    planner: str = "planerare",
    reviewer: str = "granskare",
    admin: str = "admin",
    reporter: str = "rapportor",
) -> dict[str, int]:
    organisation = Organisation.objects.get(code=ORGANISATION)
    planner_user, reviewer_user = _user(planner), _user(reviewer)
    admin_user, reporter_user = _user(admin), _user(reporter)
    periods = create_default_periods(organisation, YEAR, actor=admin_user)
    period = ReportingPeriod.objects.get(
        organisation=organisation, year=YEAR, kind=ReportingPeriod.Kind.DELARSRAPPORT
    )
    reset_examples(period, actor=admin_user)
    units = {unit.slug: unit for unit in Unit.objects.filter(organisation=organisation)}
    staber = [
        unit
        for unit, _depth in unit_tree(organisation.pk, below=units[OFFICE])
        if in_scope(unit, period)
    ]
    counts = {"perioder": len(periods), "uppföljningar": 0}
    for unit in [*(units[slug] for slug in UNITS), *staber]:
        counts["uppföljningar"] += _follow_up_unit(
            unit, period, planner=planner_user, reporter=reporter_user
        )
        summary = SUMMARIES.get(unit.slug, STAB_SUMMARY)
        save_summary(unit, period, actor=planner_user, text=PREFIX + summary, is_example=True)
        submit_report(unit, period, actor=planner_user)
    for unit in [*staber, units[OFFICE]]:
        approve_report(unit, period, actor=reviewer_user)
    date_followup(period)
    _date_goal_assessments(period)
    return counts


def _follow_up_unit(unit: Unit, period: ReportingPeriod, *, planner: Actor, reporter: Actor) -> int:
    """Example entries, klar, for everything ``unit`` follows up in ``period``; the number
    written."""
    written = 0
    for item in in_scope(unit, period):
        content_type_id, object_id, unit_id = item.key
        existing = FollowUp.objects.filter(
            period=period,
            content_type_id=content_type_id,
            object_id=object_id,
            unit_id=unit_id,
        ).first()
        if existing is not None and not existing.is_example:
            continue  # someone wrote this one for real
        if existing is not None:  # another demo's example: keep it, ready for review
            if existing.state == FollowUp.State.UTKAST:
                set_state(existing, FollowUp.State.KLAR, actor=planner)
            continue
        if item.label not in OWN_KINDS and values_for(item.target) != WorkStatus.values:
            continue
        status, comment = example_for(item, period)
        entry = save_followup(
            item.target,
            period,
            actor=planner,
            unit=unit,
            status=status,
            comment=comment,
            responsible=reporter if item.label == "plans.activity" or _by_hand(item) else planner,
            is_example=True,
        )
        set_state(entry, FollowUp.State.KLAR, actor=planner)
        written += 1
    return written


def _by_hand(item: Item) -> bool:
    """A Regionkansliet goal with an indicator reported by hand: the rapportör's to write."""
    return (
        item.label == "plans.goal"
        and item.unit.slug == OFFICE
        and IndicatorTarget.objects.filter(
            indicator__goal=item.target, definition__source_kind="manuell"
        ).exists()
    )


def _date_goal_assessments(period: ReportingPeriod) -> None:
    """The goals' assessments decided with the example entries carry the entries' dates."""
    goal_type = ContentType.objects.get_by_natural_key("plans", "goal")
    entries = FollowUp.objects.filter(period=period, is_example=True, content_type=goal_type)
    for entry in entries:
        moment = entry.written_at
        rows = Assessment.objects.filter(
            goal_id=entry.object_id, period=period.assessment_period, decided_at__isnull=False
        )
        rows.update(decided_at=moment)
        rows.filter(proposed_at__gt=moment).update(proposed_at=moment)
