"""Roles scoped to units, inherited down the tree, checked in one place."""

import itertools

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uppsikt.accounts import access
from uppsikt.accounts.access import Perm, can, require, scope
from uppsikt.accounts.actions import grant_role, revoke_role
from uppsikt.accounts.models import Role, RoleAssignment
from uppsikt.audit.models import AuditEvent
from uppsikt.organisations.models import Organisation, Unit
from uppsikt.plans.models import Goal, Plan

from .builders import load_minimal, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    load_minimal(goal_count=1, status="utkast")
    return {unit.slug: unit for unit in Unit.objects.all()}


def test_a_role_holds_on_its_unit_and_every_unit_beneath(tree):
    user = user_with_role("p", "planerare", tree["fullmaktige"])
    assert can(user, Perm.PLAN, tree["fullmaktige"])
    assert can(user, Perm.PLAN, tree["styrelsen"])
    below = user_with_role("q", "planerare", tree["styrelsen"])
    assert can(below, Perm.PLAN, tree["styrelsen"])
    assert not can(below, Perm.PLAN, tree["fullmaktige"])


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("administrator", set(Perm)),
        ("planerare", {Perm.VIEW, Perm.PLAN, Perm.REPORT}),
        ("rapportor", {Perm.VIEW, Perm.REPORT}),
        ("granskare", {Perm.VIEW, Perm.REVIEW}),
        ("lasare", {Perm.VIEW}),
    ],
)
def test_each_role_holds_exactly_its_permissions(tree, role, allowed):
    user = user_with_role("u", role, tree["styrelsen"])
    held = {perm for perm in Perm if can(user, perm, tree["styrelsen"])}
    assert held == allowed


def test_objects_are_checked_through_their_unit(tree):
    goal = Goal.objects.get()
    inside = user_with_role("inne", "planerare", tree["styrelsen"])
    assert can(inside, Perm.PLAN, goal)
    other_org = Organisation.objects.create(code="0098", name="Region Annan", kind="region")
    elsewhere = Unit.objects.create(organisation=other_org, slug="rs", name="RS", kind="styrelse")
    outside = user_with_role("ute", "planerare", elsewhere)
    assert not can(outside, Perm.PLAN, goal)
    with pytest.raises(PermissionDenied, match="behörighet"):
        require(outside, Perm.PLAN, goal)


def test_the_public_reads_published_plans_only(tree):
    plan = Plan.objects.get()
    anonymous = AnonymousUser()
    no_role = user_with_role("allmanhet", None)
    reader = user_with_role("lasare", "lasare", tree["styrelsen"])
    for user in (anonymous, no_role):
        assert not Plan.objects.visible_to(user).exists()
        assert not can(user, Perm.VIEW, plan)
    assert list(Plan.objects.visible_to(reader)) == [plan]
    Plan.objects.update(status="beslutad")
    for user in (anonymous, no_role):
        access.forget(user)
        assert list(Plan.objects.visible_to(user)) == [plan]


def test_superusers_hold_everything_everywhere(tree):
    root = get_user_model().objects.create_superuser("rot", password="x-test-pass-2")
    assert all(can(root, perm, tree["styrelsen"]) for perm in Perm)
    assert can(root, Perm.ADMIN, None)
    assert scope(Plan.objects.all(), root).count() == 1


def test_inactive_users_hold_nothing(tree):
    user = user_with_role("u", "administrator", tree["fullmaktige"])
    user.is_active = False
    access.forget(user)
    assert not can(user, Perm.VIEW, tree["fullmaktige"])


def test_granting_needs_admin_and_is_audited(tree):
    admin = user_with_role("admin", "administrator", tree["fullmaktige"])
    planner = user_with_role("p", "planerare", tree["fullmaktige"])
    newcomer = user_with_role("ny", None)
    with pytest.raises(PermissionDenied):
        grant_role(newcomer, tree["styrelsen"], Role.GRANSKARE, actor=planner)
    assert not RoleAssignment.objects.filter(user=newcomer).exists()

    assignment = grant_role(newcomer, tree["styrelsen"], Role.GRANSKARE, actor=admin)
    assert can(newcomer, Perm.REVIEW, tree["styrelsen"])
    event = AuditEvent.objects.get(action="role.grant")
    assert event.after == {"user": "ny", "unit": "Regionstyrelsen", "role": "granskare"}

    revoke_role(assignment, actor=admin)
    assert not can(newcomer, Perm.REVIEW, tree["styrelsen"])
    assert AuditEvent.objects.filter(action="role.revoke").count() == 1


# A random forest of units and random role assignments: ``can`` must agree with the
# definition "some unit on the way up from the target, itself included, carries a role
# that grants the permission".
_example_numbers = itertools.count(1000)
forests = st.lists(st.integers(min_value=-1, max_value=20), min_size=1, max_size=12)
grants = st.lists(
    st.tuples(st.integers(min_value=0, max_value=11), st.sampled_from(list(Role))), max_size=6
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parents=forests, assigned=grants)
def test_can_agrees_with_the_definition_on_random_trees(parents, assigned):
    # Examples share one transaction: each gets its own organisation and user.
    number = next(_example_numbers)
    org = Organisation.objects.create(code=f"{number:04d}", name="Region Slump", kind="region")
    units: list[Unit] = []
    for index, parent_index in enumerate(parents):
        # A parent must come earlier in the list, so the "tree" is always acyclic.
        parent = units[parent_index % index] if index and parent_index >= 0 else None
        units.append(
            Unit.objects.create(
                organisation=org, slug=f"e{index}", name=f"E{index}", kind="enhet", parent=parent
            )
        )
    user = get_user_model().objects.create_user(f"slump{number}")
    held: set[tuple[int, str]] = set()
    for unit_index, role in assigned:
        unit = units[unit_index % len(units)]
        RoleAssignment.objects.get_or_create(user=user, unit=unit, role=role)
        held.add((unit.pk, role))

    def expected(unit: Unit, perm: Perm) -> bool:
        node: Unit | None = unit
        while node is not None:
            if any(pk == node.pk and perm in access.ROLE_PERMISSIONS[role] for pk, role in held):
                return True
            node = node.parent
        return False

    for unit in units:
        for perm in Perm:
            assert can(user, perm, unit) == expected(unit, perm)
