"""The årshjul drawn as an SVG: twelve month sectors and a mark per entry on its day.

Only geometry is computed here; the template writes the SVG. Marks sit on three rings by
what they are: the organisation's milestones outermost, deadlines in the middle, period
ends innermost. The same content is always given as a table and a list beside it.
"""

from __future__ import annotations

import calendar
import datetime
import math
from dataclasses import dataclass

from django.utils.formats import date_format

from uppsikt.periods.defaults import MONTH_NAMES

from .entries import DEADLINE_KIND, PERIOD_KIND, Entry

SIZE = 440
CENTRE = SIZE / 2
OUTER, INNER, LABEL = 160.0, 70.0, 190.0
RINGS = {"milestone": 140.0, DEADLINE_KIND: 115.0, PERIOD_KIND: 90.0}


@dataclass(frozen=True)
class Sector:
    month: int
    name: str
    path: str
    label_x: float
    label_y: float
    count: int


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    ring: str
    label: str


def _point(angle: float, radius: float) -> tuple[float, float]:
    """A point at ``angle`` degrees clockwise from twelve o'clock."""
    radians = math.radians(angle - 90)
    return (
        round(CENTRE + radius * math.cos(radians), 2),
        round(CENTRE + radius * math.sin(radians), 2),
    )


def _sector_path(start: float, end: float) -> str:
    x1, y1 = _point(start, OUTER)
    x2, y2 = _point(end, OUTER)
    x3, y3 = _point(end, INNER)
    x4, y4 = _point(start, INNER)
    return (
        f"M {x1} {y1} A {OUTER} {OUTER} 0 0 1 {x2} {y2} "
        f"L {x3} {y3} A {INNER} {INNER} 0 0 0 {x4} {y4} Z"
    )


def _angle(date: datetime.date) -> float:
    """Where ``date`` sits: each month a sector of 30 degrees, the day within it."""
    days = calendar.monthrange(date.year, date.month)[1]
    return (date.month - 1) * 30 + (date.day - 0.5) / days * 30


def _ring(entry: Entry) -> str:
    return entry.kind if entry.kind in (DEADLINE_KIND, PERIOD_KIND) else "milestone"


@dataclass(frozen=True)
class Wheel:
    size: int
    centre: float
    sectors: list[Sector]
    marks: list[Mark]


def wheel(entries: list[Entry]) -> Wheel:
    counts = dict.fromkeys(range(1, 13), 0)
    for entry in entries:
        counts[entry.date.month] += 1
    sectors = []
    for month in range(1, 13):
        start, end = (month - 1) * 30, month * 30
        x, y = _point(start + 15, LABEL)
        sectors.append(
            Sector(month, MONTH_NAMES[month - 1], _sector_path(start, end), x, y, counts[month])
        )
    marks = []
    for entry in entries:
        ring = _ring(entry)
        x, y = _point(_angle(entry.date), RINGS[ring])
        marks.append(Mark(x, y, ring, f"{date_format(entry.date, 'j F')}: {entry.title}"))
    return Wheel(SIZE, CENTRE, sectors, marks)
