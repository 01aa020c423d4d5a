"""Creating and changing organisations and units: the API, the onboarding pages, the demo.

Who may: a new organisation needs a superuser (nobody else holds rights in it yet); changing
one needs ``admin`` over the whole organisation (every root unit). A new unit needs
``admin`` on its parent (a new root unit: over the organisation); changing one needs
``admin`` on it; importing a unit tree needs ``admin`` over the whole organisation. Every
change is validated by the models' rules and audited.

``set_up_organisation`` is onboarding's first step: an organisation from the official
registry, with the default styrmodell stored for its administrator to edit. The
installation may already hold the organisation as a bare comparison row (a code and a name,
for indicator values); that row is taken over, keeping its values. One that has units or a
styrmodell is already set up and is refused.
"""

from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, require, require_on_organisation
from uppsikt.audit.trail import record, snapshot
from uppsikt.governance.actions import save_styrmodell, spec_of
from uppsikt.governance.words import DEFAULT
from uppsikt.lib.problems import Problem, refusal
from uppsikt.lib.typing import Actor
from uppsikt.organisations.models import Organisation, Unit

from .branding_actions import update_branding as update_branding  # the organisation's profile
from .queries import is_set_up, official
from .unit_file import TreeRefused, UnitRow, check, creation_order

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


@transaction.atomic
def set_up_organisation(*, actor: Actor, code: str) -> Organisation:
    """Set up the region or kommun ``code`` of the official registry, with the default
    styrmodell; its name, kind and länskod come from the registry.

    Refused (``ValidationError`` on ``code``, nothing changed) for a code not in the
    registry (``unknown_code``) and for an organisation already set up, with units or a
    styrmodell (``already_set_up``). A bare row with the code is taken over: its id, and so
    its indicator values, stay.
    """
    require(actor, Perm.ADMIN, None)
    code = code.strip()
    entry = official(code)
    if entry is None:
        raise refusal(
            "code",
            _(
                "Koden %(code)s finns inte bland regionerna och kommunerna i det officiella "
                "registret. Sök på namnet och välj i listan."
            )
            % {"code": code or "–"},
            "unknown_code",
        )
    organisation = Organisation.objects.select_for_update().filter(code=code).first()
    if organisation is not None and is_set_up(organisation):
        raise refusal(
            "code",
            _(
                "%(name)s (%(code)s) är redan uppsatt: den har enheter eller en egen "
                "styrmodell. Ändra den på dess egen sida i stället."
            )
            % {"name": organisation.name, "code": code},
            "already_set_up",
        )
    before = snapshot(organisation, ORGANISATION_FIELDS) if organisation else None
    organisation = organisation or Organisation(code=code)
    organisation.name, organisation.kind = entry.name, entry.kind
    organisation.county_code = entry.county_code
    organisation.full_clean()
    organisation.save()
    record(
        actor=actor,
        action="organisation.set_up",
        obj=organisation,
        before=before,
        after=snapshot(organisation, ORGANISATION_FIELDS),
    )
    save_styrmodell(organisation, spec_of(DEFAULT), actor=actor)
    return organisation


@transaction.atomic
def import_units(
    organisation: Organisation, rows: list[UnitRow], *, actor: Actor, file_name: str = ""
) -> list[Unit]:
    """Add the units of ``rows`` (``unit_file.read``) to the organisation, all or nothing.

    The rows are checked as a tree first (``unit_file.check``): a slug twice or already
    taken in the organisation, an unknown parent or a loop refuses the whole file
    (``TreeRefused``, every problem at its line). Units already there are never changed by
    an import; a row's parent may be one of them. Parents are created before their
    children, siblings in file order after the parent's existing children; each unit is
    audited as created, and the import as a whole once (``unit.import``).
    """
    require_on_organisation(actor, Perm.ADMIN, organisation.pk)
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    units = {unit.slug: unit for unit in Unit.objects.filter(organisation=organisation)}
    problems = check(rows, set(units))
    if not rows:
        problems.append(Problem(_("filen"), _("filen har inga enheter"), "empty"))
    if problems:
        raise TreeRefused(problems)
    positions: dict[int | None, int] = {}
    for unit in units.values():
        positions[unit.parent_id] = max(positions.get(unit.parent_id, -1), unit.position)
    created = []
    for row in creation_order(rows):
        parent = units[row.parent] if row.parent else None
        parent_id = parent.pk if parent else None
        positions[parent_id] = positions.get(parent_id, -1) + 1
        unit = Unit(
            organisation=organisation,
            parent=parent,
            slug=row.slug,
            name=row.name,
            kind=row.kind,
            responsibility=row.responsibility,
            position=positions[parent_id],
        )
        try:
            _save(unit, UNIT_FIELDS, None, actor=actor, action="unit")
        except ValidationError as error:  # what the file's checks missed, at its line
            raise TreeRefused(
                [
                    Problem(_("rad %(n)s") % {"n": row.line}, m, "invalid", row.line)
                    for m in error.messages
                ]
            ) from error
        units[row.slug] = unit
        created.append(unit)
    record(
        actor=actor,
        action="unit.import",
        obj=organisation,
        after={"file": file_name, "units": [unit.slug for unit in created]},
        unit=created[0],  # the first unit made, the top of what the file adds
    )
    return created
