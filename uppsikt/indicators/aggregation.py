"""A goal's proposal from its indicators' results (``assessment.assess_indicator``).

``aggregate(results, rule)`` gives the goal's status and its summary line. The summary is
built from the same counts the status is computed from, and its first sentence is chosen
by the status, so it never reads as contradicting it: "Alla 3 bedömbara indikatorer är
uppfyllda." only for uppfyllt, "Ingen av de 3 …" only for ej uppfyllt, and a goal proposed
uppfyllt by the majority rule says so ("Mer än hälften av poängen enligt majoritetsregeln:
2 av 3 …"). A gender flag (kvinnor or män missing a target the total meets) does not lower
the goal: the summary says how many indicators carry one.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as _noop
from django.utils.translation import ngettext

from .assessment import DELVIS, EJ_BEDOMBAR, EJ_UPPFYLLT, UPPFYLLT, IndicatorResult
from .periods import parse_period
from .wording import goal_gender_flag_text, periods_words

PERSON_RULE = _noop(
    "Ett mål med indikatorer som bara en person kan bedöma (kvalitativa eller som redovisas "
    "utan målvärde) föreslås högst som delvis uppfyllt."
)
GENDER_RULE = _noop(
    "Når kvinnor eller män inte målet när totalen gör det visas det som en flagga bredvid "
    "bedömningen; bedömningen står på totalen och sänks inte."
)

AGGREGATION_RULES = {
    # name: share of points (uppfyllt 1, delvis ½, ej 0) needed for "uppfyllt"
    "alla": Decimal(1),  # every assessed indicator uppfyllt
    "majoritet": Decimal("0.5"),  # more than half of the points
}


def explain_aggregation(rule: str) -> str:
    """The one rule a goal's proposal follows, in words, for the assessment page."""
    if rule == "majoritet":
        main = _(
            "Förslaget blir uppfyllt när de bedömbara indikatorerna ger mer än hälften av "
            "poängen (uppfyllt 1, delvis uppfyllt ½, ej uppfyllt 0), ej uppfyllt vid noll "
            "poäng och annars delvis uppfyllt."
        )
    else:
        main = _(
            "Förslaget blir uppfyllt när alla bedömbara indikatorer är uppfyllda, ej uppfyllt "
            "när ingen är uppfylld eller delvis uppfylld och annars delvis uppfyllt."
        )
    skipped = _("Indikatorer som inte kan bedömas automatiskt räknas inte med.")
    return f"{main} {skipped} {_(PERSON_RULE)} {_(GENDER_RULE)}"


def _by_hand_sentence(assessed: list[IndicatorResult]) -> str:
    """ " Förslaget bygger på …" when a judged value or forecast was entered by hand."""
    values = any(r.by_hand and not r.forecast for r in assessed)
    forecasts = any(r.forecast for r in assessed)
    if values and forecasts:
        return " " + _("Förslaget bygger på värden och helårsprognoser inmatade för hand.")
    if forecasts:
        return " " + _("Förslaget bygger på helårsprognoser inmatade för hand.")
    if values:
        return " " + _("Förslaget bygger på värden inmatade för hand.")
    return ""


@dataclass(frozen=True)
class GoalProposal:
    status: str
    reason: str
    preliminary: bool = False
    gender_flags: int = 0  # how many of the assessed indicators carry a gender flag


@dataclass(frozen=True)
class Counts:
    """The assessed indicators by outcome: what the status and the summary both read."""

    met: int
    partly: int
    missed: int

    @property
    def assessed(self) -> int:
        return self.met + self.partly + self.missed

    @property
    def share(self) -> Decimal:
        return (Decimal(self.met) + Decimal(self.partly) / 2) / self.assessed


def _status(counts: Counts, rule: str) -> str:
    """Points uppfyllt 1, delvis ½, ej 0: none → ej uppfyllt; all, or more than the rule's
    share → uppfyllt; otherwise delvis uppfyllt."""
    share, needed = counts.share, AGGREGATION_RULES[rule]
    if share == 0:
        return EJ_UPPFYLLT
    if share == 1 or (needed < 1 and share > needed):
        return UPPFYLLT
    return DELVIS


def breakdown(counts: Counts) -> str:
    """ "2 av 3 är uppfyllda, 1 delvis uppfylld och 0 …": every outcome that occurs."""
    parts = [
        ngettext(
            "%(met)s av %(count)s är uppfylld", "%(met)s av %(count)s är uppfyllda", counts.met
        )
        % {"met": counts.met, "count": counts.assessed}
    ]
    if counts.partly:
        parts.append(
            ngettext("%(n)s delvis uppfylld", "%(n)s delvis uppfyllda", counts.partly)
            % {"n": counts.partly}
        )
    if counts.missed:
        parts.append(
            ngettext("%(n)s inte uppfylld", "%(n)s inte uppfyllda", counts.missed)
            % {"n": counts.missed}
        )
    if len(parts) == 1:
        return parts[0]
    return _("%(first)s och %(last)s") % {"first": ", ".join(parts[:-1]), "last": parts[-1]}


def summary(counts: Counts, status: str, rule: str) -> str:
    """The first sentence of a goal's reason: the verdict ``status`` (before the cap for
    indicators a person must judge) stated with the counts it was computed from."""
    n = counts.assessed
    if status == EJ_UPPFYLLT:
        return ngettext(
            "Den bedömbara indikatorn är inte uppfylld.",
            "Ingen av de %(count)s bedömbara indikatorerna är uppfylld.",
            n,
        ) % {"count": n}
    if status == UPPFYLLT and counts.met == n:
        if n == 2:
            return _("Båda de bedömbara indikatorerna är uppfyllda.")
        return ngettext(
            "Den bedömbara indikatorn är uppfylld.",
            "Alla %(count)s bedömbara indikatorer är uppfyllda.",
            n,
        ) % {"count": n}
    words = {"breakdown": breakdown(counts)}
    if status == UPPFYLLT:
        return _("Mer än hälften av poängen enligt majoritetsregeln: %(breakdown)s.") % words
    if rule == "majoritet":
        return _("Högst hälften av poängen enligt majoritetsregeln: %(breakdown)s.") % words
    return _("Inte alla bedömbara indikatorer är uppfyllda: %(breakdown)s.") % words


def _unassessable(results: list[IndicatorResult]) -> GoalProposal:
    """No indicator could be judged: why, without any value (the goal is ej bedömbar)."""
    reason = _("Ingen indikator kan bedömas automatiskt.")
    if person := sum(1 for r in results if r.needs_person):
        reason += " " + ngettext(
            "%(count)s indikator kräver bedömning av en person.",
            "%(count)s indikatorer kräver bedömning av en person.",
            person,
        ) % {"count": person}
    why = dict.fromkeys(r.reason.rstrip(".") for r in results if not r.needs_person)
    if why:
        # Two sentences, never "…automatiskt: Värde saknas …" (colon after colon).
        reason += " " + "; ".join(why) + "."
    return GoalProposal(EJ_BEDOMBAR, reason)


def aggregate(results: list[IndicatorResult], rule: str = "alla") -> GoalProposal:
    """A goal's proposed status from its indicators' results.

    "ej bedömbar" indicators are left out; if nothing is left the goal is "ej bedömbar".
    Of the rest, none uppfyllt or delvis → "ej uppfyllt"; "alla": all uppfyllt →
    "uppfyllt"; "majoritet": more than half of the points (delvis counts half) →
    "uppfyllt"; otherwise "delvis uppfyllt". An indicator's status is the total's; a
    gender flag never lowers it, and the reason says how many indicators carry one.

    Indicators only a person can judge (``needs_person``: qualitative, or reported without
    a target) are not judged automatically, so the proposal cannot know they are met: a
    goal with any of them is proposed at most "delvis uppfyllt", and the reason says how
    many need a person's assessment (``PERSON_RULE``).
    """
    if rule not in AGGREGATION_RULES:
        raise ValueError(f"unknown aggregation rule: {rule}")
    assessed = [r for r in results if r.status != EJ_BEDOMBAR]
    if not assessed:
        return _unassessable(results)
    counts = Counts(
        sum(1 for r in assessed if r.status == UPPFYLLT),
        sum(1 for r in assessed if r.status == DELVIS),
        sum(1 for r in assessed if r.status not in (UPPFYLLT, DELVIS)),
    )
    status = _status(counts, rule)
    reason = summary(counts, status, rule)
    # Those left out for want of data (a person's indicators are counted below).
    if left := sum(1 for r in results if r.status == EJ_BEDOMBAR and not r.needs_person):
        reason += " " + ngettext(
            "%(count)s indikator kan inte bedömas automatiskt och räknas inte med.",
            "%(count)s indikatorer kan inte bedömas automatiskt och räknas inte med.",
            left,
        ) % {"count": left}
    if person := sum(1 for r in results if r.needs_person):
        reason += " " + ngettext(
            "%(count)s indikator kräver bedömning av en person",
            "%(count)s indikatorer kräver bedömning av en person",
            person,
        ) % {"count": person}
        if status == UPPFYLLT:
            status = DELVIS
            reason += _(", därför föreslås högst delvis uppfyllt.")
        else:
            reason += "."
    return _finish(assessed, status, reason)


def _finish(assessed: list[IndicatorResult], status: str, reason: str) -> GoalProposal:
    """The sentences every judged goal's reason ends with: gender flags, periods, by hand."""
    flagged = [r.to_data() for r in assessed if r.gender_flag]
    if flagged:
        reason += " " + goal_gender_flag_text(flagged) + "."
    used = sorted({r.value_period for r in assessed if r.value_period}, key=parse_period)
    if used:
        reason += " " + _("Värdena är från %(periods)s.") % {"periods": periods_words(used)}
    reason += _by_hand_sentence(assessed)
    preliminary = any(r.preliminary for r in assessed)
    if preliminary:
        reason = _("Preliminärt: %(reason)s") % {"reason": reason}
    return GoalProposal(status, reason, preliminary, len(flagged))
