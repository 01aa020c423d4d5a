"""Search across the plans a user may see.

SQLite's LOWER() folds ASCII only, so "Hälsa" would miss "hälsa"; ``fold_case_sqlite``
registers a Unicode-aware replacement on every SQLite connection (see ``apps.py``).
"""

from dataclasses import dataclass

from django.db.models import Q
from django.db.models.functions import Lower

from .models import Activity, Assignment, Goal, Indicator, Plan, Section, Strategy

MAX_RESULTS = 200


@dataclass
class SearchHit:
    kind: str
    text: str
    plan: Plan
    url: str


def fold_case_sqlite(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "LOWER",
            1,
            lambda value: value.lower() if isinstance(value, str) else value,
            deterministic=True,
        )


def _matching(model, field: str, needle: str, plans):
    return (
        model.objects.annotate(folded=Lower(field))
        .filter(folded__contains=needle)
        .filter(**{("goal__plan__in" if model is Indicator else "plan__in"): plans})
    )


def search_plans(query: str, user) -> list[SearchHit]:
    needle = query.lower()
    plans = Plan.objects.visible_to(user)
    hits: list[SearchHit] = []
    for goal in _matching(Goal, "text", needle, plans).select_related("plan"):
        hits.append(
            SearchHit(goal.get_kind_display(), goal.text, goal.plan, goal.get_absolute_url())
        )
    for indicator in _matching(Indicator, "text", needle, plans).select_related("goal__plan"):
        goal = indicator.goal
        hits.append(SearchHit("Indikator", indicator.text, goal.plan, goal.get_absolute_url()))
    for model, label, field in (
        (Strategy, "Strategi", "description"),
        (Assignment, "Uppdrag", "text"),
        (Activity, "Aktivitet", "text"),
    ):
        for obj in _matching(model, field, needle, plans).select_related("plan"):
            hits.append(
                SearchHit(label, getattr(obj, field), obj.plan, obj.plan.get_absolute_url())
            )
    sections = (
        Section.objects.annotate(h=Lower("heading"), b=Lower("body"))
        .filter(Q(h__contains=needle) | Q(b__contains=needle), plan__in=plans)
        .select_related("plan")
    )
    for section in sections:
        url = f"{section.plan.get_absolute_url()}#avsnitt-{section.pk}"
        hits.append(SearchHit("Avsnitt", str(section), section.plan, url))
    return hits[:MAX_RESULTS]
