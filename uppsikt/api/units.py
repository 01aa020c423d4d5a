"""Units: the organisations' trees (fullmäktige, styrelse, nämnd, förvaltning …)."""

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from uppsikt.organisations.models import Unit

from .pagination import PageParams, filtered, page_of, paginate
from .schemas import READ, Id, PathId, answers

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
