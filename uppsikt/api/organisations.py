"""Organisations (huvudmän): public facts, readable by everyone."""

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from uppsikt.organisations.models import Organisation

from .errors import Error
from .pagination import PageParams, page_of, paginate

router = Router(tags=["Organisationer"])


class OrganisationOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    county_code: str


class OrganisationFilters(Schema):
    kind: Organisation.Kind | None = None


OrganisationPage = page_of(OrganisationOut, "OrganisationPage")


@router.get("", response={200: OrganisationPage, 422: Error}, summary="Organisationer")
def list_organisations(request, page: Query[PageParams], filters: Query[OrganisationFilters]):
    queryset = Organisation.objects.order_by("code")
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    return paginate(queryset, page)


@router.get("/{code}", response={200: OrganisationOut, 404: Error}, summary="En organisation")
def get_organisation(request, code: str):
    """By official code: kommunkod (1880), region (0018), riket (0000)."""
    return get_object_or_404(Organisation, code=code)
