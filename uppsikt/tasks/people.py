"""Whose work is it: the units a person's roles make theirs, for the task providers.

Tasks follow the roles people were given, not the reach of a superuser: a superuser with no
role has only what is assigned to them by name (a follow-up entry they are responsible for).

- ``held(user, perm)``: the units where ``user`` holds ``perm`` through a role on the unit or
  on a unit above it (a granskare on the styrelse reviews the reports of every unit below).
- ``writing_units(user)``: the units whose follow-up ``user`` writes: those where they are
  among the *nearest* holders of the reporting right. A stab with its own rapportör is that
  rapportör's; a stab without one is written by the people of the unit above it, and so on
  up to the root. So a planerare of the region is not handed every stab's report.

Every answer is computed once per user object (two or three queries) and kept on it, so
the providers of one ``tasks_for`` call share them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from uppsikt.accounts.access import ROLE_PERMISSIONS, Perm
from uppsikt.accounts.models import RoleAssignment
from uppsikt.organisations.models import Unit

_CACHE_ATTR = "_uppsikt_task_people"


def roles_with(perm: Perm) -> list[str]:
    return [str(role) for role, perms in ROLE_PERMISSIONS.items() if perm in perms]


@dataclass
class _People:
    """What one user's tasks need to know about the organisations they have roles in."""

    roles: list[tuple[int, str]]  # (unit id, role) of the user
    parents: dict[int, int | None] = field(default_factory=dict)
    organisation_of: dict[int, int] = field(default_factory=dict)
    children: dict[int | None, list[int]] = field(default_factory=dict)
    writers: dict[int, set[int]] = field(default_factory=dict)  # unit → REPORT holders there


def _people(user) -> _People:
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    people = _People(roles=[])
    if getattr(user, "is_authenticated", False) and getattr(user, "is_active", False):
        people.roles = list(RoleAssignment.objects.filter(user=user).values_list("unit_id", "role"))
    if people.roles:
        role_units = {unit_id for unit_id, _role in people.roles}
        organisations = set(
            Unit.objects.filter(pk__in=role_units).values_list("organisation_id", flat=True)
        )
        children: dict[int | None, list[int]] = defaultdict(list)
        rows = Unit.objects.filter(organisation_id__in=organisations).values_list(
            "pk", "parent_id", "organisation_id"
        )
        for unit_id, parent_id, organisation_id in rows:
            people.parents[unit_id] = parent_id
            people.organisation_of[unit_id] = organisation_id
            children[parent_id].append(unit_id)
        people.children = dict(children)
        writers: dict[int, set[int]] = defaultdict(set)
        holders = RoleAssignment.objects.filter(
            unit__organisation_id__in=organisations,
            role__in=roles_with(Perm.REPORT),
            user__is_active=True,
        ).values_list("unit_id", "user_id")
        for unit_id, user_id in holders:
            writers[unit_id].add(user_id)
        people.writers = dict(writers)
    if user is not None:
        setattr(user, _CACHE_ATTR, people)
    return people


def _below(people: _People, roots: set[int]) -> set[int]:
    seen: set[int] = set()
    stack = list(roots)
    while stack:
        unit_id = stack.pop()
        if unit_id in seen:
            continue
        seen.add(unit_id)
        stack.extend(people.children.get(unit_id, ()))
    return seen


def organisations_of(user) -> set[int]:
    """The organisations where ``user`` has a role."""
    people = _people(user)
    return {people.organisation_of[unit_id] for unit_id, _role in people.roles}


def held(user, perm: Perm) -> set[int]:
    """Ids of the units where a role of ``user`` gives ``perm`` (on the unit or above it)."""
    people = _people(user)
    roots = {unit_id for unit_id, role in people.roles if perm in ROLE_PERMISSIONS.get(role, ())}
    return _below(people, roots)


def _nearest_writers(people: _People, unit_id: int) -> set[int]:
    current: int | None = unit_id
    seen: set[int] = set()
    while current is not None and current not in seen:
        seen.add(current)
        if people.writers.get(current):
            return people.writers[current]
        current = people.parents.get(current)
    return set()


def writing_units(user) -> set[int]:
    """Ids of the units whose follow-up ``user`` writes: where they are among the nearest
    holders of the reporting right (on the unit, else on the closest unit above it)."""
    people = _people(user)
    user_id = getattr(user, "pk", None)
    candidates = held(user, Perm.REPORT)
    return {unit_id for unit_id in candidates if user_id in _nearest_writers(people, unit_id)}


def forget(user) -> None:
    """Drop what was computed for ``user`` (after their roles changed)."""
    if user is not None and hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
