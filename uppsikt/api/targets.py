"""The target of a plan's indicator: what it is measured with (a definition from the indicator
library, or a new one) and the target rule that judges it, with target values per year.
Read, set and removed through ``indicators.authoring``, as on the indicator's target page.

``/plans/{plan_id}/parts/indicator/{part_id}/target`` sits under the indicator it belongs
to. Its version is the indicator's (``ETag: "indicator-345-7"``, the same as
``GET …/parts/indicator/{part_id}`` answers): setting or removing the target moves it on.

The rule is typed data, one schema per kind (``kind`` tells which), the same shape in the
answer as in the body: what fits the schema is refused only for what the schema cannot know
(404 an unknown definition or reference organisation, 409 a decided plan or a value that
does not fit the definition's unit, each naming its field with a code).
"""

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from pydantic import PlainValidator, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from uppsikt.accounts.access import Perm, require
from uppsikt.indicators import authoring, rules
from uppsikt.indicators.models import IndicatorDefinition, IndicatorTarget, Polarity
from uppsikt.lib.concurrency import EditConflict
from uppsikt.organisations.models import Organisation
from uppsikt.plans.models import Indicator, Plan
from uppsikt.plans.rules import PlanIsDecided, ensure_editable

from .auth import allowed, caller, writer
from .definitions import KEY
from .errors import tagged_union, unknown
from .indicators import DefinitionRef
from .measurements import PERIOD
from .preconditions import IfMatch, expected_version, set_etag, tagged
from .schemas import INPUT, READ, WRITE, Id, OrganisationCode, PathId, Text, answers, choice

router = Router(tags=["Planens innehåll"])
PATH = "/{plan_id}/parts/indicator/{part_id}/target"

# -- values: exact decimals ---------------------------------------------------------------------

WHOLE, PLACES = 12, 4
_VALUE = rf"^-?[0-9]{{1,{WHOLE}}}(\.[0-9]{{1,{PLACES}}})?$"
_LIMIT = Decimal(10) ** WHOLE - Decimal(1).scaleb(-PLACES)


def _value(value: object) -> Decimal:
    """Text as written ("60", "74.10"); a JSON number at its shortest decimal form (74.1),
    rounded to four decimals only when it has more."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, str) and re.fullmatch(_VALUE, value):
        return Decimal(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = Decimal(value) if isinstance(value, int) else Decimal(repr(value))
        if number.is_finite() and abs(number) <= _LIMIT:
            exponent = number.as_tuple().exponent
            if isinstance(exponent, int) and exponent < -PLACES:
                number = number.quantize(Decimal(1).scaleb(-PLACES), rounding=ROUND_HALF_UP)
            return number
    raise PydanticCustomError(
        "decimal_text", 'Expected a decimal as text, e.g. "74.1", or a number.'
    )


Value = Annotated[
    Decimal,
    PlainValidator(_value),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": _VALUE},
                {"type": "number", "minimum": float(-_LIMIT), "maximum": float(_LIMIT)},
            ],
            "description": 'Gärna som text, "74.1": högst tolv siffror före punkten och fyra '
            "efter. Ett JSON-tal avrundas till fyra decimaler.",
        }
    ),
]
Period = Annotated[str, Field(pattern=PERIOD)]


# -- the rule, kind by kind ---------------------------------------------------------------------


class ChangeRuleIn(Schema):
    """Ska öka, minska eller förbättras jämfört med samma period året före."""

    model_config = INPUT
    kind: Literal["change"]
    direction: Literal["increase", "decrease", "improve"] = Field(
        "increase", description="improve: i indikatorns riktning (definitionens polarity)."
    )


class ThresholdRuleIn(Schema):
    """Ett gränsvärde: minst och/eller högst (”Minst 60 procent”)."""

    model_config = INPUT
    kind: Literal["threshold"]
    minimum: Value | None = None
    maximum: Value | None = None


class ReferenceRuleIn(Schema):
    """Högre eller lägre än en annan organisation, t.ex. riket (0000)."""

    model_config = INPUT
    kind: Literal["reference"]
    reference: str = OrganisationCode("0000", description="Organisationens kod; 0000: riket.")
    comparison: Literal["higher", "lower"] = "higher"


class BalanceRuleIn(Schema):
    """Resultat i balans: minst noll."""

    model_config = INPUT
    kind: Literal["balance"]


class ReportOnlyRuleIn(Schema):
    """Ska redovisas, utan målvärde: bedöms inte."""

    model_config = INPUT
    kind: Literal["report_only"]


class QualitativeRuleIn(Schema):
    """Bedöms av en person, utan automatiskt förslag."""

    model_config = INPUT
    kind: Literal["qualitative"]


class TargetValueRuleIn(Schema):
    """Målvärden per period, som ska nås från rätt håll (minst eller högst)."""

    model_config = INPUT
    kind: Literal["target"]
    targets: dict[Period, Value] = Field(
        ...,
        min_length=1,
        max_length=50,
        description='Period → målvärde, t.ex. {"2024": "55", "2025": "60"}: år (2024), '
        "tertial (2024T2) eller månad (2024-07).",
        json_schema_extra={"additionalProperties": False},
    )
    comparison: Literal["at_least", "at_most"] = "at_least"


tagged_union("rule")  # errors name rule.minimum, not pydantic's rule.threshold.minimum
RuleIn = Annotated[
    ChangeRuleIn
    | ThresholdRuleIn
    | ReferenceRuleIn
    | BalanceRuleIn
    | ReportOnlyRuleIn
    | QualitativeRuleIn
    | TargetValueRuleIn,
    Field(discriminator="kind"),
]


def _rule(data: Schema) -> rules.TargetRule:
    if isinstance(data, TargetValueRuleIn):
        return rules.TargetValueRule(tuple(sorted(data.targets.items())), data.comparison)
    if isinstance(data, ThresholdRuleIn):
        return rules.ThresholdRule(data.minimum, data.maximum)
    if isinstance(data, ChangeRuleIn):
        return rules.ChangeRule(data.direction)
    if isinstance(data, ReferenceRuleIn):
        return rules.ReferenceRule(data.reference, data.comparison)
    return rules.rule_from_data({"kind": data.kind})  # type: ignore[attr-defined]


# The same rules in an answer: decimals as the text stored.


class ChangeRuleOut(Schema):
    kind: Literal["change"]
    direction: Literal["increase", "decrease", "improve"]


class ThresholdRuleOut(Schema):
    kind: Literal["threshold"]
    minimum: str | None
    maximum: str | None


class ReferenceRuleOut(Schema):
    kind: Literal["reference"]
    reference: str
    comparison: Literal["higher", "lower"]


class BalanceRuleOut(Schema):
    kind: Literal["balance"]


class ReportOnlyRuleOut(Schema):
    kind: Literal["report_only"]


class QualitativeRuleOut(Schema):
    kind: Literal["qualitative"]


class TargetValueRuleOut(Schema):
    kind: Literal["target"]
    targets: dict[str, str] = Field(description="Period → målvärde.")
    comparison: Literal["at_least", "at_most"]


RuleOut = Annotated[
    ChangeRuleOut
    | ThresholdRuleOut
    | ReferenceRuleOut
    | BalanceRuleOut
    | ReportOnlyRuleOut
    | QualitativeRuleOut
    | TargetValueRuleOut,
    Field(discriminator="kind"),
]


# -- the body and the answer --------------------------------------------------------------------


class NewDefinitionIn(Schema):
    """En ny definition i indikatorbiblioteket, skapad med målregeln."""

    model_config = INPUT
    name: str = Text(..., max_length=300, required=True, description="Vad indikatorn mäter.")
    unit: choice(IndicatorDefinition.Unit)
    polarity: choice(Polarity) = Polarity.HIGHER_BETTER.value
    description: str = Text("", max_length=100000)
    source_kind: choice(IndicatorDefinition.SourceKind) = "manuell"
    source_code: str = Text("", max_length=50, description="T.ex. Koladas KPI-id N79179.")
    by_gender: bool = False
    key: str | None = Field(
        None,
        max_length=80,
        pattern=KEY,
        description="Önskad nyckel (bokstäver a–z, siffror, - och _); är den tagen får den "
        "-2, -3 …. null: gjord av namnet.",
    )


class TargetIn(Schema):
    """Indikatorns definition och målregel. Ange antingen definition (en definition ur
    indikatorbiblioteket) eller new_definition (en ny), och regeln."""

    model_config = {
        **INPUT,
        "json_schema_extra": {
            "anyOf": [
                {
                    "required": ["definition"],
                    "properties": {
                        "definition": {"type": "integer"},
                        "new_definition": {"type": "null"},
                    },
                },
                {
                    "required": ["new_definition"],
                    "properties": {
                        "definition": {"type": "null"},
                        "new_definition": {"type": "object"},
                    },
                },
            ]
        },
    }
    definition: Id | None = Field(None, description="Id för en definition ur biblioteket.")
    new_definition: NewDefinitionIn | None = None
    rule: RuleIn = Field(..., description="Målregeln; kind anger vilken sort.")

    @model_validator(mode="after")
    def _one_definition(self):
        if (self.definition is None) == (self.new_definition is None):
            raise ValueError(
                _("Ange antingen definition (en definition ur biblioteket) eller new_definition.")
            )
        return self


class IndicatorTargetOut(Schema):
    indicator_id: int
    goal_id: int
    plan_id: int
    definition: DefinitionRef | None = Field(description="null: ingen definition vald ännu.")
    rule: RuleOut | None = Field(description="Målregeln, i samma form som i PUT.")
    rule_text: str | None = Field(description="Målregeln i klartext.")
    rule_is_proposed: bool | None = Field(
        description="Regeln är tolkad automatiskt ur indikatorns text och inte granskad."
    )


def _answer(indicator: Indicator) -> dict[str, Any]:
    target = IndicatorTarget.objects.select_related("definition").filter(indicator=indicator)
    found = target.first()
    return {
        "indicator_id": indicator.pk,
        "goal_id": indicator.goal_id,
        "plan_id": indicator.goal.plan_id,
        "definition": found.definition if found else None,
        "rule": rules.to_data(found.target_rule) if found else None,
        "rule_text": found.describe_rule() if found else None,
        "rule_is_proposed": found.rule_is_proposed if found else None,
    }


# -- the endpoints ------------------------------------------------------------------------------


def _indicator(user, plan_id: int, part_id: int) -> Indicator:
    visible = Indicator.objects.filter(goal__plan__in=Plan.objects.visible_to(user))
    return get_object_or_404(
        visible.select_related("goal__plan"), goal__plan_id=plan_id, pk=part_id
    )


def _may_set(user, plan_id: int, part_id: int) -> None:
    plan = _indicator(user, plan_id, part_id).goal.plan
    require(user, Perm.PLAN, plan)
    ensure_editable(plan)


def _definition(payload: TargetIn) -> dict[str, Any]:
    """The action's ``definition`` (404 naming the field when there is none) or
    ``new_definition``."""
    if payload.new_definition is not None:
        return {"new_definition": payload.new_definition.model_dump(exclude_none=True)}
    assert payload.definition is not None  # one of the two (the schema)
    definition = IndicatorDefinition.objects.filter(pk=payload.definition).first()
    if definition is None:
        raise unknown("definition", _("Okänd indikatordefinition."))
    return {"definition": definition}


def _organisation_exists(code: str) -> bool:
    return Organisation.objects.filter(code=code).exists()


# The action's fields, as the body names them.
RULE_FIELDS = ("kind", "minimum", "maximum", "targets", "reference")


def _body_field(name: str) -> str:
    if name in RULE_FIELDS:
        return f"rule.{name}"
    if name in authoring.NEW_DEFINITION_FIELDS:
        return f"new_definition.{name}"
    return name


def _in_body_terms(error: ValidationError) -> ValidationError:
    """The action's refusal with each field named as in the body (``rule.minimum``)."""
    if isinstance(error, EditConflict | PlanIsDecided) or not hasattr(error, "error_dict"):
        return error
    return ValidationError({_body_field(name): found for name, found in error.error_dict.items()})


@router.get(
    PATH,
    response=answers(200, IndicatorTargetOut, *READ),
    summary="En indikators definition och målregel",
    description="definition och rule är null när indikatorn inte har fått någon ännu. "
    "Svaret har indikatorns ETag, som If-Match tar när målregeln sätts eller tas bort.",
)
@tagged
def get_indicator_part_target(
    request, response: HttpResponse, plan_id: int = PathId(), part_id: int = PathId()
):
    indicator = _indicator(caller(request), plan_id, part_id)
    set_etag(response, "indicator", indicator)
    return _answer(indicator)


@router.put(
    PATH,
    auth=allowed(_may_set),
    response=answers(200, IndicatorTargetOut, *WRITE, 412),
    summary="Sätt en indikators definition och målregel",
    description="Ersätter definitionen och regeln. Bara i ett utkast (en beslutad plan: 409 "
    "plan_decided). En okänd definition eller jämförelseorganisation: 404. Ett värde som "
    "inte passar definitionens enhet, eller ett gränsvärde utan minst och högst: 409 som "
    "namnger fältet (rule.minimum, rule.targets …). Med If-Match bara om indikatorn inte "
    "har ändrats sedan den lästes (annars 412).",
)
@tagged
def put_indicator_part_target(
    request,
    response: HttpResponse,
    payload: TargetIn,
    plan_id: int = PathId(),
    part_id: int = PathId(),
    if_match: str | None = IfMatch(),
):
    user = writer(request)
    indicator = _indicator(user, plan_id, part_id)
    rule = _rule(payload.rule)
    if isinstance(rule, rules.ReferenceRule) and not _organisation_exists(rule.reference):
        raise unknown("rule.reference", _("Okänd organisation."))
    expected = expected_version(request, "indicator", indicator.pk, indicator.row_version)
    try:
        authoring.set_indicator_target(
            indicator, actor=user, rule=rule, expected_version=expected, **_definition(payload)
        )
    except ValidationError as error:
        raise _in_body_terms(error) from error
    indicator.refresh_from_db()
    set_etag(response, "indicator", indicator)
    return _answer(indicator)


@router.delete(
    PATH,
    auth=allowed(_may_set),
    response=answers(200, IndicatorTargetOut, *WRITE, 412),
    summary="Ta bort en indikators definition och målregel",
    description="Definitionen och dess mätvärden finns kvar i biblioteket. Svaret är "
    "indikatorn utan målregel, med dess nya ETag. Med If-Match bara om indikatorn inte har "
    "ändrats sedan den lästes (annars 412).",
)
@tagged
def remove_indicator_part_target(
    request,
    response: HttpResponse,
    plan_id: int = PathId(),
    part_id: int = PathId(),
    if_match: str | None = IfMatch(),
):
    user = writer(request)
    indicator = _indicator(user, plan_id, part_id)
    expected = expected_version(request, "indicator", indicator.pk, indicator.row_version)
    authoring.remove_indicator_target(indicator, actor=user, expected_version=expected)
    indicator.refresh_from_db()
    set_etag(response, "indicator", indicator)
    return _answer(indicator)
