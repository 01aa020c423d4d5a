from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from uppsikt.governance.words import Styrmodell
from uppsikt.lib.numbers import NumberError, format_exact, parse_number
from uppsikt.lib.uploads import UploadField
from uppsikt.organisations.models import Organisation

from .formatting import format_number
from .importers.files import FORMAT_LABELS
from .importers.rows import read_value
from .models import Aggregation, DerivedIndicator, IndicatorDefinition
from .periods import PeriodError, format_period, parse_period
from .rules import rule_from_data


class DecisionForm(forms.Form):
    """A person's decision: a step of the organisation's scale (``scale``) or "ej bedömbar"."""

    status = forms.ChoiceField(label=_("Bedömning"), choices=())
    comment = forms.CharField(
        label=_("Kommentar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Obligatorisk när bedömningen avviker från förslaget; frivillig när du bekräftar "
            "förslaget."
        ),
    )

    def __init__(self, *args, scale: Styrmodell, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["status"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = scale.status_choices()


class ImportForm(forms.Form):
    file = UploadField(
        label=_("Fil"),
        help_text=_("CSV, Excel (XLSX) eller Koladas JSON-format."),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[("", _("Efter filändelsen (.csv, .xlsx, .json)")), *FORMAT_LABELS.items()],
    )
    skip_bad_rows = forms.BooleanField(
        label=_("Hoppa över felaktiga rader och läs in resten"),
        required=False,
        help_text=_("Annars läses ingenting in om någon rad är felaktig."),
    )


class AggregationForm(forms.Form):
    SCOPES = [("goal", _("Bara det här målet")), ("plan", _("Alla mål i planen"))]

    rule = forms.ChoiceField(label=_("Sammanvägningsregel"), choices=Aggregation.choices)
    scope = forms.ChoiceField(
        label=_("Gäller"), choices=SCOPES, widget=forms.RadioSelect, initial="goal"
    )


class TargetRuleForm(forms.Form):
    """A target rule in fields; ``rule`` (after ``is_valid()``) is the rule object."""

    KINDS = [
        ("change", _("Förändring jämfört med föregående år")),
        ("threshold", _("Gränsvärde (minst / högst)")),
        ("reference", _("Jämfört med en annan organisation, t.ex. riket")),
        ("balance", _("Resultat i balans (minst noll)")),
        ("target", _("Målvärden per period")),
        ("report_only", _("Ska redovisas, utan målvärde")),
        ("qualitative", _("Kvalitativ: bedöms av en person")),
    ]
    kind = forms.ChoiceField(label=_("Typ av målregel"), choices=KINDS)
    direction = forms.ChoiceField(
        label=_("Riktning (förändring)"),
        required=False,
        choices=[
            ("increase", _("Ska öka")),
            ("decrease", _("Ska minska")),
            ("improve", _("Ska förbättras (efter indikatorns riktning)")),
        ],
    )
    minimum = forms.CharField(label=_("Minst (gränsvärde)"), required=False)
    maximum = forms.CharField(label=_("Högst (gränsvärde)"), required=False)
    reference = forms.CharField(
        label=_("Jämförelseorganisationens kod"),
        required=False,
        initial="0000",
        help_text=_("0000 är riket."),
    )
    comparison = forms.ChoiceField(
        label=_("Jämförelse"),
        required=False,
        choices=[("higher", _("Högre än")), ("lower", _("Lägre än"))],
    )
    targets = forms.CharField(
        label=_("Målvärden"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("En period per rad, t.ex. ”2023: 75” och ”2024: 80”."),
    )
    target_comparison = forms.ChoiceField(
        label=_("Målvärdet ska nås"),
        required=False,
        choices=[("at_least", _("Minst målvärdet")), ("at_most", _("Högst målvärdet"))],
    )

    def _number(self, name: str):
        text = self.cleaned_data.get(name, "").strip()
        if not text:
            return None
        try:
            return read_value(text)
        except ValueError as error:
            self.add_error(name, str(error))
            return None

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        rule = None
        if kind == "change":
            rule = {"kind": kind, "direction": data.get("direction") or "increase"}
        elif kind == "threshold":
            low, high = self._number("minimum"), self._number("maximum")
            if low is None and high is None and not self.errors:
                self.add_error("minimum", _("Ange minst eller högst."))
            elif low is not None and high is not None and low > high:
                self.add_error("maximum", _("Högst kan inte vara mindre än minst."))
            rule = {"kind": kind, "minimum": low, "maximum": high}
        elif kind == "reference":
            code = (data.get("reference") or "").strip()
            if not Organisation.objects.filter(code=code).exists():
                self.add_error("reference", _("Okänd organisation ”%(code)s”.") % {"code": code})
            rule = {
                "kind": kind,
                "reference": code,
                "comparison": data.get("comparison") or "higher",
            }
        elif kind == "target":
            targets = {}
            for number, line in enumerate((data.get("targets") or "").splitlines(), start=1):
                if not line.strip():
                    continue
                period, _sep, value = line.partition(":")
                try:
                    period = format_period(parse_period(period))
                    targets[period] = read_value(value.strip())
                except (PeriodError, ValueError):
                    self.add_error(
                        "targets",
                        _("Rad %(n)s: skriv period och värde, t.ex. ”2023: 75”.") % {"n": number},
                    )
            if not targets and not self.errors:
                self.add_error("targets", _("Ange minst ett målvärde."))
            rule = {
                "kind": kind,
                "targets": targets,
                "comparison": data.get("target_comparison") or "at_least",
            }
        elif kind:
            rule = {"kind": kind}
        if rule is not None and not self.errors:
            self.rule = rule_from_data(rule)
        return data

    @staticmethod
    def initial_for(rule) -> dict:
        initial = {"kind": rule.kind}
        if rule.kind == "change":
            initial["direction"] = rule.direction
        elif rule.kind == "threshold":
            for name in ("minimum", "maximum"):
                value = getattr(rule, name)
                initial[name] = "" if value is None else _shown(value)
        elif rule.kind == "reference":
            initial.update(reference=rule.reference, comparison=rule.comparison)
        elif rule.kind == "target":
            initial["targets"] = "\n".join(
                f"{period}: {_shown(value)}" for period, value in rule.targets
            )
            initial["target_comparison"] = rule.comparison
        return initial


def _shown(value) -> str:
    """A rule's number for editing, with every decimal it has (at least one): confirming
    the form unchanged must give back the same rule, not a rounded one."""
    places = max(1, -value.normalize().as_tuple().exponent)
    return format_number(value, places)


DERIVATION_INPUTS = 5  # input fields on the page; a sum of more is for the data file


class DerivationForm(forms.Form):
    """A derived indicator's formula (``actions.define_derived`` checks it)."""

    kind = forms.ChoiceField(
        label=_("Beräkning"),
        choices=DerivedIndicator.Kind.choices,
        widget=forms.RadioSelect,
        help_text=_("Kvot: den första delad med den andra. Skillnad: den första minus den andra."),
    )
    factor = forms.CharField(
        label=_("Faktor (bara för kvot)"),
        initial="1",
        max_length=30,
        help_text=_(
            "Kvoten multipliceras med faktorn: 1 000 för per 1 000 invånare, 100 för procent."
        ),
    )
    decimals = forms.IntegerField(label=_("Decimaler"), min_value=0, max_value=4, initial=1)

    def __init__(self, *args, definition: IndicatorDefinition, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = IndicatorDefinition.objects.exclude(pk=definition.pk).order_by("name")
        for number in range(1, DERIVATION_INPUTS + 1):
            self.fields[f"input_{number}"] = forms.ModelChoiceField(
                label=_("Indikator %(number)s") % {"number": number},
                queryset=choices,
                to_field_name="key",
                required=number <= 2,
                empty_label=_("(ingen)"),
            )
        self.order_fields(["kind", *(f"input_{n}" for n in range(1, DERIVATION_INPUTS + 1))])

    @staticmethod
    def initial_for(derivation: DerivedIndicator | None) -> dict:
        if derivation is None:
            return {}
        initial = {
            "kind": derivation.kind,
            "factor": format_exact(derivation.factor),
            "decimals": derivation.decimals,
        }
        for item in derivation.inputs.select_related("definition").order_by("position"):
            initial[f"input_{item.position + 1}"] = item.definition.key
        return initial

    def clean_factor(self) -> Decimal:
        try:
            return parse_number(self.cleaned_data["factor"])
        except NumberError as error:
            raise forms.ValidationError(str(error)) from error

    @property
    def inputs(self) -> list[IndicatorDefinition]:
        fields = (f"input_{n}" for n in range(1, DERIVATION_INPUTS + 1))
        return [self.cleaned_data[name] for name in fields if self.cleaned_data.get(name)]
