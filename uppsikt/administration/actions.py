"""Creating and changing organisations and units (the API; the web uses the admin).

Who may: a new organisation needs a superuser (nobody else holds rights in it yet); changing
one needs ``admin`` over the whole organisation (every root unit). A new unit needs
``admin`` on its parent (a new root unit: over the organisation); changing one needs
``admin`` on it. Every change is validated by the models' rules and audited.
"""

from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, require, require_on_organisation
from uppsikt.audit.trail import record, snapshot
from uppsikt.lib.typing import Actor
from uppsikt.organisations.models import Organisation, Unit

from .branding_actions import update_branding as update_branding  # the organisation's profile

ORGANISATION_FIELDS = ("code", "name", "kind", "county_code")
UNIT_FIELDS = ("organisation_id", "parent_id", "slug", "name", "kind", "responsibility", "position")
UNIT_CHANGEABLE = ("name", "kind", "responsibility", "position")
_M = TypeVar("_M", bound=Model)


def _save(
    obj: _M, fields: Iterable[str], before: dict[str, Any] | None, *, actor: Actor, action: str
) -> _M:
    obj.full_clean()
    after = snapshot(obj, fields)
    if after == before:
        return obj
    created = obj.pk is None
    obj.save()
    record(
        actor=actor,
        action=f"{action}.{'create' if created else 'update'}",
        obj=obj,
        before=before,
        after=after,
    )
    return obj


@transaction.atomic
def create_organisation(
    *, actor: Actor, code: str, name: str, kind: str, county_code: str = ""
) -> Organisation:
    require(actor, Perm.ADMIN, None)
    organisation = Organisation(code=code, name=name, kind=kind, county_code=county_code)
    return _save(organisation, ORGANISATION_FIELDS, None, actor=actor, action="organisation")


@transaction.atomic
def update_organisation(
    organisation: Organisation, *, actor: Actor, **changes: object
) -> Organisation:
    """Change ``name``, ``kind`` or ``county_code``; the code names the organisation
    everywhere (imports, URLs) and does not change."""
    require_on_organisation(actor, Perm.ADMIN, organisation.pk)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = snapshot(organisation, ORGANISATION_FIELDS)
    for name, value in changes.items():
        if name not in ("name", "kind", "county_code"):
            raise TypeError(f"unknown field {name}")
        setattr(organisation, name, value)
    return _save(organisation, ORGANISATION_FIELDS, before, actor=actor, action="organisation")


def require_unit_creation(actor: Actor, organisation: Organisation, parent: Unit | None) -> None:
    if parent is None:
        require_on_organisation(actor, Perm.ADMIN, organisation.pk)
    else:
        require(actor, Perm.ADMIN, parent)


@transaction.atomic
def create_unit(
    *,
    actor: Actor,
    organisation: Organisation,
    parent: Unit | None,
    slug: str,
    name: str,
    kind: str,
    responsibility: str = "",
    position: int = 0,
) -> Unit:
    require_unit_creation(actor, organisation, parent)
    if parent is not None and parent.organisation_id != organisation.pk:
        raise ValidationError(
            {"parent": [_("Den överordnade enheten hör till en annan organisation.")]}
        )
    unit = Unit(
        organisation=organisation,
        parent=parent,
        slug=slug,
        name=name,
        kind=kind,
        responsibility=responsibility,
        position=position,
    )
    return _save(unit, UNIT_FIELDS, None, actor=actor, action="unit")


@transaction.atomic
def update_unit(unit: Unit, *, actor: Actor, **changes: object) -> Unit:
    """Change ``name``, ``kind``, ``responsibility`` or ``position``. The slug (in URLs) and
    the place in the tree (which decides who holds rights) do not change here."""
    require(actor, Perm.ADMIN, unit)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    before = snapshot(unit, UNIT_FIELDS)
    for name, value in changes.items():
        if name not in UNIT_CHANGEABLE:
            raise TypeError(f"unknown field {name}")
        setattr(unit, name, value)
    return _save(unit, UNIT_FIELDS, before, actor=actor, action="unit")
