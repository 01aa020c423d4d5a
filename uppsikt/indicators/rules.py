"""Target rules (målregler) as data: what a plan's indicator sentence asks for.

A rule is a small frozen dataclass, stored as JSON (``to_data``/``rule_from_data``) on
``IndicatorTarget.rule`` and shown in plain Swedish with ``describe()``. Judging a rule
against measurements is in ``assessment.py``; recognising one in a sentence is
``propose_rule``.

Kinds:

- ``change``: increase / decrease / improve compared with the same period a year earlier;
  "improve" takes its direction from the definition's polarity.
- ``threshold``: a minimum and/or maximum value ("Minst 50 procent").
- ``reference``: higher / lower than a reference organisation (Riket, ``0000``).
- ``balance``: the value (an economic result) is at least zero ("resultat i balans").
- ``report_only``: "ska redovisas" asks for a figure, not a level: never judged.
- ``qualitative``: no automatic proposal; a person assesses it.
- ``target``: an explicit target value per period ("2023": 75) reached from the good side.
"""

import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Literal

from django.utils.translation import gettext as _

from .formatting import format_value

Direction = Literal["increase", "decrease", "improve"]


@dataclass(frozen=True)
class ChangeRule:
    direction: Direction = "increase"
    kind: str = field(default="change", init=False)

    def describe(self, unit: str = "") -> str:
        return {
            "increase": _("Ska öka jämfört med föregående år"),
            "decrease": _("Ska minska jämfört med föregående år"),
            "improve": _("Ska förbättras jämfört med föregående år"),
        }[self.direction]


@dataclass(frozen=True)
class ThresholdRule:
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    kind: str = field(default="threshold", init=False)

    def describe(self, unit: str = "") -> str:
        low = format_value(self.minimum, unit) if self.minimum is not None else None
        high = format_value(self.maximum, unit) if self.maximum is not None else None
        if low and high:
            return _("Mellan %(low)s och %(high)s") % {"low": low, "high": high}
        if low:
            return _("Minst %(value)s") % {"value": low}
        if high:
            return _("Högst %(value)s") % {"value": high}
        return _("Gränsvärde saknas")


@dataclass(frozen=True)
class ReferenceRule:
    reference: str = "0000"  # organisation code
    comparison: Literal["higher", "lower"] = "higher"
    kind: str = field(default="reference", init=False)

    def describe(self, unit: str = "") -> str:
        if self.reference == "0000":
            if self.comparison == "higher":
                return _("Högre än rikets nivå")
            return _("Lägre än rikets nivå")
        if self.comparison == "higher":
            return _("Högre än jämförelseorganisationen (%(code)s)") % {"code": self.reference}
        return _("Lägre än jämförelseorganisationen (%(code)s)") % {"code": self.reference}


@dataclass(frozen=True)
class BalanceRule:
    kind: str = field(default="balance", init=False)

    def describe(self, unit: str = "") -> str:
        return _("Resultat i balans (minst noll)")


@dataclass(frozen=True)
class ReportOnlyRule:
    kind: str = field(default="report_only", init=False)

    def describe(self, unit: str = "") -> str:
        return _("Ska redovisas, utan målvärde")


@dataclass(frozen=True)
class QualitativeRule:
    kind: str = field(default="qualitative", init=False)

    def describe(self, unit: str = "") -> str:
        return _("Bedöms kvalitativt, utan automatiskt förslag")


@dataclass(frozen=True)
class TargetValueRule:
    targets: tuple[tuple[str, Decimal], ...] = ()  # (period, target value), sorted
    comparison: Literal["at_least", "at_most"] = "at_least"
    kind: str = field(default="target", init=False)

    def target_for(self, period: str) -> Decimal | None:
        return dict(self.targets).get(period)

    def describe(self, unit: str = "") -> str:
        if not self.targets:
            return _("Målvärde saknas")
        word = _("minst") if self.comparison == "at_least" else _("högst")
        parts = [f"{period}: {word} {format_value(value, unit)}" for period, value in self.targets]
        return _("Målvärde %(targets)s") % {"targets": "; ".join(parts)}


TargetRule = (
    ChangeRule
    | ThresholdRule
    | ReferenceRule
    | BalanceRule
    | ReportOnlyRule
    | QualitativeRule
    | TargetValueRule
)

_KINDS = {
    "change": ChangeRule,
    "threshold": ThresholdRule,
    "reference": ReferenceRule,
    "balance": BalanceRule,
    "report_only": ReportOnlyRule,
    "qualitative": QualitativeRule,
    "target": TargetValueRule,
}
RULE_KINDS = tuple(_KINDS)


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def to_data(rule: TargetRule) -> dict:
    """The rule as JSON-ready data (decimals as strings, so no precision is lost)."""
    data = asdict(rule)
    for key in ("minimum", "maximum"):
        if key in data:
            data[key] = None if data[key] is None else str(data[key])
    if "targets" in data:
        data["targets"] = {period: str(value) for period, value in data["targets"]}
    return data


def rule_from_data(data: dict | None) -> TargetRule:
    """The rule stored as ``data``; an empty or unknown one reads as qualitative."""
    data = dict(data or {})
    cls = _KINDS.get(data.pop("kind", "qualitative"), QualitativeRule)
    if cls is ThresholdRule:
        return ThresholdRule(_decimal(data.get("minimum")), _decimal(data.get("maximum")))
    if cls is TargetValueRule:
        targets = tuple(sorted((str(p), Decimal(str(v))) for p, v in data["targets"].items()))
        return TargetValueRule(targets, data.get("comparison", "at_least"))
    if cls is ChangeRule:
        return ChangeRule(data.get("direction", "increase"))
    if cls is ReferenceRule:
        return ReferenceRule(data.get("reference", "0000"), data.get("comparison", "higher"))
    return cls()


# --- Recognising a rule in an indicator sentence -------------------------------------------

_COMPARED = r"(jämfört|jämförelse|förhållande|föregående|tidigare)"
_PATTERNS: list[tuple[re.Pattern[str], TargetRule]] = [
    (re.compile(r"(högre|bättre) än rikets"), ReferenceRule("0000", "higher")),
    (re.compile(r"(lägre|sämre) än rikets"), ReferenceRule("0000", "lower")),
    (re.compile(r"(resultat|ekonomi|budget) i balans"), BalanceRule()),
    (re.compile(r"\bminska(r|s)?\b"), ChangeRule("decrease")),
    (re.compile(rf"\bförbättra(s|d)?\b.*{_COMPARED}"), ChangeRule("improve")),
    (re.compile(rf"(\bök(a|ar|as)\b|^fler\b).*{_COMPARED}"), ChangeRule("increase")),
]
_AT_LEAST = re.compile(r"\bminst (\d+(?:,\d+)?) ?(procent|%)")
_AT_MOST = re.compile(r"\b(högst|max) (\d+(?:,\d+)?) ?(procent|%)")
_REPORT = re.compile(r"\bska redovisas\b")


def propose_rule(sentence: str) -> TargetRule | None:
    """The rule an indicator sentence of a plan states, or None when none is recognised.

    Judging phrases win over "ska redovisas": "Personalomsättningen ska redovisas. Den ska
    minska …" is a decrease rule.
    """
    text = " ".join(sentence.lower().split())
    if match := _AT_LEAST.search(text):
        return ThresholdRule(minimum=Decimal(match[1].replace(",", ".")))
    if match := _AT_MOST.search(text):
        return ThresholdRule(maximum=Decimal(match[2].replace(",", ".")))
    for pattern, rule in _PATTERNS:
        if pattern.search(text):
            return rule
    if _REPORT.search(text):
        return ReportOnlyRule()
    return None
