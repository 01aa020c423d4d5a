"""Rows of the indicator values and budget figures datasets.

Indicator values: every current value (``Measurement.objects``, withdrawn ones left out), as
on the indicator pages, which everyone reads. Read with ``values_list().iterator()`` in the
order of the table's key, the definitions and organisations looked up from small maps: a
national table of millions of rows streams in constant memory.

Budget figures: the stored figures of the tables the public sees (settled tables of decided
plans, ``BudgetTable.objects.visible_to``), without the forecasts and outcomes of periods not
yet reviewed (``budget.publication.is_public``). Sums are not stored, so not listed: the rows'
tree (``overordnad_rad``) gives them.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth.models import AnonymousUser

from uppsikt.budget.models import BudgetTable, Figure, Series
from uppsikt.budget.publication import is_public, reviewed_until
from uppsikt.indicators.models import EXAMPLE_SOURCE, IndicatorDefinition, Measurement
from uppsikt.organisations.models import Organisation

from ..dataset import Row

CHUNK = 5000
MEASUREMENT_FIELDS = (
    "definition_id",
    "organisation_id",
    "period",
    "gender",
    "value",
    "status",
    "source",
    "updated_at",
)


def measurement_rows(organisation: Organisation | None) -> Iterator[Row]:
    definitions = {
        pk: (key, name, unit)
        for pk, key, name, unit in IndicatorDefinition.objects.values_list(
            "pk", "key", "name", "unit"
        )
    }
    organisations = dict(Organisation.objects.values_list("pk", "code"))
    values = Measurement.objects.all()
    if organisation is not None:
        values = values.filter(organisation_id=organisation.pk)
    values = values.order_by("definition_id", "organisation_id", "period", "gender")
    for definition_id, org_id, period, gender, value, status, source, updated in values.values_list(
        *MEASUREMENT_FIELDS
    ).iterator(chunk_size=CHUNK):
        known = definitions.get(definition_id)
        code = organisations.get(org_id)
        if known is None or code is None:  # no constraint holds the keys (see the model)
            continue
        key, name, unit = known
        yield (
            key,
            name,
            unit,
            code,
            period,
            gender,
            value,
            status,
            source or None,
            source == EXAMPLE_SOURCE,
            updated,
        )


def public_tables(organisation: Organisation | None):
    tables = BudgetTable.objects.visible_to(AnonymousUser())
    if organisation is not None:
        tables = tables.filter(unit__organisation=organisation)
    return tables.select_related("unit__organisation").order_by(
        "unit__organisation__code", "year", "position", "number", "pk"
    )


def budget_rows(organisation: Organisation | None) -> Iterator[Row]:
    for table in public_tables(organisation):
        until = reviewed_until(table)
        figures = (
            Figure.objects.filter(row__table=table)
            .select_related("row")
            .order_by("row__position", "row_id", "kind", "year", "period")
        )
        for figure in figures.iterator(chunk_size=CHUNK):
            series = Series(figure.year, figure.kind, figure.period)
            if not is_public(series, table, until):
                continue
            row = figure.row
            yield (
                table.pk,
                table.unit.organisation.code,
                table.unit.slug,
                table.year,
                table.kind,
                table.number or None,
                table.title,
                row.pk,
                row.position,
                row.code or None,
                row.label,
                row.kind,
                row.parent_id,
                series.key,
                figure.kind,
                figure.year,
                figure.period or None,
                figure.amount,
                figure.is_example or table.is_example,
                table.plan_id,
            )
