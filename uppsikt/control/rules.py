"""The rules of internal control, as plain functions that pages, imports and actions share.

**Decision rule.** A risk that is *not accepted* must have at least one åtgärd; an accepted
risk needs none ("Åtgärd: hur verksamheten vill hantera de risker som inte accepteras",
section 6.1). A decision needs a score: a risk is not accepted or rejected unassessed.

**Proposed samlad bedömning** from the units' ISK-bedömningar (``propose_overall``):

1. no unit has made a bedömning: no proposal;
2. more than half of the expected units judge their control *ej tillräcklig*: *ej tillräcklig*;
3. every expected unit has made a bedömning and all are *tillräcklig*: *tillräcklig*;
4. otherwise (some delvis or ej tillräcklig, or a bedömning missing): *delvis tillräcklig*.

A missing bedömning can never give *tillräcklig*: sufficiency is never assumed without data.
A person confirms the samlad bedömning with a motivation and may depart from the proposal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import Decision, Sufficiency


def decision_problem(decision: str | None, score: int | None, measure_count: int) -> str | None:
    """Why ``decision`` cannot be taken, in Swedish, or None when it can.

    >>> decision_problem("ej_accepterad", 12, 0)
    'En risk som inte accepteras ska ha minst en åtgärd.'
    >>> decision_problem("accepterad", 2, 0) is None
    True
    """
    if decision is None:
        return None
    if decision not in Decision.values:
        return _("Okänt beslut.")
    if score is None:
        return _("Bedöm sannolikhet och konsekvens innan risken accepteras eller inte.")
    if decision == Decision.NOT_ACCEPTED and measure_count < 1:
        return _("En risk som inte accepteras ska ha minst en åtgärd.")
    return None


@dataclass(frozen=True)
class Proposal:
    level: str | None  # a Sufficiency value, or None without any bedömning
    reason: str
    counts: dict[str, int]
    missing: int

    @property
    def label(self) -> str:
        return str(Sufficiency(self.level).label) if self.level else _("Inget förslag")


def propose_overall(expected: Sequence[int], judgements: Mapping[int, str]) -> Proposal:
    """The proposed samlad bedömning from unit id → level (``Sufficiency`` values).

    ``expected`` are the ids of the units that should have made a bedömning; judgements from
    other units count too (they are in the basis) but cannot make up for a missing one.

    >>> propose_overall([1, 2], {1: "tillracklig", 2: "tillracklig"}).level
    'tillracklig'
    >>> propose_overall([1, 2], {1: "tillracklig"}).level
    'delvis_tillracklig'
    >>> propose_overall([1, 2, 3], {1: "ej_tillracklig", 2: "ej_tillracklig"}).level
    'ej_tillracklig'
    """
    counts = dict.fromkeys(Sufficiency.values, 0)
    for level in judgements.values():
        counts[level] += 1
    missing = sum(1 for unit_id in expected if unit_id not in judgements)
    judged = len(judgements)
    population = max(len(expected), judged)
    if judged == 0:
        return Proposal(None, _("Ingen enhet har gjort någon ISK-bedömning ännu."), counts, missing)
    if counts[Sufficiency.INSUFFICIENT] * 2 > population:
        reason = _(
            "Fler än hälften av enheterna (%(n)s av %(total)s) bedömer att den interna "
            "kontrollen inte har varit tillräcklig."
        ) % {"n": counts[Sufficiency.INSUFFICIENT], "total": population}
        return Proposal(Sufficiency.INSUFFICIENT.value, reason, counts, missing)
    if missing == 0 and counts[Sufficiency.SUFFICIENT] == judged:
        reason = _(
            "Samtliga %(n)s enheter bedömer att den interna kontrollen har varit tillräcklig."
        )
        return Proposal(Sufficiency.SUFFICIENT.value, reason % {"n": judged}, counts, missing)
    parts = [
        _("delvis tillräcklig: %(n)s") % {"n": counts[Sufficiency.PARTLY]},
        _("ej tillräcklig: %(n)s") % {"n": counts[Sufficiency.INSUFFICIENT]},
    ]
    if missing:
        parts.append(_("utan bedömning: %(n)s") % {"n": missing})
    reason = _("Inte alla enheter bedömer kontrollen som tillräcklig (%(why)s).") % {
        "why": ", ".join(parts)
    }
    return Proposal(Sufficiency.PARTLY.value, reason, counts, missing)


SEVERITY = {
    Sufficiency.SUFFICIENT.value: 0,
    Sufficiency.PARTLY.value: 1,
    Sufficiency.INSUFFICIENT.value: 2,
}
