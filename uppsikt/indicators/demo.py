"""Example indicator data for the demo: definitions for the RS 2023 plan and generated series.

Every generated value is deterministic (``random.Random`` seeded from the definition key and
organisation code, no clock) and stored with ``source="exempeldata"``, so pages label it.
Definitions name their source kind, but source codes (e.g. Kolada ids) are left empty: they
are not in the seeds and are not invented here.
"""

import random
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils.text import slugify

from uppsikt.accounts.commandline import command_line_user
from uppsikt.audit.trail import record
from uppsikt.lib.typing import Actor
from uppsikt.organisations.models import Organisation
from uppsikt.organisations.registry import load_official_organisations
from uppsikt.plans.models import Goal, Indicator, Plan

from .actions import define_derived
from .assessment import EJ_BEDOMBAR
from .models import EXAMPLE_SOURCE, Assessment, IndicatorDefinition, IndicatorTarget, Measurement
from .proposals import propose_assessments, repropose
from .rules import QualitativeRule, ReportOnlyRule, ThresholdRule, propose_rule, to_data

DEMO_REASON = "uppsikt demo_indicators (exempeldata)"

YEARS = range(2019, 2024)
RIKET, HOME = "0000", "0018"


@dataclass(frozen=True)
class Spec:
    match: str  # a phrase of the indicator sentence, lower case
    key: str
    name: str
    unit: str
    polarity: str = "higher_better"
    source_kind: str = "manuell"
    by_gender: bool = False
    base: float = 60.0  # level in 2019 for Region Örebro län


SPECS = [
    Spec(
        "levnadsvaneformulär",
        "levnadsvaneformular",
        "Patienter screenade med levnadsvaneformulär",
        "antal",
        by_gender=True,
        base=21000,
    ),
    Spec(
        "hälsofrämjande behandlingsåtgärder",
        "halsofrämjande-behandlingsatgarder",
        "Patienter med hälsofrämjande behandlingsåtgärder",
        "antal",
        by_gender=True,
        base=8400,
    ),
    Spec(
        "tillgång till den hälso- och sjukvård",
        "tillgang-till-varden",
        "Andel som anser sig ha tillgång till den vård de behöver",
        "procent",
        source_kind="hsb",
        by_gender=True,
        base=76,
    ),
    Spec(
        "telefontillgängligheten",
        "telefontillganglighet-primarvard",
        "Telefontillgänglighet i primärvården",
        "procent",
        source_kind="kolada",
        base=82,
    ),
    Spec(
        "förstärkta vårdgarantin",
        "vardgaranti-primarvard",
        "Tillgänglighet enligt den förstärkta vårdgarantin i primärvården",
        "procent",
        source_kind="kolada",
        base=71,
    ),
    Spec(
        "socioekonomiska utsatta",
        "halsofrämjande-insatser-riskomraden",
        "Hälsofrämjande tandvårdsinsatser i socioekonomiskt utsatta områden",
        "antal",
        base=1200,
    ),
    Spec(
        "sjukdomsförebyggande åtgärder",
        "forebyggande-atgarder-tandvard",
        "Sjukdomsförebyggande åtgärder inom tandvården",
        "antal",
        base=52000,
    ),
    Spec(
        "färdigbehandlade vid ett besök",
        "fardigbehandlade-ett-besok",
        "Andel vuxna patienter färdigbehandlade vid ett besök",
        "procent",
        base=48.5,
    ),
    Spec(
        "bredband",
        "bredband-100",
        "Andel hushåll och företag med bredband om minst 100 Mbit/s",
        "procent",
        source_kind="kolada",
        base=78,
    ),
    Spec(
        "hållbart medarbetarengagemang",
        "hme",
        "Hållbart medarbetarengagemang (HME)",
        "index",
        source_kind="medarbetarenkat",
        by_gender=True,
        base=78,
    ),
    Spec("jämix", "jamix", "Jämställdhetsindex (Jämix)", "index", base=120),
    Spec(
        "frisktalet",
        "frisktal",
        "Frisktal",
        "procent",
        source_kind="ekonomisystem",
        by_gender=True,
        base=68,
    ),
    Spec(
        "attraktiv arbetsgivarindex",
        "avi",
        "Attraktiv arbetsgivarindex (AVI)",
        "index",
        by_gender=True,
        base=71,
    ),
    Spec(
        "personalomsättningen",
        "personalomsattning-externt",
        "Personalomsättning externt",
        "procent",
        polarity="lower_better",
        source_kind="ekonomisystem",
        base=7.5,
    ),
    Spec(
        "resultat i balans",
        "resultat-regionstyrelsen",
        "Regionstyrelsens resultat",
        "mnkr",
        source_kind="ekonomisystem",
        base=20,
    ),
]
COMPARABLE_UNITS = {"procent", "andel", "index", "dagar"}


def _spec_for(text: str) -> Spec | None:
    lowered = text.lower()
    return next((spec for spec in SPECS if spec.match in lowered), None)


def unmeasured_unit(text: str, rule) -> str:
    """The honest unit of an indicator the demo has no series for.

    A sentence that asks for a figure to be reported ("ska redovisas") names what it counts
    when it says "antal" or "andel"/"procent"; anything else, and every qualitative
    statement, has no unit ("ingen"), never an invented "index".
    """
    if isinstance(rule, ReportOnlyRule):
        lowered = text.lower()
        if re.search(r"\bantal", lowered):
            return IndicatorDefinition.Unit.ANTAL
        if re.search(r"\b(andel|procent)", lowered):
            return IndicatorDefinition.Unit.PROCENT
    return IndicatorDefinition.Unit.INGEN


def _definition(indicator: Indicator, rule) -> IndicatorDefinition:
    spec = _spec_for(indicator.text)
    if spec is None:  # a statement without a series: named after its sentence, never measured
        name = indicator.text if len(indicator.text) <= 120 else indicator.text[:117] + "…"
        key = f"rs-2023-{indicator.pk}-{slugify(indicator.text)[:40]}".strip("-")
        unit = unmeasured_unit(indicator.text, rule)
        defaults: dict[str, object] = {"name": name, "unit": unit, "polarity": "neutral"}
    else:
        key = spec.key
        defaults = {
            "name": spec.name,
            "unit": spec.unit,
            "polarity": spec.polarity,
            "source_kind": spec.source_kind,
            "by_gender": spec.by_gender,
        }
    defaults["description"] = "Exempeldefinition för demon. " + indicator.text
    definition, _created = IndicatorDefinition.objects.update_or_create(key=key, defaults=defaults)
    return definition


def _series(spec: Spec, code: str) -> list[tuple[int, Decimal]]:
    """Five yearly values: a smooth trend with small deviations, seeded per organisation.

    Each organisation has its own level (Riket close to the home region's) and its own
    yearly trend; a year deviates from the trend by at most ±1 %, so a series never jumps
    back and forth. A result in mnkr moves by at most ±12 mnkr a year.
    """
    rng = random.Random(f"{spec.key}:{code}")
    if spec.unit == "mnkr":
        level = rng.uniform(-10, 30)
        values = []
        for year in YEARS:
            level += rng.uniform(-12, 12)
            values.append((year, Decimal(str(round(level, 1)))))
        return values
    spread = (0.97, 1.03) if code == RIKET else (0.85, 1.12)
    level = spec.base * (1 if code == HOME else rng.uniform(*spread))
    trend = rng.uniform(-0.01, 0.025)
    places = 0 if spec.unit == "antal" else 1
    values = []
    for step, year in enumerate(YEARS):
        value = level * (1 + trend) ** step * (1 + rng.uniform(-0.01, 0.01))
        if spec.unit in ("procent", "andel"):
            value = min(value, 99.0)
        values.append((year, Decimal(str(round(value, places)))))
    return values


def gender_spread(spec: Spec, code: str, year: int) -> float:
    """Women's deviation from the total as a share of it: the same sign for every
    organisation and year of a definition (its gap never flips), a size of 1,5–6 % per
    organisation, varying by at most a fifth from year to year."""
    sign = 1 if random.Random(f"{spec.key}:kon").random() < 0.5 else -1
    size = random.Random(f"{spec.key}:{code}:kon").uniform(0.015, 0.06)
    return sign * size * random.Random(f"{spec.key}:{code}:{year}").uniform(0.8, 1.2)


def split_by_gender(unit: str, total: Decimal, spread: float) -> tuple[Decimal, Decimal]:
    """Example values for kvinnor and män that agree with the total ``total``.

    A count (antal) is divided: K + M = T, women's share ½ + ``spread``. Any other unit is a
    level (a share, an index): K and M lie ``spread`` on either side of T, so T lies between
    them, and a share stays within 0–100.
    """
    if unit == "antal":
        women = (total * Decimal(str(round(0.5 + spread, 3)))).quantize(Decimal(1))
        return women, total - women
    places = Decimal("0.1")
    delta = abs(total) * Decimal(str(round(spread, 3)))
    if unit in ("procent", "andel"):
        room = min(Decimal(100) - total, total)
        delta = max(-room, min(room, delta))
    delta = delta.quantize(places)
    return total + delta, total - delta


def _organisations(spec: Spec) -> list[Organisation]:
    if spec.unit in COMPARABLE_UNITS:
        return list(Organisation.objects.filter(kind__in=["riket", "region"]))
    return list(Organisation.objects.filter(code=HOME))


def _measure(spec: Spec, definition: IndicatorDefinition) -> int:
    rows = []
    for organisation in _organisations(spec):
        for year, value in _series(spec, organisation.code):
            # HSB publishes late: its newest year is preliminary in the demo.
            status = "preliminar" if spec.source_kind == "hsb" and year == YEARS[-1] else "slutlig"
            common = {
                "definition": definition,
                "organisation": organisation,
                "period": str(year),
                "status": status,
                "source": EXAMPLE_SOURCE,
            }
            rows.append(Measurement(gender="T", value=value, **common))
            if spec.by_gender:
                spread = gender_spread(spec, organisation.code, year)
                women, men = split_by_gender(spec.unit, value, spread)
                rows.append(Measurement(gender="K", value=women, **common))
                rows.append(Measurement(gender="M", value=men, **common))
    Measurement.stored.filter(definition=definition).delete()  # withdrawn ones too
    Measurement.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def load_demo_indicators(period: str = "2023", *, actor: Actor | None = None) -> dict[str, int]:
    """Definitions, rules, series and proposals for Regionstyrelsen's 2023 plan(s).

    Written to the audit trail as ``actor`` (the command line by default): each indicator's
    rule, each series made and the counts per plan."""
    actor = actor or command_line_user()
    plans = Plan.objects.filter(unit__organisation__code=HOME, unit__kind="styrelse", year=2023)
    # Riket and all 21 regions (official codes; the demo file's kept), for comparisons.
    load_official_organisations(kinds={Organisation.Kind.RIKET, Organisation.Kind.REGION})
    counts = {"definitions": 0, "targets": 0, "measurements": 0, "assessments": 0}
    measured: set[str] = set()
    indicators = Indicator.objects.filter(goal__plan__in=plans).select_related("goal")
    for indicator in indicators.order_by("goal__plan", "goal__position", "position"):
        rule = propose_rule(indicator.text) or QualitativeRule()
        definition = _definition(indicator, rule)
        counts["definitions"] += 1
        target, _created = IndicatorTarget.objects.update_or_create(
            indicator=indicator,
            # The demo confirms the rule it read, as an example (labelled on every page),
            # so that the proposals are computed from confirmed rules; a person can still
            # confirm it for real.
            defaults={
                "definition": definition,
                "rule": to_data(rule),
                "rule_is_proposed": False,
                "rule_confirmed_as_example": True,
            },
        )
        record(
            actor=actor,
            action="indicator.demo",
            obj=target,
            after={"definition": definition.key, "rule": to_data(rule)},
            reason=DEMO_REASON,
        )
        counts["targets"] += 1
        spec = _spec_for(indicator.text)
        if (
            spec
            and definition.key not in measured
            and not isinstance(rule, QualitativeRule | ReportOnlyRule)
        ):
            made = _measure(spec, definition)
            counts["measurements"] += made
            measured.add(definition.key)
            record(
                actor=actor,
                action="measurement.demo",
                obj=definition,
                after={"mätvärden": made, "källa": EXAMPLE_SOURCE},
                reason=DEMO_REASON,
                unit=indicator.goal.plan.unit,
            )
    counts |= {"manuella": manual_example(actor), "beräknade": derived_example(actor)}
    # Every goal of the region's 2023 plans (regionfullmäktige's effektmål are judged by
    # the indicators of the goals contributing to them).
    goals = Goal.objects.filter(plan__unit__organisation__code=HOME, plan__year=2023)
    proposed = propose_assessments(goals.select_related("plan__unit__organisation"), period)
    counts["assessments"] = sum(1 for assessment in proposed.values() if assessment)
    counts["exempelbedömningar"] = decide_examples(
        [a for a in proposed.values() if a is not None and a.proposed_status == EJ_BEDOMBAR]
    )
    for plan in plans:
        record(actor=actor, action="data.load", obj=plan, after=counts, reason=DEMO_REASON)
    return counts


# A derived indicator (``derived.py``) of two of the demo's example series, both counts of
# patients in the work on levnadsvanor: its values are computed from theirs, and so are
# example data too.
DERIVED_KEY = "exempel-behandlade-av-screenade"
DERIVED_INPUTS = ["halsofrämjande-behandlingsatgarder", "levnadsvaneformular"]


def derived_example(actor: Actor) -> int:
    """The demo's derived indicator (0 when the demo file lacks its inputs' sentences)."""
    if IndicatorDefinition.objects.filter(key__in=DERIVED_INPUTS).count() < 2:
        return 0
    definition, _created = IndicatorDefinition.objects.update_or_create(
        key=DERIVED_KEY,
        defaults={
            "name": "Patienter med hälsofrämjande behandlingsåtgärder i procent av screenade",
            "description": "Exempel på en beräknad indikator i demon, räknad ur exempeldata.",
            "unit": IndicatorDefinition.Unit.PROCENT,
            "by_gender": True,
        },
    )
    define_derived(
        definition, kind="kvot", inputs=DERIVED_INPUTS, factor=100, decimals=1, actor=actor
    )
    return 1


# Values by hand (``manual``): Regionkansliet's goal on digital competence says "Alla
# anställda inom regionkansliet ska få utbildning i de digitala verktyg de behöver …". The
# demo makes that sentence an indicator reported by hand, without any imported value, so a
# rapportör at Regionkansliet enters the 2023 value and a full-year forecast in the follow-up.
MANUAL_GOAL = "höja den digitala kompetensen inom regionkansliet"
MANUAL_KEY = "rk-digital-utbildning"


def manual_example(actor: Actor) -> int:
    """The manually reported example indicator (1, or 0 when the goal is not loaded)."""
    goal = next(
        (
            goal
            for goal in Goal.objects.filter(
                plan__unit__organisation__code=HOME,
                plan__unit__slug="regionkansliet",
                plan__year=2023,
            )
            if MANUAL_GOAL in goal.text.lower()
        ),
        None,
    )
    if goal is None:
        return 0
    sentence = next((s.strip() for s in goal.text.split(". ") if s.startswith("Alla")), goal.text)
    sentence = sentence if sentence.endswith(".") else sentence + "."
    indicator, _created = Indicator.objects.get_or_create(
        goal=goal,
        text=sentence,
        defaults={
            "note": "Exempel i demon: målets andra mening som indikator, rapporteras för hand.",
            "position": 0,
        },
    )
    definition, _created = IndicatorDefinition.objects.update_or_create(
        key=MANUAL_KEY,
        defaults={
            "name": "Andel anställda på regionkansliet med utbildning i sina digitala verktyg",
            "description": "Exempeldefinition för demon, rapporteras för hand i uppföljningen. "
            + sentence,
            "unit": IndicatorDefinition.Unit.PROCENT,
            "polarity": "higher_better",
            "source_kind": IndicatorDefinition.SourceKind.MANUELL,
            "by_gender": True,
        },
    )
    rule = to_data(ThresholdRule(minimum=Decimal(100)))
    target, _created = IndicatorTarget.objects.update_or_create(
        indicator=indicator,
        defaults={
            "definition": definition,
            "rule": rule,
            "rule_is_proposed": False,
            "rule_confirmed_as_example": True,
        },
    )
    record(
        actor=actor,
        action="indicator.demo",
        obj=target,
        after={"definition": definition.key, "rule": rule},
        reason=DEMO_REASON,
    )
    repropose([goal])  # the periods already assessed (a re-run after the follow-up demo)
    return 1


EXAMPLE_PREFIX = "Exempel: "
EXAMPLE_DECISIONS = {
    "uppfyllt": "En person har bedömt indikatorerna utifrån verksamhetens redovisning: arbetet "
    "är genomfört enligt plan och målet bedöms uppfyllt.",
    "delvis_uppfyllt": "En person har bedömt indikatorerna utifrån verksamhetens redovisning: "
    "en del av arbetet är genomfört, resten pågår. Målet bedöms delvis uppfyllt.",
}
# Decided after the year, when the verksamhetsberättelse is written (Stockholm time).
EXAMPLE_DECIDED_AT = datetime(2024, 2, 15, 10, 0, tzinfo=ZoneInfo("Europe/Stockholm"))


def decide_examples(assessments) -> int:
    """An example human assessment for goals Uppsikt cannot propose (all indicators need a
    person): status chosen from the goal's text (no clock, no randomness between runs),
    comment starting "Exempel: ", no person named. A decision someone made is kept."""
    chosen = []
    for assessment in assessments:
        if assessment.decided_status and not assessment.comment.startswith(EXAMPLE_PREFIX):
            continue
        rng = random.Random(f"bedomning:{assessment.goal.plan_id}:{assessment.goal.text}")
        status = rng.choices(list(EXAMPLE_DECISIONS), weights=[1, 2])[0]
        assessment.decided_status = status
        assessment.comment = EXAMPLE_PREFIX + EXAMPLE_DECISIONS[status]
        assessment.decided_by = None
        assessment.decided_at = EXAMPLE_DECIDED_AT
        chosen.append(assessment)
    Assessment.objects.bulk_update(
        chosen, ["decided_status", "comment", "decided_by", "decided_at"]
    )
    return len(chosen)
