"""The draft editor's forms: the plan's own details, one form per kind of content (built
from ``actions.parts.FIELDS``), and the cascade: a goal's "bidrar till" links and the goals
an aktivitet serves.

Every form that edits a stored row carries its ``row_version`` and the values it was opened
with (``lib.concurrency.TracksEdits``); the actions do the saving and the final checks.
"""

from __future__ import annotations

import functools
from typing import Any, cast

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from uppsikt.lib.concurrency import TracksEdits
from uppsikt.organisations.models import Unit

from .actions.parts import CONTAINERS, FIELDS, LIST_FIELDS, MODELS, RICH_FIELDS
from .editing import goal_choice_label, grouped
from .forms import GoalForm, IndicatorForm
from .levels import set_level_choices
from .models import Goal, Plan

RICH_HELP = _(
    "Skriv stycken med en tom rad emellan. En rad som börjar med ”- ” blir en punkt i en "
    "lista. En länk skrivs [text](https://adress)."
)
LINES_HELP = _("En punkt per rad.")
NUMBER_HELP = _("Som i dokumentet, t.ex. 1 eller 3.2. Lämna tomt om det saknar nummer.")
DATE_HELP = _("Skriv datumet som ÅÅÅÅ-MM-DD, t.ex. 2024-03-01.")
BULLETS = ("- ", "• ", "* ")


class LinesField(forms.CharField):
    """A list of texts (``Section.items``, ``Strategy.statements`` …) typed one per line."""

    widget = forms.Textarea

    def __init__(self, *, encoder: Any = None, decoder: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return [str(item) for item in value]
        text = super().to_python(value) or ""
        lines = []
        for line in text.splitlines():
            line = line.strip()
            for bullet in BULLETS:  # one bullet, typed out of habit, is not part of the item
                if line.startswith(bullet) or line == bullet.strip():
                    line = line[len(bullet) :].strip()
                    break
            if line:
                lines.append(line)
        return lines


class PlanDetailsForm(TracksEdits, forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["title", "horizon_end", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"note": RICH_HELP}

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if len(title) < 3:
            raise forms.ValidationError(_("Skriv titeln med minst tre tecken."))
        return title


class PartForm(TracksEdits, forms.ModelForm):
    """Base of every kind's form: containers limited to the plan's own objects, the
    responsible unit to the plan's organisation."""

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        for name in CONTAINERS:
            if name in self.fields:
                field = cast(forms.ModelChoiceField, self.fields[name])
                field.queryset = MODELS[name]._default_manager.filter(plan=plan)
                field.empty_label = _("– inget –")
        if isinstance(self.instance, Goal):
            set_level_choices(self, plan.unit)  # the styrmodell's levels for the unit
        if "responsible" in self.fields:
            field = cast(forms.ModelChoiceField, self.fields["responsible"])
            field.queryset = Unit.objects.filter(organisation_id=plan.unit.organisation_id)
            field.empty_label = _("– ingen –")
        for name, bound in self.fields.items():
            if name in RICH_FIELDS:
                bound.help_text = RICH_HELP
            elif name in LIST_FIELDS:
                bound.help_text = LINES_HELP
                bound.widget.attrs["rows"] = 5
            elif name == "number" and not bound.help_text:
                bound.help_text = NUMBER_HELP
            elif name in ("starts_on", "ends_on"):
                bound.help_text = DATE_HELP

    @property
    def content_fields(self) -> list[forms.BoundField]:
        return [field for field in self.visible_fields() if field.name not in CONTAINERS]

    @property
    def place_fields(self) -> list[forms.BoundField]:
        return [field for field in self.visible_fields() if field.name in CONTAINERS]


class GoalPartForm(PartForm, GoalForm):
    """A goal: the goal form's rules for its text and number, in any place of the plan."""


class IndicatorPartForm(PartForm, IndicatorForm):
    pass


_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_BASES: dict[str, type[PartForm]] = {"goal": GoalPartForm, "indicator": IndicatorPartForm}


@functools.cache
def part_form_class(kind: str) -> type[PartForm]:
    """The form for ``kind``'s fields (``FIELDS[kind]``)."""
    fields = FIELDS[kind]
    widgets: dict[str, type[forms.Widget] | forms.Widget] = {}
    for name in fields:
        if name in ("starts_on", "ends_on"):
            widgets[name] = _DATE
        elif name in ("text", "lead") and kind not in ("goal", "indicator"):
            widgets[name] = forms.Textarea(attrs={"rows": 3})
        elif name in RICH_FIELDS:
            widgets[name] = forms.Textarea(attrs={"rows": 5})
    return cast(
        type[PartForm],
        forms.modelform_factory(
            MODELS[kind],
            form=_BASES.get(kind, PartForm),
            fields=fields,
            widgets=widgets,
            field_classes={name: LinesField for name in fields if name in LIST_FIELDS},
        ),
    )


class GoalChoiceForm(forms.Form):
    """One goal of ``goals`` (grouped by plan): a goal above to link to."""

    target = forms.TypedChoiceField(label=_("Mål ovanför"), coerce=int)

    def __init__(self, *args: Any, goals: list[Goal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goals = {goal.pk: goal for goal in goals}
        field = cast(forms.TypedChoiceField, self.fields["target"])
        field.choices = [
            ("", _("– välj ett mål –")),
            *(
                (label, [(goal.pk, goal_choice_label(goal)) for goal in items])
                for label, items in grouped(goals)
            ),
        ]

    def chosen(self) -> Goal:
        return self.goals[self.cleaned_data["target"]]


class ActivityGoalsForm(forms.Form):
    """The goals an aktivitet serves, ticked among the plan's own and the plans' above."""

    goals = forms.TypedMultipleChoiceField(
        label=_("Mål som aktiviteten bidrar till"), coerce=int, required=False
    )

    def __init__(self, *args: Any, goals: list[Goal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = {goal.pk: goal for goal in goals}
        self.groups = grouped(goals)
        field = cast(forms.TypedMultipleChoiceField, self.fields["goals"])
        field.choices = [(goal.pk, goal_choice_label(goal)) for goal in goals]

    def chosen(self) -> list[Goal]:
        return [self.candidates[pk] for pk in self.cleaned_data["goals"]]

    def checked(self) -> set[int]:
        """The ids ticked now: as posted, or as stored when the form was opened."""
        if self.is_bound:
            values = cast(QueryDict, self.data).getlist(self.add_prefix("goals"))
        else:
            values = self.initial.get("goals", [])
        return {int(value) for value in values if str(value).isdigit()}

    def rows(self) -> list[tuple[str, list[tuple[Goal, bool]]]]:
        """(plan title, [(goal, ticked)]) for the template's fieldsets."""
        ticked = self.checked()
        return [
            (label, [(goal, goal.pk in ticked) for goal in items]) for label, items in self.groups
        ]
