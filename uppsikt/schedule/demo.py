"""The demo's årshjul: Region Örebro län 2023 (``uppsikt demo_schedule``, in ``make demo``).

What the seeds say is kept as fact in the descriptions (the delårsrapport per 31 juli, the
internal control followed up in the delårsrapport and verksamhetsberättelse, the nämnder's
ISK-bedömning at the year's follow-up and regionstyrelsen's samlad bedömning in the
årsredovisning; from regionstyrelsens verksamhetsplan med budget 2023). The seeds give no
dates for these, so every milestone's date is invented and the milestone is marked as an
example (``is_example``). The periods' end dates come from the follow-up demo and their
deadlines from the default rule (``defaults.default_deadlines``, not the region's own
dates; given here to the periods made before ``create_default_periods`` ran); the earlier
deadline for Regionkansliet and its staber in the delårsrapport is an example too.
Running it again adds nothing twice.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from uppsikt.lib.typing import Actor
from uppsikt.organisations.models import Organisation, Unit
from uppsikt.periods.deadline_actions import set_period_deadlines, set_unit_deadline
from uppsikt.periods.defaults import default_deadlines
from uppsikt.periods.models import ReportingPeriod, UnitDeadline

from .actions import create_milestone
from .models import Milestone

ORGANISATION, YEAR = "0018", 2023
SOURCE = "Regionstyrelsens verksamhetsplan med budget 2023"
D = datetime.date
K = Milestone.Kind

# (date, kind, title, responsible unit slug, description); every date is an example.
MILESTONES = (
    (
        D(2023, 2, 15),
        K.ISK_BEDOMNING,
        "Nämndernas ISK-bedömning för 2022",
        "regionstyrelsen",
        f"{SOURCE}: vid uppföljningen av helår gör förvaltningar och nämnder en bedömning "
        "(ISK-bedömning) av om den interna styrningen och kontrollen har varit tillräcklig.",
    ),
    (
        D(2023, 3, 28),
        K.ARSREDOVISNING,
        "Regionstyrelsen behandlar årsredovisningen 2022",
        "regionstyrelsen",
        f"{SOURCE}: regionstyrelsen gör utifrån sin uppsiktsplikt en samlad bedömning av den "
        "interna styrningen och kontrollen i årsredovisningen.",
    ),
    (
        D(2023, 4, 20),
        K.BUDGETDIREKTIV,
        "Planeringsförutsättningar och budgetdirektiv 2024",
        "staben-ekonomi",
        "Ekonomistaben ansvarar för planerings- och uppföljningsprocessen.",
    ),
    (
        D(2023, 6, 14),
        K.PLAN_BESLUTAD,
        "Regionfullmäktige beslutar verksamhetsplan med budget 2024",
        "regionfullmaktige",
        "",
    ),
    (
        D(2023, 9, 5),
        K.INTERNKONTROLL,
        "Uppföljning av internkontrollplanen i delårsrapporten",
        "regionstyrelsen",
        f"{SOURCE}: uppföljningen av internkontrollplanen dokumenteras i delårsrapport och "
        "verksamhetsberättelse.",
    ),
    (
        D(2023, 9, 26),
        K.DELARSRAPPORT,
        "Regionstyrelsen behandlar delårsrapporten per 31 juli",
        "regionstyrelsen",
        f"{SOURCE}: uppföljning till regionfullmäktige sker i en delårsrapport per 31 juli "
        "och i årsredovisningen.",
    ),
    (
        D(2023, 11, 29),
        K.PLAN_BESLUTAD,
        "Regionstyrelsen beslutar sin verksamhetsplan med budget 2024",
        "regionstyrelsen",
        "",
    ),
)
EARLIER_UNIT = "regionkansliet"  # and its staber, before regionstyrelsen


def _user(username: str) -> Actor:
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise ValidationError(
            _("Demoanvändaren %(name)s saknas: kör uppsikt demo_users först.") % {"name": username}
        )
    return user


def _default_deadlines(organisation: Organisation, actor: Actor) -> int:
    """The default deadlines for the year's open periods that have none (the internal-control
    demo creates the delårsrapport and verksamhetsberättelse before ``create_default_periods``
    runs, so they were made without)."""
    count = 0
    for period in ReportingPeriod.objects.filter(
        organisation=organisation, year=YEAR, report_by__isnull=True, review_by__isnull=True
    ):
        if period.is_open:
            report_by, review_by = default_deadlines(period.ends_on)
            set_period_deadlines(period, actor=actor, report_by=report_by, review_by=review_by)
            count += 1
    return count


def _earlier_deadline(organisation: Organisation, actor: Actor) -> int:
    """Regionkansliet (and its staber) report a week before the organisation's last day."""
    period = ReportingPeriod.objects.filter(
        organisation=organisation, year=YEAR, kind=ReportingPeriod.Kind.DELARSRAPPORT
    ).first()
    if period is None or period.report_by is None or not period.is_open:
        return 0
    unit = Unit.objects.get(organisation=organisation, slug=EARLIER_UNIT)
    if UnitDeadline.objects.filter(period=period, unit=unit).exists():
        return 0
    report_by = max(period.ends_on, period.report_by - datetime.timedelta(days=7))
    set_unit_deadline(period, unit, actor=actor, report_by=report_by, review_by=None)
    return 1


def load_demo_schedule(admin: str = "admin") -> dict[str, int]:
    organisation = Organisation.objects.get(code=ORGANISATION)
    actor = _user(admin)
    units = {unit.slug: unit for unit in Unit.objects.filter(organisation=organisation)}
    made = 0
    for date, kind, title, slug, description in MILESTONES:
        if Milestone.objects.filter(organisation=organisation, date=date, title=title).exists():
            continue
        create_milestone(
            organisation,
            actor=actor,
            year=YEAR,
            date=date,
            kind=kind,
            title=title,
            responsible=units.get(slug),
            description=description,
            is_example=True,
        )
        made += 1
    return {
        "milstolpar": made,
        "tillfällen med sista dagar": _default_deadlines(organisation, actor),
        "sista dagar för enheter": _earlier_deadline(organisation, actor),
    }
