"""Pages of results: ``?limit=`` (1–``API_MAX_PAGE_SIZE``, default 50) and ``?offset=``.

Every list answers ``{"count": total, "limit": …, "offset": …, "items": [...]}``; the next
page starts at ``offset + limit`` while that is below ``count``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from ninja import Field, Schema
from pydantic import create_model

DEFAULT_LIMIT = 50


class PageParams(Schema):
    limit: int = Field(
        DEFAULT_LIMIT,
        ge=1,
        le=settings.API_MAX_PAGE_SIZE,
        description=f"Hur många poster per sida (1–{settings.API_MAX_PAGE_SIZE}).",
    )
    offset: int = Field(0, ge=0, le=10**9, description="Hoppa över så många poster först.")


def page_of(item: type[Schema], name: str) -> type[Schema]:
    """A page schema named ``name`` holding ``item``s."""
    return create_model(
        name,
        __base__=Schema,
        count=(int, ...),
        limit=(int, ...),
        offset=(int, ...),
        items=(list[item], ...),
    )


def paginate(queryset: QuerySet | list, params: PageParams, convert=None) -> dict[str, Any]:
    """One page of ``queryset``; ``convert`` turns each row into what the schema reads."""
    count = queryset.count() if isinstance(queryset, QuerySet) else len(queryset)
    rows = list(queryset[params.offset : params.offset + params.limit])
    return {
        "count": count,
        "limit": params.limit,
        "offset": params.offset,
        "items": [convert(row) for row in rows] if convert else rows,
    }


def filtered(queryset: QuerySet, filters: Schema, lookups: dict[str, str]) -> QuerySet:
    """``queryset`` narrowed by each filter that was given, as ``lookups[name]=value``.

    >>> filtered(plans, filters, {"unit": "unit_id", "year": "year"})
    """
    for name, lookup in lookups.items():
        value = getattr(filters, name)
        if value is not None and value != "":
            queryset = queryset.filter(**{lookup: value})
    return queryset
