from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Status


class DecisionForm(forms.Form):
    status = forms.ChoiceField(label=_("Bedömning"), choices=Status.choices)
    comment = forms.CharField(
        label=_("Kommentar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Obligatorisk när bedömningen avviker från förslaget."),
    )
