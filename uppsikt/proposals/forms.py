"""The forms of the plan-document pages: the upload, and the corrections of one object."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from uppsikt.lib.uploads import UploadField
from uppsikt.organisations.models import Unit
from uppsikt.plans.actions.authoring import FIRST_YEAR, LAST_YEAR
from uppsikt.plans.creation_forms import UnitChoiceField, planning_units


class UploadForm(forms.Form):
    enhet = UnitChoiceField(
        label=_("Enhet"),
        queryset=Unit.objects.none(),
        empty_label=_("Välj enhet"),
        help_text=_("Enheten vars plan dokumentet är."),
    )
    ar = forms.IntegerField(
        label=_("År"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        help_text=_("Året utkastet ska gälla."),
    )
    fil = UploadField(
        label=_("Plandokument"),
        help_text=_(
            "En PDF med textlager eller ett Word-dokument (DOCX). En skannad PDF utan text "
            "kan inte läsas."
        ),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enhet"].queryset = planning_units(user)  # type: ignore[attr-defined]


class TextFieldsForm(forms.Form):
    """One object's texts: a field per text the object has (lists one item a line)."""

    def __init__(self, *args: Any, node_fields: dict[str, Any], labels: dict, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name, value in node_fields.items():
            if name not in labels:  # not a text: a goal's level, a rule, a unit match
                continue
            if isinstance(value, list) and all(isinstance(item, str) for item in value):
                initial: str = "\n".join(value)
            elif isinstance(value, str):
                initial = value
            else:
                continue
            long = name in {"body", "description", "note", "statements", "items", "text"}
            self.fields[f"f_{name}"] = forms.CharField(
                label=labels.get(name, name),
                required=False,
                initial=initial,
                widget=forms.Textarea(attrs={"rows": 4}) if long else forms.TextInput(),
                help_text=_("En punkt per rad.") if isinstance(value, list) else "",
            )

    def values(self) -> dict[str, str]:
        return {name[2:]: value for name, value in self.cleaned_data.items()}
