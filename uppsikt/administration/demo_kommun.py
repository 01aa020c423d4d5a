"""The demo's example kommun: Kumla kommun set up beside Region Örebro län through the same
actions as onboarding (``uppsikt demo_kommun``, part of ``make demo``).

In the demo file Kumla (1881) is a bare comparison row. ``set_up_kommun`` makes it an
organisation that works in Uppsikt in its own terms, step by step as an administrator
would in the browser:

1. the installation's administrator (the demo's superuser ``admin``) sets it up from the official
   registry (``administration.actions.set_up_organisation``), builds its unit tree
   (``administration.actions.create_unit``) and gives its people their roles
   (``accounts.actions.grant_role``): ``kumla-admin`` administers the whole kommun,
   ``kumla-planerare`` plans for barn- och utbildningsnämnden;
2. the kommun's administrator stores its styrmodell (``governance.actions.save_styrmodell``):
   inriktningsmål, nämndmål and verksamhetsmål, a four-step scale, the perspectives
   Medborgare, Verksamhet, Medarbetare and Ekonomi, tertials; and creates the year's
   follow-up periods (``periods.actions.create_default_periods``), open; and gives Kumla
   its profile, an invented colour and logo (``administration.actions.update_branding``,
   as on the profile page; only Kumla: Region Örebro län's demo has none);
3. the administrator writes kommunfullmäktige's plan with the plan actions (perspectives,
   inriktningsmål, an indicator with its target rule under each) and decides it;
4. the planerare breaks one inriktningsmål down into a nämndmål of barn- och
   utbildningsnämndens plan and decides it.

Everything is example data (``demo_kommun_content``). Run again, it changes nothing: a
step whose result is there already is skipped, and each action records nothing when
nothing changes. The benchmark of many organisations (``benchmarks/organisations_scale.py``)
sets up other kommuner the same way.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from uppsikt.accounts.access import forget
from uppsikt.accounts.actions import grant_role
from uppsikt.accounts.management.commands.demo_users import DEMO_MAIL_DOMAIN, DEMO_TOTP_SECRET
from uppsikt.accounts.models import Role
from uppsikt.accounts.second_factor import enrol_with_secret
from uppsikt.governance import words
from uppsikt.governance.actions import save_styrmodell, spec_of
from uppsikt.indicators.authoring import set_indicator_target
from uppsikt.indicators.models import IndicatorDefinition
from uppsikt.interchange.styrmodell import dump_spec
from uppsikt.lib.typing import Account, Actor
from uppsikt.organisations.models import Organisation, Unit
from uppsikt.periods.actions import create_default_periods
from uppsikt.plans.actions.authoring import create_plan
from uppsikt.plans.actions.cascade import link_goal
from uppsikt.plans.actions.parts import add_part
from uppsikt.plans.actions.versions import decide_plan
from uppsikt.plans.models import Goal, Indicator, Perspective, Plan

from . import demo_kommun_content as content
from .actions import create_unit, set_up_organisation, update_branding
from .queries import is_set_up

INSTALLER = "admin"  # the demo's superuser: the installation's administrator


def installer() -> Actor:
    """The installation's administrator who sets an organisation up (demo_users makes it)."""
    user = get_user_model().objects.filter(username=INSTALLER, is_superuser=True).first()
    if user is None:
        raise ValidationError(
            _("Demoanvändaren %(name)s saknas: kör uppsikt demo_users först.") % {"name": INSTALLER}
        )
    return user


@transaction.atomic
def set_up_kommun(organisation: Organisation, *, actor: Actor) -> list[str]:
    """Set ``organisation`` up as the example kommun (``actor``: the installation's
    administrator); what was made, one line each (nothing on a second run)."""
    made: list[str] = []
    if not is_set_up(organisation):  # the bare comparison row, taken over as onboarding does
        organisation = set_up_organisation(actor=actor, code=organisation.code)
        made.append(_("Organisation: %(name)s") % {"name": organisation.name})
    units = _units(organisation, actor, made)
    admin, planner = (_person(organisation, units, p, actor, made) for p in content.PEOPLE)
    wanted = content.styrmodell(organisation.name)
    stored = spec_of(words.styrmodell_for(organisation.pk))
    if dump_spec(stored) != dump_spec(wanted):  # the default it was set up with, at first
        save_styrmodell(organisation, wanted, actor=admin)
        made.append(_("Styrmodell: %(name)s") % {"name": organisation.name})
    if organisation.code == content.CODE:  # the example kommun only
        _brand(organisation, admin, made)
    # The periods follow the styrmodell's calendar (tertials) where periods.defaults reads it.
    for period in create_default_periods(organisation, content.YEAR, actor=admin):
        made.append(_("Uppföljningstillfälle: %(name)s") % {"name": period.name})
    council = _council_plan(units[content.ROOT], admin, made)
    _namnd_plan(units[content.NAMND], council, planner, made)
    return made


def _brand(organisation: Organisation, actor: Actor, made: list[str]) -> None:
    """The example colour and logo; nothing (and no audit event) when they are set."""
    before = (organisation.colour, organisation.logo_version)
    current = update_branding(
        organisation, actor=actor, colour=content.BRAND_COLOUR, logo=content.logo()
    )
    if (current.colour, current.logo_version) != before:
        made.append(_("Profil (exempel): färg och logotyp för %(name)s") % {"name": current.name})


def _units(organisation: Organisation, actor: Actor, made: list[str]) -> dict[str, Unit]:
    units = {unit.slug: unit for unit in Unit.objects.filter(organisation=organisation)}
    for position, spec in enumerate(content.UNITS):
        if spec.slug in units:
            continue
        units[spec.slug] = create_unit(
            actor=actor,
            organisation=organisation,
            parent=units[spec.parent] if spec.parent else None,
            slug=spec.slug,
            name=spec.name,
            kind=spec.kind,
            responsibility=spec.responsibility,
            position=position,
        )
        made.append(_("Enhet: %(name)s") % {"name": spec.name})
    return units


def username(organisation: Organisation, person: content.Person) -> str:
    """``kumla-admin``: the kommun's name, then the person's part."""
    return f"{slugify(organisation.name)}-{person.part}"


def _person(
    organisation: Organisation,
    units: dict[str, Unit],
    person: content.Person,
    actor: Actor,
    made: list[str],
) -> Account:
    """A demo login with its role (made the way accounts' demo_users makes the region's)."""
    name = username(organisation, person)
    user, created = get_user_model().objects.get_or_create(username=name)
    if created:
        user.first_name = person.full_name % {"kommun": organisation.name}
        user.email = f"{name}@{DEMO_MAIL_DOMAIN}"  # a reserved domain: mail goes nowhere real
        user.set_password(content.password(name))
        user.save()
        made.append(
            _("Demoinloggning: %(name)s, lösenord %(password)s")
            % {"name": name, "password": content.password(name)}
        )
    grant_role(user, units[person.unit], person.role, actor=actor)  # nothing if held
    if person.role == Role.ADMINISTRATOR:  # administrators sign in with a second factor
        enrol_with_secret(user, DEMO_TOTP_SECRET, actor=actor)  # nothing if enrolled
    forget(user)
    return user


def _goal_kind(unit: Unit) -> str:
    """The kind of goal the unit writes: the first level of its styrmodell for its kind."""
    levels = words.styrmodell_for(unit.organisation_id).levels_for(unit.kind)
    return levels[0].key


def _set_target(indicator: Indicator, goal: content.ExampleGoal, actor: Actor) -> None:
    """The indicator's target rule, measured by the shared example definition (made with
    the first kommun's plan, chosen from the library by the others')."""
    existing = IndicatorDefinition.objects.filter(key=goal.definition).first()
    if existing is not None:
        set_indicator_target(indicator, actor=actor, rule=goal.rule, definition=existing)
    else:
        fields = {**content.DEFINITIONS[goal.definition], "key": goal.definition}
        set_indicator_target(indicator, actor=actor, rule=goal.rule, new_definition=fields)


def _add_goal(
    plan: Plan,
    goal: content.ExampleGoal,
    *,
    number: str,
    kind: str,
    perspective: Perspective,
    actor: Actor,
) -> Goal:
    """A goal under ``perspective`` with one indicator and its target rule."""
    added = add_part(
        plan,
        "goal",
        actor=actor,
        kind=kind,
        number=number,
        text=goal.text,
        perspective=perspective,
    )
    assert isinstance(added, Goal)
    indicator = add_part(plan, "indicator", actor=actor, goal=added, text=goal.indicator)
    assert isinstance(indicator, Indicator)
    _set_target(indicator, goal, actor)
    return added


def _perspectives(plan: Plan, names: list[str], actor: Actor) -> dict[str, Perspective]:
    model = words.styrmodell_for(plan.unit.organisation_id)
    described = dict(model.perspectives)
    # A new plan starts with the styrmodell's standard perspectives: use them, add the rest.
    found = {p.name: p for p in Perspective.objects.filter(plan=plan, name__in=names)}
    for number, name in enumerate(names, start=1):
        if name in found:
            continue
        added = add_part(
            plan,
            "perspective",
            actor=actor,
            number=str(number),
            name=name,
            description=described.get(name, ""),
        )
        assert isinstance(added, Perspective)
        found[name] = added
    return found


def _existing(unit: Unit) -> Plan | None:
    return Plan.objects.filter(unit=unit, year=content.YEAR).order_by("-version").first()


def _council_plan(unit: Unit, actor: Actor, made: list[str]) -> Plan:
    """Kommunfullmäktige's plan: inriktningsmål per perspective, decided."""
    existing = _existing(unit)
    if existing is not None:
        return existing
    plan = create_plan(
        unit,
        content.YEAR,
        actor=actor,
        title=content.COUNCIL_TITLE,
        is_example=True,
        note=content.EXAMPLE_NOTE,
    )
    names = [name for name, _description in words.styrmodell_for(unit.organisation_id).perspectives]
    perspectives = _perspectives(plan, names, actor)
    kind = _goal_kind(unit)
    for number, goal in enumerate(content.COUNCIL_GOALS, start=1):
        perspective = perspectives[goal.perspective]
        _add_goal(plan, goal, number=str(number), kind=kind, perspective=perspective, actor=actor)
    decide_plan(plan, actor=actor, decided_by=unit, decided_on=content.COUNCIL_DECIDED_ON)
    made.append(_("Beslutad plan: %(title)s") % {"title": plan.title})
    return plan


def _namnd_plan(unit: Unit, council: Plan, actor: Actor, made: list[str]) -> Plan:
    """The nämnd's plan, breaking one of fullmäktige's inriktningsmål down; decided."""
    existing = _existing(unit)
    if existing is not None:
        return existing
    plan = create_plan(
        unit,
        content.YEAR,
        actor=actor,
        mode="breakdown",
        source=council,
        is_example=True,
        note=content.EXAMPLE_NOTE,
    )
    goal = content.NAMND_GOAL
    perspectives = _perspectives(plan, [goal.perspective], actor)
    above = Goal.objects.get(plan=council, text=content.BROKEN_DOWN)
    added = _add_goal(
        plan,
        goal,
        number="1",
        kind=_goal_kind(unit),
        perspective=perspectives[goal.perspective],
        actor=actor,
    )
    link_goal(added, above, actor=actor)
    decide_plan(plan, actor=actor, decided_by=unit, decided_on=content.NAMND_DECIDED_ON)
    made.append(_("Beslutad plan: %(title)s") % {"title": plan.title})
    return plan


def load_demo_kommun() -> list[str]:
    """Set the demo's example kommun up (``uppsikt demo_kommun``)."""
    organisation = Organisation.objects.filter(code=content.CODE).first()
    if organisation is None:
        raise ValidationError(
            _("Kommunen %(code)s saknas: läs in demon först (uppsikt load %(file)s).")
            % {"code": content.CODE, "file": "demo/region-orebro-lan.yaml"}
        )
    return set_up_kommun(organisation, actor=installer())
