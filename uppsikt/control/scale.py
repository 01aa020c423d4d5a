"""The risk scale: likelihood × consequence = score, and the score's colour level.

An organisation configures its scale (``RiskScale``): how many steps each axis has, the
Swedish label of every step, and the lowest score of the medium and the high level. Without
a configured scale the default 4 × 4 below applies::

    >>> scale = DEFAULT_SCALE
    >>> scale.score(3, 4)
    12
    >>> scale.level(12).value
    'hog'
    >>> scale.level(4).value, scale.level(3).value
    ('medel', 'lag')

Scores are computed, never typed: ``score`` is the only place that multiplies, and it
refuses a step outside the scale with a Swedish message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import overload

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MIN_STEPS, MAX_STEPS = 2, 10


class Level(models.TextChoices):
    """The three colour levels of a score; always shown with their word, never colour alone."""

    LOW = "lag", gettext_lazy("Låg")
    MEDIUM = "medel", gettext_lazy("Medel")
    HIGH = "hog", gettext_lazy("Hög")


DEFAULT_LIKELIHOOD = ("Osannolik", "Mindre sannolik", "Sannolik", "Mycket sannolik")
DEFAULT_CONSEQUENCE = ("Lindrig", "Kännbar", "Allvarlig", "Mycket allvarlig")
# 4 × 4 gives the scores 1, 2, 3, 4, 6, 8, 9, 12, 16: low 1–3, medium 4–8, high 9–16.
DEFAULT_MEDIUM_FROM, DEFAULT_HIGH_FROM = 4, 9


@dataclass(frozen=True)
class Scale:
    likelihood_labels: tuple[str, ...]
    consequence_labels: tuple[str, ...]
    medium_from: int
    high_from: int
    is_default: bool = False

    @property
    def likelihood_steps(self) -> int:
        return len(self.likelihood_labels)

    @property
    def consequence_steps(self) -> int:
        return len(self.consequence_labels)

    @property
    def max_score(self) -> int:
        return self.likelihood_steps * self.consequence_steps

    def likelihood_label(self, step: int | None) -> str:
        return "" if step is None else self.likelihood_labels[step - 1]

    def consequence_label(self, step: int | None) -> str:
        return "" if step is None else self.consequence_labels[step - 1]

    def check(self, likelihood: int | None, consequence: int | None) -> dict[str, str]:
        """Problems with a pair of steps, by field name (empty when both are on the scale).

        Both or neither: a score needs both values, and "not assessed" is both ``None``.
        """
        problems: dict[str, str] = {}
        for name, value, steps in (
            ("likelihood", likelihood, self.likelihood_steps),
            ("consequence", consequence, self.consequence_steps),
        ):
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= steps:
                problems[name] = _("Ange ett heltal från 1 till %(steps)s.") % {"steps": steps}
        if not problems and (likelihood is None) != (consequence is None):
            missing = "consequence" if consequence is None else "likelihood"
            problems[missing] = _("Ange både sannolikhet och konsekvens, eller ingen av dem.")
        return problems

    def score(self, likelihood: int | None, consequence: int | None) -> int | None:
        """likelihood × consequence, or None when not assessed; steps outside the scale
        raise ``ValidationError``."""
        problems = self.check(likelihood, consequence)
        if problems:
            raise ValidationError(problems)
        if likelihood is None or consequence is None:
            return None
        return likelihood * consequence

    @overload
    def level(self, score: int) -> Level: ...
    @overload
    def level(self, score: None) -> None: ...
    def level(self, score: int | None) -> Level | None:
        if score is None:
            return None
        if score >= self.high_from:
            return Level.HIGH
        if score >= self.medium_from:
            return Level.MEDIUM
        return Level.LOW

    def level_ranges(self) -> list[tuple[Level, int, int]]:
        """Each level with the lowest and highest score it covers, for the scale's page."""
        return [
            (Level.LOW, 1, self.medium_from - 1),
            (Level.MEDIUM, self.medium_from, self.high_from - 1),
            (Level.HIGH, self.high_from, self.max_score),
        ]

    def cells(self) -> list[list[tuple[int, int, int, Level]]]:
        """The matrix, likelihood from the highest step down: [(l, c, score, level)]."""
        return [
            [
                (
                    likelihood,
                    consequence,
                    likelihood * consequence,
                    self.level(likelihood * consequence),
                )
                for consequence in range(1, self.consequence_steps + 1)
            ]
            for likelihood in range(self.likelihood_steps, 0, -1)
        ]

    def matrix(self) -> list[tuple[int, str, list[tuple[int, int, int, Level]]]]:
        """``cells`` with each row's likelihood step and label, for tables."""
        steps = range(self.likelihood_steps, 0, -1)
        return [
            (step, self.likelihood_label(step), row)
            for step, row in zip(steps, self.cells(), strict=True)
        ]


DEFAULT_SCALE = Scale(
    DEFAULT_LIKELIHOOD, DEFAULT_CONSEQUENCE, DEFAULT_MEDIUM_FROM, DEFAULT_HIGH_FROM, True
)


def validate_scale(
    likelihood_labels: list[str], consequence_labels: list[str], medium_from: int, high_from: int
) -> dict[str, str]:
    """Problems with a scale definition, by field name, in Swedish."""
    problems: dict[str, str] = {}
    for name, labels in (
        ("likelihood_labels", likelihood_labels),
        ("consequence_labels", consequence_labels),
    ):
        if not isinstance(labels, list | tuple) or not MIN_STEPS <= len(labels) <= MAX_STEPS:
            problems[name] = _("Skalan ska ha mellan %(min)s och %(max)s steg.") % {
                "min": MIN_STEPS,
                "max": MAX_STEPS,
            }
        elif any(not isinstance(label, str) or not label.strip() for label in labels):
            problems[name] = _("Varje steg behöver en benämning.")
        elif len({label.strip().lower() for label in labels}) != len(labels):
            problems[name] = _("Två steg har samma benämning.")
    if problems:
        return problems
    top = len(likelihood_labels) * len(consequence_labels)
    for name, value in (("medium_from", medium_from), ("high_from", high_from)):
        if isinstance(value, bool) or not isinstance(value, int):
            problems[name] = _("Ange ett heltal.")
    if problems:
        return problems
    if not 2 <= medium_from < high_from <= top:
        problems["high_from"] = _(
            "Gränserna ska uppfylla 2 ≤ medel från < hög från ≤ %(top)s (högsta riskvärdet)."
        ) % {"top": top}
    return problems
