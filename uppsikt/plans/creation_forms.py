"""Forms for starting a plan and for answering the goals of the plan above.

``PlanCreationForm``'s fields are named as its query parameters (``?enhet=<pk>&ar=<year>``),
so the first step (unit and year, a GET form) and the second (how the plan starts, a POST
form) read the same form; which plans can be copied or broken down depends on the unit and
year chosen, and is offered anew whenever they change (no JavaScript needed).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from uppsikt.accounts.access import EVERYWHERE, Perm, units_with
from uppsikt.organisations.models import Unit

from .actions.authoring import FIRST_YEAR, LAST_YEAR
from .levels import set_level_choices
from .models import Goal, Plan
from .queries import current_versions

MODES = [
    ("empty", _("Tom plan")),
    ("copy", _("Kopia av enhetens plan för ett tidigare år")),
    ("breakdown", _("Bryt ned planen för enheten ovanför samma år")),
]
# The action's field names → the form's.
ACTION_FIELDS = {"year": "ar", "mode": "satt", "title": "titel", "unit": "enhet"}
SOURCE_FIELDS = {"copy": "kopia", "breakdown": "ovan"}


def planning_units(user: Any) -> QuerySet[Unit]:
    """The units where ``user`` may write plans."""
    units = Unit.objects.select_related("organisation").order_by(
        "organisation__code", "position", "name"
    )
    allowed = units_with(user, Perm.PLAN)
    return units if allowed is EVERYWHERE else units.filter(pk__in=sorted(allowed))


def copy_sources(unit: Unit | None, year: int | None, user: Any) -> QuerySet[Plan]:
    """The unit's plans for earlier years that can be copied, newest first."""
    if unit is None or year is None:
        return Plan.objects.none()
    return (
        Plan.objects.visible_to(user)
        .filter(unit=unit, year__lt=year, pk__in=current_versions())
        .order_by("-year", "-version")
    )


def breakdown_sources(unit: Unit | None, year: int | None, user: Any) -> QuerySet[Plan]:
    """The current plan of the unit above for the same year, a draft too."""
    if unit is None or year is None or unit.parent_id is None:
        return Plan.objects.none()
    return (
        Plan.objects.visible_to(user)
        .filter(unit_id=unit.parent_id, year=year, pk__in=current_versions())
        .order_by("-version")
    )


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.organisation.name})"


class PlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if obj.status == Plan.Status.UTKAST:
            return str(_("%(title)s – %(year)s, utkast (inte beslutad ännu)")) % {
                "title": obj.title,
                "year": obj.year,
            }
        return f"{obj.title} – {obj.year}, {obj.get_status_display().lower()}"


def default_year(unit: Unit | None = None, user: Any = None) -> int:
    """The year after the newest plan of ``unit`` that ``user`` may read; without one,
    next calendar year."""
    if unit is not None:
        plans = Plan.objects.visible_to(user).filter(unit=unit)
        latest = plans.aggregate(latest=Max("year"))["latest"]
        if latest is not None:
            return int(latest) + 1
    return timezone.localdate().year + 1


class PlanCreationForm(forms.Form):
    enhet = UnitChoiceField(
        label=_("Enhet"), queryset=Unit.objects.none(), empty_label=_("Välj enhet")
    )
    ar = forms.IntegerField(
        label=_("År"),
        help_text=_("Året planen gäller, mellan %(first)s och %(last)s.")
        % {"first": FIRST_YEAR, "last": LAST_YEAR},
    )
    satt = forms.ChoiceField(
        label=_("Hur planen börjar"), choices=MODES, widget=forms.RadioSelect, initial="empty"
    )
    kopia = PlanChoiceField(
        label=_("Planen att kopiera"),
        help_text=_(
            "Allt innehåll kopieras till utkastet; varje kopierat mål, avsnitt och indikator "
            "minns vad det kopierades från, så att jämförelsen mellan åren parar ihop dem."
        ),
        queryset=Plan.objects.none(),
        required=False,
        empty_label=None,
    )
    ovan = PlanChoiceField(
        label=_("Planen för enheten ovanför"),
        help_text=_(
            "Planen börjar tom och listar målen ovanför som ska brytas ned: vart och ett "
            "besvaras med egna mål som bidrar till det, eller med att det inte berör enheten."
        ),
        queryset=Plan.objects.none(),
        required=False,
        empty_label=None,
    )
    titel = forms.CharField(label=_("Titel"), required=False, max_length=300)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = planning_units(user)
        self.fields["enhet"].queryset = units  # type: ignore[attr-defined]
        if self.initial.get("enhet") is None and len(units[:2]) == 1:
            self.initial["enhet"] = units[0].pk
        self.unit = self._chosen_unit(units)
        if not self.is_bound and not self.initial.get("ar"):
            self.initial["ar"] = default_year(self.unit, user)
        self.year = self._chosen_year()
        copies = copy_sources(self.unit, self.year, user)
        above = breakdown_sources(self.unit, self.year, user)
        self.fields["kopia"].queryset = copies  # type: ignore[attr-defined]
        self.fields["ovan"].queryset = above  # type: ignore[attr-defined]
        if not self.is_bound:  # the newest plan to copy, the plan above: chosen, not implied
            for name, choices in (("kopia", copies), ("ovan", above)):
                first = choices.first() if not self.initial.get(name) else None
                if first is not None:
                    self.initial[name] = first.pk
        if not self.is_bound and not self.initial.get("satt"):
            # The usual start first: last year's plan, else the plan above, else empty.
            self.initial["satt"] = (
                "copy" if copies.exists() else "breakdown" if above.exists() else "empty"
            )

    def _raw(self, name: str) -> Any:
        return self.data.get(name) if self.is_bound else self.initial.get(name)

    def _chosen_unit(self, units: QuerySet[Unit]) -> Unit | None:
        value = str(self._raw("enhet") or "")
        return units.filter(pk=int(value)).first() if value.isdigit() else None

    def _chosen_year(self) -> int | None:
        value = str(self._raw("ar") or "").strip()
        return int(value) if value.isdigit() and len(value) <= 4 else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        field = SOURCE_FIELDS.get(data.get("satt") or "")
        if field and not data.get(field) and field not in self.errors:
            self.add_error(field, _("Välj planen att utgå från."))
        return data

    @property
    def source(self) -> Plan | None:
        field = SOURCE_FIELDS.get(self.cleaned_data.get("satt") or "")
        return self.cleaned_data.get(field) if field else None

    def add_action_errors(self, errors: dict[str, list[str]]) -> None:
        """The action's refusal, each message on the field it is about."""
        mode = self.cleaned_data.get("satt") or ""
        for name, messages in errors.items():
            field = SOURCE_FIELDS.get(mode) if name == "source" else ACTION_FIELDS.get(name)
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


# -- answering the goals of the plan above ---------------------------------------------------


class NewGoalForm(forms.Form):
    """Break a goal above down into a new goal of the plan; its text starts as the goal's."""

    text = forms.CharField(label=_("Målets text"), widget=forms.Textarea(attrs={"rows": 3}))
    kind = forms.ChoiceField(label=_("Målnivå"))

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_level_choices(self, unit)  # the styrmodell's levels for the unit's kind

    def clean_text(self) -> str:
        return " ".join(self.cleaned_data["text"].split())


class LinkGoalForm(forms.Form):
    goal = forms.ModelChoiceField(label=_("Mål i planen"), queryset=Goal.objects.none())

    def __init__(self, *args: Any, goals: QuerySet[Goal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = goals  # type: ignore[attr-defined]
        self.fields["goal"].label_from_instance = _goal_choice  # type: ignore[attr-defined]


def _goal_choice(goal: Goal) -> str:
    text = goal.text if len(goal.text) <= 90 else goal.text[:89] + "…"
    return f"{goal.label}: {text}"


class ExemptForm(forms.Form):
    reason = forms.CharField(
        label=_("Varför berör målet inte enheten?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )

    def clean_reason(self) -> str:
        return " ".join(self.cleaned_data["reason"].split())


# -- how "plan.create" events read in a history (``audit.presentation``, see ``apps``) -------


def _mode_label(value: Any) -> str:
    return str(dict(MODES).get(value, value))


def _source_label(value: Any) -> str:
    plan = Plan.objects.filter(pk=value).first() if str(value).isdigit() else None
    return f"{plan.title} ({plan.year})" if plan is not None else str(value)


AUDIT_FIELDS: dict[str, Callable[[Any], str]] = {"mode": _mode_label, "source": _source_label}
AUDIT_LABELS = {
    "mode": _("Hur planen börjar"),
    "source": _("Utgår från planen"),
    "copied": _("Kopierade delar"),
}
