"""Writing the årshjul: adding, changing and removing milestones.

Who: whoever may plan (planerare or administrator) for the whole organisation, i.e. holds
``Perm.PLAN`` on every root unit of it (``periods.rules.require_on_organisation``); the
årshjul is the organisation's own planning, not one unit's. What: a date within the
milestone's year, a known kind, a title, and a responsible unit of the same organisation.
Validated before anything is saved; each change is audited.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm
from uppsikt.audit.trail import record
from uppsikt.lib.problems import coded
from uppsikt.lib.typing import Actor, Visitor
from uppsikt.organisations.models import Organisation, Unit
from uppsikt.periods.rules import can_on_organisation, require_on_organisation

from .models import Milestone

TITLE_MAX = 200
DESCRIPTION_MAX = 5000


def may_edit(actor: Visitor, organisation: Organisation) -> bool:
    return can_on_organisation(actor, Perm.PLAN, organisation.pk)


def _clean(
    organisation: Organisation,
    *,
    year: int,
    date: datetime.date | None,
    kind: str,
    title: str,
    responsible: Unit | None,
    description: str,
) -> dict[str, Any]:
    """The milestone's fields, or a ValidationError naming every field that is wrong."""
    problems: dict[str, list[ValidationError]] = {}

    def add(field: str, message: str, code: str) -> None:
        problems.setdefault(field, []).append(coded(message, code))

    if not 2000 <= year <= 2100:
        add("year", _("Ange ett år mellan 2000 och 2100."), "invalid")
    if date is None:
        add("date", _("Ange datum."), "required")
    elif date.year != year:
        add(
            "date",
            _("Datum ska ligga inom året %(year)s.") % {"year": year},
            "outside_year",
        )
    if kind not in Milestone.Kind.values:
        add("kind", _("Okänd typ av milstolpe."), "invalid_choice")
    title = " ".join(title.split())
    if not title:
        add("title", _("Ange en rubrik."), "required")
    elif len(title) > TITLE_MAX:
        add("title", _("Rubriken får vara högst %(max)s tecken.") % {"max": TITLE_MAX}, "too_long")
    description = description.strip()
    if len(description) > DESCRIPTION_MAX:
        add(
            "description",
            _("Beskrivningen får vara högst %(max)s tecken.") % {"max": DESCRIPTION_MAX},
            "too_long",
        )
    if responsible is not None and responsible.organisation_id != organisation.pk:
        add(
            "responsible",
            _("Enheten %(unit)s hör inte till %(organisation)s.")
            % {"unit": responsible.name, "organisation": organisation.name},
            "other_organisation",
        )
    if problems:
        raise ValidationError(problems)
    return {
        "year": year,
        "date": date,
        "kind": kind,
        "title": title,
        "responsible": responsible,
        "description": description,
    }


def _snapshot(milestone: Milestone) -> dict[str, Any]:
    return {
        "year": milestone.year,
        "date": milestone.date.isoformat(),
        "kind": milestone.kind,
        "title": milestone.title,
        "responsible": milestone.responsible.slug if milestone.responsible else None,
        "description": milestone.description,
    }


def _require(actor: Actor, organisation: Organisation) -> None:
    require_on_organisation(actor, Perm.PLAN, organisation.pk)


def _root(organisation: Organisation) -> Unit | None:
    return Unit.objects.filter(organisation=organisation, parent__isnull=True).first()


@transaction.atomic
def create_milestone(
    organisation: Organisation,
    *,
    actor: Actor,
    year: int,
    date: datetime.date | None,
    kind: str,
    title: str,
    responsible: Unit | None = None,
    description: str = "",
    is_example: bool = False,
) -> Milestone:
    _require(actor, organisation)
    fields = _clean(
        organisation,
        year=year,
        date=date,
        kind=kind,
        title=title,
        responsible=responsible,
        description=description,
    )
    milestone = Milestone.objects.create(organisation=organisation, is_example=is_example, **fields)
    record(
        actor=actor,
        action="schedule.milestone.create",
        obj=milestone,
        after=_snapshot(milestone),
        unit=responsible or _root(organisation),
    )
    return milestone


@transaction.atomic
def update_milestone(
    milestone: Milestone,
    *,
    actor: Actor,
    date: datetime.date | None,
    kind: str,
    title: str,
    responsible: Unit | None = None,
    description: str = "",
) -> Milestone:
    """Change a milestone within its year (its calendar UID stays)."""
    organisation = milestone.organisation
    _require(actor, organisation)
    current = Milestone.objects.select_for_update().get(pk=milestone.pk)
    fields = _clean(
        organisation,
        year=current.year,
        date=date,
        kind=kind,
        title=title,
        responsible=responsible,
        description=description,
    )
    before = _snapshot(current)
    for name, value in fields.items():
        setattr(current, name, value)
    current.save()
    after = _snapshot(current)
    if before != after:
        record(
            actor=actor,
            action="schedule.milestone.update",
            obj=current,
            before=before,
            after=after,
            unit=current.responsible or _root(organisation),
        )
    return current


@transaction.atomic
def delete_milestone(milestone: Milestone, *, actor: Actor) -> None:
    organisation = milestone.organisation
    _require(actor, organisation)
    record(
        actor=actor,
        action="schedule.milestone.delete",
        obj=milestone,
        before=_snapshot(milestone),
        unit=milestone.responsible or _root(organisation),
    )
    milestone.delete()
