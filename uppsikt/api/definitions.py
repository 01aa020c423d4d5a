"""Indicator definitions: what is measured, in which unit, from which source. Public."""

from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from uppsikt.indicators.models import IndicatorDefinition

from .pagination import PageParams, filtered, page_of, paginate
from .schemas import READ, PathId, answers, choice

router = Router(tags=["Indikatordefinitioner"])


class DefinitionOut(Schema):
    id: int
    key: str
    name: str
    description: str
    unit: str
    polarity: str
    source_kind: str
    source_code: str
    by_gender: bool


class DefinitionFilters(Schema):
    q: str | None = Field(None, max_length=200, description="Sök i namn, nyckel och källans id.")
    source_kind: choice(IndicatorDefinition.SourceKind) | None = None


DefinitionPage = page_of(DefinitionOut, "DefinitionPage")


@router.get("", response=answers(200, DefinitionPage), summary="Indikatordefinitioner")
def list_definitions(request, page: Query[PageParams], filters: Query[DefinitionFilters]):
    queryset = IndicatorDefinition.objects.order_by("name", "pk")
    if filters.q:
        queryset = queryset.filter(
            Q(name__icontains=filters.q)
            | Q(key__icontains=filters.q)
            | Q(source_code__iexact=filters.q)
        )
    return paginate(filtered(queryset, filters, {"source_kind": "source_kind"}), page)


@router.get(
    "/{definition_id}", response=answers(200, DefinitionOut, *READ), summary="En definition"
)
def get_definition(request, definition_id: int = PathId()):
    return get_object_or_404(IndicatorDefinition, pk=definition_id)
