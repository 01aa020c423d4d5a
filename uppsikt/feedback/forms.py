"""The feedback app's forms. The residents' forms only carry the fields: what is stored and
what is refused (with the field named) is decided in ``actions.py``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .actions import STATEMENT_FIELDS
from .models import COMMENT_MAX, DESCRIPTION_MAX, AccessibilityStatement

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StatementForm(forms.ModelForm[AccessibilityStatement]):
    class Meta:
        model = AccessibilityStatement
        fields = list(STATEMENT_FIELDS)
        widgets = {
            "assessed_on": DATE,
            "published_on": DATE,
            "reviewed_on": DATE,
            "non_compliant": forms.Textarea(attrs={"rows": 6}),
            "disproportionate": forms.Textarea(attrs={"rows": 3}),
            "out_of_scope": forms.Textarea(attrs={"rows": 3}),
            "testing": forms.Textarea(attrs={"rows": 5}),
        }


class ResidentText(forms.CharField):
    """A text field of the residents' forms: control characters, NUL among them, are taken
    out when the text is stored (``text.clean_text``), not refused with a message that
    names no field."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]


class ReportForm(forms.Form):
    page = ResidentText(
        label=_("Sidans adress"),
        help_text=_("Adressen till sidan där problemet finns, till exempel /insyn/0018/."),
    )
    description = ResidentText(
        label=_("Beskriv problemet"),
        help_text=format_lazy(
            _(
                "Vad försökte du göra, och vad hände? Berätta gärna vilket hjälpmedel, vilken "
                "webbläsare och vilken enhet du använde. Högst {limit} tecken."
            ),
            limit=DESCRIPTION_MAX,
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    name = ResidentText(
        label=_("Ditt namn (frivilligt)"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = ResidentText(
        label=_("Din e-post (frivilligt)"),
        required=False,
        help_text=_("Om du vill ha svar och ett kvitto med ärendenumret."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class CommentForm(forms.Form):
    comment = ResidentText(
        label=_("Vill du berätta mer? (frivilligt)"),
        required=False,
        help_text=format_lazy(
            _(
                "Vad saknade du, eller vad var bra? Skriv inga personuppgifter; vi kan inte "
                "svara här. Högst {limit} tecken."
            ),
            limit=COMMENT_MAX,
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class HandledForm(forms.Form):
    note = forms.CharField(
        label=_("Vad som gjordes (frivilligt)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
