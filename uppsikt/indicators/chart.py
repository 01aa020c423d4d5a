"""Geometry for a small inline SVG bar chart, so the template only draws what is computed.

The chart is decoration for sighted readers: the same figures are always in the data table
beside it, and the SVG carries a text alternative saying so. The value axis is labelled:
its name and unit at the top, round tick values with the unit at the left; the range covers
zero, every value and every target line. Period labels below the bars are thinned out so
that they never overlap (the table lists every period).
"""

import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from uppsikt.lib.charts import linear_scale

from .formatting import format_value

WIDTH, HEIGHT, TOP, BOTTOM, RIGHT = 640, 220, 24, 28, 8
CHAR_WIDTH = 7.0  # generous average advance of a 12 px character, for spacing labels
LINE = 14.0  # minimum vertical distance between two tick labels


def text_width(text: str) -> float:
    return len(text) * CHAR_WIDTH


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    css: str
    label: str
    value: Decimal | None = None
    forecast: bool = False  # a computed forecast: drawn as a dashed outline, labelled


@dataclass
class Group:
    period: str
    x: float
    bars: list[Bar]
    show_label: bool = True


@dataclass
class Mark:
    """A target value drawn across one period's group of bars."""

    x1: float
    x2: float
    y: float
    label: str


@dataclass
class Tick:
    """A value on the value axis: a faint grid line and its label."""

    y: float
    label: str

    @property
    def text_y(self) -> float:
        return round(self.y + 4, 1)  # the label's baseline, centred on the line


@dataclass
class Chart:
    width: int
    height: int
    baseline: float
    groups: list[Group]
    legend: list[tuple[str, str]]  # (css class, label)
    marks: list[Mark]
    ticks: list[Tick]
    left: float  # where the plot starts (the tick labels are to its left)
    axis_title: str  # the value axis's name with its unit
    top: float = TOP
    bottom: float = HEIGHT - BOTTOM

    @property
    def label_x(self) -> float:
        return round(self.left - 4, 1)


def _bounds(target) -> list[Decimal]:
    """A period's target values: one value, or several (a "between" rule's two bounds)."""
    if target is None:
        return []
    return list(target) if isinstance(target, list | tuple) else [target]


def _tick_labels(ticks: list[Decimal], unit: str) -> list[str]:
    whole = all(tick == tick.to_integral_value() for tick in ticks)
    return [format_value(tick, unit, 0 if whole else None) for tick in ticks]


def bar_chart(
    rows,
    columns: list[tuple[str, str, str, str]],
    unit: str,
    targets: dict | None = None,
    target_label: str = "",
    axis_title: str = "",
) -> Chart | None:
    """Bars per period for ``columns`` [(organisation code, gender, css class, label)].

    ``rows`` are ``queries.SeriesRow``; ``targets`` (period → value, or a list of values)
    are drawn as lines across the period's bars. Negative values are drawn from zero; None
    when there is nothing to draw. ``axis_title`` names the value axis (e.g. "Procent").
    """
    targets = targets or {}
    values = _drawn_values(rows, columns, targets)
    if not values:
        return None
    scale = linear_scale(values, top=TOP, bottom=HEIGHT - BOTTOM)
    shown_ticks = _shown_ticks(scale, unit)
    left = max(text_width(t.label) for t in shown_ticks) + 8 if shown_ticks else 8
    baseline = scale.at(Decimal(0))
    group_width = (WIDTH - left - RIGHT) / len(rows)
    bar_width = min(28.0, (group_width - 12) / len(columns)) if group_width > 14 else group_width
    bar_width = max(bar_width, 2.0)
    # Show every n-th period label so that neighbours never touch.
    widest = max(text_width(row.period) for row in rows) + 6
    label_every = max(1, math.ceil(widest / group_width))
    groups, marks = [], []
    for i, row in enumerate(rows):
        inner = bar_width * len(columns)
        x0 = left + i * group_width + (group_width - inner) / 2
        bars = _bars(row, columns, unit, scale, baseline, x0, bar_width)
        show = (len(rows) - 1 - i) % label_every == 0  # the newest period is always labelled
        groups.append(Group(row.period, round(left + (i + 0.5) * group_width, 1), bars, show))
        for target in _bounds(targets.get(row.period)):
            text = f"{target_label} {row.period}: {format_value(target, unit)}"
            y = scale.at(Decimal(str(target)))
            marks.append(Mark(round(x0 - 3, 1), round(x0 + inner + 1, 1), round(y, 1), text))
    legend = [(css, label) for _code, _gender, css, label in columns]
    if any(bar.forecast for group in groups for bar in group.bars):
        legend.append(("bar--forecast", _("Prognos (streckad ram)")))
    if marks:
        legend.append(("target", target_label))
    return Chart(
        WIDTH,
        HEIGHT,
        round(baseline, 1),
        groups,
        legend,
        marks,
        shown_ticks,
        round(left, 1),
        axis_title,
    )


def _drawn_values(rows, columns, targets: dict) -> list[Decimal]:
    """Every value a bar or a target line of the chart shows."""
    periods = {row.period for row in rows}
    values = [
        row.cell(code, gender).value
        for row in rows
        for code, gender, _css, _label in columns
        if row.cell(code, gender).value is not None
    ]
    values += [v for period, t in targets.items() if period in periods for v in _bounds(t)]
    return [Decimal(str(v)) for v in values]


def _shown_ticks(scale, unit: str) -> list[Tick]:
    """The scale's ticks, thinned out until their labels are at least a line apart."""
    ticks = list(scale.ticks)
    labels = _tick_labels(ticks, unit)
    every = 1
    while len(ticks) > 2 and every < len(ticks):
        spacing = (HEIGHT - BOTTOM - TOP) / max(len(ticks) - 1, 1) * every
        if spacing >= LINE:
            break
        every += 1
    return [Tick(scale.at(t), label) for t, label in zip(ticks, labels, strict=True)][::every]


def _bars(row, columns, unit: str, scale, baseline: float, x0: float, width: float) -> list[Bar]:
    """One period's bars, from ``x0``, one per column that has a value."""
    bars = []
    for j, (code, gender, css, label) in enumerate(columns):
        cell = row.cell(code, gender)
        value = cell.value
        if value is None:
            continue
        end = scale.at(Decimal(str(value)))
        y, height = min(end, baseline), abs(baseline - end)
        forecast = getattr(cell, "forecast", False)
        if forecast:
            css, label = f"{css} bar--forecast", _("%(label)s, prognos") % {"label": label}
        text = f"{label} {row.period}: {format_value(value, unit)}"
        bars.append(
            Bar(
                round(x0 + j * width, 1),
                round(y, 1),
                max(width - 2, 1.0),
                round(height, 1),
                css,
                text,
                value,
                forecast,
            )
        )
    return bars
