"""Geometry for a small inline SVG bar chart, so the template only draws what is computed.

The chart is decoration for sighted readers: the same figures are always in the data table
beside it, and the SVG carries a text alternative saying so.
"""

from dataclasses import dataclass
from decimal import Decimal

from uppsikt.portal.charts import linear_scale

from .formatting import format_value

WIDTH, HEIGHT, TOP, BOTTOM, LEFT = 640, 220, 24, 28, 8


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    css: str
    label: str


@dataclass
class Group:
    period: str
    x: float
    bars: list[Bar]


@dataclass
class Mark:
    """A target value drawn across one period's group of bars."""

    x1: float
    x2: float
    y: float
    label: str


@dataclass
class Chart:
    width: int
    height: int
    baseline: float
    groups: list[Group]
    legend: list[tuple[str, str]]  # (css class, label)
    marks: list[Mark]


def bar_chart(
    rows,
    columns: list[tuple[str, str, str, str]],
    unit: str,
    targets: dict[str, Decimal] | None = None,
    target_label: str = "",
) -> Chart | None:
    """Bars per period for ``columns`` [(organisation code, gender, css class, label)].

    ``rows`` are ``queries.SeriesRow``; ``targets`` (period → value) are drawn as a line
    across the period's bars. Negative values are drawn from zero; None when there is
    nothing to draw.
    """
    targets = targets or {}
    values = [
        row.cell(code, gender).value
        for row in rows
        for code, gender, _css, _label in columns
        if row.cell(code, gender).value is not None
    ]
    values += [value for period, value in targets.items() if any(r.period == period for r in rows)]
    if not values:
        return None
    scale = linear_scale(values, top=TOP, bottom=HEIGHT - BOTTOM, nice=False)
    baseline = scale.at(Decimal(0))
    group_width = (WIDTH - LEFT * 2) / len(rows)
    bar_width = min(28.0, (group_width - 12) / len(columns))
    groups, marks = [], []
    for i, row in enumerate(rows):
        x0 = LEFT + i * group_width + (group_width - bar_width * len(columns)) / 2
        bars = []
        for j, (code, gender, css, label) in enumerate(columns):
            value = row.cell(code, gender).value
            if value is None:
                continue
            end = scale.at(value)
            y, height = min(end, baseline), abs(baseline - end)
            text = f"{label} {row.period}: {format_value(value, unit)}"
            bars.append(
                Bar(
                    round(x0 + j * bar_width, 1),
                    round(y, 1),
                    bar_width - 2,
                    round(height, 1),
                    css,
                    text,
                )
            )
        groups.append(Group(row.period, round(LEFT + (i + 0.5) * group_width, 1), bars))
        if (target := targets.get(row.period)) is not None:
            y = scale.at(target)
            text = f"{target_label} {row.period}: {format_value(target, unit)}"
            marks.append(
                Mark(
                    round(x0 - 3, 1), round(x0 + bar_width * len(columns) + 1, 1), round(y, 1), text
                )
            )
    legend = [(css, label) for _code, _gender, css, label in columns]
    if marks:
        legend.append(("target", target_label))
    return Chart(WIDTH, HEIGHT, round(baseline, 1), groups, legend, marks)
