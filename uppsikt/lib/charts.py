"""Geometry shared by the server-rendered SVG charts: a linear value scale.

Charts in Uppsikt are drawn on the server as SVG, with the same figures in a data table
beside them; these helpers only turn numbers into coordinates, so any app can use them
without depending on another. The budget's forecast lines use round ticks; the indicator
bars (vertical) and the reports' bars (horizontal) use the values' exact range::

    >>> scale = linear_scale([Decimal(-3007), Decimal(-2900)], top=20, bottom=220)
    >>> scale.at(Decimal(0)), scale.at(scale.low)
    (20.0, 220.0)
    >>> [str(t) for t in scale.ticks]
    ['0', '-1000', '-2000', '-3000', '-4000']
    >>> bars = linear_scale([Decimal(-2), Decimal(6)], top=600, bottom=200, nice=False)
    >>> bars.at(Decimal(0)), bars.at(Decimal(6))  # a horizontal axis: left is "bottom"
    (300.0, 600.0)
"""

from dataclasses import dataclass, field
from decimal import Decimal


def nice_step(span: Decimal, count: int) -> Decimal:
    """A round step (1, 2 or 5 × 10ⁿ) giving about ``count`` intervals over ``span``."""
    if span <= 0:
        return Decimal(1)
    raw = span / count
    magnitude = Decimal(10) ** (raw.adjusted())
    for factor in (1, 2, 5, 10):
        step = magnitude * factor
        if step >= raw:
            return step
    return magnitude * 10  # pragma: no cover - the loop always returns


@dataclass
class Scale:
    """Values ``low``..``high`` drawn from ``bottom`` (low) to ``top`` (high): on a vertical
    axis the pixel rows (bottom is the larger y), on a horizontal one left and right."""

    low: Decimal
    high: Decimal
    top: float
    bottom: float
    ticks: list[Decimal] = field(default_factory=list)

    def at(self, value: Decimal) -> float:
        """The coordinate of ``value`` (rounded to a tenth of a pixel)."""
        span = self.high - self.low
        if span == 0:
            return self.bottom
        return round(self.bottom - float((value - self.low) / span) * (self.bottom - self.top), 1)


def linear_scale(
    values: list[Decimal],
    *,
    top: float,
    bottom: float,
    ticks: int = 4,
    include_zero: bool = True,
    nice: bool = True,
) -> Scale:
    """A scale covering ``values`` (and zero), widened to whole ticks; with ``nice=False``
    exactly their range, without ticks (bars that start at zero and need no axis labels)."""
    points = [*values, Decimal(0)] if include_zero or not values else list(values)
    low, high = min(points), max(points)
    if not nice:
        return Scale(low, high, top, bottom)
    step = nice_step(high - low, ticks) if high != low else Decimal(1)
    low = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
    high = (high / step).to_integral_value(rounding="ROUND_CEILING") * step
    if high == low:
        high = low + step
    count = int((high - low) / step)
    marks = [high - step * i for i in range(count + 1)]
    return Scale(low, high, top, bottom, marks)
