"""Forms of the internal-control pages. They only read input; rules live in the actions."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from uppsikt.followup.statuses import WorkStatus
from uppsikt.lib.concurrency import TracksEdits
from uppsikt.lib.uploads import UploadField
from uppsikt.periods.models import ReportingPeriod

from .models import Decision, Requirement, Sufficiency
from .scale import Level, Scale


def _step_choices(labels: tuple[str, ...]) -> list[tuple[str, str]]:
    return [("", str(_("Inte bedömd")))] + [
        (str(step), f"{step} – {label}") for step, label in enumerate(labels, 1)
    ]


class RiskAssessmentForm(forms.Form):
    likelihood = forms.TypedChoiceField(
        label=_("Sannolikhet"), coerce=int, empty_value=None, required=False
    )
    consequence = forms.TypedChoiceField(
        label=_("Konsekvens"), coerce=int, empty_value=None, required=False
    )
    decision = forms.ChoiceField(
        label=_("Beslut"),
        required=False,
        choices=[("", _("Inte beslutat")), *list(Decision.choices)],
        help_text=_("En risk som inte accepteras ska ha minst en åtgärd."),
    )
    motivation = forms.CharField(
        label=_("Motivering"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, scale: Scale, **kwargs):
        super().__init__(*args, **kwargs)
        cast("forms.ChoiceField", self.fields["likelihood"]).choices = _step_choices(
            scale.likelihood_labels
        )
        cast("forms.ChoiceField", self.fields["consequence"]).choices = _step_choices(
            scale.consequence_labels
        )


class FollowUpForm(TracksEdits, forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Ingen status ännu")), *list(WorkStatus.choices)],
    )
    comment = forms.CharField(
        label=_("Kommentar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Stycken skiljs åt med en tom rad; rader som börjar med ”- ” blir en punktlista."
        ),
    )


class DeviationForm(forms.Form):
    found = forms.CharField(
        label=_("Avvikelse"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Vad upptäcktes vid uppföljningen?"),
    )
    handling = forms.CharField(
        label=_("Hantering"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Vad görs med anledning av avvikelsen?"),
    )


class DeviationEditForm(TracksEdits, DeviationForm):
    """An avvikelse as it was when the page was opened (``lib.concurrency``)."""


class SufficiencyForm(forms.Form):
    level = forms.ChoiceField(label=_("Bedömning"), choices=[("", "–"), *list(Sufficiency.choices)])
    motivation = forms.CharField(label=_("Motivering"), widget=forms.Textarea(attrs={"rows": 5}))


class ImportForm(forms.Form):
    file = UploadField(
        label=_("XLSX-fil"),
        help_text=_("En rad per åtgärd med rubrikraden Verksamhet, Risk, Åtgärd … som i exporten."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )


class ScaleForm(forms.Form):
    likelihood_labels = forms.CharField(
        label=_("Sannolikhetens steg"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("En benämning per rad, från steg 1 och uppåt."),
    )
    consequence_labels = forms.CharField(
        label=_("Konsekvensens steg"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("En benämning per rad, från steg 1 och uppåt."),
    )
    medium_from = forms.IntegerField(label=_("Medel från riskvärde"), min_value=1)
    high_from = forms.IntegerField(label=_("Hög från riskvärde"), min_value=1)

    def clean_likelihood_labels(self) -> list[str]:
        return [
            line.strip()
            for line in self.cleaned_data["likelihood_labels"].splitlines()
            if line.strip()
        ]

    def clean_consequence_labels(self) -> list[str]:
        return [
            line.strip()
            for line in self.cleaned_data["consequence_labels"].splitlines()
            if line.strip()
        ]


class RiskFilterForm(forms.Form):
    """The risk list's filters (GET); every field optional."""

    omrade = forms.ChoiceField(label=_("Verksamhet"), required=False)
    enhet = forms.ChoiceField(label=_("Enhet"), required=False)
    niva = forms.ChoiceField(
        label=_("Risknivå"), required=False, choices=[("", _("Alla")), *list(Level.choices)]
    )
    minsta = forms.IntegerField(label=_("Lägsta riskvärde"), required=False, min_value=1)
    beslut = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alla")), ("ej_bedomd", _("Inte bedömd")), *list(Decision.choices)],
    )
    uppfoljning = forms.ChoiceField(
        label=_("Uppföljningsstatus för någon åtgärd"),
        required=False,
        choices=[("", _("Alla")), *list(WorkStatus.choices), ("ej_uppfoljd", _("Inte uppföljd"))],
    )
    period = forms.TypedChoiceField(
        label=_("Uppföljningstillfälle"), required=False, coerce=int, empty_value=None
    )
    sannolikhet = forms.IntegerField(label=_("Sannolikhet"), required=False, min_value=1)
    konsekvens = forms.IntegerField(label=_("Konsekvens"), required=False, min_value=1)
    krav = forms.ChoiceField(
        label=_("Krav som hotas"),
        required=False,
        choices=[("", _("Alla")), *list(Requirement.choices)],
    )
    ordning = forms.ChoiceField(
        label=_("Sortering"),
        required=False,
        choices=[
            ("", _("Riskvärde, högst först")),
            ("plan", _("Planens ordning")),
        ],
    )

    def __init__(self, *args, areas: list[str], units: list[tuple[str, str]], periods, **kwargs):
        super().__init__(*args, **kwargs)
        cast("forms.ChoiceField", self.fields["omrade"]).choices = [("", _("Alla"))] + [
            (a, a) for a in areas
        ]
        cast("forms.ChoiceField", self.fields["enhet"]).choices = [("", _("Alla")), *units]
        cast("forms.ChoiceField", self.fields["period"]).choices = [("", _("Det senaste"))] + [
            (str(period.pk), period.name) for period in periods
        ]


class RiskForm(forms.Form):
    area = forms.CharField(
        label=_("Verksamhet"), max_length=200, help_text=_("Process eller område, t.ex. HR.")
    )
    text = forms.CharField(
        label=_("Risk"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    requirements = forms.MultipleChoiceField(
        label=_("Krav som hotas"),
        required=False,
        choices=Requirement.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    is_region_wide = forms.BooleanField(
        label=_("Regionövergripande (gäller samtliga nämnder)"), required=False
    )
    note = forms.CharField(
        label=_("Anmärkning"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, region_wide_allowed: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not region_wide_allowed:
            del self.fields["is_region_wide"]


class MeasureForm(forms.Form):
    text = forms.CharField(
        label=_("Åtgärd"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    responsible = forms.CharField(
        label=_("Ansvarig"), required=False, max_length=200, help_text=_("Roll eller person.")
    )
    control_method = forms.CharField(
        label=_("Kontrollmoment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    frequency = forms.CharField(label=_("Frekvens"), required=False, max_length=100)
    reported_in = forms.MultipleChoiceField(
        label=_("Rapporteras i"),
        required=False,
        choices=ReportingPeriod.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Inget val betyder varje uppföljning."),
    )


class RiskEditForm(TracksEdits, RiskForm):
    """A risk as it was when the page was opened (``lib.concurrency``)."""


class MeasureEditForm(TracksEdits, MeasureForm):
    """An åtgärd as it was when the page was opened (``lib.concurrency``)."""
