"""The follow-up form of a unit and period: one small form per item in scope.

Saving runs every change through ``actions.save_followup`` / ``set_state`` in one
transaction; if any item is refused, nothing is saved and each error is shown beside its
field (and in the error summary at the top of the page).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from uppsikt.accounts.access import Perm, can
from uppsikt.accounts.names import person_name
from uppsikt.followup.actions.entries import (
    LOCKED_REPORT_STATES,
    carried_responsibles,
    lock_entries,
    may_write,
    save_followup,
    set_state,
)
from uppsikt.followup.actions.reports import save_summary
from uppsikt.lib.typing import Account, Actor
from uppsikt.periods.models import ReportingPeriod

from .models import FollowUp, UnitReport
from .people import reporters_for
from .scope import Item
from .statuses import choices_for, source_for
from .text import comment_as_markup


class PersonChoiceField(forms.ModelChoiceField):
    """Users named by their full name where there is one."""

    def label_from_instance(self, obj) -> str:
        return person_name(obj)


class EntryForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    comment = forms.CharField(
        label=_("Kommentar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Stycken skiljs åt med en tomrad; rader som börjar med ”- ” blir en punktlista."
        ),
    )
    responsible = PersonChoiceField(
        label=_("Ansvarig"),
        required=False,
        queryset=get_user_model().objects.none(),
        empty_label=_("Ingen ansvarig"),
    )
    done = forms.BooleanField(label=_("Klar"), required=False)


@dataclass
class Row:
    """One item on the page with its entry, status and form."""

    item: Item
    entry: FollowUp | None
    status: str | None
    status_label: str
    form: EntryForm
    writable: bool
    detail: Any = None  # what the status source shows beside the entry (a goal's proposal)
    detail_template: str = ""
    carried_responsible: object = None  # a new entry's responsible from the previous period

    @property
    def state_label(self) -> str:
        if self.entry is None:
            return str(_("Inte påbörjad"))
        return str(FollowUp.State(self.entry.state).label)


def build_rows(
    items: list[Item],
    entries: dict[tuple, FollowUp],
    statuses: dict[tuple, str | None],
    details: dict[tuple, Any],
    *,
    user,
    period: ReportingPeriod,
    report: UnitReport,
    data=None,
) -> list[Row]:
    unit_locked = not period.is_open or report.state in LOCKED_REPORT_STATES
    rows = []
    people = None
    carried = carried_responsibles(period, {item.unit.pk for item in items})
    carried_people = get_user_model().objects.in_bulk(set(carried.values()))
    for item in items:
        entry = entries.get(item.key)
        status = statuses.get(item.key)
        choices = choices_for(item.target)
        labels = dict(choices.choices) if choices else {}
        responsible_id = entry.responsible_id if entry else carried.get(item.key)
        writable = (
            not unit_locked
            and (entry is None or entry.state != FollowUp.State.GRANSKAD)
            and may_write(user, item.unit.pk, responsible_id)
        )
        form = EntryForm(
            data,
            prefix=f"f-{item.html_id}",
            initial={
                "status": status or "",
                "comment": comment_as_markup(entry.comment) if entry else "",
                "responsible": responsible_id,
                "done": entry is not None and entry.state != FollowUp.State.UTKAST,
            },
        )
        cast("forms.ChoiceField", form.fields["status"]).choices = [
            ("", _("Välj status")),
            *labels.items(),
        ]
        may_plan = can(user, Perm.PLAN, item.unit.pk)
        if may_plan:
            if people is None:
                people = reporters_for(item.unit)
            cast("forms.ModelChoiceField[Account]", form.fields["responsible"]).queryset = people
        else:  # assigning is a planner's act: others do not get the field at all
            del form.fields["responsible"]
        for field in form.fields.values():
            field.disabled = not writable
        source = source_for(item.target)
        if source is not None and not may_plan:
            form.fields["status"].disabled = True
            form.fields["status"].help_text = _("Målets bedömning beslutas av en planerare.")
        rows.append(
            Row(
                item,
                entry,
                status,
                str(labels.get(status, "")) if status else "",
                form,
                writable,
                details.get(item.key),
                source.detail_template if source is not None else "",
                None if entry else carried_people.get(carried.get(item.key)),
            )
        )
    return rows


def _error(form: forms.Form, error: ValidationError | PermissionDenied) -> None:
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error) or _("Behörighet saknas."))
        return
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label=_("Sammanfattning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Enhetens egen inledning till rapporten."),
    )


def save_rows(rows: list[Row], summary: SummaryForm | None, *, unit, period, actor: Actor) -> bool:
    """Save every changed row, all or nothing; returns False (and sets errors) on refusal."""
    valid = all(row.form.is_valid() for row in rows if row.writable)
    if summary is not None:
        valid = summary.is_valid() and valid
    # Even when some fields are invalid, the valid rows are tried (and rolled back), so the
    # page names every problem at once instead of one round at a time.
    failed = not valid
    with transaction.atomic():
        # Every entry this save writes is locked first (see lock_entries: no deadlock).
        lock_entries(
            row.entry
            for row in rows
            if row.writable and row.form.is_valid() and row.form.has_changed()
        )
        if summary is not None and summary.is_valid() and summary.has_changed():
            try:
                save_summary(unit, period, actor=actor, text=summary.cleaned_data["summary"])
            except (ValidationError, PermissionDenied) as error:
                _error(summary, error)
                failed = True
        for row in rows:
            form = row.form
            if not row.writable or not form.is_valid() or not form.has_changed():
                continue
            try:
                _save_row(row, actor=actor, period=period)
            except (ValidationError, PermissionDenied) as error:
                _error(form, error)
                failed = True
        if failed:
            transaction.set_rollback(True)
    return not failed


def _save_row(row: Row, *, actor: Actor, period: ReportingPeriod) -> None:
    form, item = row.form, row.item
    changed = set(form.changed_data)
    data = form.cleaned_data
    kwargs = {}
    if "status" in changed:
        kwargs["status"] = data["status"]
    if "comment" in changed or "status" in changed:
        kwargs["comment"] = data["comment"]
    if "responsible" in changed and "responsible" in form.fields:
        kwargs["responsible"] = data["responsible"]
    entry = row.entry
    if kwargs or entry is None:
        entry = save_followup(item.target, period, actor=actor, unit=item.unit, **kwargs)
    if "done" in changed:
        state = FollowUp.State.KLAR if data["done"] else FollowUp.State.UTKAST
        set_state(entry, state, actor=actor)
