"""The forms of the indicator authoring page (``views/authoring.py``): what the indicator is
measured with (``DefinitionChoiceForm``) and its target rule with target values per year
as rows (``RuleAuthoringForm``). Both check what ``authoring.set_indicator_target`` checks,
with the same words, so the page names each problem at its field."""

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .authoring import NEW_DEFINITION_FIELDS, rule_problems, value_problem
from .forms import TargetRuleForm, _shown
from .importers.rows import read_value
from .models import IndicatorDefinition, Polarity
from .periods import PeriodError, format_period, parse_period
from .rules import TargetRule, TargetValueRule

LISTED_DEFINITIONS = 300  # the most definitions the select lists; a search narrows it


def definition_label(definition: IndicatorDefinition) -> str:
    return f"{definition.name} ({definition.get_unit_display()})"


def matching_definitions(query: str) -> QuerySet[IndicatorDefinition]:
    """The library's definitions whose name, key or source id holds ``query``."""
    definitions = IndicatorDefinition.objects.order_by("name", "pk")
    query = " ".join(query.split())
    if query:
        definitions = definitions.filter(
            Q(name__icontains=query) | Q(key__icontains=query) | Q(source_code__icontains=query)
        )
    return definitions


class DefinitionChoiceForm(forms.Form):
    """A definition from the library, or the fields of a new one."""

    SOURCES = [
        ("library", _("Välj en definition ur indikatorbiblioteket")),
        ("new", _("Beskriv en ny definition")),
    ]
    source = forms.ChoiceField(
        label=_("Definition"), choices=SOURCES, widget=forms.RadioSelect, initial="library"
    )
    definition = forms.ModelChoiceField(
        label=_("Definition ur biblioteket"),
        queryset=IndicatorDefinition.objects.all(),
        required=False,
        empty_label=_("– välj en definition –"),
    )
    new_name = forms.CharField(label=_("Namn"), required=False, max_length=300)
    new_unit = forms.ChoiceField(
        label=_("Enhet"),
        required=False,
        choices=[("", _("– välj en enhet –")), *IndicatorDefinition.Unit.choices],
    )
    new_polarity = forms.ChoiceField(
        label=_("Riktning"),
        choices=Polarity.choices,
        initial=Polarity.HIGHER_BETTER,
        required=False,
    )
    new_description = forms.CharField(
        label=_("Beskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    new_source_kind = forms.ChoiceField(
        label=_("Källa"),
        choices=IndicatorDefinition.SourceKind.choices,
        initial=IndicatorDefinition.SourceKind.MANUELL,
        required=False,
    )
    new_source_code = forms.CharField(
        label=_("Källans id"),
        required=False,
        max_length=50,
        help_text=_("T.ex. Koladas KPI-id N79179."),
    )
    new_by_gender = forms.BooleanField(label=_("Redovisas per kön"), required=False)

    def __init__(self, *args: Any, query: str = "", current: int | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        listed = list(matching_definitions(query)[:LISTED_DEFINITIONS])
        if current is not None and all(d.pk != current for d in listed):
            listed[:0] = IndicatorDefinition.objects.filter(pk=current)
        self.listed_count = len(listed)
        # Listed: what the search found; accepted: any definition of the library.
        field = self.fields["definition"]
        assert isinstance(field, forms.ModelChoiceField)
        field.widget.choices = [
            ("", field.empty_label),
            *((d.pk, definition_label(d)) for d in listed),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("source") == "library":
            if not data.get("definition") and "definition" not in self.errors:
                self.add_error("definition", _("Välj en definition ur listan."))
        elif data.get("source") == "new":
            if not (data.get("new_name") or "").strip():
                self.add_error("new_name", _("Skriv vad indikatorn mäter."))
            if not data.get("new_unit"):
                self.add_error("new_unit", _("Välj en enhet."))
        return data

    @property
    def chosen(self) -> IndicatorDefinition | None:
        """The definition picked from the library (after ``is_valid()``)."""
        if self.cleaned_data.get("source") != "library":
            return None
        return self.cleaned_data.get("definition")

    @property
    def new_definition(self) -> dict[str, Any] | None:
        """The fields of the new definition, as the action takes them (after ``is_valid()``)."""
        if self.cleaned_data.get("source") != "new":
            return None
        fields = {
            name: self.cleaned_data[f"new_{name}"]
            for name in NEW_DEFINITION_FIELDS
            if f"new_{name}" in self.cleaned_data
        }
        # Not posted (a client that leaves them out): the model's defaults.
        for name in ("polarity", "source_kind"):
            if not fields.get(name):
                fields.pop(name, None)
        return fields

    def unit_hint(self) -> str:
        """The unit chosen so far, read from the posted data even when the form is not
        complete (for the preview); "" when none is chosen yet."""
        if not self.is_bound:
            definition = self.initial.get("definition")
            return definition.unit if isinstance(definition, IndicatorDefinition) else ""
        if self.data.get("source") == "new":
            unit = self.data.get("new_unit") or ""
            return unit if unit in IndicatorDefinition.Unit.values else ""
        try:
            pk = int(self.data.get("definition") or 0)
        except ValueError:
            return ""
        unit = IndicatorDefinition.objects.filter(pk=pk).values_list("unit", flat=True).first()
        return unit or ""


class RuleAuthoringForm(TargetRuleForm):
    """``TargetRuleForm`` with the kind as radio buttons and the target values per year as
    rows (``target_period_N``, ``target_value_N``); checked against ``unit``."""

    BLANK_ROWS = 2
    MIN_ROWS = 3

    def __init__(self, *args: Any, unit: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["kind"].widget = forms.RadioSelect(choices=self.KINDS)
        del self.fields["targets"]
        self.row_count = self._rows_wanted()
        for index in range(self.row_count):
            row = {"n": index + 1}
            self.fields[f"target_period_{index}"] = forms.CharField(
                label=_("År, rad %(n)s") % row, required=False, max_length=7
            )
            self.fields[f"target_value_{index}"] = forms.CharField(
                label=_("Målvärde, rad %(n)s") % row, required=False, max_length=30
            )
        comparison = self.fields.pop("target_comparison")
        self.fields["target_comparison"] = comparison  # after the rows

    def _rows_wanted(self) -> int:
        source = self.data if self.is_bound else self.initial
        used = [
            int(name.rsplit("_", 1)[1])
            for name in source
            if name.startswith("target_period_") and name.rsplit("_", 1)[1].isdigit()
        ]
        filled = [
            index
            for index in used
            if str(source.get(f"target_period_{index}") or "").strip()
            or str(source.get(f"target_value_{index}") or "").strip()
        ]
        last = max(used, default=-1) + 1
        wanted = max(filled, default=-1) + 1 + self.BLANK_ROWS
        return min(max(last, wanted, self.MIN_ROWS), 40)

    @property
    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"target_period_{index}"], self[f"target_value_{index}"])
            for index in range(self.row_count)
        ]

    def clean(self) -> dict[str, Any]:
        if self.cleaned_data.get("kind") == "target":
            data = forms.Form.clean(self) or {}
            if (targets := self._targets()) is not None:
                self.rule = TargetValueRule(
                    tuple(sorted(targets.items())), data.get("target_comparison") or "at_least"
                )
        else:
            data = super().clean() or {}
        rule = getattr(self, "rule", None)
        if rule is not None and not self.errors:
            self._check_unit(rule)
        return data

    def _targets(self) -> dict[str, Decimal] | None:
        """The rows as {period: value}; None (with the errors at their rows) when one is bad."""
        targets: dict[str, Decimal] = {}
        first = None
        for index in range(self.row_count):
            period_field, value_field = f"target_period_{index}", f"target_value_{index}"
            period_text = (self.cleaned_data.get(period_field) or "").strip()
            value_text = (self.cleaned_data.get(value_field) or "").strip()
            if not period_text and not value_text:
                continue
            first = first or period_field
            try:
                period = format_period(parse_period(period_text))
            except PeriodError:
                self.add_error(period_field, _("Skriv året som 2024 (eller en period, 2024T2)."))
                continue
            if period in targets:
                self.add_error(
                    period_field, _("%(period)s står redan på en annan rad.") % {"period": period}
                )
                continue
            try:
                targets[period] = read_value(value_text)
            except ValueError as error:
                self.add_error(value_field, str(error) if value_text else _("Ange målvärdet."))
        if not targets and not self.errors:
            self.add_error("target_period_0", _("Ange minst ett år med målvärde."))
        return None if self.errors else targets

    def _check_unit(self, rule: TargetRule) -> None:
        """``authoring.rule_problems`` at the form's fields; a target value's at its row."""
        for name, problems in rule_problems(rule, self.unit).items():
            if name == "targets":
                continue  # at their rows, below
            for _label, message in problems:
                self.add_error(name if name in self.fields else None, message)
        if isinstance(rule, TargetValueRule) and "kind" not in self.errors:
            for index in range(self.row_count):
                value = (self.cleaned_data.get(f"target_value_{index}") or "").strip()
                if value and (problem := value_problem(read_value(value), self.unit)):
                    self.add_error(f"target_value_{index}", problem)
        if self.errors:
            del self.rule

    @classmethod
    def initial_for(cls, rule: TargetRule) -> dict[str, Any]:
        initial = super().initial_for(rule)
        initial.pop("targets", None)
        if isinstance(rule, TargetValueRule):
            for index, (period, value) in enumerate(rule.targets):
                initial[f"target_period_{index}"] = period
                initial[f"target_value_{index}"] = _shown(value)
        return initial
