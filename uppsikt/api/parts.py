"""The content of a draft plan, kind by kind: avsnitt, perspektiv, prioriterade områden,
strategier, mål, indikatorer, uppdrag and aktiviteter. Each is listed, added, read, changed,
moved and removed through ``plans.actions.parts``, as on the editing pages.

Every kind has its own paths (``/plans/{plan_id}/parts/goal``, ``…/parts/goal/{part_id}``)
and its own schemas (``GoalPartIn``, ``GoalPartChanges``, ``GoalPart``), made here from the
action's settable fields (``parts.FIELDS``) and the model's field types. One path with the
kind as a parameter could not say in the OpenAPI document which fields each kind takes, so a
request could fit the schema and still be refused for its kind; kind by kind it cannot.

Objects named in a body (a perspective, a responsible unit …) must exist and be visible to
the caller (else 404 naming the field); whether they fit (the same plan, the same
organisation) is the action's rule (409). Removing something that other things depend on
answers 409 ``needs_confirmation`` listing what it affects, until sent with ``?confirm=true``.
"""

import datetime
from typing import Annotated, Any, Literal

from django.db import models
from django.db.models import Model, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema, Status
from pydantic import create_model

from uppsikt.accounts.access import Perm, require
from uppsikt.organisations.models import Unit
from uppsikt.plans.actions import parts as actions
from uppsikt.plans.actions.cascade import set_activity_goals
from uppsikt.plans.levels import kind_problems
from uppsikt.plans.models import Goal, Plan
from uppsikt.plans.rules import ensure_editable

from .auth import allowed, caller, writer
from .errors import ApiError, invalid, unknown
from .pagination import PageParams, page_of, paginate
from .preconditions import IfMatch, expected_version, set_etag, tagged
from .schemas import INPUT, NO_NUL, READ, WRITE, Id, IsoDate, PathId, Text, answers

router = Router(tags=["Planens innehåll"])

KINDS = tuple(actions.MODELS)
Kind = Literal[KINDS]

# Singular, plural and the definite form, for the documentation.
NOUNS = {
    "section": ("ett avsnitt", "avsnitt", "avsnittet"),
    "perspective": ("ett perspektiv", "perspektiv", "perspektivet"),
    "focus_area": ("ett prioriterat område", "prioriterade områden", "området"),
    "strategy": ("en strategi", "strategier", "strategin"),
    "goal": ("ett mål", "mål", "målet"),
    "indicator": ("en indikator", "indikatorer", "indikatorn"),
    "assignment": ("ett uppdrag", "uppdrag", "uppdraget"),
    "activity": ("en aktivitet", "aktiviteter", "aktiviteten"),
}
ABOUT = {
    "perspective": "Id för ett perspektiv i samma plan; null: inget.",
    "section": "Id för ett avsnitt i samma plan; null: inget.",
    "strategy": "Id för en strategi i samma plan; null: ingen.",
    "focus_area": "Id för ett prioriterat område i samma plan; null: inget.",
    "responsible": "Id för den ansvariga enheten, i planens organisation; null: ingen.",
    "kind": "Målnivåns nyckel i organisationens styrmodell, en av nivåerna för enhetens typ "
    "(Region Örebro län: effektmal, mal, namndmal). En annan nyckel vägras (unknown_level, "
    "wrong_level).",
    "text": "Texten. Ett mål: en annan text än planens övriga mål (skiftläge och blanksteg "
    "räknas inte).",
    "heading": "Rubriken.",
    "name": "Namnet.",
    "lead": "Ingressen.",
    "number": "Numret som dokumentet visar, t.ex. 2 eller 3.1.",
    "body": "Text: stycken, punktlistor (rader som börjar med - ) och länkar [text](https://…).",
    "description": "Stycken, punktlistor och länkar.",
    "note": "Anmärkning, t.ex. att källtexten är ofullständig.",
    "items": "En punktlista, en text per punkt.",
    "statements": "Strategins punkter, en text per punkt.",
    "responsibilities": "Perspektivets ansvar, en text per punkt.",
    "starts_on": "Startdatum; null: inget.",
    "ends_on": "Slutdatum, inte före startdatum; null: inget.",
}
TEXT_LIMITS = {"body": 200000, "description": 100000, "note": 100000}
TEXT_LIMIT = 10000
LIST_LIMIT = 200
ListItem = Annotated[str, Field(max_length=5000, pattern=NO_NUL)]


class PartInput(Schema):
    model_config = INPUT


class PartRef(Schema):
    kind: str = Field(description="Objektets slag: " + ", ".join(KINDS) + ".")
    id: int


class MoveIn(Schema):
    model_config = INPUT
    direction: Literal["up", "down"] = Field(..., description="up: ett steg upp; down: ned.")


class MoveOut(Schema):
    moved: bool = Field(description="false: objektet stod redan först (sist).")
    order: list[PartRef] = Field(description="Objekten på samma nivå, i dokumentets ordning.")


class ActivityGoalsIn(Schema):
    model_config = INPUT
    goals: list[Id] = Field(
        ...,
        max_length=LIST_LIMIT,
        description="Hela listan över mål som aktiviteten tjänar: mål i planen eller i en plan "
        "ovanför för samma år. Tom lista: inga.",
    )


# -- the schemas of each kind, from the action's fields ---------------------------------------


def _field(kind: str, name: str) -> models.Field:
    field: models.Field = actions.MODELS[kind]._meta.get_field(name)  # type: ignore[assignment]
    return field


def _required(field: models.Field) -> bool:
    return not field.blank and not field.has_default()


def _input(kind: str, name: str, *, changes: bool) -> tuple[Any, Any]:
    """The annotation and ``Field`` of ``name`` in the body that adds (``changes`` False) or
    changes an object of ``kind``. In changes, null empties a field; a required one it
    leaves as it is."""
    field, about = _field(kind, name), ABOUT.get(name, "")
    if field.is_relation:
        return Id | None, Field(None, description=about)
    if isinstance(field, models.DateField):
        return IsoDate | None, Field(None, description=about)
    if isinstance(field, models.JSONField):
        if changes:
            about = f"{about} null: tom."
            return list[ListItem] | None, Field(None, max_length=LIST_LIMIT, description=about)
        return list[ListItem], Field(default_factory=list, max_length=LIST_LIMIT, description=about)
    if (kind, name) == ("goal", "kind"):  # a level of the styrmodell, checked by the action
        if changes:
            about = f"{about} null: oförändrad."
            return str | None, Text(None, max_length=field.max_length or 40, description=about)
        about = f"{about} Utelämnad: enhetens vanliga målnivå."
        return str, Text("", max_length=field.max_length or 40, description=about)
    if field.choices:
        values = Literal[tuple(value for value, _label in field.choices)]
        if changes:
            return values | None, Field(None, description=f"{about} null: oförändrat.")
        return values, Field(field.default, description=about)
    required = _required(field)
    limit = field.max_length or TEXT_LIMITS.get(name, TEXT_LIMIT)
    if changes:
        about = f"{about} null: oförändrad." if required else f"{about} null: tom."
        return str | None, Text(None, max_length=limit, required=required, description=about)
    if required:
        return str, Text(..., max_length=limit, required=True, description=about)
    return str, Text("", max_length=limit, description=about)


def _output(kind: str, name: str) -> tuple[str, Any]:
    field = _field(kind, name)
    if field.is_relation:
        return f"{name}_id", (int | None, ...)
    if isinstance(field, models.DateField):
        return name, (datetime.date | None, ...)
    if isinstance(field, models.JSONField):
        return name, (list[str], ...)
    return name, (str, ...)


def _camel(kind: str) -> str:
    return "".join(word.capitalize() for word in kind.split("_"))


def _schemas(kind: str) -> tuple[type[Schema], type[Schema], type[Schema]]:
    """The kind's answer, the body that adds one and the body that changes one."""
    names = actions.FIELDS[kind]
    article, _plural, _definite = NOUNS[kind]
    out: dict[str, Any] = {
        "id": (int, ...),
        "plan_id": (int, ...),
        "position": (int, Field(..., description="Platsen i dokumentets ordning.")),
        "origin_id": (int | None, Field(..., description="Objektet det kopierades från.")),
    }
    if kind == "indicator":
        out["goal_id"] = (int, ...)
    out.update(_output(kind, name) for name in names)
    if kind in ("goal", "activity"):
        out["contributes_to"] = (list[int], Field(..., description="Mål som det bidrar till."))
    add: dict[str, Any] = {name: _input(kind, name, changes=False) for name in names}
    if kind == "indicator":
        add = {"goal": (Id, Field(..., description="Målet som indikatorn mäter.")), **add}
    change: dict[str, Any] = {name: _input(kind, name, changes=True) for name in names}
    base = _camel(kind)
    return (
        create_model(f"{base}Part", __base__=Schema, **out),
        create_model(f"{base}PartIn", __base__=PartInput, __doc__=f"Lägg till {article}.", **add),
        create_model(
            f"{base}PartChanges",
            __base__=PartInput,
            __doc__="Bara de fält som anges ändras.",
            **change,
        ),
    )


# -- reading and resolving ---------------------------------------------------------------------

PLAN_PATH = {kind: "goal__plan" if kind == "indicator" else "plan" for kind in KINDS}
UNKNOWN = {
    "perspective": gettext_lazy("Okänt perspektiv."),
    "section": gettext_lazy("Okänt avsnitt."),
    "strategy": gettext_lazy("Okänd strategi."),
    "focus_area": gettext_lazy("Okänt prioriterat område."),
    "responsible": gettext_lazy("Okänd enhet."),
}


def _visible_plan(user, plan_id: int) -> Plan:
    return get_object_or_404(Plan.objects.visible_to(user), pk=plan_id)


def _parts(user, kind: str) -> QuerySet:
    path = PLAN_PATH[kind]
    queryset = actions.MODELS[kind]._default_manager.filter(
        **{f"{path}__in": Plan.objects.visible_to(user)}
    )
    if kind in ("goal", "activity"):
        queryset = queryset.prefetch_related("contributes_to")
    return queryset.select_related("goal") if kind == "indicator" else queryset


def _visible_part(user, kind: str, plan_id: int, part_id: int) -> Model:
    return get_object_or_404(_parts(user, kind), **{f"{PLAN_PATH[kind]}_id": plan_id}, pk=part_id)


def _plan_id(obj: Model) -> int:
    return obj.goal.plan_id if actions.kind_of(obj) == "indicator" else obj.plan_id  # type: ignore[attr-defined]


def _out(obj: Model) -> dict[str, Any]:
    kind = actions.kind_of(obj)
    data = {
        "id": obj.pk,
        "plan_id": _plan_id(obj),
        "position": obj.position,  # type: ignore[attr-defined]
        "origin_id": obj.origin_id,  # type: ignore[attr-defined]
    }
    if kind == "indicator":
        data["goal_id"] = obj.goal_id  # type: ignore[attr-defined]
    for name in actions.FIELDS[kind]:
        field = _field(kind, name)
        key = f"{name}_id" if field.is_relation else name
        data[key] = getattr(obj, field.attname)
    if kind in ("goal", "activity"):
        data["contributes_to"] = sorted(goal.pk for goal in obj.contributes_to.all())  # type: ignore[attr-defined]
    return data


def _resolved(user, kind: str, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` with each id of an object replaced by the object (404 naming the field
    when there is none the caller may see)."""
    visible = Plan.objects.visible_to(user)
    result = dict(values)
    for name, value in values.items():
        if value is None or not _field(kind, name).is_relation:
            continue
        found: Model | None
        if name == "responsible":
            found = Unit.objects.filter(pk=value).first()
        else:
            found = actions.MODELS[name]._default_manager.filter(plan__in=visible, pk=value).first()
        if found is None:
            raise unknown(name, str(UNKNOWN[name]))
        result[name] = found
    return result


def _changes(kind: str, payload: Schema) -> dict[str, Any]:
    """The fields sent, null read as the field's documented meaning."""
    changes = {}
    for name, value in payload.model_dump(exclude_unset=True).items():
        field = _field(kind, name)
        if value is None and not (field.is_relation or isinstance(field, models.DateField)):
            if field.choices or _required(field) or (kind, name) == ("goal", "kind"):
                continue  # null: unchanged
            value = [] if isinstance(field, models.JSONField) else ""
        changes[name] = value
    return changes


# -- the endpoints, kind by kind ---------------------------------------------------------------


def _may_add(user, plan_id: int) -> None:
    plan = _visible_plan(user, plan_id)
    require(user, Perm.PLAN, plan)
    ensure_editable(plan)


def _may_change(kind: str):
    def check(user, plan_id: int, part_id: int) -> None:
        obj = _visible_part(user, kind, plan_id, part_id)
        plan = actions.plan_of(obj)
        require(user, Perm.PLAN, plan)
        ensure_editable(plan)

    return check


def _named(view, name: str):
    """``view`` under ``name``: its URL name and its OpenAPI operation's."""
    view.__name__ = view.__qualname__ = name
    return view


def _goal_for(user, goal_id: int) -> Goal:
    goal = Goal.objects.filter(plan__in=Plan.objects.visible_to(user), pk=goal_id).first()
    if goal is None:
        raise unknown("goal", _("Okänt mål."))
    return goal


def _register_reads(kind: str, out: type[Schema]) -> None:
    _article, plural, _definite = NOUNS[kind]
    page = page_of(out, f"{_camel(kind)}PartPage")
    order = ("goal__position", "position", "pk") if kind == "indicator" else ("position", "pk")

    def list_parts(request, page: Query[PageParams], plan_id: int = PathId()):
        plan = _visible_plan(caller(request), plan_id)
        parts = _parts(caller(request), kind).filter(**{PLAN_PATH[kind]: plan}).order_by(*order)
        return paginate(parts, page, convert=_out)

    def get_part(request, response: HttpResponse, plan_id: int = PathId(), part_id: int = PathId()):
        obj = _visible_part(caller(request), kind, plan_id, part_id)
        set_etag(response, kind, obj)
        return _out(obj)

    router.get(
        f"/{{plan_id}}/parts/{kind}",
        response=answers(200, page, *READ),
        summary=f"Planens {plural}",
    )(_named(list_parts, f"list_{kind}_parts"))
    router.get(
        f"/{{plan_id}}/parts/{kind}/{{part_id}}",
        response=answers(200, out, *READ),
        summary=f"{_article.capitalize()} i en plan",
        description="Svaret har en ETag som If-Match tar när objektet ändras eller tas bort.",
    )(tagged(_named(get_part, f"get_{kind}_part")))


def _check_level(key: str, plan: Plan) -> None:
    """A goal level the organisation's styrmodell lacks for the unit's kind does not fit the
    request's schema (the styrmodell's levels): 422 with ``unknown_level`` or ``wrong_level``."""
    problems = kind_problems(key, plan.unit)
    if problems:
        raise invalid("kind", problems[0].messages[0], problems[0].code or "invalid")


def _register_writes(kind: str, out: type[Schema], add_in: type[Schema], change_in: type[Schema]):
    article, _plural, definite = NOUNS[kind]
    one = f"/{{plan_id}}/parts/{kind}/{{part_id}}"

    def add_part(request, response: HttpResponse, payload: add_in, plan_id: int = PathId()):
        user = writer(request)
        plan = _visible_plan(user, plan_id)
        values = payload.model_dump(exclude_unset=True)  # type: ignore[attr-defined]
        goal = _goal_for(user, values.pop("goal")) if kind == "indicator" else None
        if kind == "goal" and values.get("kind"):
            _check_level(values["kind"], plan)
        obj = actions.add_part(plan, kind, actor=user, goal=goal, **_resolved(user, kind, values))
        set_etag(response, kind, obj)
        return Status(201, _out(obj))

    def patch_part(
        request,
        response: HttpResponse,
        payload: change_in,
        plan_id: int = PathId(),
        part_id: int = PathId(),
        if_match: str | None = IfMatch(),
    ):
        user = writer(request)
        obj = _visible_part(user, kind, plan_id, part_id)
        changes = _resolved(user, kind, _changes(kind, payload))
        if kind == "goal" and changes.get("kind"):
            _check_level(changes["kind"], actions.plan_of(obj))
        expected = expected_version(request, kind, obj.pk, obj.row_version)  # type: ignore[attr-defined]
        obj = actions.update_part(obj, actor=user, expected_version=expected, **changes)
        set_etag(response, kind, obj)
        return _out(_visible_part(user, kind, plan_id, part_id))

    router.post(
        f"/{{plan_id}}/parts/{kind}",
        auth=allowed(_may_add),
        response=answers(201, out, *WRITE),
        summary=f"Lägg till {article}",
        description="Sist i planen (en indikator: sist under sitt mål). Bara i ett utkast: i "
        "en beslutad plan 409. Ett slag som organisationens styrmodell inte använder (t.ex. "
        "strategier) ger 409 med koden kind_not_used.",
    )(tagged(_named(add_part, f"add_{kind}_part")))
    router.patch(
        one,
        auth=allowed(_may_change(kind)),
        response=answers(200, out, *WRITE, 412),
        summary=f"Ändra {article}",
        description=f"Bara de fält som anges ändras. Med If-Match bara om {definite} inte har "
        "ändrats sedan det lästes (annars 412).",
    )(tagged(_named(patch_part, f"patch_{kind}_part")))
    _register_removal(kind)


def _register_removal(kind: str) -> None:
    article, _plural, definite = NOUNS[kind]
    one = f"/{{plan_id}}/parts/{kind}/{{part_id}}"

    def remove_part(
        request,
        plan_id: int = PathId(),
        part_id: int = PathId(),
        confirm: bool = Query(
            False, description="true: ta bort även när det påverkar annat (svaret 409 listar vad)."
        ),
        if_match: str | None = IfMatch(),
    ):
        user = writer(request)
        obj = _visible_part(user, kind, plan_id, part_id)
        expected = expected_version(request, kind, obj.pk, obj.row_version)  # type: ignore[attr-defined]
        try:
            actions.remove_part(obj, actor=user, confirmed=confirm, expected_version=expected)
        except actions.NeedsConfirmation as refusal:
            raise _needs_confirmation(refusal) from refusal
        return Status(204, None)

    def move_part(request, payload: MoveIn, plan_id: int = PathId(), part_id: int = PathId()):
        user = writer(request)
        obj = _visible_part(user, kind, plan_id, part_id)
        moved = actions.move_part(obj, actor=user, direction=payload.direction)
        order = actions.siblings(_visible_part(user, kind, plan_id, part_id))
        return {"moved": moved, "order": [_ref(item) for item in order]}

    router.delete(
        one,
        auth=allowed(_may_change(kind)),
        response=answers(204, None, *WRITE, 412),
        summary=f"Ta bort {article}",
        description=f"Med det som hör till {definite}. Påverkar det annat (mätvärden, "
        "uppföljningar, kopplingar) är svaret 409 needs_confirmation med en rad per sak i "
        "errors, tills det skickas med ?confirm=true.",
    )(_named(remove_part, f"remove_{kind}_part"))
    router.post(
        f"{one}/move",
        auth=allowed(_may_change(kind)),
        response=answers(200, MoveOut, *WRITE),
        summary=f"Flytta {article}",
        description="Ett steg upp eller ned bland objekten på samma nivå.",
    )(_named(move_part, f"move_{kind}_part"))


def _ref(obj: Model) -> dict[str, Any]:
    return {"kind": actions.kind_of(obj), "id": obj.pk}


def _needs_confirmation(refusal: actions.NeedsConfirmation) -> ApiError:
    return ApiError(
        409,
        "needs_confirmation",
        " ".join(refusal.messages),
        [{"field": "confirm", "code": "impact", "message": line} for line in refusal.impact],
    )


SCHEMAS = {kind: _schemas(kind) for kind in KINDS}
for _kind, (_out_schema, _add_schema, _change_schema) in SCHEMAS.items():
    _register_reads(_kind, _out_schema)
    _register_writes(_kind, _out_schema, _add_schema, _change_schema)


# -- the goals an aktivitet serves ---------------------------------------------------------------


@router.put(
    "/{plan_id}/parts/activity/{part_id}/goals",
    auth=allowed(_may_change("activity")),
    response=answers(200, SCHEMAS["activity"][0], *WRITE),
    summary="Målen som en aktivitet tjänar",
    description="Ersätter hela listan. Mål i en annan organisation eller i en plan för ett "
    "senare år: 409.",
)
def set_activity_goal_list(
    request, payload: ActivityGoalsIn, plan_id: int = PathId(), part_id: int = PathId()
):
    user = writer(request)
    activity = _visible_part(user, "activity", plan_id, part_id)
    visible = Goal.objects.filter(plan__in=Plan.objects.visible_to(user))
    found = visible.in_bulk(payload.goals)
    for index, goal_id in enumerate(payload.goals):
        if goal_id not in found:
            raise unknown(f"goals.{index}", _("Okänt mål."))
    goals = list({goal_id: found[goal_id] for goal_id in payload.goals}.values())
    set_activity_goals(activity, goals, actor=user)  # type: ignore[arg-type]
    return _out(_visible_part(user, "activity", plan_id, part_id))
