"""The permission matrix for deadlines (sista dagar) and the årshjul: pages and API."""

from __future__ import annotations

import datetime

from .matrix_rules import Case, always, login, organisation_admin, readable, token


def _milestone(c) -> int:
    """A milestone in the world's organisation (made once; every call is rolled back)."""
    from uppsikt.schedule.models import Milestone

    milestone, _created = Milestone.objects.get_or_create(
        organisation=c.org,
        year=2023,
        title="Matrisens milstolpe",
        defaults={"date": datetime.date(2023, 5, 2), "kind": "annat"},
    )
    return milestone.pk


def _unit_deadline(c) -> list:
    """The world's period and unit, with a unit deadline to remove."""
    from uppsikt.periods.models import UnitDeadline

    UnitDeadline.objects.get_or_create(
        period=c.period, unit=c.unit, defaults={"report_by": datetime.date(2024, 9, 3)}
    )
    return [c.period.pk, c.unit.pk]


def _root_only(ok: int):
    """The årshjul's forms and the API's deadline writes: the right on every root unit (only
    the superuser here); what they change is public, so anyone else is refused with 403."""
    return lambda caller: ok if caller == "rot" else 403


MILESTONE = {"date": "2023-05-03", "kind": "annat", "title": "Matrisens ändring"}

DEADLINE_PAGES: dict[str, list[Case]] = {
    "followup:deadlines": [
        Case(args=lambda c: [c.org.code, c.period.slug], expect=login(readable())),
        Case(
            args=lambda c: [c.org.code, c.period.slug],
            method="post",
            data=lambda c: {"what": "period", "report_by": "2024-09-10", "review_by": ""},
            expect=login(organisation_admin()),
            label="spara",
        ),
    ],
    "schedule:current": [Case(args=lambda c: [c.org.code], expect=always(302))],
    "schedule:feed": [Case(args=lambda c: [c.org.code])],
    "schedule:year_feed": [Case(args=lambda c: [c.org.code, 2023])],
    "schedule:year": [
        Case(args=lambda c: [c.org.code, 2023]),
        Case(
            args=lambda c: [c.org.code, 2023],
            method="post",
            data=lambda c: MILESTONE,
            expect=_root_only(302),
            label="lägg till",
        ),
    ],
    "schedule:milestone_edit": [
        Case(args=lambda c: [c.org.code, 2023, _milestone(c)], expect=_root_only(200)),
        Case(
            args=lambda c: [c.org.code, 2023, _milestone(c)],
            method="post",
            data=lambda c: MILESTONE,
            expect=_root_only(302),
            label="spara",
        ),
    ],
    "schedule:milestone_delete": [
        Case(
            args=lambda c: [c.org.code, 2023, _milestone(c)],
            method="post",
            data=lambda c: {},
            expect=_root_only(302),
        )
    ],
}

DEADLINE_API: dict[str, list[Case]] = {
    "api:get_deadlines": [Case(args=lambda c: [c.period.pk])],
    "api:put_deadlines": [
        Case(
            args=lambda c: [c.period.pk],
            method="put",
            data=lambda c: {"report_by": "2024-09-10", "review_by": None},
            expect=token(_root_only(200)),
        )
    ],
    "api:put_unit_deadline": [
        Case(
            args=lambda c: [c.period.pk, c.unit.pk],
            method="put",
            data=lambda c: {"report_by": "2024-09-05"},
            expect=token(_root_only(200)),
        )
    ],
    "api:delete_unit_deadline": [
        Case(args=_unit_deadline, method="delete", expect=token(_root_only(204)))
    ],
}
