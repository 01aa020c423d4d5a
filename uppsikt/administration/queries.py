"""What the onboarding pages read: the official registry, which organisations are set up,
who administers them, and an organisation's unit tree in order.

An organisation is *set up* when it has units or a stored styrmodell. The installation also
holds bare organisations, rows with nothing but a code and a name, for comparison values
(Riket, the regions and kommuner that indicators compare with); such a row is not set up and
may still be taken over by ``actions.set_up_organisation``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from uppsikt.accounts.access import EVERYWHERE, Perm, can, units_with
from uppsikt.governance.models import GovernanceModel
from uppsikt.lib.typing import Visitor
from uppsikt.organisations.models import Organisation, Unit
from uppsikt.organisations.registry import Official, official_organisations

# Riket is a row to compare with, not a body that plans: it is never set up.
SETTABLE_KINDS = (Organisation.Kind.REGION, Organisation.Kind.KOMMUN)


def official(code: str) -> Official | None:
    """The registry's entry for ``code`` (a region or a kommun), or None."""
    return next(
        (o for o in official_organisations() if o.code == code and o.kind in SETTABLE_KINDS),
        None,
    )


def is_set_up(organisation: Organisation) -> bool:
    return (
        Unit.objects.filter(organisation=organisation).exists()
        or GovernanceModel.objects.filter(organisation=organisation).exists()
    )


def set_up_organisations() -> QuerySet[Organisation]:
    """Every organisation with units or a styrmodell, with ``unit_count``, by code."""
    has_model = Exists(GovernanceModel.objects.filter(organisation=OuterRef("pk")))
    return (
        Organisation.objects.annotate(unit_count=Count("units"), has_model=has_model)
        .filter(Q(unit_count__gt=0) | Q(has_model=True))
        .order_by("code")
    )


def administers(user: Visitor | None, organisation: Organisation) -> bool:
    """Whether ``user`` may administer the whole organisation: the role on every root unit
    (with no units yet, only the installation's administrator may)."""
    roots = list(Unit.objects.filter(organisation=organisation, parent__isnull=True))
    if not roots:
        return can(user, Perm.ADMIN, None)
    return all(can(user, Perm.ADMIN, root) for root in roots)


def administered(user: Visitor | None) -> list[Organisation]:
    """The set-up organisations ``user`` administers whole."""
    organisations = set_up_organisations()
    if units_with(user, Perm.ADMIN) is EVERYWHERE:
        return list(organisations)
    return [o for o in organisations if administers(user, o)]


@dataclass(frozen=True)
class Candidate:
    """A registry entry as the "Ny organisation" page lists it."""

    official: Official
    status: str  # "new", "bare" (a comparison row to take over) or "set_up"

    @property
    def may_set_up(self) -> bool:
        return self.status != "set_up"


def search_registry(query: str, limit: int = 50) -> tuple[list[Candidate], int]:
    """Regions and kommuner whose code starts with, or whose name contains, ``query``
    (case-insensitive), each with its status here; and how many matched in all."""
    needle = query.strip().casefold()
    if not needle:
        return [], 0
    matches = [
        o
        for o in official_organisations()
        if o.kind in SETTABLE_KINDS and (o.code.startswith(needle) or needle in o.name.casefold())
    ]
    shown = matches[:limit]
    present = set(
        Organisation.objects.filter(code__in=[o.code for o in shown]).values_list("code", flat=True)
    )
    taken = set(set_up_organisations().filter(code__in=present).values_list("code", flat=True))
    candidates = [
        Candidate(o, "set_up" if o.code in taken else "bare" if o.code in present else "new")
        for o in shown
    ]
    return candidates, len(matches)


def unit_tree(organisation: Organisation) -> list[tuple[Unit, int]]:
    """``(unit, depth)`` in tree order: parents first, siblings by position and name."""
    children: dict[int | None, list[Unit]] = {}
    for unit in Unit.objects.filter(organisation=organisation).order_by("position", "name"):
        children.setdefault(unit.parent_id, []).append(unit)
    result: list[tuple[Unit, int]] = []
    stack = [(unit, 0) for unit in reversed(children.get(None, []))]
    while stack:
        unit, depth = stack.pop()
        result.append((unit, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(unit.pk, [])))
    return result
