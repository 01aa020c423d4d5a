"""Who may do what, decided in one place for the web UI, the API, exports and background tasks.

A permission (``Perm``) is held on a unit through a role given on that unit or on a unit
above it. Governed models name the way from themselves to their unit in a class attribute,
``ACCESS_UNIT`` (a Django lookup path such as ``"plan__unit"``), which serves both for
filtering querysets and for checking one object::

    >>> scope(Goal.objects.all(), user, published=Q(plan__status__in=PUBLISHED))
    >>> require(user, Perm.PLAN, goal)        # raises PermissionDenied with a Swedish message
    >>> can(user, Perm.REVIEW, unit)
    True

Anonymous visitors and signed-in users without a role are "the public": they read published
content only. Superusers, and the command line acting (``commandline.py``), hold every
permission everywhere.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from enum import StrEnum
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from uppsikt.lib.typing import Visitor
from uppsikt.organisations.models import Unit
from uppsikt.organisations.ownership import unit_id_of, unit_path

from .commandline import is_command_line
from .models import Role, RoleAssignment


class Perm(StrEnum):
    VIEW = "view"  # read what is not yet published
    PLAN = "plan"  # change plans, goals, indicators, budgets, internal control, measurements
    REPORT = "report"  # write follow-up entries
    REVIEW = "review"  # approve or return a unit's report
    ADMIN = "admin"  # reopen periods, give roles, administer the unit


ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.ADMINISTRATOR: frozenset(Perm),
    Role.PLANERARE: frozenset({Perm.VIEW, Perm.PLAN, Perm.REPORT}),
    Role.RAPPORTOR: frozenset({Perm.VIEW, Perm.REPORT}),
    Role.GRANSKARE: frozenset({Perm.VIEW, Perm.REVIEW}),
    Role.LASARE: frozenset({Perm.VIEW}),
}

PERM_LABELS = {
    Perm.VIEW: "läsa opublicerat innehåll",
    Perm.PLAN: "ändra planer och budget",
    Perm.REPORT: "skriva uppföljning",
    Perm.REVIEW: "granska rapporter",
    Perm.ADMIN: "administrera",
}


class _Everywhere(frozenset[int]):
    """Every unit: what a superuser holds. Membership is always true."""

    def __contains__(self, item: object) -> bool:
        return True

    def __bool__(self) -> bool:
        return True

    def __repr__(self) -> str:
        return "EVERYWHERE"


EVERYWHERE = _Everywhere()
_Q = TypeVar("_Q", bound=QuerySet[Any])
_CACHE_ATTR = "_uppsikt_grants"


def _children() -> dict[int | None, list[int]]:
    children: dict[int | None, list[int]] = defaultdict(list)
    for unit_id, parent_id in Unit.objects.values_list("id", "parent_id"):
        children[parent_id].append(unit_id)
    return children


def _descendants(roots: Iterable[int], children: dict[int | None, list[int]]) -> set[int]:
    seen: set[int] = set()
    stack = list(roots)
    while stack:
        unit_id = stack.pop()
        if unit_id in seen:
            continue
        seen.add(unit_id)
        stack.extend(children.get(unit_id, ()))
    return seen


def _grants(user: Visitor | None) -> dict[Perm, frozenset[int]]:
    """Per permission, the ids of every unit where ``user`` holds it (cached on the user)."""
    cached: dict[Perm, frozenset[int]] | None = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    grants: dict[Perm, frozenset[int]]
    if is_command_line(user):  # its account is inactive: the rights come with the object
        grants = dict.fromkeys(Perm, EVERYWHERE)
    elif user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        grants = {perm: frozenset() for perm in Perm}
    elif user.is_superuser:
        grants = dict.fromkeys(Perm, EVERYWHERE)
    else:
        roots: dict[Perm, set[int]] = defaultdict(set)
        assignments = RoleAssignment.objects.filter(user=user).values_list("unit_id", "role")
        for unit_id, role in assignments:
            for perm in ROLE_PERMISSIONS.get(role, ()):
                roots[perm].add(unit_id)
        children = _children() if roots else {}
        grants = {perm: frozenset(_descendants(roots[perm], children)) for perm in Perm}
    if user is not None:
        setattr(user, _CACHE_ATTR, grants)
    return grants


def forget(user: Visitor | None) -> None:
    """Drop the cached grants, after the user's roles changed."""
    if user is not None and hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def units_with(user: Visitor | None, perm: Perm) -> frozenset[int]:
    """Ids of the units where ``user`` holds ``perm`` (``EVERYWHERE`` for superusers)."""
    return _grants(user)[Perm(perm)]


def has_any_role(user: Visitor | None) -> bool:
    return bool(units_with(user, Perm.VIEW))


def can(user: Visitor | None, perm: Perm, target: Any) -> bool:
    allowed = units_with(user, perm)
    if not allowed:  # the public: no need to find the target's unit
        return False
    unit_id = unit_id_of(target)
    if unit_id is None:
        return allowed is EVERYWHERE
    return unit_id in allowed


def require(user: Visitor | None, perm: Perm, target: Any) -> None:
    """Raise ``PermissionDenied`` (with a Swedish message) unless ``user`` may."""
    if not can(user, perm, target):
        raise PermissionDenied(
            _("Du har inte behörighet att %(what)s här.") % {"what": _(PERM_LABELS[Perm(perm)])}
        )


def require_somewhere(user: Visitor | None, perm: Perm) -> None:
    """Raise ``PermissionDenied`` unless ``user`` holds ``perm`` on some unit: the rule for
    what belongs to no unit (indicator definitions, values of organisations without units)."""
    if not units_with(user, perm):
        raise PermissionDenied(
            _("Du har inte behörighet att %(what)s här.") % {"what": _(PERM_LABELS[Perm(perm)])}
        )


def can_on_organisation(user: Visitor | None, perm: Perm, organisation_id: int) -> bool:
    """Rights over a whole organisation are held on every one of its root units (with no
    units yet, only a superuser holds them)."""
    if not units_with(user, perm):
        return False
    roots = Unit.objects.filter(organisation_id=organisation_id, parent__isnull=True)
    targets: list[Unit | None] = [*roots] or [None]
    return all(can(user, perm, target) for target in targets)


def require_on_organisation(user: Visitor | None, perm: Perm, organisation_id: int) -> None:
    """``PermissionDenied`` unless ``user`` holds ``perm`` over the whole organisation."""
    if not can_on_organisation(user, perm, organisation_id):
        require(user, perm, None)  # raises with the permission's message


def administers_installation(user: Visitor | None) -> bool:
    """The installation's administrator: administrator everywhere (a superuser), who keeps
    what belongs to no organisation (the accessibility statement, new organisations)."""
    return units_with(user, Perm.ADMIN) is EVERYWHERE


def scope(
    queryset: _Q,
    user: Visitor | None,
    *,
    published: Q | None = None,
    perm: Perm = Perm.VIEW,
) -> _Q:
    """Rows of ``queryset`` that ``user`` may read.

    Everyone reads the rows matching ``published``; a user also reads every row in the
    units where they hold ``perm``. Without ``published`` the public sees nothing.
    """
    allowed = units_with(user, perm)
    if allowed is EVERYWHERE:
        return queryset
    condition = published if published is not None else Q(pk__in=[])
    if allowed:
        condition = condition | Q(**{f"{unit_path(queryset.model)}__in": sorted(allowed)})
    return queryset.filter(condition)
