"""Judging target rules against measurements, and a goal from its indicators.

Plain functions over plain data, so they are tested without a database:
``assess_indicator(rule, series, organisation, period)`` gives one indicator's
``IndicatorResult``; ``aggregate(results, rule)`` the goal's proposal.

Principles: never "uppfyllt" without data (a missing value is "ej bedömbar"); a result that
rests on a preliminary value keeps its status but is flagged ``preliminary`` and its reason
starts with "Preliminärt"; for definitions reported per kön, the total is judged and K and
M are judged too: when the total meets the rule but K or M does not, the indicator is
proposed as "delvis uppfyllt" with ``gender_flag`` set, and the K–M gap is reported.
"""

from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as _noop
from django.utils.translation import ngettext

from .formatting import format_gap, format_value
from .periods import Period, parse_period
from .rules import (
    BalanceRule,
    ChangeRule,
    QualitativeRule,
    ReferenceRule,
    ReportOnlyRule,
    TargetRule,
    TargetValueRule,
    ThresholdRule,
)

UPPFYLLT = "uppfyllt"
DELVIS = "delvis_uppfyllt"
EJ_UPPFYLLT = "ej_uppfyllt"
EJ_BEDOMBAR = "ej_bedombar"


@dataclass(frozen=True)
class Value:
    value: Decimal
    preliminary: bool = False
    by_hand: bool = False  # entered by hand in a follow-up (``manual.enter_values``)


@dataclass
class Series:
    """The measurements of one definition, by (organisation code, period, gender)."""

    unit: str = ""
    polarity: str = "higher_better"
    by_gender: bool = False
    values: dict[tuple[str, str, str], Value] = field(default_factory=dict)
    # Full-year forecasts of the total, by (organisation code, period given for: "2023-07").
    forecasts: dict[tuple[str, str], Value] = field(default_factory=dict)
    _periods: dict | None = field(default=None, init=False, repr=False, compare=False)

    def get(
        self, organisation: str, period: Period | str | None, gender: str = "T"
    ) -> Value | None:
        return self.values.get((organisation, str(period), gender))

    def add(self, organisation: str, period: str, value, gender: str = "T", **kw) -> None:
        self.values[(organisation, str(period), gender)] = Value(Decimal(str(value)), **kw)
        self._periods = None

    def add_forecast(self, organisation: str, period: str, value, **kw) -> None:
        self.forecasts[(organisation, str(period))] = Value(Decimal(str(value)), **kw)

    def forecast(self, organisation: str, period: Period) -> Value | None:
        """The full-year forecast given for ``period``; a year has none (it has its value)."""
        if period.kind == "year":
            return None
        return self.forecasts.get((organisation, str(period)))

    def latest(self, organisation: str, period: Period, gender: str = "T") -> Period | None:
        """The period of the latest value that ends on or before ``period`` ends.

        A value of a later period is never used (an annual 2023 value does not judge
        tertial 1 2023). Of periods ending the same month the one of ``period``'s kind wins,
        then the longer one (the year before its last tertial or month).
        """
        if self._periods is None:  # (organisation, gender) → its periods, built once
            self._periods = {}
            for org, text, sex in self.values:
                self._periods.setdefault((org, sex), []).append(parse_period(text))
        best, best_key = None, None
        for candidate in self._periods.get((organisation, gender), ()):
            if candidate.ends > period.ends:
                continue
            key = (candidate.ends, candidate.kind == period.kind, candidate.months)
            if best_key is None or key > best_key:
                best, best_key = candidate, key
        return best


@dataclass(frozen=True)
class IndicatorResult:
    status: str
    reason: str
    preliminary: bool = False
    gender_flag: bool = False
    gender_gap: Decimal | None = None  # K − M, in the definition's unit
    value_period: str = ""  # the period of the value judged ("" when there is none)
    # Only a person can judge it (a qualitative rule, or a figure reported without target).
    needs_person: bool = False
    by_hand: bool = False  # the value judged was entered by hand in a follow-up
    forecast: bool = False  # judged by a full-year forecast (entered by hand)

    def to_data(self) -> dict:
        data = asdict(self)
        data["gender_gap"] = None if self.gender_gap is None else str(self.gender_gap)
        return data


@dataclass(frozen=True)
class Judgement:
    status: str
    reason: str
    preliminary: bool = False


def _missing(period: Period | str) -> Judgement:
    return Judgement(EJ_BEDOMBAR, _("Värde saknas för %(period)s.") % {"period": period})


def _missing_until(period: Period) -> Judgement:
    return Judgement(
        EJ_BEDOMBAR,
        _("Inget värde för %(period)s eller en tidigare period.") % {"period": period},
    )


def _met(condition: bool) -> str:
    return UPPFYLLT if condition else EJ_UPPFYLLT


# Each judge gets the assessed ``period`` and ``used``: the period of the value it judges,
# the latest one ending on or before ``period`` ends (None when there is none).


def _judge_change(rule, series, org, period, used, gender) -> Judgement:
    direction = rule.direction
    if direction == "improve":
        direction = {"higher_better": "increase", "lower_better": "decrease"}.get(series.polarity)
        if direction is None:
            return Judgement(
                EJ_BEDOMBAR, _("Det är inte angivet om ett högre eller lägre värde är bättre.")
            )
    if used is None:
        return _missing_until(period)
    earlier = used.year_earlier()
    current, previous = series.get(org, used, gender), series.get(org, earlier, gender)
    if current is None:
        return _missing(used)
    if previous is None:
        return _missing(earlier)
    diff = current.value - previous.value
    word = _("ökning") if diff > 0 else _("minskning") if diff < 0 else _("oförändrat")
    reason = _("%(now)s %(period)s mot %(then)s %(earlier)s: %(change)s") % {
        "now": format_value(current.value, series.unit),
        "period": used,
        "then": format_value(previous.value, series.unit),
        "earlier": earlier,
        "change": word,
    }
    met = diff > 0 if direction == "increase" else diff < 0
    return Judgement(_met(met), reason, current.preliminary or previous.preliminary)


def _judge_reference(rule, series, org, period, used, gender) -> Judgement:
    if used is None:
        return _missing_until(period)
    current = series.get(org, used, gender)
    reference = series.get(rule.reference, used, gender)
    if current is None:
        return _missing(used)
    if reference is None:
        return Judgement(
            EJ_BEDOMBAR,
            _("Jämförelsevärde saknas för %(code)s %(period)s.")
            % {"code": rule.reference, "period": used},
        )
    diff = current.value - reference.value
    word = _("högre") if diff > 0 else _("lägre") if diff < 0 else _("lika")
    label = _("riket") if rule.reference == "0000" else rule.reference
    reason = _("%(now)s mot %(label)s %(ref)s %(period)s: %(word)s") % {
        "now": format_value(current.value, series.unit),
        "label": label,
        "ref": format_value(reference.value, series.unit),
        "period": used,
        "word": word,
    }
    met = diff > 0 if rule.comparison == "higher" else diff < 0
    return Judgement(_met(met), reason, current.preliminary or reference.preliminary)


def _judge_single(rule, series, org, period, used, gender) -> Judgement:
    """Rules that look at one value: threshold, balance, explicit target, report only."""
    current = series.get(org, used, gender) if used is not None else None
    if isinstance(rule, ReportOnlyRule):
        shown = format_value(current.value, series.unit) if current else _("inget värde")
        return Judgement(
            EJ_BEDOMBAR,
            _("Redovisas utan målvärde (%(value)s %(period)s).")
            % {"value": shown, "period": used or period},
            bool(current and current.preliminary),
        )
    if current is None:
        return _missing_until(period) if used is None else _missing(used)
    shown = format_value(current.value, series.unit)
    if isinstance(rule, ThresholdRule):
        met = (rule.minimum is None or current.value >= rule.minimum) and (
            rule.maximum is None or current.value <= rule.maximum
        )
        target = rule.describe(series.unit).lower()
    elif isinstance(rule, BalanceRule):
        met = current.value >= 0
        target = _("resultat i balans")
    else:  # TargetValueRule: the target of the assessed period (a month or tertial: its year)
        goal = rule.target_for(str(period))
        if goal is None and period.kind != "year":
            goal = rule.target_for(str(period.year))
        if goal is None:
            return Judgement(EJ_BEDOMBAR, _("Målvärde saknas för %(period)s.") % {"period": period})
        met = current.value >= goal if rule.comparison == "at_least" else current.value <= goal
        word = _("minst") if rule.comparison == "at_least" else _("högst")
        target = f"{word} {format_value(goal, series.unit)}"
    reason = _("%(value)s %(period)s, målet är %(target)s") % {
        "value": shown,
        "period": used,
        "target": target,
    }
    return Judgement(_met(met), reason, current.preliminary)


def _judge(rule, series, org, period, used, gender) -> Judgement:
    if isinstance(rule, ChangeRule):
        return _judge_change(rule, series, org, period, used, gender)
    if isinstance(rule, ReferenceRule):
        return _judge_reference(rule, series, org, period, used, gender)
    if isinstance(rule, ThresholdRule | BalanceRule | TargetValueRule | ReportOnlyRule):
        return _judge_single(rule, series, org, period, used, gender)
    return Judgement(
        EJ_BEDOMBAR, _("Kvalitativ indikator, bedöms av en person utan automatiskt förslag.")
    )


# Rules a full-year forecast is judged by, before the year ends (``_judge_forecast``).
FORECAST_RULES = (ChangeRule, ThresholdRule, BalanceRule, TargetValueRule)


def _judge_forecast(rule, series, org, period: Period, forecast: Value) -> Judgement:
    """A rule for the year judged by the full-year forecast given for ``period``.

    A change compares the forecast with the previous year's value; a threshold, balance or
    target value (the year's) is judged on the forecast itself.
    """
    year = parse_period(str(period.year))
    shown = format_value(forecast.value, series.unit)
    if isinstance(rule, ChangeRule):
        direction: str | None = rule.direction
        if direction == "improve":
            direction = {"higher_better": "increase", "lower_better": "decrease"}.get(
                series.polarity
            )
            if direction is None:
                return Judgement(
                    EJ_BEDOMBAR, _("Det är inte angivet om ett högre eller lägre värde är bättre.")
                )
        earlier = year.previous()
        previous = series.get(org, earlier, "T")
        if previous is None:
            return _missing(earlier)
        diff = forecast.value - previous.value
        word = _("ökning") if diff > 0 else _("minskning") if diff < 0 else _("oförändrat")
        reason = _("Helårsprognos %(year)s %(now)s mot %(then)s %(earlier)s: %(change)s") % {
            "year": year,
            "now": shown,
            "then": format_value(previous.value, series.unit),
            "earlier": earlier,
            "change": word,
        }
        met = diff > 0 if direction == "increase" else diff < 0
        return Judgement(_met(met), reason, forecast.preliminary or previous.preliminary)
    if isinstance(rule, ThresholdRule):
        met = (rule.minimum is None or forecast.value >= rule.minimum) and (
            rule.maximum is None or forecast.value <= rule.maximum
        )
        target = rule.describe(series.unit).lower()
    elif isinstance(rule, BalanceRule):
        met, target = forecast.value >= 0, _("resultat i balans")
    else:  # TargetValueRule: the year's target
        goal = rule.target_for(str(year))
        if goal is None:
            return Judgement(EJ_BEDOMBAR, _("Målvärde saknas för %(period)s.") % {"period": year})
        met = forecast.value >= goal if rule.comparison == "at_least" else forecast.value <= goal
        word = _("minst") if rule.comparison == "at_least" else _("högst")
        target = f"{word} {format_value(goal, series.unit)}"
    reason = _("Helårsprognos %(year)s %(value)s, målet är %(target)s") % {
        "year": year,
        "value": shown,
        "target": target,
    }
    return Judgement(_met(met), reason, forecast.preliminary)


def _gap_text(gap: Decimal, unit: str) -> str:
    return _("Skillnad kvinnor–män: %(gap)s.") % {"gap": format_gap(gap, unit)}


def assess_indicator(
    rule: TargetRule, series: Series, organisation, period: Period | str
) -> IndicatorResult:
    """The proposal for one indicator of ``organisation`` (code or object) in ``period``.

    The value judged is the latest total whose period ends on or before ``period`` ends
    (``Series.latest``), never one of a later period; K and M are judged for that same
    period, and a change is measured against the same period one year earlier. When the
    value is of another period than ``period`` the reason says so.
    """
    org = getattr(organisation, "code", organisation)
    period = parse_period(period) if isinstance(period, str) else period
    forecast = series.forecast(org, period) if isinstance(rule, FORECAST_RULES) else None
    if forecast is not None:
        return _forecast_result(rule, series, org, period, forecast)
    used = series.latest(org, period)
    total = _judge(rule, series, org, period, used, "T")
    status, reasons, preliminary = total.status, [total.reason], total.preliminary
    current = series.get(org, used, "T") if used is not None else None
    by_hand = bool(current and current.by_hand) and total.status != EJ_BEDOMBAR
    if used is not None and used != period and not isinstance(rule, QualitativeRule):
        reasons.insert(
            0,
            _("Senaste värde till och med %(period)s avser %(used)s.")
            % {"period": period, "used": used},
        )
    gender_flag, gap = False, None
    if series.by_gender and status != EJ_BEDOMBAR:
        women = _judge(rule, series, org, period, used, "K")
        men = _judge(rule, series, org, period, used, "M")
        k, m = series.get(org, used, "K"), series.get(org, used, "M")
        if k is not None and m is not None:
            gap = k.value - m.value
        lagging = [
            label
            for label, part in ((_("kvinnor"), women), (_("män"), men))
            if part.status == EJ_UPPFYLLT
        ]
        if status == UPPFYLLT and lagging:
            gender_flag, status = True, DELVIS
            reasons.append(
                _("Totalt uppfyllt men inte för %(groups)s.") % {"groups": _(" och ").join(lagging)}
            )
        if gap is not None:
            reasons.append(_gap_text(gap, series.unit))
            preliminary = preliminary or women.preliminary or men.preliminary
    if by_hand:
        reasons.append(
            _("Värdet för %(period)s är inmatat för hand och preliminärt.") % {"period": used}
            if current is not None and current.preliminary
            else _("Värdet för %(period)s är inmatat för hand.") % {"period": used}
        )
    reason = " ".join(r if r.endswith(".") else r + "." for r in reasons)
    if preliminary:
        reason = _("Preliminärt: %(reason)s") % {"reason": reason}
    return IndicatorResult(
        status,
        reason,
        preliminary,
        gender_flag,
        gap,
        str(used) if used is not None else "",
        needs_person=isinstance(rule, QualitativeRule | ReportOnlyRule),
        by_hand=by_hand,
    )


def _forecast_result(rule, series, org, period: Period, forecast: Value) -> IndicatorResult:
    """The indicator judged by the full-year forecast given for ``period`` (the total only:
    a forecast is not given per kön)."""
    judged = _judge_forecast(rule, series, org, period, forecast)
    reasons = [judged.reason]
    if judged.status != EJ_BEDOMBAR:
        reasons.append(
            _("Bygger på en helårsprognos inmatad för hand, lämnad per %(period)s.")
            % {"period": period}
        )
        if forecast.preliminary:
            reasons[-1] = _(
                "Bygger på en preliminär helårsprognos inmatad för hand, lämnad per %(period)s."
            ) % {"period": period}
    reason = " ".join(r if r.endswith(".") else r + "." for r in reasons)
    if judged.preliminary:
        reason = _("Preliminärt: %(reason)s") % {"reason": reason}
    return IndicatorResult(
        judged.status,
        reason,
        judged.preliminary,
        by_hand=judged.status != EJ_BEDOMBAR,
        forecast=judged.status != EJ_BEDOMBAR,
    )


# --- A goal from its indicators --------------------------------------------------------------

PERSON_RULE = _noop(
    "Ett mål med indikatorer som bara en person kan bedöma (kvalitativa eller som redovisas "
    "utan målvärde) föreslås högst som delvis uppfyllt."
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
    return f"{main} {skipped} {_(PERSON_RULE)}"


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


def aggregate(results: list[IndicatorResult], rule: str = "alla") -> GoalProposal:
    """A goal's proposed status from its indicators' results.

    "ej bedömbar" indicators are left out; if nothing is left the goal is "ej bedömbar".
    Of the rest, none uppfyllt or delvis → "ej uppfyllt"; "alla": all uppfyllt →
    "uppfyllt"; "majoritet": more than half of the points (delvis counts half) →
    "uppfyllt"; otherwise "delvis uppfyllt".

    Indicators only a person can judge (``needs_person``: qualitative, or reported without
    a target) are not judged automatically, so the proposal cannot know they are met: a
    goal with any of them is proposed at most "delvis uppfyllt", and the reason says how
    many need a person's assessment (``PERSON_RULE``).
    """
    if rule not in AGGREGATION_RULES:
        raise ValueError(f"unknown aggregation rule: {rule}")
    assessed = [r for r in results if r.status != EJ_BEDOMBAR]
    preliminary = any(r.preliminary for r in assessed)
    if not assessed:
        why = list(dict.fromkeys(r.reason.rstrip(".") for r in results))
        # Two sentences, never "…automatiskt: Kvalitativ indikator: …" (colon after colon).
        reason = _("Ingen indikator kan bedömas automatiskt.")
        return GoalProposal(EJ_BEDOMBAR, f"{reason} {'; '.join(why)}." if why else reason)
    points = {UPPFYLLT: Decimal(1), DELVIS: Decimal("0.5")}
    share = sum((points.get(r.status, Decimal(0)) for r in assessed), Decimal(0)) / len(assessed)
    needed = AGGREGATION_RULES[rule]
    if share == 0:
        status = EJ_UPPFYLLT
    elif share == 1 or (needed < 1 and share > needed):
        status = UPPFYLLT
    else:
        status = DELVIS
    met = sum(1 for r in assessed if r.status == UPPFYLLT)
    reason = _("%(met)s av %(count)s bedömbara indikatorer uppfyllda (%(total)s totalt).") % {
        "met": met,
        "count": len(assessed),
        "total": len(results),
    }
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
    used = sorted({r.value_period for r in assessed if r.value_period}, key=parse_period)
    if used:
        reason += " " + _("Värdena avser %(periods)s.") % {"periods": ", ".join(used)}
    reason += _by_hand_sentence(assessed)
    if preliminary:
        reason = _("Preliminärt: %(reason)s") % {"reason": reason}
    return GoalProposal(status, reason, preliminary)
