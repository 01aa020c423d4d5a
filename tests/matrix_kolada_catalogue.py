"""The permission matrix for Kolada's KPI catalogue and linking a KPI to a definition
(issue 16, see ``matrix_rules.py``). Reading the catalogue is public, like Kolada's own;
linking and unlinking need the right to change the world's definition (``plan`` on the unit
whose indicators it measures), a new definition ``plan`` on some unit."""

from __future__ import annotations

from .matrix_rules import PUBLIC, Case, Perm, login, open_form, planner_anywhere


def _free_kpi(c) -> list:
    """A KPI no definition has (made once; KPIs belong to no organisation)."""
    import datetime

    from django.utils import timezone

    from uppsikt.kolada.models import KoladaKpi

    KoladaKpi.objects.get_or_create(
        code="U99999",
        defaults={
            "title": "Matrisens fria KPI",
            "fetched_at": timezone.make_aware(datetime.datetime(2026, 12, 1)),
        },
    )
    return ["U99999"]


def _linked_kpi(c) -> list:
    """A KPI the world's definition is linked to, set up directly (one per side of the
    matrix): linking it again changes nothing, unlinking it takes the link away."""
    import datetime

    from django.utils import timezone

    from uppsikt.indicators.models import IndicatorDefinition
    from uppsikt.kolada.models import KoladaKpi

    code = f"N9{c.definition.pk:04}"
    KoladaKpi.objects.get_or_create(
        code=code,
        defaults={
            "title": "Matrisens kopplade KPI",
            "fetched_at": timezone.make_aware(datetime.datetime(2026, 12, 1)),
        },
    )
    IndicatorDefinition.objects.filter(pk=c.definition.pk).update(
        source_kind="kolada", source_code=code, by_gender=False
    )
    return [code]


def _chosen(c) -> dict:
    return {"definition": c.definition.pk, "confirm": "on"}


KOLADA_CATALOGUE_PAGES: dict[str, list[Case]] = {
    "kolada:catalogue": [*PUBLIC, Case(query="q=matrisens&galler=L&per_kon=nej", label="sök")],
    "kolada:kpi": [
        Case(args=_free_kpi, label="fri"),
        Case(args=_linked_kpi, label="kopplad"),
    ],
    "kolada:link": [
        Case(
            args=_linked_kpi,
            method="post",
            data=_chosen,
            expect=login(open_form(Perm.PLAN)),
        )
    ],
    "kolada:unlink": [
        Case(
            args=_linked_kpi,
            method="post",
            data=lambda c: {"definition": c.definition.pk},
            expect=login(open_form(Perm.PLAN)),
        )
    ],
    "kolada:create_definition": [
        Case(
            args=_free_kpi,
            method="post",
            data=lambda c: {"unit": "procent", "polarity": "higher_better"},
            expect=login(planner_anywhere(302)),
        )
    ],
}
