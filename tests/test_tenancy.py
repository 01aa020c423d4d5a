"""Several organisations, one installation: an administrator of one organisation changes
nothing of another's, through any action, and a background job run for one never touches
the other (docs/security.md, "Flera organisationer").

The world is ``tests/world.py`` with Region Annan (B) set up like Region Test (A):
``world.mirror`` holds B's objects. The actor is an administrator of the whole of A (the
role on A's root unit), the strongest right short of the superuser's.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError

from uppsikt.accounts.actions import grant_role, revoke_role
from uppsikt.accounts.models import RoleAssignment
from uppsikt.administration.actions import create_unit, update_organisation
from uppsikt.budget.actions import delete_draft, save_mapping_rule, set_figure
from uppsikt.budget.models import MappingRule
from uppsikt.budget.series import Series
from uppsikt.control.actions.followup import add_deviation, follow_up_measure
from uppsikt.control.actions.plans import create_measure, create_risk, delete_risk, update_risk
from uppsikt.control.actions.scale import configure_scale
from uppsikt.followup.actions.entries import save_followup
from uppsikt.followup.actions.reports import approve_report, submit_report
from uppsikt.governance.actions import save_styrmodell, spec_of
from uppsikt.governance.words import DEFAULT
from uppsikt.organisations.models import Unit
from uppsikt.periods.actions import close_period, create_period, delete_period, reopen_period
from uppsikt.periods.deadline_actions import set_period_deadlines, set_unit_deadline
from uppsikt.plans.actions.authoring import create_plan
from uppsikt.plans.actions.content import update_goal
from uppsikt.plans.actions.versions import decide_plan, revise_plan
from uppsikt.reports.actions import set_report_template
from uppsikt.reports.build import build_report
from uppsikt.schedule.actions import create_milestone, delete_milestone
from uppsikt.schedule.models import Milestone

from .builders import user_with_role
from .once import built_once, fresh_copy
from .world import add_internal_control, build_world

pytestmark = pytest.mark.django_db


def build_two():
    world = build_world(second_full=True)
    add_internal_control(world)
    add_internal_control(world.mirror)
    root_a = Unit.objects.get(organisation=world.org, parent=None)
    world.users["admin_a"] = user_with_role("admin_a", "administrator", root_a)
    return world


@pytest.fixture(scope="module")
def two_built_once(django_db_setup, django_db_blocker):
    """The two organisations, built once for the module (tests/once.py)."""
    yield from built_once(django_db_blocker, build_two)


@pytest.fixture
def two(request, two_built_once):
    """This test's own copy of the two organisations; its changes are rolled back after it."""
    return fresh_copy(request, two_built_once)


def fingerprint() -> dict[str, list[dict]]:
    """Every row of every Uppsikt model: what "nothing changed" is checked against."""
    rows = {}
    for model in apps.get_models():
        if model.__module__.startswith("uppsikt."):
            rows[model._meta.label] = list(model._default_manager.order_by("pk").values())
    return rows


def b_milestone(b) -> Milestone:
    return Milestone.objects.create(
        organisation=b.org, year=2024, date=datetime.date(2024, 3, 1), kind="annat", title="B:s"
    )


def b_row(b):
    return b.draft_table.rows.get(label="Intäkter")


# Each: what an administrator of A tries on B's objects (``b``: world.mirror, ``a``: world).
ATTEMPTS: dict[str, Callable] = {
    "plan: create in B's unit": lambda a, b, u: create_plan(b.unit, 2026, actor=u),
    "plan: change a goal": lambda a, b, u: update_goal(b.draft_goal, actor=u, text="Kapat"),
    "plan: decide": lambda a, b, u: decide_plan(
        b.draft, actor=u, decided_by=b.unit, decided_on=datetime.date(2023, 12, 1)
    ),
    "plan: revise": lambda a, b, u: revise_plan(b.decided, actor=u, reason="Kapat"),
    "follow-up: write": lambda a, b, u: save_followup(
        b.activity, b.period, actor=u, comment="Kapat"
    ),
    "follow-up: submit": lambda a, b, u: submit_report(b.unit, b.period, actor=u),
    "follow-up: approve": lambda a, b, u: approve_report(b.unit, b.period, actor=u),
    "budget: a figure": lambda a, b, u: set_figure(
        b_row(b), actor=u, series=Series(2024, "budget"), amount=Decimal("1")
    ),
    "budget: a mapping rule": lambda a, b, u: save_mapping_rule(
        MappingRule(table=b.decided_table, row=b_row(b), account_from=1, account_to=2), actor=u
    ),
    "budget: delete the draft": lambda a, b, u: delete_draft(b.draft_table, actor=u),
    "control: a risk": lambda a, b, u: create_risk(
        b.control.plan, actor=u, area="Kapat", text="Kapad risk."
    ),
    "control: change a risk": lambda a, b, u: update_risk(b.control.risk, actor=u, text="Kapat"),
    "control: delete a risk": lambda a, b, u: delete_risk(b.control.draft_risk, actor=u),
    "control: a measure": lambda a, b, u: create_measure(b.control.risk, actor=u, text="Kapat"),
    "control: follow up": lambda a, b, u: follow_up_measure(
        b.control.measure, b.control.period, actor=u, unit=b.unit, comment="Kapat"
    ),
    "control: a deviation": lambda a, b, u: add_deviation(
        b.control.measure, b.control.period, actor=u, unit=b.unit, found="Kapat"
    ),
    "control: the risk scale": lambda a, b, u: configure_scale(
        b.org,
        actor=u,
        likelihood_labels=["L", "M", "H", "MH"],
        consequence_labels=["L", "M", "H", "MH"],
        medium_from=4,
        high_from=9,
    ),
    "period: create": lambda a, b, u: create_period(
        b.org, actor=u, kind="delarsrapport", ends_on=datetime.date(2025, 8, 31)
    ),
    "period: close": lambda a, b, u: close_period(b.period, actor=u),
    "period: reopen": lambda a, b, u: reopen_period(b.control.period, actor=u, reason="Kapat"),
    "period: delete": lambda a, b, u: delete_period(b.control.year_end, actor=u),
    "deadlines: the organisation's": lambda a, b, u: set_period_deadlines(
        b.period,
        actor=u,
        report_by=datetime.date(2024, 9, 15),
        review_by=datetime.date(2024, 9, 30),
    ),
    "deadlines: a unit's": lambda a, b, u: set_unit_deadline(
        b.period,
        b.unit,
        actor=u,
        report_by=datetime.date(2024, 9, 10),
        review_by=None,
    ),
    "deadlines: B's unit in A's period": lambda a, b, u: set_unit_deadline(
        a.period,
        b.unit,
        actor=u,
        report_by=datetime.date(2024, 9, 10),
        review_by=None,
    ),
    "milestone: create": lambda a, b, u: create_milestone(
        b.org, actor=u, year=2024, date=datetime.date(2024, 4, 1), kind="annat", title="Kapat"
    ),
    "milestone: delete": lambda a, b, u: delete_milestone(
        Milestone.objects.get(organisation=b.org), actor=u
    ),
    "roles: grant on B's unit": lambda a, b, u: grant_role(u, b.unit, "administrator", actor=u),
    "roles: revoke in B": lambda a, b, u: revoke_role(
        RoleAssignment.objects.get(user=b.user("lasare_inne")), actor=u
    ),
    "styrmodell": lambda a, b, u: save_styrmodell(b.org, spec_of(DEFAULT), actor=u),
    "organisation: rename": lambda a, b, u: update_organisation(b.org, actor=u, name="Kapad"),
    "organisation: a unit": lambda a, b, u: create_unit(
        actor=u, organisation=b.org, parent=b.unit, slug="kapad", name="Kapad", kind="stab"
    ),
    "organisation: a unit beneath B's in A": lambda a, b, u: create_unit(
        actor=u, organisation=a.org, parent=b.unit, slug="kapad", name="Kapad", kind="stab"
    ),
    "report template": lambda a, b, u: set_report_template(
        b.org, actor=u, name="mall.docx", data=b"PK"
    ),
}


# Mixing A's object with B's: the actor holds the right on A's side, so the refusal is the
# validation's (``other_organisation``), still before anything is saved.
MIXED = {"deadlines: B's unit in A's period"}


@pytest.mark.parametrize("name", list(ATTEMPTS))
def test_an_administrator_of_one_organisation_changes_nothing_in_another(two, name):
    actor = two.user("admin_a")
    if name == "milestone: delete":
        b_milestone(two.mirror)
    before = fingerprint()
    with pytest.raises((PermissionDenied, ValidationError) if name in MIXED else PermissionDenied):
        ATTEMPTS[name](two, two.mirror, actor)
    assert fingerprint() == before


def test_the_same_administrator_may_do_it_in_their_own_organisation(two):
    """The refusals above are about the organisation, not the actions: at home they work."""
    actor = two.user("admin_a")
    update_goal(two.draft_goal, actor=actor, text="Ändrat hemma")
    create_period(two.org, actor=actor, kind="delarsrapport", ends_on=datetime.date(2025, 8, 31))
    save_styrmodell(two.org, spec_of(DEFAULT), actor=actor)
    grant_role(actor, two.unit, "lasare", actor=actor)


def test_a_report_built_for_one_organisation_holds_nothing_of_the_other(two):
    """The report job's work, run for A's unit and period by A's administrator (who could
    read B's public content), names nothing of B's: not its plan, goals, units or entries."""
    b = two.mirror
    b.followup.comment = "<p>Hemligt i Region Annan.</p>"
    b.followup.save()
    _name, _type, data = build_report(two.unit, two.period, "html", user=two.user("admin_a"))
    text = data.decode()
    assert two.unit.name in text
    for foreign in ("Region Annan", b.unit.name, "Hemligt i Region Annan", b.decided.title):
        assert foreign not in text, foreign


SECRET = "Hemligt i Annan"


def hide_secrets(b) -> None:
    """Mark B's non-public content with ``SECRET``: its draft's goal, a follow-up entry in
    an open period, its draft internkontroll risk, its draft budget table."""
    from uppsikt.plans.models import Goal

    Goal.objects.filter(pk=b.draft_goal.pk).update(text=f"{SECRET}: målet")
    type(b.followup).objects.filter(pk=b.followup.pk).update(comment=f"<p>{SECRET}: uppf</p>")
    type(b.control.draft_risk).objects.filter(pk=b.control.draft_risk.pk).update(
        text=f"{SECRET}: risken"
    )
    type(b.draft_table).objects.filter(pk=b.draft_table.pk).update(title=f"{SECRET}: budget")


def test_lists_searches_and_exports_of_one_organisation_hold_nothing_of_the_other(two, client):
    """Every page and API list that takes no argument, and the search for the secret, as
    A's administrator: none of B's non-public content appears. (The matrix checks statuses;
    this checks what a 200 list shows.)"""
    from django.urls import NoReverseMatch, reverse

    from uppsikt.api.tokens import create_token

    from .test_permission_matrix import url_names

    hide_secrets(two.mirror)
    admin = two.user("admin_a")
    _token, key = create_token(admin, actor=admin, name="tenancy")
    client.force_login(admin)
    seen = []
    for name in sorted(url_names()):
        if name.startswith("admin:") or name in ("set_language", "history:mine"):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue  # takes an argument: an object, covered by the matrix
        headers = {"Authorization": f"Bearer {key}"} if url.startswith("/api/") else {}
        for query in ("", "q=Hemligt"):
            response = client.get(f"{url}?{query}", headers=headers)
            body = b"".join(response) if response.streaming else response.content
            seen.append(name)
            assert SECRET.encode() not in body, f"{name}?{query} shows B's secret"
    assert {"portal:search", "api:list_plans", "api:list_control_plans"} <= set(seen)


def test_the_secret_is_found_by_bs_own_reader(two, client):
    """The check above can fail: B's läsare finds the same secret through the same search."""
    from django.urls import reverse

    hide_secrets(two.mirror)
    client.force_login(two.mirror.user("lasare_inne"))
    page = client.get(reverse("portal:search"), {"q": "Hemligt"}).content.decode()
    assert SECRET in page
