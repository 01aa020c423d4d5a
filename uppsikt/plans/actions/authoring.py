"""Starting a plan in the browser, and its beredning before the decision.

A plan for a unit and a year is made in one of three ways (``create_plan``):

- ``empty``: nothing in it yet;
- ``copy``: a copy of the unit's plan for an earlier year, every object remembering the one
  it came from (``origin``), so the year-over-year comparison pairs them. Its "bidrar till"
  links move to the goals above that were copied to the new year in turn; a link whose goal
  above has no copy yet is dropped, and the cascade view lists the goal as not linked upward;
- ``breakdown``: an empty plan that breaks down the goals of the plan of the unit above for
  the same year; each of those goals is answered by goals of the new plan that contribute to
  it (``cascade.link_goal``) or by "berör inte enheten" (``cascade.exempt_goal``).

The beredning: ``send_for_review`` marks a draft as out for comments, ``add_comment`` keeps
each comment with the plan (on the plan or on one of its objects), and ``decide_plan``
(``versions``) decides it as before.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, require
from uppsikt.audit.trail import snapshot
from uppsikt.governance.words import styrmodell_for
from uppsikt.lib import richtext
from uppsikt.lib.concurrency import bump, check_version
from uppsikt.lib.problems import coded, refusal
from uppsikt.lib.typing import Actor
from uppsikt.organisations.models import Unit

from ..models import Plan, PlanComment
from ..rules import ensure_editable
from ..trail import record_in_plan
from .parts import MODELS, add_part, kind_of, plan_of
from .versions import copy_content

MODES = ("empty", "copy", "breakdown")
PLAN_FIELDS = ("title", "horizon_end", "note")
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _source_problems(
    unit: Unit, year: int, mode: str, source: Plan | None
) -> dict[str, list[ValidationError]]:
    if mode == "empty":
        return {}
    if source is None:
        return {"source": [coded(_("Välj planen att utgå från."), "source_required")]}
    if mode == "copy" and (source.unit_id != unit.pk or source.year >= year):
        return {"source": [coded(_("Välj enhetens plan för ett tidigare år."), "wrong_source")]}
    if mode == "breakdown" and (source.unit_id != unit.parent_id or source.year != year):
        return {"source": [coded(_("Välj planen för enheten ovanför samma år."), "wrong_source")]}
    return {}


def creation_problems(
    unit: Unit, year: Any, mode: str, source: Plan | None, title: str, *, version: int = 1
) -> dict[str, list[str]]:
    """Everything wrong with a request to create a plan, by field."""
    return {
        name: [str(problem.message) for problem in problems]
        for name, problems in _creation_refusals(
            unit, year, mode, source, title, version=version
        ).items()
    }


def _creation_refusals(
    unit: Unit, year: Any, mode: str, source: Plan | None, title: str, *, version: int = 1
) -> dict[str, list[ValidationError]]:
    """``creation_problems`` with their codes: ``invalid_choice`` (the mode),
    ``year_range``, ``plan_exists``, ``source_required``, ``wrong_source``, ``max_length``."""
    errors: dict[str, list[ValidationError]] = {}
    if mode not in MODES:
        errors["mode"] = [
            coded(_("Välj tom plan, kopia av ett tidigare år eller nedbrytning."), "invalid_choice")
        ]
    if not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        message = _("Ange ett år mellan %(first)s och %(last)s.") % {
            "first": FIRST_YEAR,
            "last": LAST_YEAR,
        }
        errors["year"] = [coded(message, "year_range")]
        return errors
    if version != 1:
        errors.update(_version_problems(unit, year, mode, version))
    elif Plan.objects.filter(unit=unit, year=year).exists():
        message = _("Det finns redan en plan för %(unit)s år %(year)s.") % {
            "unit": unit.name,
            "year": year,
        }
        errors["year"] = [coded(message, "plan_exists")]
    if mode in MODES:
        errors.update(_source_problems(unit, year, mode, source))
    if len(title) > Plan._meta.get_field("title").max_length:  # type: ignore[operator]
        errors["title"] = [coded(_("Titeln är för lång."), "max_length")]
    return errors


def _version_problems(
    unit: Unit, year: int, mode: str, version: Any
) -> dict[str, list[ValidationError]]:
    """A later version given outright (the data-file loader) is an empty plan, and no version
    as new or newer may exist for the unit and year."""
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        return {"version": [coded(_("Ange versionen som ett positivt heltal."), "invalid")]}
    if mode != "empty":
        return {"mode": [coded(_("En senare version skapas tom."), "invalid_choice")]}
    if Plan.objects.filter(unit=unit, year=year, version__gte=version).exists():
        message = _(
            "Det finns redan version %(version)s eller senare av planen för %(unit)s år %(year)s."
        ) % {"version": version, "unit": unit.name, "year": year}
        return {"version": [coded(message, "plan_exists")]}
    return {}


def default_title(unit: Unit, year: int, source: Plan | None, mode: str) -> str:
    if mode == "copy" and source is not None and str(source.year) in source.title:
        return source.title.replace(str(source.year), str(year))
    if unit.kind == Unit.Kind.STAB:  # a stab's plan is its aktivitetsplan
        return _("Aktivitetsplan %(year)s – %(unit)s") % {"year": year, "unit": unit.name}
    return _("Verksamhetsplan %(year)s – %(unit)s") % {"year": year, "unit": unit.name}


@transaction.atomic
def create_plan(
    unit: Unit,
    year: int,
    *,
    actor: Actor,
    mode: str = "empty",
    source: Plan | None = None,
    title: str = "",
    horizon_end: int | None = None,
    is_example: bool = False,
    note: str = "",
    source_document: str = "",
    version: int = 1,
    standard_perspectives: bool = True,
) -> Plan:
    """A new draft plan (version 1) for ``unit`` and ``year``; see the module docstring.

    An empty plan of an organisation with its own styrmodell that uses perspectives starts
    with the styrmodell's standard perspectives (``standard_perspectives``; the data-file
    loader, which writes a plan's perspectives as the file has them, leaves them out).

    ``note`` is the plan's remark and ``source_document`` the document it was written from
    (``Plan.source``). ``version`` > 1 is for the data-file loader, which loads a plan's
    versions as they stand in the file: an empty draft of that version, refused when that
    version or a newer one exists (``_version_problems``).
    """
    require(actor, Perm.PLAN, unit)
    if source is not None and not Plan.objects.visible_to(actor).filter(pk=source.pk).exists():
        source = None  # a draft the actor may not read is as good as none
    title = (title or "").strip()
    errors = _creation_refusals(unit, year, mode, source, title, version=version)
    if errors:
        raise ValidationError(errors)
    plan = Plan(
        unit=unit,
        year=year,
        version=version,
        title=title or default_title(unit, year, source, mode),
        horizon_end=horizon_end,
        is_example=is_example,
        note=richtext.normalise(note or ""),
        source=(source_document or "").strip(),
        origin=source if mode == "copy" else None,
        breaks_down=source if mode == "breakdown" else None,
    )
    plan.full_clean()
    plan.save()
    copied = 0
    if mode == "copy" and source is not None:
        plan.horizon_end = plan.horizon_end or _moved_horizon(source, year)
        plan.save(update_fields=["horizon_end"])
        copied = sum(len(objects) for objects in copy_content(source, plan).values())
    if mode == "empty" and standard_perspectives:
        _add_standard_perspectives(plan, actor)
    after: dict[str, Any] = {
        "mode": mode,
        "source": source.pk if source else None,
        "title": plan.title,
        "year": year,
        "copied": copied,
    }
    if version != 1:
        after["version"] = version
    record_in_plan(plan, actor=actor, action="plan.create", obj=plan, after=after)
    return plan


def _add_standard_perspectives(plan: Plan, actor: Actor) -> None:
    """The organisation's own styrmodell's perspectives, in its order (Region Örebro län's
    default words, stored or not, add none: its plans are written with their own)."""
    model = styrmodell_for(plan.unit.organisation_id)
    if model.has_default_words or not model.uses_kind("perspectives"):
        return
    for name, description in model.perspectives:
        add_part(plan, "perspective", actor=actor, name=name, description=description)


def _moved_horizon(source: Plan, year: int) -> int | None:
    if source.horizon_end is None:
        return None
    return source.horizon_end + (year - source.year)


@transaction.atomic
def update_plan(
    plan: Plan, *, actor: Actor, expected_version: int | None = None, **changes: Any
) -> Plan:
    """Change a draft's title, planning horizon or note."""
    require(actor, Perm.PLAN, plan)
    ensure_editable(plan)
    unknown = set(changes) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"update_plan() got unexpected fields: {sorted(unknown)}")
    stored = Plan.objects.select_for_update().get(pk=plan.pk)
    before = snapshot(stored, PLAN_FIELDS)
    for name, value in changes.items():
        if name == "note":
            value = richtext.clean(value or "", field="note")
        elif isinstance(value, str):
            value = value.strip()
        setattr(stored, name, value)
    stored.full_clean()
    check_version(stored.row_version, expected_version, name=str(stored), obj=stored)
    after = snapshot(stored, PLAN_FIELDS)
    if after != before:
        bump(stored)
        stored.save()
        record_in_plan(
            stored, actor=actor, action="plan.update", obj=stored, before=before, after=after
        )
    return stored


@transaction.atomic
def send_for_review(plan: Plan, *, actor: Actor, note: str = "") -> Plan:
    """Put a draft out for comments before it is decided (beredning)."""
    require(actor, Perm.PLAN, plan)
    ensure_editable(plan)
    stored = Plan.objects.select_for_update().get(pk=plan.pk)
    if stored.review_requested_at is not None:
        raise refusal("status", _("Planen är redan skickad på beredning."), "already_in_review")
    stored.review_requested_at = timezone.now()
    stored.save(update_fields=["review_requested_at", "updated_at"])
    record_in_plan(
        stored,
        actor=actor,
        action="plan.review",
        obj=stored,
        after={"review_requested_at": stored.review_requested_at.isoformat()},
        reason=note.strip(),
    )
    plan.review_requested_at = stored.review_requested_at
    return plan


MAX_COMMENT = 5000


@transaction.atomic
def add_comment(
    plan: Plan, *, actor: Actor, body: str, subject: Model | None = None
) -> PlanComment:
    """A comment in the draft's beredning, on the plan or on ``subject`` (an object of it).
    Anyone who may read the draft may comment; a decided plan takes no more comments."""
    require(actor, Perm.VIEW, plan)
    ensure_editable(plan)
    body = (body or "").strip()
    errors: dict[str, list[ValidationError]] = {}
    if not body:
        errors["body"] = [coded(_("Skriv en kommentar."), "empty_text")]
    elif len(body) > MAX_COMMENT:
        message = _("Kommentaren får vara högst %(max)s tecken.") % {"max": MAX_COMMENT}
        errors["body"] = [coded(message, "max_length")]
    if subject is not None and (
        type(subject) not in MODELS.values() or plan_of(subject).pk != plan.pk
    ):
        message = _("Kommentaren måste gälla planen eller något i den.")
        errors["subject"] = [coded(message, "other_plan")]
    if errors:
        raise ValidationError(errors)
    comment = PlanComment.objects.create(
        plan=plan,
        subject_type=kind_of(subject) if subject is not None else "",
        subject_id=subject.pk if subject is not None else None,
        subject_label=str(subject)[:300] if subject is not None else "",
        author=actor if getattr(actor, "pk", None) else None,
        author_name=getattr(actor, "get_full_name", lambda: "")() or getattr(actor, "username", ""),
        body=body,
    )
    record_in_plan(
        plan,
        actor=actor,
        action="plan.comment",
        obj=comment,
        after={"subject_label": comment.subject_label or str(plan), "body": body},
    )
    return comment
