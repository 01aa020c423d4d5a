"""Reading series out of the database for assessments and pages (a fixed number of queries)."""

from collections import defaultdict
from dataclasses import dataclass, field

from uppsikt.organisations.models import Organisation

from .assessment import Series
from .models import IndicatorDefinition, Measurement
from .periods import parse_period

RIKET = "0000"


def series_for(definition: IndicatorDefinition, organisations=None) -> Series:
    """Every measurement of ``definition`` (optionally only some organisation codes)."""
    series = Series(definition.unit, definition.polarity, definition.by_gender)
    rows = Measurement.objects.filter(definition=definition)
    if organisations is not None:
        rows = rows.filter(organisation__code__in=list(organisations))
    for code, period, gender, value, status in rows.values_list(
        "organisation__code", "period", "gender", "value", "status"
    ):
        series.add(code, period, value, gender, preliminary=status == "preliminar")
    return series


@dataclass
class Cell:
    value: object = None
    preliminary: bool = False
    example: bool = False


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


@dataclass
class Ranked:
    rank: int
    organisation: Organisation
    value: object
    women: object = None
    men: object = None
    preliminary: bool = False
    example: bool = False


def ranking(definition: IndicatorDefinition, period: str) -> list[Ranked]:
    """All organisations with a total value in ``period``, best first.

    "Best" follows the polarity; a neutral definition is ranked highest first. Equal
    values share a rank.
    """
    measurements = list(
        Measurement.objects.filter(definition=definition, period=period).select_related(
            "organisation"
        )
    )
    by_gender: dict[tuple[int, str], object] = defaultdict(lambda: None)
    totals = []
    for m in measurements:
        if m.gender == "T":
            totals.append(m)
        else:
            by_gender[(m.organisation_id, m.gender)] = m.value
    descending = definition.polarity != "lower_better"
    totals.sort(key=lambda m: (-m.value if descending else m.value, m.organisation.code))
    result: list[Ranked] = []
    for index, m in enumerate(totals, start=1):
        rank = result[-1].rank if result and result[-1].value == m.value else index
        result.append(
            Ranked(
                rank,
                m.organisation,
                m.value,
                by_gender[(m.organisation_id, "K")],
                by_gender[(m.organisation_id, "M")],
                m.is_preliminary,
                m.is_example,
            )
        )
    return result


def periods_with_values(definition: IndicatorDefinition) -> list[str]:
    periods = set(definition.measurements.values_list("period", flat=True).distinct())
    return sorted(periods, key=parse_period)


@dataclass
class TableRow:
    period: str
    cells: list[Cell]
    target: str = ""


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
        elif isinstance(rule, TargetValueRule) and rule.target_for(row.period) is not None:
            target = TargetValueRule(((row.period, rule.target_for(row.period)),)).describe(unit)
        table.append(TableRow(row.period, [row.cell(c, g) for c, g in columns], target))
    return table
