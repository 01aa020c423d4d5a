from typing import TYPE_CHECKING, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from uppsikt.lib.concurrency import TracksEdits

from .levels import set_level_choices
from .models import Goal, Indicator

if TYPE_CHECKING:
    from uppsikt.organisations.models import Unit


class GoalForm(TracksEdits, forms.ModelForm):
    """Edit a goal's own words. Its place in the plan and its links are kept.

    It carries the goal's version and the words it was opened with (``lib.concurrency``)."""

    class Meta:
        model = Goal
        fields = ["kind", "number", "text", "description"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "number": _("Som i dokumentet, t.ex. 1 eller 3.2. Lämna tomt om målet saknar nummer."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.plan_id:  # a new goal's form (the editor's) is given its plan
            set_level_choices(self, self.instance.plan.unit)

    def clean_text(self) -> str:
        text = " ".join(self.cleaned_data["text"].split())
        if len(text) < 3:
            raise forms.ValidationError(_("Skriv målet med minst tre tecken."))
        return text

    def clean_number(self) -> str:
        number = self.cleaned_data["number"].strip()
        if number and not all(part.isdigit() for part in number.split(".")):
            raise forms.ValidationError(
                _("Numret får bara innehålla siffror och punkter, t.ex. 1 eller 3.2.")
            )
        return number


class IndicatorForm(TracksEdits, forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}
        labels = {"text": _("Indikator")}

    def clean_text(self) -> str:
        return " ".join(self.cleaned_data["text"].split())


IndicatorFormSet = forms.inlineformset_factory(
    Goal, Indicator, form=IndicatorForm, extra=1, can_delete=True, max_num=50, validate_max=True
)


class RevisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Varför revideras planen?"),
        help_text=_("Skälet sparas i ändringsloggen, t.ex. ett nytt beslut i fullmäktige."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def clean_reason(self) -> str:
        reason = " ".join(self.cleaned_data["reason"].split())
        if len(reason) < 3:
            raise forms.ValidationError(_("Skriv skälet med minst tre tecken."))
        return reason


class DecisionForm(forms.Form):
    decided_by: "forms.ModelChoiceField[Unit]" = forms.ModelChoiceField(
        label=_("Beslutat av"),
        queryset=None,
        empty_label=_("– välj organet –"),
        help_text=_("Organet som fattade beslutet, t.ex. regionstyrelsen."),
    )
    decided_on = forms.DateField(
        label=_("Beslutsdatum"),
        help_text=_("Skriv datumet som ÅÅÅÅ-MM-DD, t.ex. 2023-06-13."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        from uppsikt.organisations.models import Unit

        cast(
            "forms.ModelChoiceField[Unit]", self.fields["decided_by"]
        ).queryset = Unit.objects.filter(organisation=organisation).order_by("position", "name")
