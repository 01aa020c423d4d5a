"""An organisation's styrmodell: its goal levels, assessment scale, perspectives, the plan
content it uses and its follow-up calendar (docs/governance.md).

Reading is public, as the words are on every public page. Writing replaces the whole model
(``governance.actions.save_styrmodell``) and needs the administrator role over the whole
organisation: a model that is not valid on its own is refused with 422, each problem named
by its field and code (``steps.0.colour`` / ``contrast``) with 409 ``invalid_model``; one
that would leave goals or assessments with a key it lacks with 409 ``orphaned``, one problem
per key (``mapping.levels.effektmal``), until ``mapping`` says where each key's rows should
go. (What the schema can say it says, 422; the rest is 409, as everywhere in the API.)
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from ninja import Field, Router, Schema

from uppsikt.accounts.access import Perm, require_on_organisation
from uppsikt.administration.styrmodell import Problem, problems
from uppsikt.governance.actions import (
    LevelSpec,
    StepSpec,
    StyrmodellSpec,
    save_styrmodell,
    validate_spec,
)
from uppsikt.governance.models import Calendar, Outcome
from uppsikt.governance.words import CONTENT_KINDS, Styrmodell, styrmodell_for
from uppsikt.organisations.models import Organisation, Unit

from .auth import allowed, writer
from .errors import ApiError, explain_pattern
from .schemas import INPUT, READ, WRITE, Text, answers, choice

router = Router(tags=["Styrmodell"])

ContentKind = Literal[CONTENT_KINDS]
Proposal = Literal[("", *Outcome.values)]
Month = Annotated[int, Field(ge=1, le=12)]
KEY = explain_pattern(
    r"^[a-z][a-z0-9_]*$",
    _lazy("Använd gemena bokstäver a–z, siffror och understreck, och börja med en bokstav."),
)
COLOUR = explain_pattern(r"^#[0-9a-fA-F]{6}$", _lazy("Ange färgen som #rrggbb."))
MAPPING_CODES = {"orphaned", "unknown_target", "not_orphaned", "mapping_kind"}


class GoalLevel(Schema):
    model_config = INPUT
    key: str = Field(..., min_length=1, max_length=40, pattern=KEY, description="I målen.")
    name: str = Text(..., max_length=60, required=True)
    plural: str = Text("", max_length=60, description="Tom: samma som name.")
    unit_kinds: list[choice(Unit.Kind)] = Field(
        [], max_length=20, description="Enhetstyperna vars planer har mål på nivån; tom = alla."
    )


class AssessmentStep(Schema):
    model_config = INPUT
    key: str = Field(..., max_length=40, pattern=KEY, description="I bedömningarna.")
    label: str = Text(..., max_length=60, required=True)
    colour: str = Field(..., pattern=COLOUR, description="#rrggbb, minst 4,5:1 mot vitt.")
    symbol: str = Text(..., max_length=4, required=True, description="Olika för varje steg.")
    counts_as_met: bool = False
    proposal: Proposal = Field("", description="Regelutfallet som föreslår steget, eller tomt.")


class StepOut(AssessmentStep):
    text_colour: str = Field("", description="Svart eller vit: läsbar text på colour.")


class Perspective(Schema):
    model_config = INPUT
    name: str = Text(..., max_length=200, required=True)
    description: str = Text("", max_length=5000)


class StyrmodellOut(Schema):
    organisation: str
    is_default: bool = Field(description="Organisationen har ingen egen: standardmodellen.")
    name: str
    levels: list[GoalLevel]
    steps: list[StepOut]
    perspectives: list[Perspective]
    uses: list[str] = Field(description="Innehållstyper som planerna använder.")
    calendar: str
    period_months: list[int]


class Mapping(Schema):
    model_config = INPUT
    levels: dict[str, str] = Field({}, description="Gammal målnivånyckel → ny.")
    steps: dict[str, str] = Field({}, description="Gammal stegnyckel → ny (eller ej_bedombar).")


class StyrmodellIn(Schema):
    model_config = INPUT
    name: str = Text(..., max_length=200, required=True)
    levels: list[GoalLevel] = Field(..., max_length=20)
    steps: list[AssessmentStep] = Field(..., max_length=10)
    perspectives: list[Perspective] = Field([], max_length=30)
    uses: list[ContentKind] = Field(list(CONTENT_KINDS), max_length=5)
    calendar: choice(Calendar) = Calendar.MANAD.value
    period_months: list[Month] = Field([2, 3, 4, 5, 9, 10, 11], max_length=12)
    mapping: Mapping | None = Field(
        None, description="Vart mål och bedömningar med en nyckel som försvinner flyttas."
    )


def _out(organisation: Organisation, model: Styrmodell) -> dict[str, Any]:
    return {
        "organisation": organisation.code,
        "is_default": model.is_default,
        "name": model.name,
        "levels": [
            {"key": lv.key, "name": lv.name, "plural": lv.plural, "unit_kinds": list(lv.unit_kinds)}
            for lv in model.levels
        ],
        "steps": [
            {
                "key": s.key,
                "label": s.label,
                "colour": s.colour,
                "symbol": s.symbol,
                "counts_as_met": s.counts_as_met,
                "proposal": s.proposal,
                "text_colour": s.text_colour,
            }
            for s in model.steps
        ],
        "perspectives": [{"name": n, "description": d} for n, d in model.perspectives],
        "uses": [kind for kind in CONTENT_KINDS if kind in model.uses],
        "calendar": model.calendar,
        "period_months": list(model.period_months),
    }


def _spec(payload: StyrmodellIn) -> StyrmodellSpec:
    return StyrmodellSpec(
        name=payload.name,
        levels=[
            LevelSpec(lv.key, lv.name, lv.plural, list(lv.unit_kinds)) for lv in payload.levels
        ],
        steps=[
            StepSpec(s.key, s.label, s.colour, s.symbol, s.counts_as_met, s.proposal)
            for s in payload.steps
        ],
        perspectives=[(p.name, p.description) for p in payload.perspectives],
        uses=list(payload.uses),
        calendar=payload.calendar,
        period_months=list(payload.period_months),
    )


def _errors(found: list[Problem]) -> list[dict[str, str]]:
    return [{"field": p.field, "code": p.code, "message": p.message} for p in found]


def _may_change(user: Any, code: str) -> None:
    organisation = get_object_or_404(Organisation, code=code)
    require_on_organisation(user, Perm.ADMIN, organisation.pk)


@router.get(
    "/{code}/styrmodell",
    response=answers(200, StyrmodellOut, *READ),
    summary="En organisations styrmodell",
    description="Standardmodellen (is_default) för en organisation utan egen.",
)
def get_styrmodell(request, code: str):
    organisation = get_object_or_404(Organisation, code=code)
    return _out(organisation, styrmodell_for(organisation.pk))


@router.put(
    "/{code}/styrmodell",
    response=answers(200, StyrmodellOut, *WRITE),
    auth=allowed(_may_change),
    summary="Ersätt en organisations styrmodell",
    description=(
        "Hela styrmodellen. Kräver administratörsrollen över hela organisationen. "
        "409 invalid_model med ett fel per fält och kod när modellen inte håller (t.ex. "
        "contrast, duplicate_symbol, step_count); 409 orphaned när mål eller bedömningar har "
        "en nyckel som modellen saknar: ange då mapping, gammal nyckel → ny; 409 conflict "
        "med kind_in_use på uses när planerna har delar av en innehållstyp som modellen "
        "slutar använda. Ingenting ändras vid fel."
    ),
)
def put_styrmodell(request, payload: StyrmodellIn, code: str):
    organisation = get_object_or_404(Organisation, code=code)
    actor = writer(request)
    require_on_organisation(actor, Perm.ADMIN, organisation.pk)
    spec = _spec(payload)
    try:
        validate_spec(spec)
    except ValidationError as error:
        raise ApiError(
            409,
            "invalid_model",
            _("Styrmodellen håller inte. Ingenting ändrades."),
            _errors(problems(error)),
        ) from error
    moves = payload.mapping.dict() if payload.mapping else {}
    mapping = {kind: keys for kind, keys in moves.items() if keys} or None
    try:
        save_styrmodell(organisation, spec, actor=actor, mapping=mapping)
    except ValidationError as error:
        found = problems(error)
        if any(problem.code in MAPPING_CODES for problem in found):
            raise ApiError(
                409,
                "orphaned",
                _(
                    "Mål eller bedömningar har nycklar som den nya styrmodellen saknar. "
                    "Ange i mapping vart de ska flyttas. Ingenting ändrades."
                ),
                _errors(found),
            ) from error
        raise
    return _out(organisation, styrmodell_for(organisation.pk))
