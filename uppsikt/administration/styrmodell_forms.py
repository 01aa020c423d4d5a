"""The styrmodell's form, without JavaScript: the model's own fields, and rows for its goal
levels, assessment steps and perspectives (Django formsets with blank rows for adding; a
row is removed by ticking "Ta bort" or by emptying it).

A step's colour has two inputs, a colour picker and the same colour as text, and a hidden
copy of what both showed (``colour_shown``): whichever of the two the person changed wins
(``settle_colours``), so either can be used on its own.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from uppsikt.governance.actions import (
    BACKGROUND,
    MAX_STEPS,
    LevelSpec,
    StepSpec,
    StyrmodellSpec,
    spec_of,
)
from uppsikt.governance.models import Calendar, Outcome
from uppsikt.governance.words import CONTENT_KINDS, Styrmodell
from uppsikt.lib.contrast import MIN_TEXT_RATIO, contrast_ratio, is_hex_colour
from uppsikt.lib.numbers import format_number
from uppsikt.organisations.models import Unit

from .styrmodell import Problem

LEVELS, STEPS, PERSPECTIVES = "niva", "steg", "perspektiv"
PICKER_DEFAULT = "#000000"  # what a colour picker shows with no colour
CONTENT_KIND_LABELS = {
    "perspectives": _("Perspektiv"),
    "strategies": _("Strategier"),
    "assignments": _("Uppdrag"),
    "focus_areas": _("Prioriterade områden"),
    "activities": _("Aktiviteter"),
}
MONTHS = [
    (1, _("januari")),
    (2, _("februari")),
    (3, _("mars")),
    (4, _("april")),
    (5, _("maj")),
    (6, _("juni")),
    (7, _("juli")),
    (8, _("augusti")),
    (9, _("september")),
    (10, _("oktober")),
    (11, _("november")),
    (12, _("december")),
]


class StyrmodellForm(forms.Form):
    name = forms.CharField(label=_("Styrmodellens namn"), max_length=200, required=False)
    uses = forms.MultipleChoiceField(
        label=_("Innehåll som planerna använder"),
        choices=[(kind, CONTENT_KIND_LABELS[kind]) for kind in CONTENT_KINDS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    calendar = forms.ChoiceField(
        label=_("Uppföljningskalender"), choices=Calendar.choices, widget=forms.RadioSelect
    )
    period_months = forms.TypedMultipleChoiceField(
        label=_("Månader med periodrapport"),
        help_text=_("Gäller kalendern med periodrapporter per månad."),
        choices=MONTHS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class LevelForm(forms.Form):
    key = forms.CharField(
        label=_("Nyckel"),
        max_length=40,
        required=False,
        help_text=_("Sparas i målen, t.ex. namndmal: gemener a–z, siffror och understreck."),
    )
    name = forms.CharField(label=_("Benämning"), max_length=60, required=False)
    plural = forms.CharField(label=_("Benämning i plural"), max_length=60, required=False)
    unit_kinds = forms.MultipleChoiceField(
        label=_("Enhetstyper"),
        help_text=_("Enhetstyperna vars planer har mål på nivån; ingen markerad betyder alla."),
        choices=Unit.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not any(data.get(name) for name in ("key", "name", "plural", "unit_kinds"))


class StepForm(forms.Form):
    key = forms.CharField(label=_("Nyckel"), max_length=40, required=False)
    label = forms.CharField(label=_("Benämning"), max_length=60, required=False)
    colour_picker = forms.CharField(
        label=_("Färg"), required=False, widget=forms.TextInput(attrs={"type": "color"})
    )
    colour = forms.CharField(
        label=_("Färg som text"),
        max_length=7,
        required=False,
        help_text=_("#rrggbb; minst kontrasten 4,5:1 mot vit bakgrund."),
    )
    colour_shown = forms.CharField(required=False, widget=forms.HiddenInput)
    symbol = forms.CharField(
        label=_("Symbol"),
        max_length=4,
        required=False,
        help_text=_("Till exempel ● ◐ ○: färgen får aldrig vara det enda som skiljer stegen."),
    )
    counts_as_met = forms.BooleanField(label=_("Räknas som uppfyllt"), required=False)
    proposal = forms.ChoiceField(
        label=_("Föreslås när"),
        choices=[("", _("regeln aldrig föreslår steget")), *Outcome.choices],
        required=False,
    )

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not any(data.get(name) for name in ("key", "label", "colour", "symbol"))

    def preview(self) -> dict[str, Any] | None:
        """How the step will look (its symbol and word in its colour) and its contrast."""
        data = self.data
        colour = str(data.get(self.add_prefix("colour")) or self.initial.get("colour") or "")
        colour = colour.strip().lower()
        if not is_hex_colour(colour):
            return None
        label = str(data.get(self.add_prefix("label"), self.initial.get("label", "")))
        symbol = str(data.get(self.add_prefix("symbol"), self.initial.get("symbol", "")))
        ratio = contrast_ratio(colour, BACKGROUND)
        return {
            "colour": colour,
            "text": f"{symbol.strip()} {label.strip()}".strip(),
            "ratio": format_number(Decimal(str(ratio)), 2),
            "passes": ratio >= MIN_TEXT_RATIO,
        }


class PerspectiveForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Beskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def is_blank(self) -> bool:
        return not (self.cleaned_data.get("name") or self.cleaned_data.get("description"))


class RowFormSet(forms.BaseFormSet):
    """Every row is read and validated, a blank one too (it is then left out): a row that
    matches its initial values is not skipped as unchanged."""

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "empty_permitted": False}

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["DELETE"].label = _("Ta bort")


def _formset(form: type[forms.Form], extra: int, maximum: int) -> type[forms.BaseFormSet]:
    return forms.formset_factory(
        form,
        formset=RowFormSet,
        extra=extra,
        can_delete=True,
        max_num=maximum,
        absolute_max=maximum,
        validate_max=True,
    )


LevelFormSet = _formset(LevelForm, 2, 20)
StepFormSet = _formset(StepForm, 0, MAX_STEPS)
PerspectiveFormSet = _formset(PerspectiveForm, 2, 30)


class StyrmodellForms:
    """The model's form and its three formsets, bound to one POST or showing a model."""

    def __init__(self, model: Styrmodell, data: QueryDict | None = None) -> None:
        spec = spec_of(model)
        self.data = settle_colours(data) if data is not None else None
        self.model = StyrmodellForm(
            self.data,
            initial={
                "name": spec.name,
                "uses": spec.uses,
                "calendar": spec.calendar,
                "period_months": spec.period_months,
            },
        )
        levels = [
            {"key": lv.key, "name": lv.name, "plural": lv.plural, "unit_kinds": lv.unit_kinds}
            for lv in spec.levels
        ]
        steps = [
            {**vars(step), "colour_picker": step.colour, "colour_shown": step.colour}
            for step in spec.steps
        ]
        perspectives = [{"name": name, "description": text} for name, text in spec.perspectives]
        self.levels = LevelFormSet(self.data, initial=levels, prefix=LEVELS)
        self.steps = StepFormSet(self.data, initial=steps, prefix=STEPS)
        if self.data is None:
            self.steps.extra = max(0, MAX_STEPS - len(steps))
        self.perspectives = PerspectiveFormSet(self.data, initial=perspectives, prefix=PERSPECTIVES)
        self._kept: dict[str, list[forms.Form]] = {}

    @property
    def formsets(self) -> dict[str, forms.BaseFormSet]:
        return {"levels": self.levels, "steps": self.steps, "perspectives": self.perspectives}

    def is_valid(self) -> bool:
        valid = [self.model.is_valid()] + [fs.is_valid() for fs in self.formsets.values()]
        return all(valid)

    def _rows(self, name: str) -> list[forms.Form]:
        if name not in self._kept:
            formset = self.formsets[name]
            self._kept[name] = [
                form
                for form in formset.forms
                if not form.cleaned_data.get("DELETE") and not form.is_blank()
            ]
        return self._kept[name]

    def spec(self) -> StyrmodellSpec:
        """The model the valid forms describe (removed and blank rows left out)."""
        data = self.model.cleaned_data
        return StyrmodellSpec(
            name=data["name"],
            uses=list(data["uses"]),
            calendar=data["calendar"],
            period_months=list(data["period_months"]),
            levels=[
                LevelSpec(
                    row.cleaned_data["key"].strip(),
                    row.cleaned_data["name"],
                    row.cleaned_data["plural"],
                    list(row.cleaned_data["unit_kinds"]),
                )
                for row in self._rows("levels")
            ],
            steps=[
                StepSpec(
                    row.cleaned_data["key"].strip(),
                    row.cleaned_data["label"],
                    row.cleaned_data["colour"].strip().lower(),
                    row.cleaned_data["symbol"],
                    row.cleaned_data["counts_as_met"],
                    row.cleaned_data["proposal"],
                )
                for row in self._rows("steps")
            ],
            perspectives=[
                (row.cleaned_data["name"], row.cleaned_data["description"])
                for row in self._rows("perspectives")
            ],
        )

    def show(self, problems: list[Problem]) -> None:
        """Put each of the action's problems beside the input it is about."""
        for problem in problems:
            head, _dot, rest = problem.field.partition(".")
            if head in ("levels", "steps") and rest:
                index, _dot, name = rest.partition(".")
                row = self._rows(head)[int(index)]
                row.add_error(name if name in row.fields else None, problem.message)
            elif head in self.formsets:
                self.formsets[head].non_form_errors().append(problem.message)
            elif problem.field in self.model.fields:
                self.model.add_error(problem.field, problem.message)
            else:
                self.model.add_error(None, problem.message)

    def hidden(self) -> list[tuple[str, str]]:
        """Every submitted value, to carry the model through the confirmation step."""
        assert self.data is not None
        return [
            (name, value)
            for name, values in self.data.lists()
            if name not in ("csrfmiddlewaretoken", "action") and not name.startswith("mapping.")
            for value in values
        ]


def settle_colours(data: QueryDict) -> QueryDict:
    """Each step's colour: the text if the person changed it, else the picker if they
    changed that, else what both showed. Both inputs then show the result."""
    settled = data.copy()
    total = _count(data.get(f"{STEPS}-TOTAL_FORMS"))
    for index in range(total):
        prefix = f"{STEPS}-{index}-"
        shown = (data.get(prefix + "colour_shown") or "").strip().lower()
        text = (data.get(prefix + "colour") or "").strip().lower()
        picker = (data.get(prefix + "colour_picker") or "").strip().lower()
        if text != shown:
            colour = text
        elif picker and picker != (shown or PICKER_DEFAULT):
            colour = picker
        else:
            colour = shown
        settled[prefix + "colour"] = colour
        settled[prefix + "colour_shown"] = colour
        settled[prefix + "colour_picker"] = colour if is_hex_colour(colour) else PICKER_DEFAULT
    return settled


def _count(value: str | None) -> int:
    try:
        return max(0, min(int(value or 0), MAX_STEPS))
    except ValueError:
        return 0
