"""Organisations (huvudmän): public facts, readable by everyone; created by a superuser and
changed by the organisation's administrators (``administration.actions``)."""

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status

from uppsikt.accounts.access import Perm, require, require_on_organisation
from uppsikt.administration.actions import create_organisation, update_organisation
from uppsikt.organisations.models import Organisation

from .auth import allowed, writer
from .pagination import PageParams, filtered, page_of, paginate
from .schemas import INPUT, READ, WRITE, OrganisationCode, Text, answers, choice

router = Router(tags=["Organisationer"])


class OrganisationOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    county_code: str


class OrganisationFilters(Schema):
    kind: choice(Organisation.Kind) | None = None


OrganisationPage = page_of(OrganisationOut, "OrganisationPage")


@router.get("", response=answers(200, OrganisationPage), summary="Organisationer")
def list_organisations(request, page: Query[PageParams], filters: Query[OrganisationFilters]):
    queryset = Organisation.objects.order_by("code")
    return paginate(filtered(queryset, filters, {"kind": "kind"}), page)


@router.get(
    "/{code}",
    response=answers(200, OrganisationOut, *READ),
    summary="En organisation",
    description="Efter officiell kod: kommunkod (1880), region (0018), riket (0000).",
)
def get_organisation(request, code: str):
    return get_object_or_404(Organisation, code=code)


class OrganisationIn(Schema):
    model_config = INPUT
    code: str = OrganisationCode(description="Officiell kod: 1880, 0018, 0000.")
    name: str = Text(..., max_length=200, required=True)
    kind: choice(Organisation.Kind)
    county_code: str = Text("", max_length=2)


class OrganisationPatch(Schema):
    """Bara de fält som anges ändras. Koden ändras inte."""

    model_config = INPUT
    name: str | None = Text(None, max_length=200, required=True)
    kind: choice(Organisation.Kind) | None = None
    county_code: str | None = Text(None, max_length=2)


def _may_create(user, **_path) -> None:
    require(user, Perm.ADMIN, None)


def _may_change(user, code: str) -> None:
    organisation = get_object_or_404(Organisation, code=code)
    require_on_organisation(user, Perm.ADMIN, organisation.pk)


@router.post(
    "",
    response=answers(201, OrganisationOut, *WRITE),
    auth=allowed(_may_create),
    summary="Skapa en organisation",
    description="Bara en superanvändare: i en ny organisation har ingen annan behörighet.",
)
def new_organisation(request, payload: OrganisationIn):
    organisation = create_organisation(actor=writer(request), **payload.dict())
    return Status(201, organisation)


@router.patch(
    "/{code}",
    response=answers(200, OrganisationOut, *WRITE),
    auth=allowed(_may_change),
    summary="Ändra en organisation",
    description="Kräver administratörsrollen över hela organisationen (varje toppenhet).",
)
def patch_organisation(request, payload: OrganisationPatch, code: str):
    organisation = get_object_or_404(Organisation, code=code)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    return update_organisation(organisation, actor=writer(request), **changes)
