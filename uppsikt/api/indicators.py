"""A plan's indicators: the sentence in the plan, what it is measured with (definition) and
the target rule that judges it."""

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from uppsikt.plans.models import Indicator, Plan

from .auth import caller
from .pagination import PageParams, filtered, page_of, paginate
from .schemas import READ, Id, PathId, answers

router = Router(tags=["Indikatorer"])


class DefinitionRef(Schema):
    id: int
    key: str
    name: str
    unit: str


class PlanIndicatorOut(Schema):
    id: int
    goal_id: int
    plan_id: int
    text: str
    note: str
    position: int
    definition: DefinitionRef | None
    rule: dict | None = Field(description="Målregeln som data, t.ex. {'kind': 'change'}.")
    rule_text: str | None = Field(description="Målregeln i klartext.")
    rule_is_proposed: bool | None = Field(description="Regeln är tolkad automatiskt, ej granskad.")

    @staticmethod
    def resolve_plan_id(obj: Indicator) -> int:
        return obj.goal.plan_id

    @staticmethod
    def resolve_definition(obj: Indicator):
        target = getattr(obj, "target", None)
        return target.definition if target is not None else None

    @staticmethod
    def resolve_rule(obj: Indicator):
        target = getattr(obj, "target", None)
        return target.rule if target is not None else None

    @staticmethod
    def resolve_rule_text(obj: Indicator):
        target = getattr(obj, "target", None)
        return target.describe_rule() if target is not None else None

    @staticmethod
    def resolve_rule_is_proposed(obj: Indicator):
        target = getattr(obj, "target", None)
        return target.rule_is_proposed if target is not None else None


class IndicatorFilters(Schema):
    goal: Id | None = None
    plan: Id | None = None
    unit: Id | None = None
    year: int | None = Field(None, ge=1900, le=2200)
    definition: Id | None = Field(None, description="Indikatordefinitionens id.")


IndicatorPage = page_of(PlanIndicatorOut, "PlanIndicatorPage")


def visible_indicators(user):
    return Indicator.objects.filter(goal__plan__in=Plan.objects.visible_to(user)).select_related(
        "goal", "target__definition"
    )


@router.get("", response=answers(200, IndicatorPage), summary="Indikatorer i planerna")
def list_indicators(request, page: Query[PageParams], filters: Query[IndicatorFilters]):
    queryset = visible_indicators(caller(request)).order_by(
        "goal__plan_id", "goal__position", "position", "pk"
    )
    lookups = {
        "goal": "goal_id",
        "plan": "goal__plan_id",
        "unit": "goal__plan__unit_id",
        "year": "goal__plan__year",
        "definition": "target__definition_id",
    }
    return paginate(filtered(queryset, filters, lookups), page)


@router.get(
    "/{indicator_id}", response=answers(200, PlanIndicatorOut, *READ), summary="En indikator"
)
def get_indicator(request, indicator_id: int = PathId()):
    return get_object_or_404(visible_indicators(caller(request)), pk=indicator_id)
