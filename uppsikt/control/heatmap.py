"""The risk matrix (heat map): how many risks sit at each likelihood × consequence.

``heat_map`` counts; ``HeatMap`` also carries the geometry of a server-rendered SVG, so the
template only draws. The SVG is for sighted readers; every figure is also in the table the
template puts beside it, and every cell says its level in words (never colour alone).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .scale import Level, Scale

CELL_W, CELL_H = 112, 70
LEFT, TOP, BOTTOM, RIGHT = 168, 12, 64, 8


@dataclass
class Cell:
    likelihood: int
    consequence: int
    score: int
    level: Level
    count: int
    x: int = 0
    y: int = 0

    @property
    def cx(self) -> int:
        return self.x + CELL_W // 2

    @property
    def count_y(self) -> int:
        return self.y + 32

    @property
    def label_y(self) -> int:
        return self.y + 54

    @property
    def is_high(self) -> bool:
        return self.level == Level.HIGH

    @property
    def css(self) -> str:
        return f"heat--{self.level.value}"

    @property
    def level_label(self) -> str:
        return str(self.level.label)


@dataclass
class Axis:
    step: int
    label: str
    position: int  # centre of the row or column


@dataclass
class HeatRow:
    axis: Axis  # the likelihood step of the row
    cells: list[Cell]


@dataclass
class HeatMap:
    scale: Scale
    rows: list[HeatRow]  # likelihood from the highest step down
    likelihood_axis: list[Axis]
    consequence_axis: list[Axis]
    total: int
    unassessed: int
    width: int
    height: int
    cell_w: int = CELL_W
    cell_h: int = CELL_H
    left: int = LEFT
    top: int = TOP

    @property
    def grid_bottom(self) -> int:
        return self.top + len(self.rows) * self.cell_h

    @property
    def grid_right(self) -> int:
        return self.left + self.scale.consequence_steps * self.cell_w

    @property
    def likelihood_label_x(self) -> int:
        return self.left - 10

    @property
    def consequence_step_y(self) -> int:
        return self.grid_bottom + 20

    @property
    def consequence_label_y(self) -> int:
        return self.grid_bottom + 38

    @property
    def axis_title_y(self) -> int:
        return self.grid_bottom + 58

    @property
    def assessed(self) -> int:
        return self.total - self.unassessed

    def level_counts(self) -> list[tuple[Level, int]]:
        counts: Counter[Level] = Counter()
        for row in self.rows:
            for cell in row.cells:
                counts[cell.level] += cell.count
        return [(level, counts[level]) for level in (Level.HIGH, Level.MEDIUM, Level.LOW)]


def heat_map(pairs: Iterable[tuple[int | None, int | None]], scale: Scale) -> HeatMap:
    """Count (likelihood, consequence) pairs; ``None`` pairs are counted as not assessed.

    >>> from uppsikt.control.scale import DEFAULT_SCALE
    >>> hm = heat_map([(3, 4), (3, 4), (1, 1), (None, None)], DEFAULT_SCALE)
    >>> hm.rows[1].cells[3].count, hm.rows[1].cells[3].level.value, hm.unassessed
    (2, 'hog', 1)
    """
    counts: Counter[tuple[int, int]] = Counter()
    unassessed = total = 0
    for likelihood, consequence in pairs:
        total += 1
        if likelihood is None or consequence is None:
            unassessed += 1
        else:
            counts[(likelihood, consequence)] += 1
    likelihood_axis = [
        Axis(step, scale.likelihood_label(step), TOP + index * CELL_H + CELL_H // 2)
        for index, step in enumerate(range(scale.likelihood_steps, 0, -1))
    ]
    consequence_axis = [
        Axis(step, scale.consequence_label(step), LEFT + (step - 1) * CELL_W + CELL_W // 2)
        for step in range(1, scale.consequence_steps + 1)
    ]
    rows = [
        HeatRow(
            likelihood_axis[row_index],
            [
                Cell(
                    likelihood,
                    consequence,
                    score,
                    level,
                    counts.get((likelihood, consequence), 0),
                    LEFT + col_index * CELL_W,
                    TOP + row_index * CELL_H,
                )
                for col_index, (likelihood, consequence, score, level) in enumerate(cells)
            ],
        )
        for row_index, cells in enumerate(scale.cells())
    ]
    width = LEFT + scale.consequence_steps * CELL_W + RIGHT
    height = TOP + scale.likelihood_steps * CELL_H + BOTTOM
    return HeatMap(scale, rows, likelihood_axis, consequence_axis, total, unassessed, width, height)
