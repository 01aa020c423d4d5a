"""Goals (at the levels of the organisation's styrmodell: effektmål, mål, nämndmål …) with their indicator sentences; changed through
``plans.actions.update_goal`` and validated by the same form rules as the web page.

A goal is read with an ``ETag`` and changed with ``If-Match`` (``preconditions``); its
version moves with its words and with its indicator list."""

from typing import Literal

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema

from uppsikt.accounts.access import Perm, require
from uppsikt.plans.actions.content import IndicatorChange, update_goal
from uppsikt.plans.forms import GoalForm, IndicatorForm
from uppsikt.plans.levels import LEVEL_CODES
from uppsikt.plans.models import Goal, Indicator, Plan
from uppsikt.plans.queries import current_versions
from uppsikt.plans.rules import ensure_editable

from .auth import allowed, caller, writer
from .errors import ApiError, explain_pattern
from .pagination import PageParams, filtered, page_of, paginate
from .preconditions import IfMatch, expected_version, set_etag, tagged
from .schemas import (
    INPUT,
    NO_NUL,
    READ,
    THREE_CHARS,
    WRITE,
    Id,
    OrganisationCode,
    PathId,
    Text,
    answers,
)

router = Router(tags=["Mål"])
GOAL_NUMBER = explain_pattern(
    r"^([0-9]+(\.[0-9]+)*)?$",
    gettext_lazy("Numret får bara innehålla siffror och punkter, t.ex. 1 eller 3.2."),
)
MAX_INDICATORS = 50


class IndicatorRef(Schema):
    id: int
    text: str


class GoalOut(Schema):
    id: int
    plan_id: int
    kind: str
    kind_label: str
    number: str
    label: str
    text: str
    description: str
    note: str
    perspective: str | None
    position: int
    contributes_to: list[int]
    indicators: list[IndicatorRef]
    url: str

    @staticmethod
    def resolve_perspective(obj: Goal) -> str | None:
        return obj.perspective.name if obj.perspective else None

    @staticmethod
    def resolve_contributes_to(obj: Goal) -> list[int]:
        return [other.pk for other in obj.contributes_to.all()]

    @staticmethod
    def resolve_indicators(obj: Goal) -> list[Indicator]:
        return list(obj.indicators.all())

    @staticmethod
    def resolve_url(obj: Goal) -> str:
        return obj.get_absolute_url()


class GoalFilters(Schema):
    plan: Id | None = Field(None, description="Planens id.")
    unit: Id | None = Field(None, description="Enhetens id.")
    year: int | None = Field(None, ge=1900, le=2200)
    organisation: str | None = OrganisationCode(None)
    versions: Literal["current", "all"] = Field(
        "current",
        description="current (standard): bara den gällande versionen av varje plan, eller "
        "före beslut utkastet; inte ersatta versioner och inte revideringar som skrivs. "
        "all: alla versioner. Med plan= gäller den planen, vilken version det än är.",
    )


class IndicatorRow(Schema):
    model_config = INPUT
    id: Id | None = Field(None, description="En befintlig indikator; utelämna för en ny.")
    text: str = Text(..., max_length=5000, required=True)


class GoalPatch(Schema):
    # The docstring is the schema's published description, so it is in Swedish.
    """Bara de fält som anges ändras. Anges indicators är det hela den nya listan: rader med id
    behåller den indikatorn (och det som hänger på den), rader utan id är nya, och
    indikatorer som inte finns med tas bort."""

    model_config = INPUT
    kind: str | None = Field(
        None,
        max_length=40,
        description="Målnivåns nyckel i organisationens styrmodell, en av nivåerna för "
        "enhetens typ (unknown_level, wrong_level annars); null: oförändrad.",
    )
    number: str | None = Field(
        None,
        max_length=20,
        pattern=GOAL_NUMBER,
        description="Siffror och punkter, t.ex. 1 eller 3.2; tomt eller null: inget nummer.",
    )
    text: str | None = Field(
        None,
        max_length=10000,
        pattern=explain_pattern(THREE_CHARS, gettext_lazy("Skriv målet med minst tre tecken.")),
        description="Minst tre tecken; null: oförändrad.",
    )
    description: str | None = Field(None, max_length=100000, pattern=NO_NUL)
    indicators: list[IndicatorRow] | None = Field(None, max_length=MAX_INDICATORS)


GoalPage = page_of(GoalOut, "GoalPage")


def visible_goals(user):
    return (
        Goal.objects.filter(plan__in=Plan.objects.visible_to(user))
        .select_related("plan__unit", "perspective")
        .prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.order_by("position")),
            Prefetch("contributes_to", queryset=Goal.objects.only("pk")),
        )
    )


@router.get("", response=answers(200, GoalPage), summary="Mål")
def list_goals(request, page: Query[PageParams], filters: Query[GoalFilters]):
    queryset = visible_goals(caller(request)).order_by("plan_id", "position", "pk")
    if filters.versions == "current" and filters.plan is None:
        queryset = queryset.filter(plan__in=current_versions())
    lookups = {
        "plan": "plan_id",
        "unit": "plan__unit_id",
        "year": "plan__year",
        "organisation": "plan__unit__organisation__code",
    }
    return paginate(filtered(queryset, filters, lookups), page)


@router.get(
    "/{goal_id}",
    response=answers(200, GoalOut, *READ),
    summary="Ett mål",
    description="Svaret har en ETag som If-Match tar när målet ändras.",
)
@tagged
def get_goal(request, response: HttpResponse, goal_id: int = PathId()):
    goal = get_object_or_404(visible_goals(caller(request)), pk=goal_id)
    set_etag(response, "goal", goal)
    return goal


def _form_errors(errors, prefix: str = "") -> list[dict]:
    """The form's errors; a goal level's keep their code (``unknown_level``, ``wrong_level``)."""
    return [
        {
            "field": f"{prefix}{name}" if name != "__all__" else prefix.rstrip("."),
            "code": error.code if error.code in LEVEL_CODES else "invalid",
            "message": " ".join(error.messages),
        }
        for name, found in errors.as_data().items()
        for error in found
    ]


def _may_edit_goal(user, goal_id: int) -> None:
    goal = get_object_or_404(visible_goals(user), pk=goal_id)
    require(user, Perm.PLAN, goal)
    ensure_editable(goal.plan)


@router.patch(
    "/{goal_id}",
    response=answers(200, GoalOut, *WRITE, 409, 412),
    auth=allowed(_may_edit_goal),
    summary="Ändra ett mål",
    description="Ett mål i en beslutad plan kan inte ändras (409): revidera planen först. "
    "Med If-Match bara om målet inte har ändrats sedan det lästes (annars 412).",
)
@tagged
def patch_goal(
    request,
    response: HttpResponse,
    payload: GoalPatch,
    goal_id: int = PathId(),
    if_match: str | None = IfMatch(),
):
    user = writer(request)
    goal = get_object_or_404(visible_goals(user), pk=goal_id)
    require(user, Perm.PLAN, goal)  # the action checks again; first, so the order is
    ensure_editable(goal.plan)  # 401, 404, 403, 409 and only then 422
    changes = payload.model_dump(exclude_unset=True, exclude={"indicators"})
    # null clears the number and the description; a goal always has a kind and a text.
    changes = {
        name: "" if value is None else value
        for name, value in changes.items()
        if value is not None or name in ("number", "description")
    }
    data = {name: getattr(goal, name) for name in GoalForm.Meta.fields} | changes
    form = GoalForm(data, instance=Goal.objects.get(pk=goal.pk))
    errors = [] if form.is_valid() else _form_errors(form.errors)
    rows = None
    if payload.indicators is not None:
        rows, row_errors = _indicator_changes(goal, payload.indicators)
        errors += row_errors
    if errors:
        if all(error["code"] == "unknown" for error in errors):  # ids not of this goal
            raise ApiError(404, "not_found", _("Hittades inte."), errors)
        raise ApiError(422, "invalid", _("Begäran innehåller fel."), errors)
    cleaned = {name: form.cleaned_data[name] for name in changes}
    expected = expected_version(request, "goal", goal.pk, goal.row_version)
    update_goal(goal, actor=user, indicators=rows, expected_version=expected, **cleaned)
    goal = visible_goals(user).get(pk=goal.pk)
    set_etag(response, "goal", goal)
    return goal


def _indicator_changes(goal: Goal, rows: list[IndicatorRow]):
    existing = {indicator.pk: indicator for indicator in goal.indicators.all()}
    changes, errors, kept = [], [], set()
    for index, row in enumerate(rows):
        form = IndicatorForm({"text": row.text})
        if not form.is_valid():
            errors += _form_errors(form.errors, f"indicators.{index}.")
            continue
        if row.id is not None:
            if row.id not in existing or row.id in kept:
                errors.append(
                    {
                        "field": f"indicators.{index}.id",
                        "code": "unknown",
                        "message": _("Indikatorn hör inte till målet."),
                    }
                )
                continue
            kept.add(row.id)
        indicator = existing.get(row.id) if row.id is not None else None
        changes.append(IndicatorChange(indicator, form.cleaned_data["text"]))
    changes += [
        IndicatorChange(indicator, indicator.text, delete=True)
        for pk, indicator in existing.items()
        if pk not in kept
    ]
    return changes, errors
