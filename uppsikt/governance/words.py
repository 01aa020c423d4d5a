"""An organisation's own words, read from its styrmodell: what every page, report, export,
API response and e-mail calls a goal level and an assessment step.

``styrmodell_for(organisation_id)`` gives a ``Styrmodell``, an immutable snapshot. It is
kept per process and checked against the database at the start of each request
(``middleware.StyrmodellMiddleware``, at the first read of the request) and at most every ``RECHECK_SECONDS`` elsewhere (jobs,
commands), so a change made in one process is seen by the others; the actions clear it at
once in their own process. An organisation without a styrmodell reads ``DEFAULT``, Region
Örebro län's words (``is_default``). Pages, reports and new plans ask
``has_default_words`` instead: an organisation that stores exactly those words (as the
demo stores Region Örebro län's, or a new organisation set up with them) looks and behaves
as one without a styrmodell::

    >>> DEFAULT.goal_kind_label("effektmal")
    'Effektmål'
    >>> DEFAULT.status_label("delvis_uppfyllt"), DEFAULT.counts_as_met("uppfyllt")
    ('Delvis uppfyllt', True)
    >>> DEFAULT.step_for_outcome("ej_uppfyllt")
    'ej_uppfyllt'
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Count, Max
from django.utils.translation import gettext, gettext_lazy, gettext_noop, pgettext_lazy

from uppsikt.lib.contrast import readable_text_on

from .models import NOT_ASSESSABLE, GovernanceModel, Outcome

RECHECK_SECONDS = 5.0
DEFAULT_PERIOD_MONTHS = (2, 3, 4, 5, 9, 10, 11)
CONTENT_KINDS = ("perspectives", "strategies", "assignments", "focus_areas", "activities")
# The content kinds named in a sentence ("använder inte strategier"), lower case plural.
CONTENT_KIND_NAMES = {
    "perspectives": pgettext_lazy("flertal", "perspektiv"),
    "strategies": gettext_lazy("strategier"),
    "assignments": pgettext_lazy("flertal", "uppdrag"),
    "focus_areas": gettext_lazy("prioriterade områden"),
    "activities": gettext_lazy("aktiviteter"),
}
# One part of each kind ("Planerna har 1 strategi").
CONTENT_KIND_ONE = {
    "perspectives": gettext_lazy("perspektiv"),
    "strategies": gettext_lazy("strategi"),
    "assignments": gettext_lazy("uppdrag"),
    "focus_areas": gettext_lazy("prioriterat område"),
    "activities": gettext_lazy("aktivitet"),
}


@dataclass(frozen=True)
class Level:
    key: str
    name: str
    plural: str
    unit_kinds: tuple[str, ...] = ()

    def applies_to(self, unit_kind: str | None) -> bool:
        return not self.unit_kinds or unit_kind is None or unit_kind in self.unit_kinds


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    colour: str
    symbol: str
    counts_as_met: bool = False
    proposal: str = ""

    @property
    def text_colour(self) -> str:
        """Black or white, whichever reads best on ``colour`` as a background."""
        return readable_text_on(self.colour)


# Outside every scale: the rule engine's "no data, no judgement", shown the same everywhere.
NOT_ASSESSABLE_STEP = Step(NOT_ASSESSABLE, gettext_noop("Ej bedömbar"), "#6b7280", "–")


@dataclass(frozen=True)
class Styrmodell:
    organisation_id: int | None
    name: str
    levels: tuple[Level, ...]
    steps: tuple[Step, ...]
    perspectives: tuple[tuple[str, str], ...] = ()  # (name, description)
    uses: frozenset[str] = frozenset(CONTENT_KINDS)
    calendar: str = "manad"
    period_months: tuple[int, ...] = DEFAULT_PERIOD_MONTHS
    is_default: bool = False  # no styrmodell stored: this is ``DEFAULT`` itself
    _levels: dict[str, Level] = field(default_factory=dict, compare=False, repr=False)
    _steps: dict[str, Step] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._levels.update({level.key: level for level in self.levels})
        self._steps.update({step.key: step for step in self.steps})
        self._steps.setdefault(NOT_ASSESSABLE, NOT_ASSESSABLE_STEP)

    @cached_property
    def has_default_words(self) -> bool:
        """Whether every word the pages use (levels, steps with their colours and symbols,
        perspectives, content kinds, calendar) is the built-in default's, stored or not.
        The one rule for "show it as before": the default scale's stylesheet classes and
        colours, no step symbols, no perspectives added to a new plan. The model's name
        and organisation are not words of the pages."""
        return self.is_default or _words(self) == _words(DEFAULT)

    def say(self, label: str) -> str:
        """A step's ``label`` as the page shows it: the built-in scale's in the page's
        language (Swedish in the catalogue), an organisation's own as it wrote it."""
        if self.has_default_words or label == NOT_ASSESSABLE_STEP.label:
            return gettext(label)
        return label

    # Goal levels -----------------------------------------------------------------------
    def level(self, key: str) -> Level | None:
        return self._levels.get(key)

    def goal_kind_label(self, key: str) -> str:
        """The level's name ("Effektmål"); an unknown key is shown as it is stored. Part of
        the plan's text, so as stored in every language (unlike the steps' labels)."""
        level = self._levels.get(key)
        return level.name if level else key

    def goal_kind_plural(self, key: str) -> str:
        level = self._levels.get(key)
        return level.plural if level else key

    def levels_for(self, unit_kind: str | None) -> tuple[Level, ...]:
        """The levels a plan of a unit of ``unit_kind`` has goals on, in the model's order."""
        return tuple(level for level in self.levels if level.applies_to(unit_kind))

    def goal_kind_choices(self, unit_kind: str | None = None) -> list[tuple[str, str]]:
        return [(level.key, level.name) for level in self.levels_for(unit_kind)]

    # Assessment scale ------------------------------------------------------------------
    def step(self, key: str | None) -> Step | None:
        return self._steps.get(key) if key else None

    def status_label(self, key: str | None, *, as_stored: bool = False) -> str:
        """The step's label; "" for no assessment; an unknown key as it is stored.
        ``as_stored``: the label as stored, in every language (the API, open data)."""
        if not key:
            return ""
        step = self._steps.get(key)
        if step is None:
            return key
        return step.label if as_stored else self.say(step.label)

    def status_choices(self) -> list[tuple[str, str]]:
        """Every step, then "Ej bedömbar": what a person may decide."""
        return [(step.key, self.say(step.label)) for step in self.steps] + [
            (NOT_ASSESSABLE, self.say(NOT_ASSESSABLE_STEP.label))
        ]

    def step_for_outcome(self, outcome: str) -> str:
        """The step the rule engine's ``outcome`` proposes (its key)."""
        if outcome == NOT_ASSESSABLE:
            return NOT_ASSESSABLE
        for step in self.steps:
            if step.proposal == outcome:
                return step.key
        raise LookupError(f"no step of {self.name!r} receives the outcome {outcome!r}")

    def counts_as_met(self, key: str | None) -> bool:
        step = self._steps.get(key) if key else None
        return bool(step and step.counts_as_met)

    # Content kinds ---------------------------------------------------------------------
    def uses_kind(self, kind: str) -> bool:
        """Whether plans use ``kind``: one of ``CONTENT_KINDS``."""
        return kind in self.uses


DEFAULT = Styrmodell(
    organisation_id=None,
    name="Styrmodell",
    levels=(
        Level("effektmal", "Effektmål", "Effektmål"),
        Level("mal", "Mål", "Mål"),
        Level("namndmal", "Nämndmål", "Nämndmål"),
    ),
    steps=(
        Step("uppfyllt", gettext_noop("Uppfyllt"), "#2f6f4f", "●", True, Outcome.MET.value),
        Step(
            "delvis_uppfyllt",
            gettext_noop("Delvis uppfyllt"),
            "#7a4d00",
            "◐",
            False,
            Outcome.PARTLY.value,
        ),
        Step(
            "ej_uppfyllt", gettext_noop("Ej uppfyllt"), "#b3261e", "○", False, Outcome.NOT_MET.value
        ),
    ),
    perspectives=(("Invånare och samhälle", ""), ("Process", ""), ("Resurs", "")),
    is_default=True,
)


def _words(model: Styrmodell) -> tuple[object, ...]:
    return (
        model.levels,
        model.steps,
        model.perspectives,
        model.uses,
        model.calendar,
        model.period_months,
    )


def from_model(model: GovernanceModel) -> Styrmodell:
    """The snapshot of a stored styrmodell (its levels, steps and perspectives prefetched
    or read here: three queries)."""
    return Styrmodell(
        organisation_id=model.organisation_id,
        name=model.name,
        levels=tuple(
            Level(lv.key, lv.name, lv.plural, tuple(lv.unit_kinds or ()))
            for lv in model.goal_levels.all()
        ),
        steps=tuple(
            Step(s.key, s.label, s.colour, s.symbol, s.counts_as_met, s.proposal)
            for s in model.assessment_steps.all()
        ),
        perspectives=tuple((p.name, p.description) for p in model.perspectives.all()),
        uses=frozenset(kind for kind in CONTENT_KINDS if getattr(model, f"uses_{kind}")),
        calendar=model.calendar,
        period_months=tuple(model.period_months or DEFAULT_PERIOD_MONTHS),
    )


class _Cache:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.models: dict[int, Styrmodell] = {}
        self.stamp: tuple[object, ...] | None = None
        self.checked_at = 0.0

    def clear(self) -> None:
        with self.lock:
            self.models.clear()
            self.stamp = None
            self.checked_at = 0.0


_cache = _Cache()


def _current_stamp() -> tuple[object, ...]:
    row = GovernanceModel.objects.aggregate(
        changed=Max("updated_at"), count=Count("id"), last=Max("id")
    )
    return (row["changed"], row["count"], row["last"])


def recheck() -> None:
    """Forget the snapshots if any styrmodell changed since they were read (one query)."""
    stamp = _current_stamp()
    with _cache.lock:
        if stamp != _cache.stamp:
            _cache.models.clear()
            _cache.stamp = stamp
        _cache.checked_at = time.monotonic()


def recheck_at_next_read() -> None:
    """Make the next ``styrmodell_for`` check the database first (at a request's start)."""
    _cache.checked_at = 0.0


def invalidate() -> None:
    """Forget every snapshot in this process (the actions call it after a change)."""
    _cache.clear()


def styrmodell_for(organisation_id: int | None) -> Styrmodell:
    """The organisation's styrmodell, or ``DEFAULT`` when it has none (or for None)."""
    if organisation_id is None:
        return DEFAULT
    if time.monotonic() - _cache.checked_at > RECHECK_SECONDS:
        recheck()
    cached = _cache.models.get(organisation_id)
    if cached is not None:
        return cached
    model = (
        GovernanceModel.objects.filter(organisation_id=organisation_id)
        .prefetch_related("goal_levels", "assessment_steps", "perspectives")
        .first()
    )
    result = from_model(model) if model is not None else DEFAULT
    with _cache.lock:
        _cache.models[organisation_id] = result
    return result
