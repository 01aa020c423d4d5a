"""The page where an organisation's administrator keeps its key figures (a staff page)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from uppsikt.accounts.access import Perm, require_on_organisation, units_with
from uppsikt.lib.numbers import format_exact
from uppsikt.organisations.models import Organisation

from .actions import save_key_figures
from .key_figures import FIELDS, MAX_LENGTHS, MAX_ROWS
from .models import KeyFigure

BLANK_ROWS = 3


class KeyFigureForm(forms.Form):
    heading = forms.CharField(
        label=gettext_lazy("Rubrik"),
        required=False,
        max_length=MAX_LENGTHS["heading"] * 4,  # the action names the limit in Swedish
        help_text=gettext_lazy("Gruppen talet står i, t.ex. En dag hos oss."),
    )
    value = forms.CharField(
        label=gettext_lazy("Tal"),
        required=False,
        max_length=40,
        help_text=gettext_lazy("Skrivet som 1 023 eller 74,1."),
    )
    text = forms.CharField(
        label=gettext_lazy("Text efter talet"),
        required=False,
        max_length=MAX_LENGTHS["text"] * 4,
        help_text=gettext_lazy("T.ex. personer besöker sjukhuset."),
    )
    source = forms.CharField(
        label=gettext_lazy("Källa"), required=False, max_length=MAX_LENGTHS["source"] * 4
    )
    year = forms.CharField(label=gettext_lazy("År"), required=False, max_length=10)


KeyFigureFormSet = forms.formset_factory(
    KeyFigureForm,
    extra=BLANK_ROWS,
    can_delete=True,
    max_num=MAX_ROWS + BLANK_ROWS,
    validate_max=True,
    absolute_max=MAX_ROWS + BLANK_ROWS,
)


def _initial(organisation: Organisation) -> list[dict[str, str]]:
    return [
        {
            "heading": figure.heading,
            "value": format_exact(figure.value),
            "text": figure.text,
            "source": figure.source,
            "year": str(figure.year or ""),
        }
        for figure in KeyFigure.objects.filter(organisation=organisation)
    ]


def _organisation(request, code: str) -> Organisation:
    """The organisation, for its administrators (403 for its other readers, else 404)."""
    organisation = get_object_or_404(Organisation, code=code)
    readable = units_with(request.user, Perm.VIEW)
    units = organisation.units.values_list("pk", flat=True)
    if not request.user.is_superuser and not any(unit in readable for unit in units):
        raise Http404
    require_on_organisation(request.user, Perm.ADMIN, organisation.pk)
    return organisation


def _rows(formset) -> list[dict[str, object]]:
    """Every row as written; a row marked for removal is given as blank (skipped)."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
        rows.append({} if data.get("DELETE") else {f: data.get(f, "") for f in FIELDS})
    return rows


def _show(formset, error: ValidationError) -> None:
    for key, errors in error.message_dict.items():
        index, _sep, field = key.partition("-")
        if index.isdigit() and int(index) < len(formset.forms):
            for message in errors:
                formset.forms[int(index)].add_error(field, message)
        else:
            formset._non_form_errors = formset.error_class(errors)


@login_required
def key_figures(request, code: str):
    organisation = _organisation(request, code)
    formset = KeyFigureFormSet(request.POST or None, initial=_initial(organisation))
    if request.method == "POST" and formset.is_valid():
        try:
            save_key_figures(organisation, _rows(formset), actor=request.user)
        except ValidationError as error:
            _show(formset, error)
        else:
            messages.success(
                request, _("Nyckeltalen för %(name)s är sparade.") % {"name": organisation}
            )
            return redirect("public:key_figures", organisation.code)
    return render(
        request,
        "public/key_figures_edit.html",
        {
            "organisation": organisation,
            "formset": formset,
            "breadcrumbs": [
                (organisation.name, organisation.get_absolute_url()),
                (_("Nyckeltal"), None),
            ],
        },
    )


def key_figures_panel(organisation: Organisation, user) -> dict | None:
    """The organisation page's link to its public site, and to its key figures for its
    administrators."""
    may_edit = False
    if getattr(user, "is_authenticated", False):
        try:
            require_on_organisation(user, Perm.ADMIN, organisation.pk)
        except PermissionDenied:
            pass
        else:
            may_edit = True
    if organisation.kind not in (Organisation.Kind.REGION, Organisation.Kind.KOMMUN):
        return None
    return {"organisation": organisation, "may_edit": may_edit}
