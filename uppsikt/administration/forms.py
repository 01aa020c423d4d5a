"""Forms of the onboarding pages. They only read input; the rules live in ``actions``."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from uppsikt.lib.uploads import UploadField
from uppsikt.organisations.models import Unit


class RegistrySearchForm(forms.Form):
    q = forms.CharField(
        label=_("Sök i registret"),
        required=False,
        max_length=100,
        help_text=_("En del av namnet, t.ex. ”Lekeberg”, eller koden, t.ex. 1814."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class NewOrganisationForm(forms.Form):
    code = forms.CharField(
        label=_("Kod"),
        max_length=10,
        help_text=_("Kommunkoden (fyra siffror, t.ex. 1814) eller regionens kod (t.ex. 0018)."),
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "ny_%s")
        super().__init__(*args, **kwargs)


def _kind_field() -> forms.ChoiceField:
    return forms.ChoiceField(label=_("Typ"), choices=Unit.Kind.choices)


def _responsibility_field() -> forms.CharField:
    return forms.CharField(
        label=_("Ansvar och sakområden"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class UnitChangeForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=200)
    kind = _kind_field()
    responsibility = _responsibility_field()


class NewUnitForm(forms.Form):
    parent = forms.ChoiceField(
        label=_("Överordnad enhet"),
        required=False,
        help_text=_("Lämna tomt för en toppenhet, t.ex. fullmäktige."),
    )
    slug = forms.CharField(
        label=_("Kortnamn (slug)"),
        max_length=80,
        help_text=_("Enhetens korta namn i adresser: gemena a–z, siffror och bindestreck."),
    )
    name = forms.CharField(label=_("Namn"), max_length=200)
    kind = _kind_field()
    responsibility = _responsibility_field()

    def __init__(self, *args, tree: list[tuple[Unit, int]], **kwargs) -> None:
        kwargs.setdefault("auto_id", "enhet_%s")
        super().__init__(*args, **kwargs)
        self.units = {str(unit.pk): unit for unit, _depth in tree}
        field = self.fields["parent"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Ingen – en toppenhet"))] + [
            (str(unit.pk), "\u2003" * depth + unit.name) for unit, depth in tree
        ]

    def clean_parent(self) -> Unit | None:
        value = self.cleaned_data.get("parent") or ""
        if value and value not in self.units:
            raise ValidationError(_("Välj en enhet i listan."))
        return self.units.get(value)


class UnitFileForm(forms.Form):
    file = UploadField(
        label=_("Fil med enheter (CSV eller XLSX)"),
        help_text=_("Kolumnerna slug, namn, typ, överordnad och ansvar (ansvar får saknas)."),
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "fil_%s")
        super().__init__(*args, **kwargs)
