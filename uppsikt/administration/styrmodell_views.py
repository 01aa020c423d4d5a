"""The page "Styrmodell" of an organisation: the current model, and one form to change it.

Saving a model that would leave goals or assessments with a key it lacks stores nothing:
the page lists each such key with how many rows hold it and asks where they should go; only
a second post, carrying the same model in hidden fields and the confirmed mapping, saves
(everything validated again). Who may: ``styrmodell.may_edit``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from uppsikt.governance.actions import StyrmodellSpec, save_styrmodell, validate_spec
from uppsikt.governance.words import Styrmodell, styrmodell_for
from uppsikt.lib.typing import acting_user
from uppsikt.organisations.models import Organisation

from .styrmodell import Lost, Problem, kind_label, lost_keys, may_edit, problems
from .styrmodell_forms import CONTENT_KIND_LABELS, StyrmodellForms


@login_required
def styrmodell_page(request: HttpRequest, code: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, code=code)
    if not may_edit(request.user, organisation):
        raise PermissionDenied
    current = styrmodell_for(organisation.pk)
    if request.method != "POST":
        return _edit(request, organisation, current, StyrmodellForms(current))
    forms = StyrmodellForms(current, request.POST)
    action = request.POST.get("action", "save")
    if not forms.is_valid() or action in ("preview", "edit"):
        return _edit(request, organisation, current, forms)
    spec = forms.spec()
    try:
        validate_spec(spec)
    except ValidationError as error:
        forms.show(problems(error))
        return _edit(request, organisation, current, forms)
    lost = lost_keys(organisation, spec)
    if lost and action != "confirm":
        return _confirm(request, organisation, forms, spec, lost, [])
    try:
        save_styrmodell(
            organisation, spec, actor=acting_user(request), mapping=_mapping(request.POST, lost)
        )
    except ValidationError as error:
        found = problems(error)
        if lost and all(problem.field.startswith("mapping.") for problem in found):
            return _confirm(
                request, organisation, forms, spec, lost_keys(organisation, spec), found
            )
        forms.show(found)
        return _edit(request, organisation, current, forms)
    messages.success(request, _("Styrmodellen är sparad."))
    return redirect("administration:styrmodell", organisation.code)


def _mapping(data: QueryDict, lost: list[Lost]) -> dict[str, dict[str, str]] | None:
    """The confirmed moves, only of the keys that are lost (a chosen "" is no move)."""
    mapping: dict[str, dict[str, str]] = {}
    for item in lost:
        target = data.get(item.field_name, "")
        if target:
            mapping.setdefault(item.kind, {})[item.key] = target
    return mapping or None


def _crumbs(organisation: Organisation) -> list[tuple[str, str | None]]:
    return [(organisation.name, organisation.get_absolute_url()), (_("Styrmodell"), None)]


def _edit(
    request: HttpRequest, organisation: Organisation, current: Styrmodell, forms: StyrmodellForms
) -> HttpResponse:
    return render(
        request,
        "administration/styrmodell.html",
        {
            "organisation": organisation,
            "current": current,
            "uses": [label for kind, label in CONTENT_KIND_LABELS.items() if kind in current.uses],
            "forms": forms,
            "summary": summary(forms),
            "breadcrumbs": _crumbs(organisation),
        },
    )


def _confirm(
    request: HttpRequest,
    organisation: Organisation,
    forms: StyrmodellForms,
    spec: StyrmodellSpec,
    lost: list[Lost],
    found: list[Problem],
) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for problem in found:
        errors.setdefault(problem.field, []).append(problem.message)
    rows = [
        {
            "lost": item,
            "kind": kind_label(item.kind),
            "chosen": request.POST.get(item.field_name, ""),
            "errors": errors.get(item.field_name, []),
            "id": f"flytt-{item.kind}-{index}",
        }
        for index, item in enumerate(lost)
    ]
    return render(
        request,
        "administration/styrmodell_confirm.html",
        {
            "organisation": organisation,
            "spec": spec,
            "rows": rows,
            "refused": bool(found),
            "hidden": forms.hidden(),
            "breadcrumbs": _crumbs(organisation),
        },
    )


def summary(forms: StyrmodellForms) -> list[dict[str, Any]]:
    """Every problem on the page, each linked to its input (for the error summary)."""
    if forms.data is None:
        return []
    items: list[dict[str, Any]] = []

    def add(form: Any, where: str) -> None:
        for name, field_errors in form.errors.items():
            if name == "__all__":
                anchor = next(iter(form.fields))
                for message in field_errors:
                    items.append({"anchor": form[anchor].id_for_label, "text": f"{where}{message}"})
                continue
            for message in field_errors:
                label = f"{where}{form.fields[name].label}: "
                items.append({"anchor": form[name].id_for_label, "text": f"{label}{message}"})

    add(forms.model, "")
    for name, formset in forms.formsets.items():
        for message in formset.non_form_errors():
            items.append({"anchor": f"{formset.prefix}-h", "text": message})
        for number, form in enumerate(formset.forms, start=1):
            add(form, str(_ROW_LABEL[name]) % {"n": number} + " – ")
    return items


_ROW_LABEL = {
    "levels": gettext_lazy("Målnivå, rad %(n)d"),
    "steps": gettext_lazy("Bedömningssteg, rad %(n)d"),
    "perspectives": gettext_lazy("Perspektiv, rad %(n)d"),
}
