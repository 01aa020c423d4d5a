"""Judging target rules against measurements, and a goal from its indicators.

Plain functions over plain data, so they are tested without a database:
``assess_indicator(rule, series, organisation, period)`` gives one indicator's
``IndicatorResult``; ``aggregate(results, rule)`` the goal's proposal.

Principles: never "uppfyllt" without data (a missing value is "ej bedömbar"); a result that
rests on a preliminary value keeps its status but is flagged ``preliminary`` and its reason
starts with "Preliminärt"; for definitions reported per kön, the total is judged and K and
M are judged too. The status stands on the total: when the total meets the rule but K or M
does not, the indicator keeps the total's status and carries ``gender_flag`` (and
``gender_lagging``: who misses it), a flag shown beside the assessment, not a downgrade of
it; the K–M gap is reported. Reasons are worded in ``wording.py``: organisations by name,
periods in words, a value kept apart from its period.
"""

from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as _noop

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
from .wording import (
    MEN,
    WOMEN,
    gender_flag_text,
    organisation_words,
    period_words,
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
    # Organisation names by code, for reasons ("Region Örebro län"; Riket is "riket").
    names: dict[str, str] = field(default_factory=dict)
    _periods: dict | None = field(default=None, init=False, repr=False, compare=False)

    def organisation(self, code: str, *, start: bool = False) -> str:
        """The organisation ``code`` in a sentence, by name (``wording.organisation_words``)."""
        return organisation_words(code, self.names.get(code, ""), start=start)

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
    gender_lagging: tuple[str, ...] = ()  # with gender_flag: "K", "M" or both miss the target

    def to_data(self) -> dict:
        data = asdict(self)
        data["gender_gap"] = None if self.gender_gap is None else str(self.gender_gap)
        data["gender_lagging"] = list(self.gender_lagging)
        return data


@dataclass(frozen=True)
class Judgement:
    status: str
    reason: str
    preliminary: bool = False


def _missing(period: Period | str) -> Judgement:
    return Judgement(
        EJ_BEDOMBAR, _("Värde saknas för %(period)s.") % {"period": period_words(period)}
    )


def _missing_until(period: Period) -> Judgement:
    return Judgement(
        EJ_BEDOMBAR,
        _("Inget värde för %(period)s eller en tidigare period.")
        % {"period": period_words(period)},
    )


def _direction(rule: ChangeRule, series: Series) -> str | None:
    """ "increase" or "decrease"; "improve" follows the polarity (None when neutral)."""
    if rule.direction != "improve":
        return rule.direction
    return {"higher_better": "increase", "lower_better": "decrease"}.get(series.polarity)


NO_DIRECTION = _noop("Det är inte angivet om ett högre eller lägre värde är bättre.")


def _compare_years(template: str, now: Value, then: Value, periods, series, direction):
    """A change judged: ``template`` gets the values, each with its period in words."""
    diff = now.value - then.value
    word = _("ökning") if diff > 0 else _("minskning") if diff < 0 else _("oförändrat")
    reason = template % {
        "now": format_value(now.value, series.unit),
        "period": period_words(periods[0]),
        "then": format_value(then.value, series.unit),
        "earlier": period_words(periods[1]),
        "change": word,
    }
    met = diff > 0 if direction == "increase" else diff < 0
    return Judgement(_met(met), reason, now.preliminary or then.preliminary)


def _met(condition: bool) -> str:
    return UPPFYLLT if condition else EJ_UPPFYLLT


# Each judge gets the assessed ``period`` and ``used``: the period of the value it judges,
# the latest one ending on or before ``period`` ends (None when there is none).


def _judge_change(rule, series, org, period, used, gender) -> Judgement:
    direction = _direction(rule, series)
    if direction is None:
        return Judgement(EJ_BEDOMBAR, _(NO_DIRECTION))
    if used is None:
        return _missing_until(period)
    earlier = used.year_earlier()
    current, previous = series.get(org, used, gender), series.get(org, earlier, gender)
    if current is None:
        return _missing(used)
    if previous is None:
        return _missing(earlier)
    template = _("%(now)s (%(period)s) mot %(then)s (%(earlier)s): %(change)s")
    return _compare_years(template, current, previous, (used, earlier), series, direction)


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
            _("Jämförelsevärde för %(organisation)s saknas för %(period)s.")
            % {"organisation": series.organisation(rule.reference), "period": period_words(used)},
        )
    diff = current.value - reference.value
    word = _("högre") if diff > 0 else _("lägre") if diff < 0 else _("lika")
    reason = _("%(now)s mot %(ref)s för %(organisation)s (%(period)s): %(word)s") % {
        "now": format_value(current.value, series.unit),
        "organisation": series.organisation(rule.reference),
        "ref": format_value(reference.value, series.unit),
        "period": period_words(used),
        "word": word,
    }
    met = diff > 0 if rule.comparison == "higher" else diff < 0
    return Judgement(_met(met), reason, current.preliminary or reference.preliminary)


def _judge_single(rule, series, org, period, used, gender) -> Judgement:
    """Rules that look at one value: threshold, balance, explicit target, report only."""
    current = series.get(org, used, gender) if used is not None else None
    if isinstance(rule, ReportOnlyRule):
        if current is None:
            reason = _("Redovisas utan målvärde; inget värde för %(period)s.") % {
                "period": period_words(period)
            }
        else:
            reason = _("Redovisas utan målvärde: %(value)s (%(period)s).") % {
                "value": format_value(current.value, series.unit),
                "period": period_words(used),
            }
        return Judgement(EJ_BEDOMBAR, reason, bool(current and current.preliminary))
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
            return Judgement(
                EJ_BEDOMBAR, _("Målvärde saknas för %(period)s.") % {"period": period_words(period)}
            )
        met = current.value >= goal if rule.comparison == "at_least" else current.value <= goal
        word = _("minst") if rule.comparison == "at_least" else _("högst")
        target = f"{word} {format_value(goal, series.unit)}"
    reason = _("%(value)s (%(period)s), målet är %(target)s") % {
        "value": shown,
        "period": period_words(used),
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
        direction = _direction(rule, series)
        if direction is None:
            return Judgement(EJ_BEDOMBAR, _(NO_DIRECTION))
        earlier = year.previous()
        previous = series.get(org, earlier, "T")
        if previous is None:
            return _missing(earlier)
        template = _("Helårsprognos %(now)s (%(period)s) mot %(then)s (%(earlier)s): %(change)s")
        return _compare_years(template, forecast, previous, (year, earlier), series, direction)
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
            return Judgement(
                EJ_BEDOMBAR, _("Målvärde saknas för %(period)s.") % {"period": period_words(year)}
            )
        met = forecast.value >= goal if rule.comparison == "at_least" else forecast.value <= goal
        word = _("minst") if rule.comparison == "at_least" else _("högst")
        target = f"{word} {format_value(goal, series.unit)}"
    reason = _("Helårsprognos %(value)s (%(year)s), målet är %(target)s") % {
        "year": period_words(year),
        "value": shown,
        "target": target,
    }
    return Judgement(_met(met), reason, forecast.preliminary)


def _gap_text(gap: Decimal, unit: str) -> str:
    return _("Skillnad kvinnor–män: %(gap)s.") % {"gap": format_gap(gap, unit)}


@dataclass(frozen=True)
class _ByGender:
    lagging: tuple[str, ...] = ()  # the groups missing a target the total meets
    gap: Decimal | None = None
    reasons: tuple[str, ...] = ()
    preliminary: bool = False


def _judge_by_gender(rule, series, org, period, used, status) -> _ByGender:
    """K and M judged by the rule the total met or missed (the status stays the total's)."""
    women = _judge(rule, series, org, period, used, WOMEN)
    men = _judge(rule, series, org, period, used, MEN)
    k, m = series.get(org, used, WOMEN), series.get(org, used, MEN)
    gap = k.value - m.value if k is not None and m is not None else None
    lagging: tuple[str, ...] = ()
    if status == UPPFYLLT:
        lagging = tuple(
            group for group, part in ((WOMEN, women), (MEN, men)) if part.status == EJ_UPPFYLLT
        )
    reasons = [gender_flag_text(lagging) + "."] if lagging else []
    if gap is None:
        return _ByGender(lagging, None, tuple(reasons))
    reasons.append(_gap_text(gap, series.unit))
    return _ByGender(lagging, gap, tuple(reasons), women.preliminary or men.preliminary)


def _sentences(reasons: list[str], preliminary: bool) -> str:
    reason = " ".join(r if r.endswith(".") else r + "." for r in reasons)
    return _("Preliminärt: %(reason)s") % {"reason": reason} if preliminary else reason


def assess_indicator(
    rule: TargetRule, series: Series, organisation, period: Period | str
) -> IndicatorResult:
    """The proposal for one indicator of ``organisation`` (code or object) in ``period``.

    The value judged is the latest total whose period ends on or before ``period`` ends
    (``Series.latest``), never one of a later period; K and M are judged for that same
    period, and a change is measured against the same period one year earlier. When the
    value is of another period than ``period`` the reason says so. The status is the
    total's; K or M missing a target the total meets sets ``gender_flag``.
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
            _("Senaste värdet till och med %(period)s är från %(used)s.")
            % {"period": period_words(period), "used": period_words(used)},
        )
    gender = _ByGender()
    if series.by_gender and status != EJ_BEDOMBAR:
        gender = _judge_by_gender(rule, series, org, period, used, status)
        reasons.extend(gender.reasons)
        preliminary = preliminary or gender.preliminary
    if by_hand and used is not None:
        words = {"period": period_words(used)}
        reasons.append(
            _("Värdet för %(period)s är inmatat för hand och preliminärt.") % words
            if current is not None and current.preliminary
            else _("Värdet för %(period)s är inmatat för hand.") % words
        )
    return IndicatorResult(
        status,
        _sentences(reasons, preliminary),
        preliminary,
        bool(gender.lagging),
        gender.gap,
        str(used) if used is not None else "",
        needs_person=isinstance(rule, QualitativeRule | ReportOnlyRule),
        by_hand=by_hand,
        gender_lagging=gender.lagging,
    )


def _forecast_result(rule, series, org, period: Period, forecast: Value) -> IndicatorResult:
    """The indicator judged by the full-year forecast given for ``period`` (the total only:
    a forecast is not given per kön)."""
    judged = _judge_forecast(rule, series, org, period, forecast)
    reasons = [judged.reason]
    if judged.status != EJ_BEDOMBAR:
        words = {"period": period_words(period)}
        reasons.append(
            _("Bygger på en preliminär helårsprognos inmatad för hand, lämnad per %(period)s.")
            % words
            if forecast.preliminary
            else _("Bygger på en helårsprognos inmatad för hand, lämnad per %(period)s.") % words
        )
    return IndicatorResult(
        judged.status,
        _sentences(reasons, judged.preliminary),
        judged.preliminary,
        by_hand=judged.status != EJ_BEDOMBAR,
        forecast=judged.status != EJ_BEDOMBAR,
    )
