"""Organisations (huvudmän): public facts, readable by everyone."""

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from uppsikt.organisations.models import Organisation

from .pagination import PageParams, filtered, page_of, paginate
from .schemas import READ, answers, choice

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
