"""The catalogue's search form and the KPI page's forms for linking.

The forms only read what was sent; the rules are in ``search.py`` and ``linking.py``, whose
refusals name their fields. A value outside a list's choices is refused here with a message
naming the field too.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from uppsikt.indicators.models import IndicatorDefinition, Polarity

from .search import Criteria, operating_areas


def _choice_error(label: Any) -> dict[str, Any]:
    return {"invalid_choice": _("%(label)s: Välj ett av alternativen i listan.") % {"label": label}}


class SearchForm(forms.Form):
    """The catalogue's GET form; its field names are the page's query parameters."""

    q = forms.CharField(label=_("Sökord"), required=False, max_length=200)
    omrade = forms.ChoiceField(
        label=_("Verksamhetsområde"),
        required=False,
        error_messages=_choice_error(_("Verksamhetsområde")),
    )
    per_kon = forms.ChoiceField(
        label=_("Redovisas per kön"),
        required=False,
        choices=[("", _("Alla")), ("ja", _("Ja")), ("nej", _("Nej"))],
        error_messages=_choice_error(_("Redovisas per kön")),
    )
    galler = forms.ChoiceField(
        label=_("Gäller"),
        required=False,
        choices=[("", _("Kommun eller region")), ("K", _("Kommun")), ("L", _("Region"))],
        error_messages=_choice_error(_("Gäller")),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas = [(area, area) for area in operating_areas()]
        self.fields["omrade"].choices = [("", _("Alla verksamhetsområden")), *areas]  # type: ignore[attr-defined]
        self.fields["q"].error_messages["max_length"] = _(
            "Sökord: Skriv högst %(limit_value)d tecken."
        )

    def criteria(self) -> Criteria:
        """What to search for: the fields that are valid (an unknown choice is left out)."""
        if not self.is_bound:
            return Criteria()
        self.is_valid()  # keeps the valid fields in cleaned_data, even with errors
        data = self.cleaned_data
        return Criteria(
            text=data.get("q", ""),
            area=data.get("omrade", ""),
            by_gender=data.get("per_kon", ""),
            applies_to=data.get("galler", ""),
        )


def definition_label(definition: IndicatorDefinition) -> str:
    """A definition in the list to link to: its name and where its values come from now."""
    source = str(definition.get_source_kind_display())
    if definition.source_code:
        source = f"{source} {definition.source_code}"
    return f"{definition.name} ({source})"


class LinkForm(forms.Form):
    """Link the KPI to a definition of the library."""

    definition = forms.IntegerField(
        label=_("Definition"),
        widget=forms.Select,
        error_messages={"invalid": _("Definition: Välj en definition i listan.")},
    )
    confirm = forms.BooleanField(
        label=_("Jag bekräftar kopplingen trots det som står ovan"),
        required=False,
    )

    def __init__(self, *args: Any, definitions: list[IndicatorDefinition], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["definition"]
        field.error_messages["required"] = _("Definition: Välj en definition i listan.")
        field.widget.choices = [
            ("", _("Välj en definition")),
            *((item.pk, definition_label(item)) for item in definitions),
        ]

    def chosen(self) -> IndicatorDefinition | None:
        return IndicatorDefinition.objects.filter(pk=self.cleaned_data["definition"]).first()


class CreateForm(forms.Form):
    """A new definition from the KPI: the person chooses its unit and polarity."""

    unit = forms.ChoiceField(
        label=_("Enhet"),
        required=False,
        choices=[("", _("Välj enhet")), *IndicatorDefinition.Unit.choices],
        error_messages=_choice_error(_("Enhet")),
    )
    polarity = forms.ChoiceField(
        label=_("Riktning"),
        required=False,
        choices=[("", _("Välj riktning")), *Polarity.choices],
        error_messages=_choice_error(_("Riktning")),
    )


class UnlinkForm(forms.Form):
    definition = forms.IntegerField(widget=forms.HiddenInput)
