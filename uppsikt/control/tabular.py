"""The internkontrollplan as rows, one per åtgärd: the layout controllers keep in Excel.

    Verksamhet | Risk | Krav | Sannolikhet | Konsekvens | Riskvärde | Beslut | Åtgärd |
    Regionövergripande | Ansvarig | Kontrollmoment | Frekvens | Rapporteras | Risknivå |
    Motivering | Anmärkning

Both the XLSX import (``xlsx.py``) and the demo data file (``datafile.py``) turn their input
into ``SourceRow``s; ``read_rows`` parses and checks every cell and groups the rows into
risks, naming each problem by where it is (line and column, or path) in Swedish. Nothing
here writes: ``importing.py`` checks the rows against the database and applies them.

A blank Verksamhet or Risk cell continues the row above (as merged cells read), and a
risk's own columns (Krav, Sannolikhet, Konsekvens, Beslut, Regionövergripande, Motivering,
Anmärkning)
may be repeated on every row of the risk or left blank after its first row.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from uppsikt.lib.problems import Problem
from uppsikt.periods.models import ReportingPeriod

from .models import Decision, Requirement
from .rules import decision_problem
from .scale import Level, Scale

# (field, header) in the sheet's order.
COLUMNS: list[tuple[str, str]] = [
    ("area", "Verksamhet"),
    ("risk", "Risk"),
    ("requirements", "Krav"),
    ("likelihood", "Sannolikhet"),
    ("consequence", "Konsekvens"),
    ("score", "Riskvärde"),
    ("decision", "Beslut"),
    ("measure", "Åtgärd"),
    ("region_wide", "Regionövergripande"),
    ("responsible", "Ansvarig"),
    ("control_method", "Kontrollmoment"),
    ("frequency", "Frekvens"),
    ("reported_in", "Rapporteras"),
    ("level", "Risknivå"),
    ("motivation", "Motivering"),
    ("note", "Anmärkning"),
]
HEADERS = dict(COLUMNS)
REQUIRED_COLUMNS = ("area", "risk", "measure")
RISK_FIELDS = (
    "requirements",
    "likelihood",
    "consequence",
    "decision",
    "region_wide",
    "motivation",
    "note",
)
MEASURE_FIELDS = ("responsible", "control_method", "frequency", "reported_in")
MAX_TEXT = 2000
YES, NO = "Ja", "Nej"


@dataclass
class SourceRow:
    """One row of input: raw values by field (absent fields are not in the source)."""

    values: dict[str, Any]
    locate: Callable[[str], str]
    line: int = 0

    def is_blank(self) -> bool:
        return all(_blank(value) for value in self.values.values())


@dataclass
class MeasureSpec:
    text: str
    where: str
    responsible: str = ""
    control_method: str = ""
    frequency: str = ""
    reported_in: list[str] = field(default_factory=list)


@dataclass
class RiskSpec:
    area: str
    text: str
    where: Callable[[str], str]
    requirements: list[str] = field(default_factory=list)
    likelihood: int | None = None
    consequence: int | None = None
    decision: str | None = None
    region_wide: bool = False
    motivation: str = ""
    note: str = ""
    measures: list[MeasureSpec] = field(default_factory=list)
    seen: dict[str, Any] = field(default_factory=dict)  # risk field → first value given

    @property
    def key(self) -> tuple[str, str]:
        return (self.area, self.text)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


class CellError(ValueError):
    pass


def parse_step(value: Any, labels: tuple[str, ...], what: str) -> int | None:
    """A scale step written as a number (``3``) or as its label (``Sannolik``)."""
    if _blank(value):
        return None
    steps = len(labels)
    number: Any = value
    if isinstance(value, str):
        text = value.strip()
        by_label = {label.lower(): i for i, label in enumerate(labels, 1)}
        if text.lower() in by_label:
            return by_label[text.lower()]
        number = text
    try:
        decimal = Decimal(str(number).replace(",", "."))
    except Exception as exc:
        raise CellError(
            _("”%(v)s” är inte ett steg på skalan för %(what)s (1–%(n)s eller benämningen).")
            % {"v": value, "what": what, "n": steps}
        ) from exc
    if isinstance(value, bool) or not decimal.is_finite() or decimal != decimal.to_integral_value():
        raise CellError(_("%(what)s ska vara ett heltal.") % {"what": what.capitalize()})
    step = int(decimal)
    if not 1 <= step <= steps:
        raise CellError(
            _("%(v)s ligger utanför skalan för %(what)s, 1–%(n)s.")
            % {"v": step, "what": what, "n": steps}
        )
    return step


def parse_int(value: Any) -> int | None:
    if _blank(value):
        return None
    try:
        decimal = Decimal(str(value).strip().replace(",", "."))
    except Exception as exc:
        raise CellError(_("”%(v)s” är inte ett heltal.") % {"v": value}) from exc
    if isinstance(value, bool) or not decimal.is_finite() or decimal != decimal.to_integral_value():
        raise CellError(_("”%(v)s” är inte ett heltal.") % {"v": value})
    return int(decimal)


def parse_requirements(value: Any) -> list[str]:
    if _blank(value):
        return []
    letters = []
    for part in re.split(r"[\s,;/]+|\boch\b", str(value).strip().lower()):
        part = part.strip().rstrip(")").strip()
        if not part:
            continue
        if part not in Requirement.values:
            raise CellError(
                _("Okänt krav ”%(v)s”: ange bokstäverna a–e, t.ex. ”c, d”.") % {"v": part}
            )
        if part not in letters:
            letters.append(part)
    return sorted(letters)


def format_requirements(letters: Iterable[str]) -> str:
    return ", ".join(letters)


_DECISIONS = {
    "accepterad": Decision.ACCEPTED.value,
    "accepteras": Decision.ACCEPTED.value,
    "ej accepterad": Decision.NOT_ACCEPTED.value,
    "ej_accepterad": Decision.NOT_ACCEPTED.value,
    "inte accepterad": Decision.NOT_ACCEPTED.value,
    "accepteras ej": Decision.NOT_ACCEPTED.value,
    "accepteras inte": Decision.NOT_ACCEPTED.value,
}


def parse_decision(value: Any) -> str | None:
    if _blank(value):
        return None
    decision = _DECISIONS.get(" ".join(str(value).lower().split()))
    if decision is None:
        raise CellError(
            _("”%(v)s”: skriv Accepterad, Ej accepterad eller lämna tomt.") % {"v": value}
        )
    return decision


def format_decision(decision: str | None) -> str:
    return str(Decision(decision).label) if decision else ""


def parse_yes_no(value: Any) -> bool | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"ja", "x", "j"}:
        return True
    if text in {"nej", "n"}:
        return False
    raise CellError(_("”%(v)s”: skriv Ja eller Nej.") % {"v": value})


def _period_kinds() -> dict[str, str]:
    kinds = {str(label).lower(): value for value, label in ReportingPeriod.Kind.choices}
    kinds.update({value: value for value in ReportingPeriod.Kind.values})
    return kinds


def parse_reported_in(value: Any) -> list[str]:
    if _blank(value):
        return []
    kinds = _period_kinds()
    out = []
    for part in re.split(r"\s*[,;]\s*|\s+och\s+|\s*\+\s*", str(value).strip()):
        if not part:
            continue
        kind = kinds.get(part.strip().lower())
        if kind is None:
            known = ", ".join(str(label).lower() for label in ReportingPeriod.Kind.labels)
            raise CellError(
                _("Okänt uppföljningstillfälle ”%(v)s” (%(known)s).") % {"v": part, "known": known}
            )
        if kind not in out:
            out.append(kind)
    order = list(ReportingPeriod.Kind.values)
    return sorted(out, key=order.index)


def format_reported_in(kinds: Iterable[str]) -> str:
    labels = dict(ReportingPeriod.Kind.choices)
    texts = [str(labels[kind]) for kind in kinds if kind in labels]
    return ", ".join(texts[:1] + [text.lower() for text in texts[1:]])


def parse_level(value: Any) -> str | None:
    if _blank(value):
        return None
    by_label = {str(label).lower(): level for level, label in Level.choices}
    level = by_label.get(str(value).strip().lower())
    if level is None:
        raise CellError(_("”%(v)s”: skriv Låg, Medel eller Hög.") % {"v": value})
    return level


def read_rows(rows: Iterable[SourceRow], scale: Scale) -> tuple[list[RiskSpec], list[Problem]]:
    """Parse every cell and group the rows into risks; every problem is collected."""
    problems: list[Problem] = []
    risks: dict[tuple[str, str], RiskSpec] = {}
    previous: RiskSpec | None = None
    for row in rows:
        if row.is_blank():
            continue
        fail = _failer(problems, row)
        values = {name: row.values.get(name) for name in row.values}
        area = _text(values.get("area"))
        text = _text(values.get("risk"))
        for name, value in (("area", area), ("risk", text)):
            if len(value) > MAX_TEXT:
                fail(name, _("Texten är längre än %(n)s tecken.") % {"n": MAX_TEXT})
        if not area:
            if previous is None:
                fail("area", _("Verksamhet saknas."))
                continue
            area = previous.area
        continued = not text
        if not text:
            if previous is None or area != previous.area:
                fail("risk", _("Risk saknas."))
                continue
            text = previous.text
        risk = risks.get((area, text))
        if risk is None:
            risk = RiskSpec(area=area, text=text, where=row.locate)
            risks[(area, text)] = risk
        previous = risk
        _read_risk_fields(risk, row, values, scale, fail, continued=continued)
        _read_measure(risk, row, values, fail)
    for risk in risks.values():
        _check_risk(risk, scale, problems)
    return list(risks.values()), problems


def _failer(problems: list[Problem], row: SourceRow):
    def fail(name: str, message: str) -> None:
        problems.append(Problem(row.locate(name), message))

    return fail


def _parse(name: str, value: Any, scale: Scale) -> Any:
    if name == "requirements":
        return parse_requirements(value)
    if name == "likelihood":
        return parse_step(value, scale.likelihood_labels, _("sannolikhet"))
    if name == "consequence":
        return parse_step(value, scale.consequence_labels, _("konsekvens"))
    if name == "decision":
        return parse_decision(value)
    if name == "region_wide":
        return parse_yes_no(value)
    if name in ("motivation", "note"):
        return _text(value)
    raise KeyError(name)


def _read_risk_fields(
    risk: RiskSpec, row: SourceRow, values: dict, scale: Scale, fail, *, continued: bool = False
) -> None:
    """``continued``: the row's Risk cell is blank, so it belongs to the risk above."""
    for name in RISK_FIELDS:
        if name not in values or _blank(values[name]):
            continue
        try:
            value = _parse(name, values[name], scale)
        except CellError as error:
            fail(name, str(error))
            risk.seen.setdefault(name, _INVALID)
            continue
        if name not in risk.seen:
            risk.seen[name] = value
            if name == "region_wide":
                risk.region_wide = bool(value)
            else:
                setattr(risk, name, value)
        elif risk.seen[name] is not _INVALID and risk.seen[name] != value:
            if continued:
                message = _(
                    "Cellen Risk är tom, så raden räknas till risken ovan (”%(risk)s”), som har "
                    "ett annat värde i kolumnen %(col)s (%(where)s). Skriv riskens text i cellen "
                    "Risk om raden är en ny risk."
                ) % {"risk": risk.text, "col": HEADERS[name], "where": risk.where(name)}
            else:
                message = _(
                    "Risken har redan ett annat värde i kolumnen %(col)s (%(where)s); "
                    "ange samma värde eller lämna cellen tom."
                ) % {"col": HEADERS[name], "where": risk.where(name)}
            fail(name, message)
    for name, check in (("score", parse_int), ("level", parse_level)):
        if name in values and not _blank(values[name]):
            try:
                risk.seen.setdefault(f"given_{name}", []).append((check(values[name]), row))
            except CellError as error:
                fail(name, str(error))


_INVALID = object()


def _read_measure(risk: RiskSpec, row: SourceRow, values: dict, fail) -> None:
    text = _text(values.get("measure"))
    details = {name: values.get(name) for name in MEASURE_FIELDS if not _blank(values.get(name))}
    if not text:
        if details:
            fail(
                "measure",
                _(
                    "Åtgärd saknas, men raden har ansvarig, kontrollmoment, frekvens eller rapportering."
                ),
            )
        return
    if len(text) > MAX_TEXT:
        fail("measure", _("Texten är längre än %(n)s tecken.") % {"n": MAX_TEXT})
    if any(m.text == text for m in risk.measures):
        fail("measure", _("Åtgärden står redan under samma risk."))
        return
    measure = MeasureSpec(text=text, where=row.locate("measure"))
    for name in ("responsible", "frequency", "control_method"):
        value = _text(values.get(name))
        if len(value) > (
            200 if name == "responsible" else 100 if name == "frequency" else MAX_TEXT
        ):
            fail(name, _("Texten är för lång."))
        setattr(measure, name, value)
    try:
        measure.reported_in = parse_reported_in(values.get("reported_in"))
    except CellError as error:
        fail("reported_in", str(error))
    risk.measures.append(measure)


def _check_risk(risk: RiskSpec, scale: Scale, problems: list[Problem]) -> None:
    if any(value is _INVALID for value in risk.seen.values()):
        return
    if (risk.likelihood is None) != (risk.consequence is None):
        missing = "consequence" if risk.consequence is None else "likelihood"
        problems.append(
            Problem(
                risk.where(missing), _("Ange både sannolikhet och konsekvens, eller ingen av dem.")
            )
        )
        return
    if risk.likelihood is None or risk.consequence is None:
        score = None
    else:
        score = risk.likelihood * risk.consequence
    for given, row in risk.seen.get("given_score", []):
        if given != score:
            expected = "–" if score is None else str(score)
            problems.append(
                Problem(
                    row.locate("score"),
                    _("Riskvärdet %(given)s stämmer inte med sannolikhet × konsekvens (%(score)s).")
                    % {"given": given, "score": expected},
                )
            )
    level = scale.level(score)
    for given, row in risk.seen.get("given_level", []):
        if given != (level.value if level else None):
            problems.append(
                Problem(
                    row.locate("level"),
                    _("Risknivån ”%(given)s” stämmer inte med riskvärdet (%(level)s).")
                    % {
                        "given": Level(given).label,
                        "level": level.label if level else _("ej bedömd"),
                    },
                )
            )
    problem = decision_problem(risk.decision, score, len(risk.measures))
    if problem:
        problems.append(Problem(risk.where("decision"), problem))


def risk_row_values(
    *,
    area: str,
    risk: str,
    requirements: list[str],
    likelihood: int | None,
    consequence: int | None,
    decision: str | None,
    region_wide: bool,
    motivation: str,
    note: str,
    measure: MeasureSpec | None,
    scale: Scale,
) -> dict[str, Any]:
    """One row of the export, by field: values as a controller would type them."""
    score = None if likelihood is None or consequence is None else likelihood * consequence
    level = scale.level(score)
    return {
        "area": area,
        "risk": risk,
        "requirements": format_requirements(requirements),
        "likelihood": likelihood,
        "consequence": consequence,
        "score": score,
        "decision": format_decision(decision),
        "measure": measure.text if measure else "",
        "region_wide": YES if region_wide else NO,
        "responsible": measure.responsible if measure else "",
        "control_method": measure.control_method if measure else "",
        "frequency": measure.frequency if measure else "",
        "reported_in": format_reported_in(measure.reported_in) if measure else "",
        "level": str(level.label) if level else "",
        "motivation": motivation,
        "note": note,
    }
