"""Reading series out of the database for assessments and pages (a fixed number of queries)."""

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db import connection

from uppsikt.organisations.models import Organisation

from .assessment import Series
from .chunk_periods import periods_with_totals
from .models import (
    EXAMPLE_SOURCE,
    MANUAL_SOURCE,
    Forecast,
    IndicatorDefinition,
    IndicatorTarget,
    Measurement,
)
from .outlook import TargetForecast, forecast_target, open_year
from .periods import parse_period

RIKET = "0000"


def series_for(definition: IndicatorDefinition, organisations=None) -> Series:
    """Every measurement of ``definition`` (optionally only some organisation codes)."""
    return series_for_many([definition], organisations)[definition.pk]


def series_for_many(
    definitions: list[IndicatorDefinition], organisations=None, periods=None, until_year=None
) -> dict[int, Series]:
    """The series of several definitions in one query, by definition id.

    ``organisations`` (codes), ``periods`` (texts) and ``until_year`` (only periods of that
    year or earlier) narrow what is read: assessing one organisation needs its own values
    and a reference organisation's, not the whole country.
    """
    result = {d.pk: Series(d.unit, d.polarity, d.by_gender) for d in definitions}
    rows = Measurement.objects.filter(definition__in=list(result)).order_by()
    if organisations is not None:
        ids = Organisation.objects.filter(code__in=list(organisations)).values("pk")
        rows = rows.filter(organisation__in=ids)
    if periods is not None:
        rows = rows.filter(period__in=[str(p) for p in periods])
    if until_year is not None:
        # "2023", "2023T3" and "2023-12" all sort before "2024".
        rows = rows.filter(period__lt=str(until_year + 1))
    for definition_id, code, name, period, gender, value, status, source in rows.values_list(
        "definition_id",
        "organisation__code",
        "organisation__name",  # for reasons: "riket", "Region Värmland", never a code
        "period",
        "gender",
        "value",
        "status",
        "source",
    ):
        result[definition_id].names[code] = name
        result[definition_id].add(
            code,
            period,
            value,
            gender,
            preliminary=status == "preliminar",
            by_hand=source == MANUAL_SOURCE,
        )
    forecasts = Forecast.objects.filter(definition__in=list(result)).order_by()
    if organisations is not None:
        forecasts = forecasts.filter(organisation__code__in=list(organisations))
    if periods is not None:
        forecasts = forecasts.filter(period__in=[str(p) for p in periods])
    if until_year is not None:
        forecasts = forecasts.filter(period__lt=str(until_year + 1))
    for definition_id, code, period, value, status in forecasts.values_list(
        "definition_id", "organisation__code", "period", "value", "status"
    ):
        result[definition_id].add_forecast(
            code, period, value, preliminary=status == "preliminar", by_hand=True
        )
    return result


@dataclass
class Cell:
    value: object = None
    preliminary: bool = False
    example: bool = False
    forecast: bool = False  # a computed forecast (prognos mot målet), not a measured value


@dataclass
class SeriesRow:
    period: str
    cells: dict[str, dict[str, Cell]] = field(default_factory=dict)  # code → gender → cell

    def cell(self, code: str, gender: str = "T") -> Cell:
        return self.cells.get(code, {}).get(gender) or Cell()


def series_rows(definition: IndicatorDefinition, codes: list[str]) -> list[SeriesRow]:
    """One row per period (in time order) with the cells of the given organisations."""
    rows: dict[str, SeriesRow] = {}
    measurements = Measurement.objects.filter(
        definition=definition, organisation__code__in=codes
    ).values_list("organisation__code", "period", "gender", "value", "status", "source")
    for code, period, gender, value, status, source in measurements:
        row = rows.setdefault(period, SeriesRow(period))
        row.cells.setdefault(code, {})[gender] = Cell(
            value, status == "preliminar", source == "exempeldata"
        )
    return sorted(rows.values(), key=lambda row: parse_period(row.period))


def default_organisation(definition: IndicatorDefinition) -> Organisation | None:
    """The organisation whose plan uses the definition, else the first with values."""
    target = definition.targets.select_related("indicator__goal__plan__unit__organisation").first()
    if target is not None:
        return target.indicator.goal.plan.unit.organisation
    measured = definition.measurements.exclude(organisation__code=RIKET)
    first = measured.select_related("organisation").order_by("organisation__code").first()
    return first.organisation if first else None


class OrganisationName(NamedTuple):
    """What a ranking shows of an organisation (no model instances for 312 rows)."""

    pk: int
    code: str
    name: str


@dataclass
class Ranked:
    rank: int | None  # None: Riket, shown as the reference, not ranked
    organisation: OrganisationName
    value: object
    women: object = None
    men: object = None
    preliminary: bool = False
    example: bool = False


def ranking(definition: IndicatorDefinition, period: str) -> list[Ranked]:
    """All organisations with a total value in ``period``, best first.

    "Best" follows the polarity; a neutral definition is ranked highest first. Equal
    values share a rank. Riket is the reference, not one of the ranked: its row comes
    first with ``rank`` None and the others are ranked among themselves. One statement,
    whatever the number of organisations (``_RANKING``): a row per organisation with its
    total and its values for women and men, read through the (definition, …, period)
    index of the period's partition, with no model instances.
    """
    with connection.cursor() as cursor:
        cursor.execute(_RANKING, [definition.pk, period])
        rows = cursor.fetchall()
    to_decimal = _value_converter()
    found, totals = {}, []
    for organisation_id, code, name, total, women, men, status, source in rows:
        if total is not None:
            found[code] = (
                OrganisationName(organisation_id, code, name),
                women,
                men,
                status,
                source,
            )
            totals.append((code, to_decimal(total)))
    result = []
    for rank, code, value in rank_values(totals, descending=definition.polarity != "lower_better"):
        organisation, women, men, status, source = found[code]
        result.append(
            Ranked(
                rank,
                organisation,
                value,
                to_decimal(women),
                to_decimal(men),
                status == Measurement.DataStatus.PRELIMINAR,
                source == EXAMPLE_SOURCE,
            )
        )
    return result


_M, _O = Measurement._meta.db_table, Organisation._meta.db_table
# Written out once: composing it with the ORM cost more than running it (a page ranks
# 936 values). Aggregates with FILTER: PostgreSQL, and SQLite from 3.30.
_RANKING = (
    "SELECT m.organisation_id, o.code, o.name, "  # noqa: S608 -- table names, constants
    "MAX(m.value) FILTER (WHERE m.gender = 'T'), MAX(m.value) FILTER (WHERE m.gender = 'K'), "
    "MAX(m.value) FILTER (WHERE m.gender = 'M'), MAX(m.status) FILTER (WHERE m.gender = 'T'), "
    "MAX(m.source) FILTER (WHERE m.gender = 'T') "
    f"FROM {_M} m JOIN {_O} o ON o.id = m.organisation_id "
    "WHERE m.definition_id = %s AND m.period = %s AND NOT m.withdrawn "
    "GROUP BY m.organisation_id, o.code, o.name"
)


def _value_converter():
    """What the ORM does to a value read from ``Measurement.value`` (SQLite keeps decimals as
    numbers: its backend makes them ``Decimal`` with the field's places; PostgreSQL reads
    ``Decimal`` as it is): ``None`` stays ``None``."""
    field = Measurement._meta.get_field("value")
    column = field.get_col(_M)
    converters = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
    if not converters:
        return lambda value: value

    def convert(value):
        for converter in converters:
            value = converter(value, column, connection)
        return value

    return convert


def rank_values(values: list[tuple[str, Decimal]], *, descending: bool):
    """(rank, code, value) best first; Riket first with rank None, as the reference.

    The others are ranked among themselves from 1; equal values share a rank (1, 1, 3);
    ties are listed in code order.
    """
    ordered = sorted(values, key=lambda item: (-item[1] if descending else item[1], item[0]))
    reference = [(None, code, value) for code, value in ordered if code == RIKET]
    ranked: list[tuple[int, str, Decimal]] = []
    for code, value in ordered:
        if code == RIKET:
            continue
        index = len(ranked) + 1
        rank = ranked[-1][0] if ranked and ranked[-1][2] == value else index
        ranked.append((rank, code, value))
    return reference + ranked


def periods_with_values(definition: IndicatorDefinition, totals: bool = False) -> list[str]:
    """The periods with a current value of ``definition`` (with ``totals``, a value for
    women and men together: what a ranking compares, kept per chunk by ``chunk_periods``)."""
    if totals:
        return periods_with_totals(definition.pk)
    values = definition.measurements.order_by()
    return sorted(set(values.values_list("period", flat=True).distinct()), key=parse_period)


@dataclass
class TableRow:
    period: str
    cells: list[Cell]
    target: str = ""
    forecast: bool = False  # a computed forecast (outlook.py), not a measured value


def rule_targets(rule, periods: list[str]) -> dict[str, Decimal | list[Decimal]]:
    """The value(s) a rule aims at per period, where it names any (threshold, target values).

    A threshold with both a minimum and a maximum gives both bounds, so the chart draws
    what the table says ("Mellan 40 % och 60 %").
    """
    from .rules import TargetValueRule, ThresholdRule

    if isinstance(rule, ThresholdRule):
        bounds = [v for v in (rule.minimum, rule.maximum) if v is not None]
        if not bounds:
            return {}
        return dict.fromkeys(periods, bounds[0] if len(bounds) == 1 else bounds)
    if isinstance(rule, TargetValueRule):
        return {p: v for p in periods if (v := rule.target_for(p)) is not None}
    return {}


def series_table(rows: list[SeriesRow], columns: list[tuple[str, str]], rule, unit: str):
    """Rows for the page's data table: ``columns`` are (organisation code, gender).

    The target column holds the rule's value where it has one per period (a threshold or an
    explicit target value), else it is left out (``rule`` None or another kind).
    """
    from .rules import TargetValueRule, ThresholdRule

    table = []
    for row in rows:
        target = ""
        if isinstance(rule, ThresholdRule):
            target = rule.describe(unit)
        elif (
            isinstance(rule, TargetValueRule) and (value := rule.target_for(row.period)) is not None
        ):
            target = TargetValueRule(((row.period, value),)).describe(unit)
        cells = [row.cell(c, g) for c, g in columns]
        table.append(TableRow(row.period, cells, target, any(cell.forecast for cell in cells)))
    return table


def target_forecasts(
    wanted: Sequence[tuple[Hashable, IndicatorTarget, Organisation, str | range]],
) -> dict[Hashable, TargetForecast | None]:
    """Prognos mot målet (``outlook.forecast_target``) for each (key, ``IndicatorTarget``,
    organisation, period) in ``wanted``, by key (None for a rule with nothing to forecast).

    A period may be a range of years (a plan's years): the forecast is then for the first
    of them without a measured value (``outlook.open_year``). One read of the series of
    every definition named, for the organisations and the reference organisations the
    rules compare with, up to the latest year asked for.
    """
    from .rules import ReferenceRule

    if not wanted:
        return {}
    definitions = {target.definition_id: target.definition for _k, target, _o, _p in wanted}
    codes = {organisation.code for _k, _t, organisation, _p in wanted}
    codes |= {
        target.target_rule.reference
        for _k, target, _o, _p in wanted
        if isinstance(target.target_rule, ReferenceRule)
    }
    until = max(
        period[-1] if isinstance(period, range) else parse_period(period).year
        for _k, _t, _o, period in wanted
    )
    series = series_for_many(list(definitions.values()), organisations=codes, until_year=until)
    found: dict[Hashable, TargetForecast | None] = {}
    for key, target, organisation, period in wanted:
        values = series[target.definition_id]
        if isinstance(period, range):
            period = open_year(values, organisation.code, period)
        found[key] = forecast_target(target.target_rule, values, organisation, period)
    return found
