"""A goal's status as residents see it: the latest *decided* assessment, never a proposal,
in the organisation's own words, symbol and colour (``governance.words``).

A status that counts as met is shown only when the decision rests on something: a measured
or judged indicator, or the written reason of the person who decided. Otherwise it is shown
as "Ej bedömbar", with a sentence saying why: never "uppfyllt" without data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from uppsikt.governance.models import NOT_ASSESSABLE
from uppsikt.governance.words import Styrmodell
from uppsikt.indicators.models import Assessment
from uppsikt.indicators.periods import assessment_period_label
from uppsikt.indicators.presentation import latest_assessment

EXAMPLE_PREFIX = "Exempel: "
NOT_ASSESSED = "inte_bedomt"


@dataclass(frozen=True)
class Status:
    key: str
    label: str
    symbol: str
    colour: str
    period: str = ""  # "helår 2023"
    reasons: tuple[str, ...] = ()
    example: bool = False
    flag: str = ""  # kvinnor or män missing a target the total meets
    note: str = ""  # why a decided "uppfyllt" is not shown as met


def not_assessed() -> Status:
    return Status(NOT_ASSESSED, _("Inte bedömt ännu"), "–", "#6b7280")


def rests_on_something(assessment: Assessment) -> bool:
    """Whether any indicator was measured or judged, or the person wrote a reason."""
    measured = any(
        (row.get("status") or NOT_ASSESSABLE) != NOT_ASSESSABLE
        for row in assessment.indicator_results or []
    )
    return measured or bool(assessment.comment.strip())


def _reasons(assessment: Assessment, flag: str = "") -> tuple[str, ...]:
    """The reasons in words; the gender flag's sentence is left out of them when it is
    shown on its own beside the status (a screen reader would read it twice)."""
    reasons = []
    if assessment.decided_status == assessment.proposed_status and assessment.proposed_reason:
        reason = assessment.proposed_reason.strip()
        if flag:
            reason = " ".join(reason.replace(f"{flag}.", "").split())
        reasons.append(reason)
    comment = assessment.comment.strip()
    if comment.startswith(EXAMPLE_PREFIX):
        comment = comment.removeprefix(EXAMPLE_PREFIX).strip()
    if comment:
        reasons.append(comment)
    return tuple(reasons)


def status_of(assessment: Assessment | None, scale: Styrmodell) -> Status:
    """The resident's view of a decided assessment (``not_assessed()`` for None)."""
    if assessment is None or not assessment.decided_status:
        return not_assessed()
    key = assessment.decided_status
    note = ""
    if scale.counts_as_met(key) and not rests_on_something(assessment):
        key = NOT_ASSESSABLE
        note = _("Beslutet saknar både mätvärden och motivering, så målet visas inte som uppfyllt.")
    step = scale.step(key)
    flag = assessment.gender_flag_text
    return Status(
        key=key,
        label=scale.status_label(key),
        symbol=step.symbol if step else "",
        colour=step.colour if step else "",
        period=assessment_period_label(assessment.period),
        reasons=_reasons(assessment, flag) if not note else (),
        example=assessment.is_example_decision,
        flag=flag,
        note=note,
    )


def latest_decided(assessments: Iterable[Assessment]) -> Assessment | None:
    """The decided assessment of the latest period (proposals never count)."""
    return latest_assessment(a for a in assessments if a.decided_status)


@dataclass(frozen=True)
class Tally:
    status: Status
    count: int
    words: str = field(default="")


def tally(statuses: Iterable[Status], scale: Styrmodell) -> list[Tally]:
    """How many goals have each status, in the scale's order, then "Ej bedömbar" and
    "Inte bedömt ännu"; statuses no goal has are left out."""
    counts = Counter(status.key for status in statuses)
    shown: list[Status] = []
    for key, _label in scale.status_choices():
        step = scale.step(key)
        if step is not None and counts.get(key):
            shown.append(Status(key, scale.status_label(key), step.symbol, step.colour))
    if counts.get(NOT_ASSESSED):
        shown.append(not_assessed())
    return [
        Tally(
            status,
            counts[status.key],
            ngettext("%(count)d mål", "%(count)d mål", counts[status.key])
            % {"count": counts[status.key]},
        )
        for status in shown
    ]
