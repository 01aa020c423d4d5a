"""The milestone form (the rules are in ``actions``) and showing an action's refusal on a form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from uppsikt.organisations.models import Organisation, Unit

from .models import Milestone


class MilestoneForm(forms.Form):
    date = forms.DateField(
        label=_("Datum"),
        help_text=_("Som ÅÅÅÅ-MM-DD, inom året."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    kind = forms.ChoiceField(label=_("Typ"), choices=Milestone.Kind.choices)
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    responsible = forms.ModelChoiceField(
        label=_("Ansvarig enhet"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("Ingen särskild"),
    )
    description = forms.CharField(
        label=_("Beskrivning"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, organisation: Organisation, prefix_id: str = "", **kwargs) -> None:
        if prefix_id:
            kwargs.setdefault("auto_id", f"{prefix_id}_%s")
        super().__init__(*args, **kwargs)
        field = self.fields["responsible"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Unit.objects.filter(organisation=organisation).order_by("position", "name")
