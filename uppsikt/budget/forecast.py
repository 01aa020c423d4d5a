"""The year month by month for one row (or a table's total): budget, årsprognos and outcome
to date, and the SVG chart drawn from them.

For each month of the year: the budget (the revised budget if there is one) for the whole
year; the årsprognos made that month, if any; the outcome from January to the end of that
month, if any. The chart draws the budget as a dashed line, the forecasts as a line with
points and the outcome to date as bars; the same figures are in the table beside it.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from uppsikt.lib.charts import Scale, linear_scale

from . import tree
from .money import format_exact, format_money, to_unit
from .series import FigureKind, Series
from .stored import Loaded, example_series
from .variance import favourable

WIDTH, HEIGHT, TOP, BOTTOM, LEFT, RIGHT = 680, 220, 14, 32, 84, 12


@dataclass
class Month:
    month: int
    name: str  # "januari"
    short: str  # "jan"
    budget: Decimal | None
    forecast: Decimal | None
    outcome: Decimal | None
    cost_sign: int = -1  # the table's (``BudgetTable.cost_sign``)

    @property
    def forecast_variance(self) -> Decimal | None:
        """The forecast against the budget, positive when favourable (``variance``)."""
        if self.forecast is None or self.budget is None:
            return None
        return favourable(self.forecast, self.budget, self.cost_sign)


@dataclass
class Year:
    label: str  # which row the figures are for
    year: int
    months: list[Month]
    budget_series: Series | None
    is_example: bool = False  # any forecast or outcome shown is example data

    @property
    def has_follow_up(self) -> bool:
        return any(m.forecast is not None or m.outcome is not None for m in self.months)


def total_node(loaded: Loaded) -> tree.Node | None:
    """The row that stands for the whole table: its last top-level Totalt, else its last
    top-level Summa, else None (then the chart adds the top-level rows itself)."""
    for kind in (tree.TOTAL, tree.SUM):
        found = [node for node in loaded.roots if node.kind == kind]
        if found:
            return found[-1]
    return None


def year_of(loaded: Loaded, year: int, node: tree.Node | None = None) -> Year:
    """Month by month for ``node`` (default: the table's total). Nodes must be evaluated."""
    if node is None:
        node = total_node(loaded)
    if node is None:
        values: dict[Series, Decimal] = {}
        for root in loaded.roots:
            if root.kind in tree.COUNTED:
                for series, amount in root.values.items():
                    values[series] = values.get(series, Decimal(0)) + amount
        label = _("Tabellens rader sammanlagt")
    else:
        values, label = node.values, node.label
    budget = next(
        (
            Series(year, k)
            for k in (FigureKind.REVIDERAD, FigureKind.BUDGET)
            if Series(year, k) in values
        ),
        None,
    )
    months = []
    for month in range(1, 13):
        period = f"{year}-{month:02d}"
        first = date(year, month, 1)
        months.append(
            Month(
                month,
                date_format(first, "F"),
                date_format(first, "M"),
                values.get(budget) if budget else None,
                values.get(Series(year, FigureKind.PROGNOS, period)),
                values.get(Series(year, FigureKind.UTFALL, period)),
                loaded.table.cost_sign if loaded.table is not None else -1,
            )
        )
    examples = example_series(loaded)
    is_example = any(
        s.year == year and s.kind in (FigureKind.PROGNOS, FigureKind.UTFALL) for s in examples
    )
    return Year(label, year, months, budget, is_example)


@dataclass
class Mark:
    x: float
    y: float
    height: float
    label: str  # the figure in words, for the SVG title


@dataclass
class Panel:
    """One SVG: a value axis with ticks, the budget as a dashed line, and forecasts as a
    line with points or outcomes as bars."""

    title: str
    width: int
    height: int
    plot_left: int
    plot_right: int
    ticks: list[tuple[float, str]]  # (y, label)
    months: list[tuple[float, str]]  # (x, short name)
    budget_y: float | None
    budget_label: str
    zero: float | None = None  # the zero line, when the axis includes zero
    points: str = ""  # "x,y x,y …" for a polyline
    marks: list[Mark] = field(default_factory=list)
    bars: list[Mark] = field(default_factory=list)
    bar_width: float = 0


@dataclass
class Chart:
    forecast: Panel | None  # årsprognos against the budget, on an axis fitted to them
    outcome: Panel | None  # outcome to date against the budget, from zero


def chart(year: Year, unit: str, decimals: int) -> Chart | None:
    """Two panels in the display unit; None when the year has no forecast or outcome."""
    if not year.has_follow_up:
        return None
    drawing = _Drawing(year, unit, decimals)
    forecasts = [m for m in year.months if m.forecast is not None]
    outcomes = [m for m in year.months if m.outcome is not None]
    return Chart(
        _forecast_panel(drawing, forecasts) if forecasts else None,
        _outcome_panel(drawing, outcomes) if outcomes else None,
    )


class _Drawing:
    """What both panels share: the months across, amounts as text, the budget line."""

    def __init__(self, year: Year, unit: str, decimals: int):
        self.year, self.unit, self.decimals = year, unit, decimals
        self.step = (WIDTH - LEFT - RIGHT) / 12
        self.budget = year.months[0].budget

    def x(self, month: int) -> float:
        return round(LEFT + (month - 0.5) * self.step, 1)

    def text(self, value: Decimal) -> str:
        return format_money(value, self.unit, self.decimals) + f"\u00a0{self.unit}"

    def panel(self, title: str, values: list[Decimal], include_zero: bool) -> tuple[Panel, Scale]:
        """An empty panel scaled to ``values`` and the budget, and its scale."""
        unit, budget = self.unit, self.budget
        shown = [to_unit(v, unit) for v in values]
        if budget is not None:
            shown.append(to_unit(budget, unit))
        scale = linear_scale(shown, top=TOP, bottom=HEIGHT - BOTTOM, include_zero=include_zero)
        return (
            Panel(
                title,
                WIDTH,
                HEIGHT,
                LEFT,
                WIDTH - RIGHT,
                [(scale.at(t), format_exact(t)) for t in scale.ticks],
                [(self.x(m.month), m.short) for m in self.year.months],
                None if budget is None else scale.at(to_unit(budget, unit)),
                "" if budget is None else _("Budget: %(value)s") % {"value": self.text(budget)},
            ),
            scale,
        )


def _forecast_panel(drawing: _Drawing, forecasts: list[Month]) -> Panel:
    """The årsprognos of each month that has one, as a line against the budget."""
    values = [(m, m.forecast) for m in forecasts if m.forecast is not None]
    panel, scale = drawing.panel(
        _("Årsprognos mot budget, %(year)s") % {"year": drawing.year.year},
        [forecast for _m, forecast in values],
        include_zero=False,
    )
    for m, forecast in values:
        panel.marks.append(
            Mark(
                drawing.x(m.month),
                scale.at(to_unit(forecast, drawing.unit)),
                0,
                _("Årsprognos %(month)s: %(value)s")
                % {"month": m.name, "value": drawing.text(forecast)},
            )
        )
    panel.points = " ".join(f"{m.x},{m.y}" for m in panel.marks)
    return panel


def _outcome_panel(drawing: _Drawing, outcomes: list[Month]) -> Panel:
    """The outcome so far of each month that has one, as bars from zero."""
    values = [(m, m.outcome) for m in outcomes if m.outcome is not None]
    panel, scale = drawing.panel(
        _("Utfall hittills mot årets budget, %(year)s") % {"year": drawing.year.year},
        [outcome for _m, outcome in values],
        include_zero=True,
    )
    step = drawing.step
    zero = scale.at(Decimal(0))
    panel.zero = zero
    panel.bar_width = round(step * 0.6, 1)
    for m, outcome in values:
        y = scale.at(to_unit(outcome, drawing.unit))
        panel.bars.append(
            Mark(
                round(drawing.x(m.month) - step * 0.3, 1),
                min(y, zero),
                round(abs(zero - y), 1),
                _("Utfall t.o.m. %(month)s: %(value)s")
                % {"month": m.name, "value": drawing.text(outcome)},
            )
        )
    return panel
