"""Units: the organisations' trees (fullmäktige, styrelse, nämnd, förvaltning …); created and
changed by administrators (``administration.actions``)."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema, Status

from uppsikt.accounts.access import Perm, require, require_somewhere
from uppsikt.administration.actions import create_unit, update_unit
from uppsikt.organisations.models import Organisation, Unit

from .auth import allowed, writer
from .errors import explain_pattern, unknown
from .pagination import PageParams, filtered, page_of, paginate
from .schemas import INPUT, READ, WRITE, Id, OrganisationCode, PathId, Text, answers, choice

router = Router(tags=["Enheter"])
SLUG = explain_pattern(  # organisations.models.slug_validator
    r"^[a-z0-9]+(-[a-z0-9]+)*$",
    gettext_lazy("Använd gemena bokstäver a–z, siffror och bindestreck."),
)


class UnitOut(Schema):
    id: int
    organisation: str
    parent_id: int | None
    slug: str
    name: str
    kind: str
    responsibility: str
    position: int

    @staticmethod
    def resolve_organisation(obj: Unit) -> str:
        return obj.organisation.code


class UnitFilters(Schema):
    organisation: str | None = OrganisationCode(None, description="Organisationens kod.")
    parent: Id | None = None


UnitPage = page_of(UnitOut, "UnitPage")


@router.get(
    "",
    response=answers(200, UnitPage),
    summary="Enheter",
    description="Filtrera på organisationens kod och på överordnad enhet.",
)
def list_units(request, page: Query[PageParams], filters: Query[UnitFilters]):
    queryset = Unit.objects.select_related("organisation").order_by(
        "organisation__code", "position", "pk"
    )
    lookups = {"organisation": "organisation__code", "parent": "parent_id"}
    return paginate(filtered(queryset, filters, lookups), page)


@router.get("/{unit_id}", response=answers(200, UnitOut, *READ), summary="En enhet")
def get_unit(request, unit_id: int = PathId()):
    return get_object_or_404(Unit.objects.select_related("organisation"), pk=unit_id)


class UnitIn(Schema):
    model_config = INPUT
    organisation: str = OrganisationCode(description="Organisationens kod.")
    parent: Id | None = Field(None, description="Överordnad enhet; utan: en toppenhet.")
    slug: str = Field(
        ...,
        max_length=80,
        pattern=SLUG,
        description="Kortnamn i adresser, t.ex. hsn: gemena a–z, siffror och bindestreck.",
    )
    name: str = Text(..., max_length=200, required=True)
    kind: choice(Unit.Kind)
    responsibility: str = Text("", max_length=100000)
    position: int = Field(0, ge=0, le=2**31 - 1)


class UnitPatch(Schema):
    """Bara de fält som anges ändras. Kortnamnet och platsen i trädet ändras inte här."""

    model_config = INPUT
    name: str | None = Text(None, max_length=200, required=True)
    kind: choice(Unit.Kind) | None = None
    responsibility: str | None = Text(None, max_length=100000)
    position: int | None = Field(None, ge=0, le=2**31 - 1)


def _may_create(user, **_path) -> None:
    require_somewhere(user, Perm.ADMIN)


def _may_change(user, unit_id: int) -> None:
    require(user, Perm.ADMIN, get_object_or_404(Unit, pk=unit_id))


def _unit(pk: int) -> Unit:
    return Unit.objects.select_related("organisation").get(pk=pk)


@router.post(
    "",
    response=answers(201, UnitOut, *WRITE),
    auth=allowed(_may_create),
    summary="Skapa en enhet",
    description="Kräver administratörsrollen på den överordnade enheten (för en toppenhet: "
    "över hela organisationen).",
)
def new_unit(request, payload: UnitIn):
    user = writer(request)
    organisation = Organisation.objects.filter(code=payload.organisation).first()
    if organisation is None:
        raise unknown("organisation", _("Okänd organisation."))
    parent = None
    if payload.parent is not None:
        parent = Unit.objects.filter(pk=payload.parent).first()
        if parent is None:
            raise unknown("parent", _("Okänd enhet."))
    values = payload.dict(exclude={"organisation", "parent"})
    unit = create_unit(actor=user, organisation=organisation, parent=parent, **values)
    return Status(201, _unit(unit.pk))


@router.patch(
    "/{unit_id}",
    response=answers(200, UnitOut, *WRITE),
    auth=allowed(_may_change),
    summary="Ändra en enhet",
    description="Kräver administratörsrollen på enheten.",
)
def patch_unit(request, payload: UnitPatch, unit_id: int = PathId()):
    unit = get_object_or_404(Unit, pk=unit_id)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    return _unit(update_unit(unit, actor=writer(request), **changes).pk)
