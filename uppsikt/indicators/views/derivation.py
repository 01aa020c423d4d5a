"""A derived indicator's formula: defining, changing and removing it (``actions``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from uppsikt.lib.problems import show_refusal
from uppsikt.lib.typing import AuthenticatedRequest

from ..actions import define_derived, remove_derivation, require_definition_change
from ..derived import describe
from ..forms import DerivationForm
from ..models import DerivedIndicator, IndicatorDefinition


@login_required
def edit_derivation(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Who may change the definition may change its formula (``require_definition_change``)."""
    definition = get_object_or_404(IndicatorDefinition, pk=pk)
    require_definition_change(request.user, definition)
    derivation = DerivedIndicator.objects.filter(definition=definition).first()
    if request.method == "POST" and "remove" in request.POST:
        try:
            remove_derivation(definition, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Beräkningen är borttagen; de beräknade värdena finns kvar.")
            )
        return redirect(definition.get_absolute_url())
    form = DerivationForm(
        request.POST or None,
        definition=definition,
        initial=DerivationForm.initial_for(derivation),
    )
    if request.method == "POST" and form.is_valid():
        try:
            define_derived(
                definition,
                kind=form.cleaned_data["kind"],
                inputs=form.inputs,
                factor=form.cleaned_data["factor"],
                decimals=form.cleaned_data["decimals"],
                actor=request.user,
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Beräkningen är sparad och värdena är omräknade."))
            return redirect(definition.get_absolute_url())
    return render(
        request,
        "indicators/derivation_form.html",
        {
            "definition": definition,
            "derivation": derivation,
            "formula": describe(derivation) if derivation else "",
            "form": form,
            "breadcrumbs": [
                (_("Indikatorer"), reverse("indicators:list")),
                (definition.name, definition.get_absolute_url()),
                (_("Beräkning"), None),
            ],
        },
    )
