"""The draft editor: the whole plan as one document, with every object's Ändra, Flytta upp
och ned, Ta bort and "Lägg till …" in its place, and the forms behind them.

Every change goes through the plan actions (``actions.parts``, ``actions.cascade``,
``actions.authoring.update_plan``); these views only read and show. A decided plan is not
edited here: the reader is sent to the plan page, which offers a revision.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from uppsikt.accounts.access import Perm, require
from uppsikt.audit.trail import last_saved
from uppsikt.lib.concurrency import Conflict, EditConflict, TracksEdits, stale

from ..actions.authoring import update_plan
from ..actions.parts import FIELDS, MODELS, UP, add_part, move_part, remove_part, update_part
from ..editing import (
    ADD_LABELS,
    KIND_LABELS,
    TOP,
    addable,
    anchor_of,
    container_from,
    editor_document,
    editor_url,
    find_part,
    offered,
    parent_anchor,
    placed_in,
    removal_fingerprint,
    title_of,
)
from ..forms_editor import PlanDetailsForm, part_form_class
from ..impact import impact_of
from ..models import Goal, Indicator, Plan
from ..page import links_for_indicator
from ..rules import PlanIsDecided, ensure_editable
from .editor_cascade import cascade_forms
from .pages import plan_crumbs
from .versions import _form_errors


def _plan_for_editing(request, pk: int) -> Plan:
    """The plan, if ``request.user`` may read it (else 404) and plan it (else 403)."""
    plans = Plan.objects.visible_to(request.user).select_related("unit__organisation")
    plan = get_object_or_404(plans, pk=pk)
    require(request.user, Perm.PLAN, plan)
    return plan


def _refused_if_decided(request, plan: Plan) -> HttpResponse | None:
    """A decided plan changes through a revision: back to the plan page, saying so."""
    try:
        ensure_editable(plan)
    except PlanIsDecided as error:
        messages.error(request, " ".join(error.messages))
        return redirect(plan)
    return None


def _part_or_404(plan: Plan, kind: str, pk: int) -> Model:
    found = find_part(plan, kind, pk)
    if found is None:
        raise Http404(_("Objektet finns inte i planen."))
    return found


def _posted_part(request, plan: Plan, kind: str, pk: int) -> Model | None:
    """``_part_or_404``; but None for a form posted about something removed meanwhile (by
    someone else, in another tab): that is answered on the editor page, not "not found"."""
    found = find_part(plan, kind, pk)
    if found is None and request.method == "POST" and kind in MODELS:
        return None
    return found if found is not None else _part_or_404(plan, kind, pk)


def _gone(request, plan: Plan) -> HttpResponse:
    messages.error(
        request,
        _("Det du ville ändra finns inte längre i planen: någon annan kan ha tagit bort det."),
    )
    return redirect(editor_url(plan))


def _part_to_change(request, pk: int, kind: str, obj: int) -> tuple[Plan, Model] | HttpResponse:
    """The draft and its object a change is about, or the answer instead of the change: the
    object removed meanwhile (``_gone``), or the plan decided (``_refused_if_decided``)."""
    plan = _plan_for_editing(request, pk)
    target = _posted_part(request, plan, kind, obj)
    if target is None:
        return _gone(request, plan)
    return _refused_if_decided(request, plan) or (plan, target)


def _crumbs(plan: Plan, *more: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [*plan_crumbs(plan), (_("Redigera utkastet"), editor_url(plan)), *more]


def _stored(obj: Model, names: list[str]) -> dict[str, Any]:
    """The values of ``names`` as stored in ``obj`` (a relation by its id: no query)."""
    return {name: getattr(obj, _attname(obj, name)) for name in names}


def _attname(obj: Model, name: str) -> str:
    field = obj._meta.get_field(name)
    return getattr(field, "attname", name)


@login_required
def plan_edit(request, pk: int):
    plan = _plan_for_editing(request, pk)
    if refused := _refused_if_decided(request, plan):
        return refused
    return render(
        request,
        "plans/editor/edit.html",
        {
            "plan": plan,
            "document": editor_document(plan, request.user),
            "top_addable": addable(plan, TOP),
            "breadcrumbs": [*plan_crumbs(plan), (_("Redigera utkastet"), None)],
        },
    )


def _save_tracked(
    form: TracksEdits, obj: Model, *, now: dict[str, Any], name: str, save: Callable[..., Any]
) -> tuple[bool, Conflict | None]:
    """Save what the form's user changed with ``save(expected_version, **changes)``.

    A row saved by someone else since the form was opened is not written: the form gets
    the error and the returned ``Conflict`` shows what is saved now. (True, None) when
    saved or nothing changed; (False, None) when refused for another reason (on the form).
    """
    version: int = getattr(obj, "row_version")  # noqa: B009
    changes = {field: form.cleaned_data[field] for field in form.changed_data}
    if not changes:
        return True, None
    expected = form.expected_version(version, now)
    try:
        if expected is not None and expected != version:
            raise stale(name, current=version, expected=expected, obj=obj)
        save(expected, **changes)
    except EditConflict as error:
        fresh = type(obj)._default_manager.get(pk=obj.pk)
        conflict = form.refuse(
            error,
            _stored(fresh, form.tracked),
            version=getattr(fresh, "row_version"),  # noqa: B009
            name=name,
            saved=last_saved(fresh),
        )
        return False, conflict
    except ValidationError as error:
        _form_errors(form, error)
        return False, None
    return True, None


@login_required
def plan_details(request, pk: int):
    """The plan's title, planeringshorisont and anmärkning."""
    plan = _plan_for_editing(request, pk)
    if refused := _refused_if_decided(request, plan):
        return refused
    data = request.POST if request.method == "POST" else None
    now = _stored(plan, list(PlanDetailsForm.base_fields))  # before the form writes on it
    form = PlanDetailsForm(data, instance=plan)
    conflict = None
    if data is not None and form.is_valid():
        saved, conflict = _save_tracked(
            form,
            plan,
            now=now,
            name=now["title"],
            save=lambda expected, **changes: update_plan(
                plan, actor=request.user, expected_version=expected, **changes
            ),
        )
        if saved:
            done = _("Planens uppgifter är sparade.")
            messages.success(request, done if form.changed_data else _("Inga ändringar."))
            return redirect(editor_url(plan))
    return render(
        request,
        "plans/editor/details.html",
        {
            "plan": plan,
            "form": form,
            "conflict": conflict,
            "breadcrumbs": _crumbs(plan, (_("Uppgifter om planen"), None)),
        },
    )


def _new_part(request, plan: Plan, kind: str) -> tuple[Model, Goal | None, dict[str, Any], str]:
    """The unsaved object a new ``kind`` starts from, the goal of a new indicator (query
    ``mal``), the container fields it starts with (query ``under=<kind>:<id>``) and where
    that is, in words."""
    if kind == "indicator":
        goal_id = request.GET.get("mal", "")
        goal = find_part(plan, "goal", int(goal_id)) if goal_id.isdigit() else None
        if not isinstance(goal, Goal):
            raise Http404(_("Välj målet som indikatorn ska höra till."))
        return Indicator(goal=goal), goal, {}, f"{KIND_LABELS['goal']}: {title_of(goal)}"
    container = container_from(plan, request.GET.get("under", ""))
    if container is None:
        return MODELS[kind](plan=plan), None, {}, ""
    placed = placed_in(kind, *container)
    initial = {name: getattr(value, "pk", value) for name, value in placed.items()}
    where = f"{KIND_LABELS[container[0]]}: {title_of(container[1])}"
    return MODELS[kind](plan=plan), None, initial, where


@login_required
def part_add(request, pk: int, kind: str):
    plan = _plan_for_editing(request, pk)
    if kind not in MODELS or not offered(plan, kind):  # a kind the styrmodell does not use
        raise Http404(_("Det går inte att lägga till sådant i en plan."))
    if refused := _refused_if_decided(request, plan):
        return refused
    instance, goal, initial, where = _new_part(request, plan, kind)
    if kind == "activity":  # an aktivitet is most often the unit's own
        initial = {"responsible": plan.unit_id, **initial}
    data = request.POST if request.method == "POST" else None
    form = part_form_class(kind)(data, instance=instance, plan=plan, initial=initial)
    if data is not None and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in FIELDS[kind] if name in form.fields}
        try:
            added = add_part(plan, kind, actor=request.user, goal=goal, **fields)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _("%(kind)s ”%(name)s” har lagts till.")
                % {"kind": KIND_LABELS[kind], "name": title_of(added)},
            )
            return redirect(editor_url(plan, anchor_of(added)))
    return render(
        request,
        "plans/editor/part_form.html",
        {
            "plan": plan,
            "form": form,
            "kind": kind,
            "where": where,
            "heading": ADD_LABELS[kind],
            "cancel": editor_url(plan, anchor_of(goal) if goal else ""),
            "breadcrumbs": _crumbs(plan, (str(ADD_LABELS[kind]), None)),
        },
    )


SAVE = "spara"


@login_required
def part_edit(request, pk: int, kind: str, obj: int):
    found = _part_to_change(request, pk, kind, obj)
    if isinstance(found, HttpResponse):
        return found
    plan, target = found
    step = request.POST.get("atgard", SAVE) if request.method == "POST" else None
    cascade = cascade_forms(request, plan, target, step)
    if isinstance(cascade, HttpResponse):
        return cascade
    form_class = part_form_class(kind)
    now = _stored(target, list(form_class.base_fields))  # before the form writes on it
    data = request.POST if step == SAVE else None
    form = form_class(data, instance=target, plan=plan)
    conflict = None
    name = title_of(target)
    if data is not None and form.is_valid():
        saved, conflict = _save_tracked(
            form,
            target,
            now=now,
            name=name,
            save=lambda expected, **changes: update_part(
                target, actor=request.user, expected_version=expected, **changes
            ),
        )
        if saved:
            done = _("Ändringarna i ”%(name)s” är sparade.") % {"name": name}
            messages.success(request, done if form.changed_data else _("Inga ändringar."))
            return redirect(editor_url(plan, anchor_of(target)))
    return render(
        request,
        "plans/editor/part_form.html",
        {
            "plan": plan,
            "form": form,
            "kind": kind,
            "target": target,
            "conflict": conflict,
            "heading": _("Ändra %(kind)s") % {"kind": str(KIND_LABELS[kind]).lower()},
            "name": name,
            "links": links_for_indicator(target, request.user)
            if isinstance(target, Indicator)
            else [],
            "cancel": editor_url(plan, anchor_of(target)),
            "breadcrumbs": _crumbs(plan, (name, None)),
            **cascade,
        },
    )


def _remove(request, target: Model, impact: list[str]) -> str | None:
    """Remove ``target`` as confirmed on the page; the reason it was not, or None."""
    version: int = getattr(target, "row_version")  # noqa: B009
    posted = request.POST.get("row_version", "")
    if posted.isdigit() and int(posted) != version:
        return " ".join(stale(title_of(target), current=version, expected=int(posted)).messages)
    if request.POST.get("paverkan") != removal_fingerprint(version, impact):
        return _(
            "Det som påverkas av borttagningen har ändrats sedan du öppnade sidan. "
            "Läs igenom det och bekräfta igen."
        )
    try:
        remove_part(target, actor=request.user, confirmed=True, expected_version=version)
    except ValidationError as error:
        return " ".join(error.messages)
    return None


@login_required
def part_remove(request, pk: int, kind: str, obj: int):
    """What removing the object takes with it and affects; removed when confirmed."""
    found = _part_to_change(request, pk, kind, obj)
    if isinstance(found, HttpResponse):
        return found
    plan, target = found
    impact = impact_of(target)
    name = title_of(target)
    problem = None
    if request.method == "POST":
        problem = _remove(request, target, impact)
        if problem is None:
            messages.success(
                request,
                _("%(kind)s ”%(name)s” har tagits bort.")
                % {"kind": KIND_LABELS[kind], "name": name},
            )
            return redirect(editor_url(plan, parent_anchor(target)))
        target = _part_or_404(plan, kind, obj)  # as it is now
        impact = impact_of(target)
    version: int = getattr(target, "row_version")  # noqa: B009
    return render(
        request,
        "plans/editor/part_remove.html",
        {
            "plan": plan,
            "kind": kind,
            "kind_label": KIND_LABELS[kind],
            "target": target,
            "name": name,
            "impact": impact,
            "fingerprint": removal_fingerprint(version, impact),
            "problem": problem,
            "cancel": editor_url(plan, anchor_of(target)),
            "breadcrumbs": _crumbs(plan, (_("Ta bort %(name)s") % {"name": name}, None)),
        },
    )


@login_required
@require_POST
def part_move(request, pk: int, kind: str, obj: int):
    """One step up or down among its siblings (``direction``: up | down)."""
    found = _part_to_change(request, pk, kind, obj)
    if isinstance(found, HttpResponse):
        return found
    plan, target = found
    direction = request.POST.get("direction", "")
    name = title_of(target)
    try:
        moved = move_part(target, actor=request.user, direction=direction)
    except (ValidationError, ObjectDoesNotExist) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        if moved:
            text = (
                _("”%(name)s” har flyttats upp.")
                if direction == UP
                else _("”%(name)s” har flyttats ned.")
            )
        else:
            text = (
                _("”%(name)s” står redan först.")
                if direction == UP
                else _("”%(name)s” står redan sist.")
            )
        messages.success(request, text % {"name": name})
    return redirect(editor_url(plan, anchor_of(target)))
