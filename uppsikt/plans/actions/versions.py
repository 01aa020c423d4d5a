"""Decided plans are immutable: a change after the decision is a new version.

A plan's versions share unit and year and are numbered 1, 2, 3 … Only the newest version
can be revised, and only once it is decided (beslutad or reviderad); the revision starts as
an utkast holding a copy of everything in the plan, and is decided in turn
(``decide_plan``). A decided version with a newer decided version is *ersatt*: it stays
readable, with a notice that points to the version in force. Which version is in force is
worked out from the versions themselves, never stored, so it cannot disagree with them.

What a revision copies: perspectives, prioriterade områden, sections, strategies, goals with
their indicators and the indicators' target links (definition and rule), the cascade
(``contributes_to`` both ways: the new goals contribute where the old ones did, and what
contributed to the old goals contributes to the new ones too), uppdrag and aktiviteter.
What it does not copy, on purpose: assessments and follow-up entries (they judged the version
they were made for), and budget tables, which belong to the unit and year and change only
through the budget app's own audited actions (a plan page shows the tables of its unit and
year whichever version links them).

The plan loader (``uppsikt load --replace``) is an administrator's bulk tool: it refuses to
remove a decided plan unless told ``--allow-decided``, and records what it removes in the
audit trail; see docs/security.md.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, require
from uppsikt.lib.problems import coded, refusal
from uppsikt.lib.registry import Registry
from uppsikt.lib.typing import Actor
from uppsikt.organisations.models import Unit

from ..models import (
    Activity,
    Assignment,
    FocusArea,
    Goal,
    Indicator,
    Perspective,
    Plan,
    Section,
    Strategy,
)
from ..queries import current_versions, in_force
from ..rules import PlanIsDecided
from ..trail import record_in_plan

# Other apps' data that hangs on a plan's content and goes with a copy of it: each hook gets
# the copies by model label ("plans.indicator": {original id: copy}) (``ready()`` fills it).
CopyHook = Callable[[dict[str, dict[int, Model]]], None]
copy_hooks: Registry[CopyHook] = Registry("plan copy")


# Copy order: every part after the parts it points to.
PART_MODELS: tuple[type[Model], ...] = (
    Perspective,
    FocusArea,
    Section,
    Strategy,
    Goal,
    Assignment,
    Activity,
)


def _plan_state(plan: Plan) -> dict[str, Any]:
    return {
        "status": plan.status,
        "version": plan.version,
        "decided_by": plan.decided_by.name if plan.decided_by else None,
        "decided_on": plan.decided_on.isoformat() if plan.decided_on else None,
    }


def _decision_problems(
    current: Plan,
    previous: Plan | None,
    decided_by: Unit | None,
    decided_on: object,
    allow_unknown: bool = False,
) -> dict[str, list[ValidationError]]:
    """What is wrong with a decision by ``decided_by`` on ``decided_on``, by field: the body
    must be the plan's organisation's, the date a real date, not in the future and not before
    the decision on the version it replaces; only the newest version can be decided. With
    ``allow_unknown`` either may be missing (None). Codes: ``required``,
    ``other_organisation``, ``invalid``, ``future_date``, ``before_previous_decision``,
    ``newer_version``."""
    errors: dict[str, list[ValidationError]] = {}

    def add(name: str, message: str, code: str) -> None:
        errors.setdefault(name, []).append(coded(message, code))

    if decided_by is None:
        if not allow_unknown:
            add("decided_by", _("Ange vilket organ som beslutade planen."), "required")
    elif decided_by.organisation_id != current.unit.organisation_id:
        add(
            "decided_by",
            _("Beslutande organ måste höra till samma organisation som planen."),
            "other_organisation",
        )
    if decided_on is None:
        if not allow_unknown:
            add("decided_on", _("Ange beslutsdatum."), "required")
    elif not isinstance(decided_on, datetime.date) or isinstance(decided_on, datetime.datetime):
        add("decided_on", _("Ange beslutsdatum som ett datum."), "invalid")
    elif decided_on > timezone.localdate():
        add("decided_on", _("Beslutsdatum kan inte ligga i framtiden."), "future_date")
    elif previous is not None and previous.decided_on and decided_on < previous.decided_on:
        message = _(
            "Beslutsdatum kan inte ligga före beslutet om version %(version)s "
            "(%(date)s), som den här versionen ersätter."
        ) % {"version": previous.version, "date": previous.decided_on.isoformat()}
        add("decided_on", message, "before_previous_decision")
    newer = Plan.objects.filter(
        unit_id=current.unit_id, year=current.year, version__gt=current.version
    )
    if newer.exists():
        add(
            "version",
            _("Det finns en senare version av planen; bara den senaste kan beslutas."),
            "newer_version",
        )
    return errors


@transaction.atomic
def decide_plan(
    plan: Plan,
    *,
    actor: Actor,
    decided_by: Unit | None,
    decided_on: datetime.date | None,
    reason: str = "",
    allow_unknown: bool = False,
) -> Plan:
    """Record the decision on a plan version: by which body, on which date.

    The first decided version is *beslutad*, later ones *reviderad*; a decided version
    before it becomes *ersatt*. Validates everything first and changes nothing when it
    refuses. ``allow_unknown`` is for a decision copied from a document that does not say
    which body decided or when (the data-file loader): ``decided_by`` and ``decided_on``
    may then be None; a date given is checked as always.

    >>> decide_plan(plan, actor=anna, decided_by=regionstyrelsen,
    ...             decided_on=datetime.date(2023, 6, 13))
    """
    require(actor, Perm.PLAN, plan)
    current = Plan.objects.select_for_update().select_related("unit").get(pk=plan.pk)
    if current.status != Plan.Status.UTKAST:
        raise PlanIsDecided(
            _("Version %(version)s av planen är redan beslutad.") % {"version": current.version},
            code="plan_decided",
        )
    previous = in_force(current)
    errors = _decision_problems(current, previous, decided_by, decided_on, allow_unknown)
    if errors:
        raise ValidationError(errors)
    before = _plan_state(current)
    current.status = Plan.Status.REVIDERAD if previous is not None else Plan.Status.BESLUTAD
    current.decided_by = decided_by
    current.decided_on = decided_on
    current.save(update_fields=["status", "decided_by", "decided_on", "updated_at"])
    record_in_plan(
        current,
        actor=actor,
        action="plan.decide",
        obj=current,
        before=before,
        after=_plan_state(current),
        reason=reason.strip(),
    )
    if previous is not None:
        record_in_plan(
            previous,
            actor=actor,
            action="plan.supersede",
            obj=previous,
            before={"in_force": True},
            after={"in_force": False, "superseded_by_version": current.version},
        )
    for name in ("status", "decided_by", "decided_on", "updated_at"):
        setattr(plan, name, getattr(current, name))
    return plan


@dataclass
class Revision:
    """A new version made by ``revise_plan``, with where each old object went."""

    plan: Plan
    copies: dict[str, dict[int, Model]] = field(default_factory=dict)  # label → old pk → new

    def counterpart(self, obj: Model) -> Model | None:
        """The copy of ``obj`` (an object of the revised version) in the new version."""
        return self.copies.get(obj._meta.label_lower, {}).get(obj.pk)


@transaction.atomic
def revise_plan(plan: Plan, *, actor: Actor, reason: str) -> Revision:
    """Start version n+1 of a decided plan: an utkast holding a copy of all its content.

    The decided version is not touched and stays readable. Refused (and nothing is written)
    without a reason, for an utkast, or when a newer version already exists.

    >>> revision = revise_plan(plan, actor=anna, reason="Nytt uppdrag från fullmäktige")
    >>> revision.plan.version, revision.plan.status
    (2, 'utkast')
    """
    require(actor, Perm.PLAN, plan)
    current = Plan.objects.select_for_update().get(pk=plan.pk)
    reason = (reason or "").strip()
    if not reason:
        raise refusal("reason", _("Ange varför planen revideras."), "reason_required")
    if current.status not in Plan.PUBLISHED_STATUSES:
        raise refusal(
            "status",
            _("Planen är ett utkast: ändra den direkt i stället för att revidera."),
            "is_draft",
        )
    newest = Plan.objects.filter(unit_id=current.unit_id, year=current.year).aggregate(
        newest=Max("version")
    )["newest"]
    if newest != current.version:
        raise PlanIsDecided(
            _(
                "Det finns redan en senare version (version %(version)s) av planen; "
                "revidera den i stället."
            )
            % {"version": newest},
            code="newer_version",
        )
    new = Plan.objects.create(
        unit_id=current.unit_id,
        year=current.year,
        horizon_end=current.horizon_end,
        title=current.title,
        status=Plan.Status.UTKAST,
        version=current.version + 1,
        is_example=current.is_example,
        source=current.source,
        note=current.note,
    )
    revision = Revision(plan=new, copies=copy_content(current, new))
    record_in_plan(
        new,
        actor=actor,
        action="plan.revise",
        obj=new,
        after={"version": new.version, "revises_version": current.version, "status": new.status},
        reason=reason,
    )
    return revision


def copy_content(old: Plan, new: Plan) -> dict[str, dict[int, Model]]:
    """Copy everything in ``old`` into ``new``; each copy's ``origin`` is its original.

    A new version of the same year keeps the cascade both ways (see the module docstring); a
    plan for another year keeps only its links upward that can move to the new year
    (``_links_for_year``)."""
    copies: dict[str, dict[int, Model]] = {}
    by_model: dict[type[Model], dict[int, Model]] = {}
    for model in PART_MODELS:
        originals = list(model._default_manager.filter(plan=old).order_by("position", "pk"))
        clones = [_clone(obj, new, by_model) for obj in originals]
        model._default_manager.bulk_create(clones)
        by_model[model] = {obj.pk: clone for obj, clone in zip(originals, clones, strict=True)}
        copies[model._meta.label_lower] = by_model[model]
    goals = by_model[Goal]
    indicators = _copy_indicators(goals)
    copies["plans.indicator"] = indicators
    if new.year == old.year:
        _copy_cascade(goals, by_model[Activity])
    else:
        _links_for_year(new, goals, by_model[Activity])
    for hook in copy_hooks:  # what other apps hang on the content (indicator targets)
        hook(copies)
    return copies


def _clone(obj: Model, plan: Plan, by_model: dict[type[Model], dict[int, Model]]) -> Model:
    values: dict[str, Any] = {}
    for model_field in obj._meta.concrete_fields:
        if model_field.primary_key:
            continue
        if model_field.name == "plan":
            values["plan"] = plan
            continue
        if model_field.name == "origin":
            values["origin_id"] = obj.pk
            continue
        value = getattr(obj, model_field.attname)
        related = model_field.related_model if model_field.is_relation else None
        if isinstance(related, type) and related in by_model and value is not None:
            value = by_model[related][value].pk
        values[model_field.attname] = value
    return type(obj)(**values)


def _copy_indicators(goals: dict[int, Model]) -> dict[int, Model]:
    originals = list(Indicator.objects.filter(goal_id__in=list(goals)).order_by("goal", "position"))
    clones = [
        Indicator(
            goal_id=goals[obj.goal_id].pk,
            text=obj.text,
            note=obj.note,
            position=obj.position,
            origin_id=obj.pk,
        )
        for obj in originals
    ]
    Indicator.objects.bulk_create(clones)
    return {obj.pk: clone for obj, clone in zip(originals, clones, strict=True)}


def _copy_cascade(goals: dict[int, Model], activities: dict[int, Model]) -> None:
    def new_goal(goal_id: int) -> int:
        return goals[goal_id].pk if goal_id in goals else goal_id

    links = Goal.contributes_to.through
    rows = set()
    for from_id, to_id in links.objects.filter(from_goal_id__in=list(goals)).values_list(
        "from_goal_id", "to_goal_id"
    ):
        rows.add((goals[from_id].pk, new_goal(to_id)))
    for from_id, to_id in (
        links.objects.filter(to_goal_id__in=list(goals))
        .exclude(from_goal_id__in=list(goals))
        .values_list("from_goal_id", "to_goal_id")
    ):
        rows.add((from_id, goals[to_id].pk))
    links.objects.bulk_create(links(from_goal_id=a, to_goal_id=b) for a, b in sorted(rows))

    activity_links = Activity.contributes_to.through
    pairs = set()
    for activity_id, goal_id in activity_links.objects.filter(
        activity_id__in=list(activities)
    ).values_list("activity_id", "goal_id"):
        pairs.add((activities[activity_id].pk, new_goal(goal_id)))
    for activity_id, goal_id in (
        activity_links.objects.filter(goal_id__in=list(goals))
        .exclude(activity_id__in=list(activities))
        .values_list("activity_id", "goal_id")
    ):
        pairs.add((activity_id, goals[goal_id].pk))
    activity_links.objects.bulk_create(
        activity_links(activity_id=a, goal_id=b) for a, b in sorted(pairs)
    )


def _links_for_year(new: Plan, goals: dict[int, Model], activities: dict[int, Model]) -> None:
    """Move the copied plan's links to goals outside it to ``new.year``: to the goal that was
    copied from the linked one into a plan of that year (the version in force, else the
    newest draft). Links with no such goal are dropped; links into the plan are not copied
    (last year's plans below do not break down this year's goals)."""
    links = Goal.contributes_to.through
    activity_links = Activity.contributes_to.through
    outside = {
        to_id
        for (to_id,) in links.objects.filter(from_goal_id__in=list(goals))
        .exclude(to_goal_id__in=list(goals))
        .values_list("to_goal_id")
    } | {
        goal_id
        for (goal_id,) in activity_links.objects.filter(activity_id__in=list(activities))
        .exclude(goal_id__in=list(goals))
        .values_list("goal_id")
    }
    moved = _this_years_copies(new, outside)

    def target(goal_id: int) -> int | None:
        return goals[goal_id].pk if goal_id in goals else moved.get(goal_id)

    rows = {
        (goals[a].pk, target(b))
        for a, b in links.objects.filter(from_goal_id__in=list(goals)).values_list(
            "from_goal_id", "to_goal_id"
        )
    }
    links.objects.bulk_create(
        links(from_goal_id=a, to_goal_id=b) for a, b in sorted(rows) if b is not None
    )
    pairs = {
        (activities[a].pk, target(b))
        for a, b in activity_links.objects.filter(activity_id__in=list(activities)).values_list(
            "activity_id", "goal_id"
        )
    }
    activity_links.objects.bulk_create(
        activity_links(activity_id=a, goal_id=b) for a, b in sorted(pairs) if b is not None
    )


def _this_years_copies(new: Plan, originals: set[int]) -> dict[int, int]:
    """For each goal id in ``originals``: its copy in a current plan of ``new.year``."""
    found: dict[int, int] = {}
    candidates = (
        Goal.objects.filter(
            origin_id__in=originals,
            plan__year=new.year,
            plan__unit__organisation_id=new.unit.organisation_id,
            plan__in=current_versions(),  # type: ignore[no-untyped-call]
        )
        .exclude(plan=new)
        .order_by("plan__version", "pk")
        .values_list("origin_id", "pk")
    )
    for origin_id, pk in candidates:
        found[origin_id] = pk
    return found
