"""The authoring page of one indicator of a plan: its definition, target rule and target
values per year (``indicators:indicator_target``), and the rule preview it asks for as the
planner types (``indicators:rule_preview``).

Link to the page with the ``plans.Indicator``'s pk::

    {% url 'indicators:indicator_target' indicator.pk %}

In a draft plan it edits through ``authoring.set_indicator_target`` and
``remove_indicator_target``; for a decided plan it shows what is decided and links to
revising the plan.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, require, require_somewhere
from uppsikt.lib.concurrency import is_conflict
from uppsikt.plans.editing import anchor_of
from uppsikt.plans.models import Indicator, Plan
from uppsikt.plans.rules import is_locked

from ..authoring import remove_indicator_target, set_indicator_target
from ..models import IndicatorTarget
from ..target_forms import DefinitionChoiceForm, RuleAuthoringForm

# Errors of the action at the page's fields (the new definition's fields carry a prefix).
ACTION_FIELDS = {
    name: f"new_{name}"
    for name in (
        "name",
        "unit",
        "polarity",
        "description",
        "source_kind",
        "source_code",
        "by_gender",
    )
}


def _indicator(request: HttpRequest, pk: int) -> Indicator:
    indicator = get_object_or_404(
        Indicator.objects.select_related("goal__plan__unit__organisation"),
        pk=pk,
        goal__plan__in=Plan.objects.visible_to(request.user),
    )
    require(request.user, Perm.PLAN, indicator)
    return indicator


def _stored_target(indicator: Indicator) -> IndicatorTarget | None:
    return IndicatorTarget.objects.select_related("definition").filter(indicator=indicator).first()


def _forms(
    request: HttpRequest, data: Any, target: IndicatorTarget | None
) -> tuple[DefinitionChoiceForm, RuleAuthoringForm]:
    definition_initial: dict[str, Any] = {"source": "library"}
    rule_initial: dict[str, Any] = {"kind": "threshold"}
    if target is not None:
        definition_initial["definition"] = target.definition
        rule_initial = RuleAuthoringForm.initial_for(target.target_rule)
    definition_form = DefinitionChoiceForm(
        data,
        initial=definition_initial,
        query=request.GET.get("q", ""),
        current=target.definition_id if target else None,
    )
    unit = definition_form.unit_hint()
    return definition_form, RuleAuthoringForm(data, initial=rule_initial, unit=unit)


def preview_of(rule_form: RuleAuthoringForm) -> dict[str, Any]:
    """The rule's sentence ({"text": …}) or what stops it ({"errors": {field: [named]}})."""
    if rule_form.is_valid():
        return {"text": rule_form.rule.describe(rule_form.unit)}
    errors = {}
    for name, found in rule_form.errors.items():
        label = rule_form.fields[name].label if name in rule_form.fields else ""
        errors[name] = [f"{label}: {message}" if label else message for message in found]
    return {"errors": errors}


@login_required
def indicator_target(request: HttpRequest, pk: int) -> HttpResponse:
    """Give an indicator of a draft plan its definition, target rule and target values."""
    indicator = _indicator(request, pk)
    goal = indicator.goal
    target = _stored_target(indicator)
    decided = is_locked(indicator)
    if decided and request.method == "POST":
        messages.error(request, _("Planen är beslutad och kan inte ändras här."))
        return redirect(request.get_full_path())
    data = request.POST if request.method == "POST" else None
    definition_form, rule_form = _forms(request, data, target)
    version = _posted_version(request)
    if data is not None and "remove" in data:
        return _remove(request, indicator, version)
    saving = data is not None and "preview" not in data
    if (
        saving
        and definition_form.is_valid()
        and rule_form.is_valid()
        and _save(request, indicator, definition_form, rule_form, version)
    ):
        messages.success(request, _("Indikatorns definition och målregel är sparade."))
        return redirect(_back_to_editor(indicator))
    return render(
        request,
        "indicators/indicator_target.html",
        {
            "indicator": indicator,
            "goal": goal,
            "plan": goal.plan,
            "target": target,
            "decided": decided,
            "definition_form": definition_form,
            "rule_form": rule_form,
            "forms_with_errors": [definition_form, rule_form],
            "new_definition_fields": [
                definition_form[name] for name in definition_form.fields if name.startswith("new_")
            ],
            "preview": _preview(decided, target, rule_form),
            "query": request.GET.get("q", ""),
            "version": indicator.row_version,
            "cancel": _back_to_editor(indicator),  # where saving returns too
            "breadcrumbs": [
                (goal.plan.title, goal.plan.get_absolute_url()),
                (goal.label, goal.get_absolute_url()),
                (_("Målregel och målvärden"), None),
            ],
        },
    )


def _posted_version(request: HttpRequest) -> int | None:
    """The indicator's version the page was opened with (None: not said, no check)."""
    text = request.POST.get("row_version", "")
    return int(text) if text.isdigit() else None


def _preview(
    decided: bool, target: IndicatorTarget | None, rule_form: RuleAuthoringForm
) -> dict[str, Any] | None:
    if decided:
        return None
    if not rule_form.is_bound:  # as stored, or nothing yet
        return {"text": target.describe_rule()} if target else None
    return preview_of(rule_form)


def _save(
    request: Any,  # signed in: its user is the actor
    indicator: Indicator,
    definition_form: DefinitionChoiceForm,
    rule_form: RuleAuthoringForm,
    version: int | None,
) -> bool:
    """Save through the action; its refusals go to the forms' fields. True when saved."""
    try:
        set_indicator_target(
            indicator,
            actor=request.user,
            rule=rule_form.rule,
            definition=definition_form.chosen,
            new_definition=definition_form.new_definition,
            expected_version=version,
        )
    except ValidationError as error:
        if is_conflict(error):
            rule_form.add_error(
                None,
                _(
                    "%(message)s Det som är sparat nu står överst på sidan; jämför med din "
                    "ändring och spara igen."
                )
                % {"message": " ".join(error.messages)},
            )
            return False
        _show_refusal(error, definition_form, rule_form)
        return False
    return True


def _show_refusal(
    error: ValidationError, definition_form: DefinitionChoiceForm, rule_form: RuleAuthoringForm
) -> None:
    if not hasattr(error, "error_dict"):
        rule_form.add_error(None, error.messages)
        return
    for name, found in error.message_dict.items():
        field = ACTION_FIELDS.get(name, name)
        if field in definition_form.fields:
            definition_form.add_error(field, found)
        elif field in rule_form.fields:
            rule_form.add_error(field, found)
        else:
            rule_form.add_error(None, found)


def _remove(request: Any, indicator: Indicator, version: int | None) -> HttpResponse:
    try:
        remove_indicator_target(indicator, actor=request.user, expected_version=version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("indicators:indicator_target", args=[indicator.pk]))
    messages.success(request, _("Indikatorns definition och målregel är borttagna."))
    return redirect(_back_to_editor(indicator))


def _back_to_editor(indicator: Indicator) -> str:
    """Where a saved draft indicator returns: its place in the draft editor."""
    return reverse("plans:edit", args=[indicator.goal.plan_id]) + f"#{anchor_of(indicator)}"


@login_required
def rule_preview(request: HttpRequest) -> JsonResponse:
    """The plain-Swedish sentence of the rule the authoring page's fields describe, as
    JSON: {"text": …} or {"errors": {field: [message naming the field]}}. Read from the
    query string (the page's own field names); the unit from ``definition`` or ``new_unit``."""
    require_somewhere(request.user, Perm.PLAN)
    definition_form = DefinitionChoiceForm(request.GET)
    rule_form = RuleAuthoringForm(request.GET, unit=definition_form.unit_hint())
    return JsonResponse(preview_of(rule_form))
