"""The assessment scale of a goal's organisation: which statuses an assessment may hold,
what they are called, how they look, and which count as met.

The scale is the organisation's styrmodell (``governance.words.Styrmodell.steps``), plus
"ej bedömbar", which lies outside every scale. The rule engine (``assessment.py``) keeps
its own outcomes; a stored proposal is the step that receives the outcome
(``Styrmodell.step_for_outcome``): for Region Örebro län's default scale that is the
outcome itself. Rows hold step keys; when a styrmodell drops a key, ``move_steps``
rewrites the rows by the mapping the person confirmed (registered with
``governance.usage`` in ``IndicatorsConfig.ready``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from uppsikt.audit.trail import record
from uppsikt.governance.usage import STEPS, KeyUser, register
from uppsikt.governance.words import Styrmodell, styrmodell_for
from uppsikt.lib.problems import refusal
from uppsikt.lib.typing import Actor
from uppsikt.organisations.models import Organisation, Unit

from .models import Assessment


def scale_for_goal(goal) -> Styrmodell:
    """The styrmodell of the organisation whose plan holds ``goal``."""
    return styrmodell_for(goal.plan.unit.organisation_id)


def proposed_step(scale: Styrmodell, outcome: str) -> str:
    """The step a rule-engine outcome is stored as (``ej_bedombar`` stays itself)."""
    return scale.step_for_outcome(outcome)


def outcome_words(scale: Styrmodell, row: dict) -> dict:
    """An indicator's judgement (``row["status"]``, an engine outcome) in the scale's
    words: its step (``step``), that step's label (``status_label``) and the ``scale``."""
    try:
        step = scale.step_for_outcome(row.get("status") or "")
    except LookupError:  # an outcome no step receives: shown as it is stored
        step = row.get("status") or ""
    return {"step": step, "status_label": scale.status_label(step), "scale": scale}


def check_decision(scale: Styrmodell, status: str) -> None:
    """Refuse a decision that is not a step of ``scale`` nor "ej bedömbar"."""
    if status not in {key for key, _label in scale.status_choices()}:
        raise refusal(
            "status",
            _("%(status)s är inget steg i organisationens bedömningsskala. Välj ett av: %(steps)s.")
            % {
                "status": status or "–",
                "steps": ", ".join(label for _key, label in scale.status_choices()),
            },
            "unknown_step",
        )


@dataclass(frozen=True)
class Mark:
    """How a status is shown: its word, symbol and colour. ``custom`` is False when the
    organisation's words are the default's (``Styrmodell.has_default_words``, stored or
    not): its pages keep the stylesheet classes and colours of before (the demo looks as
    before). A custom scale's colour is drawn by SVG presentation attributes, as the
    pages' policy allows no inline style."""

    key: str
    label: str
    symbol: str
    colour: str
    text_colour: str
    custom: bool


def mark(scale: Styrmodell, key: str | None) -> Mark | None:
    """The mark of ``key`` in ``scale``; None for no status."""
    if not key:
        return None
    custom = not scale.has_default_words
    step = scale.step(key)
    if step is None:  # an unknown key is shown as it is stored, without colour
        return Mark(key, key, "", "", "", custom=custom)
    label = scale.status_label(key)
    return Mark(key, label, step.symbol, step.colour, step.text_colour, custom=custom)


def count_met(scale: Styrmodell, statuses: Iterable[str | None]) -> int:
    """How many of ``statuses`` are steps that count as met."""
    return sum(1 for status in statuses if scale.counts_as_met(status))


# -- Who uses the scale's keys (governance.usage) -------------------------------------------


def _assessments_of(organisation_id: int):
    return Assessment.objects.filter(goal__plan__unit__organisation_id=organisation_id)


def count_steps(organisation_id: int) -> Counter[str]:
    """Assessments holding each key, proposed and decided counted separately."""
    rows = _assessments_of(organisation_id)
    counts: Counter[str] = Counter()
    for field in ("proposed_status", "decided_status"):
        for row in rows.exclude(**{f"{field}__isnull": True}).values(field).annotate(n=Count("id")):
            counts[row[field]] += row["n"]
    return counts


def move_steps(organisation_id: int, mapping: dict[str, str], *, actor: Actor) -> int:
    """Rewrite the organisation's assessments from each old key to its new one (audited)."""
    moves = {old: new for old, new in mapping.items() if old != new}
    if not moves:
        return 0
    moved = 0
    with transaction.atomic():
        rows = _assessments_of(organisation_id)
        counts: dict[str, dict[str, int]] = {}
        for field in ("proposed_status", "decided_status"):
            for old, new in moves.items():
                changed = rows.filter(**{field: old}).update(**{field: new})
                if changed:
                    counts.setdefault(field, {})[old] = changed
                    moved += changed
        if moved:
            organisation = Organisation.objects.get(pk=organisation_id)
            root = (
                Unit.objects.filter(organisation_id=organisation_id, parent=None)
                .order_by("position")
                .first()
            )
            record(
                actor=actor,
                action="assessment.move_steps",
                obj=organisation,
                before={"counts": counts},
                after={"mapping": moves, "moved": moved},
                unit=root,
            )
    return moved


def register_key_user() -> None:
    register(
        STEPS,
        KeyUser(label=_("bedömningar"), one=_("bedömning"), count=count_steps, move=move_steps),
    )
