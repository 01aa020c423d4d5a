"""Units: the organisations' trees (fullmäktige, styrelse, nämnd, förvaltning …)."""

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from uppsikt.organisations.models import Unit

from .errors import Error
from .pagination import PageParams, page_of, paginate

router = Router(tags=["Enheter"])


class UnitOut(Schema):
    id: int
    organisation: str
    parent_id: int | None
    slug: str
    name: str
    kind: str

    @staticmethod
    def resolve_organisation(obj: Unit) -> str:
        return obj.organisation.code


class UnitFilters(Schema):
    organisation: str | None = None
    parent: int | None = None


UnitPage = page_of(UnitOut, "UnitPage")


@router.get("", response={200: UnitPage, 422: Error}, summary="Enheter")
def list_units(request, page: Query[PageParams], filters: Query[UnitFilters]):
    """Filter by the organisation's code and by the parent unit."""
    queryset = Unit.objects.select_related("organisation").order_by(
        "organisation__code", "position", "pk"
    )
    if filters.organisation:
        queryset = queryset.filter(organisation__code=filters.organisation)
    if filters.parent is not None:
        queryset = queryset.filter(parent_id=filters.parent)
    return paginate(queryset, page)


@router.get("/{unit_id}", response={200: UnitOut, 404: Error}, summary="En enhet")
def get_unit(request, unit_id: int):
    return get_object_or_404(Unit.objects.select_related("organisation"), pk=unit_id)
