"""The follow-up form of a unit and period: one small form per item in scope.

Saving runs every change through ``actions.save_followup`` / ``set_state`` in one
transaction; if any item is refused, nothing is saved and each error is shown beside its
field (and in the error summary at the top of the page).

Each item's form carries the entry's version and the values it was opened with
(``lib.concurrency.TracksEdits``): an item the user did not change is not written, and a
change to an entry someone else saved meanwhile is refused and shown as a conflict, with
their text beside the user's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
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
from uppsikt.lib.concurrency import Conflict, EditConflict, TracksEdits
from uppsikt.lib.typing import Account, Actor
from uppsikt.periods.models import ReportingPeriod

from . import extras
from .models import FollowUp, UnitReport
from .people import reporters_for
from .queries import statuses_for
from .scope import Item
from .statuses import choices_for, source_for
from .text import comment_as_markup


class PersonChoiceField(forms.ModelChoiceField):
    """Users named by their full name where there is one."""

    def label_from_instance(self, obj) -> str:
        return person_name(obj)


class EntryForm(TracksEdits, forms.Form):
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
    now: dict[str, Any] | None = None  # the values stored now, as the form shows them
    conflict: Conflict | None = None  # someone else saved the entry after the page was opened
    extras: list[Any] = dataclass_field(default_factory=list)  # other apps' parts (``extras``)

    @property
    def version(self) -> int:
        return self.entry.row_version if self.entry is not None else 0

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
        labels = dict(choices) if choices else {}
        responsible_id = entry.responsible_id if entry else carried.get(item.key)
        writable = (
            not unit_locked
            and (entry is None or entry.state != FollowUp.State.GRANSKAD)
            and may_write(user, item.unit.pk, responsible_id)
        )
        now = _values(entry, status, responsible_id)
        form = EntryForm(
            data,
            prefix=f"f-{item.html_id}",
            initial={**now, "row_version": entry.row_version if entry else 0},
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
                now,
            )
        )
    _add_extras(rows, items, user=user, period=period, report=report, data=data)
    return rows


def _add_extras(rows: list[Row], items: list[Item], **context: Any) -> None:
    """Other apps' parts of each entry (``extras``), for the rows' writers."""
    writable = {row.item.key: row.writable for row in rows}
    parts = extras.parts_for(items, writable=writable, **context)
    for row in rows:
        row.extras = parts.get(row.item.key, [])


def _values(entry: FollowUp | None, status: str | None, responsible_id: int | None) -> dict:
    """An entry's values as its form shows them."""
    return {
        "status": status or "",
        "comment": comment_as_markup(entry.comment) if entry else "",
        "responsible": responsible_id,
        "done": entry is not None and entry.state != FollowUp.State.UTKAST,
    }


def _error(form: forms.Form, error: ValidationError | PermissionDenied) -> None:
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error) or _("Behörighet saknas."))
        return
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class SummaryForm(TracksEdits, forms.Form):
    summary = forms.CharField(
        label=_("Sammanfattning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Enhetens egen inledning till rapporten."),
    )
    conflict: Conflict | None = None


def summary_form(data, report: UnitReport) -> SummaryForm:
    """The unit's summary as stored now, with the report's version."""
    initial = {
        "summary": comment_as_markup(report.summary),
        "row_version": report.row_version if report.pk else 0,
    }
    return SummaryForm(data, prefix="rapport", initial=initial)


def save_rows(rows: list[Row], summary: SummaryForm | None, *, unit, period, actor: Actor) -> bool:
    """Save every changed row, all or nothing; returns False (and sets errors) on refusal."""
    valid = all(row.form.is_valid() for row in rows if row.writable)
    valid = all(part.is_valid() for row in rows if row.writable for part in row.extras) and valid
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
            now = {"summary": summary.initial["summary"]}
            try:
                save_summary(
                    unit,
                    period,
                    actor=actor,
                    text=summary.cleaned_data["summary"],
                    expected_version=summary.expected_version(summary.initial["row_version"], now),
                )
            except EditConflict as error:
                _summary_conflict(summary, error, unit=unit, period=period)
                failed = True
            except (ValidationError, PermissionDenied) as error:
                _error(summary, error)
                failed = True
        for row in rows:
            failed = _save_extras(row, actor) or failed
            form = row.form
            if not row.writable or not form.is_valid() or not form.has_changed():
                continue  # a row nobody changed is not written: newer text in it survives
            try:
                _save_row(row, actor=actor, period=period)
            except EditConflict as error:
                _show_conflict(row, error, period=period)
                failed = True
            except (ValidationError, PermissionDenied) as error:
                _error(form, error)
                failed = True
        if failed:
            transaction.set_rollback(True)
    for row in rows:  # the parts' errors are listed with the entry's (the error summary)
        for part in row.extras:
            for message in part.messages():
                row.form.add_error(None, message)
    return not failed


def _save_extras(row: Row, actor: Actor) -> bool:
    """Save the row's changed parts (``extras``); True when one was refused or invalid."""
    failed = False
    for part in row.extras if row.writable else ():
        if not part.is_valid():
            failed = True
        elif part.has_changed():
            try:
                part.save(actor)
            except (ValidationError, PermissionDenied) as error:
                part.refuse(error)
                failed = True
    return failed


def _save_row(row: Row, *, actor: Actor, period: ReportingPeriod) -> None:
    form, item = row.form, row.item
    expected = form.expected_version(row.version, row.now or {})
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
        entry = save_followup(
            item.target,
            period,
            actor=actor,
            unit=item.unit,
            expected_version=expected,
            **kwargs,
        )
        expected = None  # checked; the state moves in the same transaction
    if "done" in changed:
        state = FollowUp.State.KLAR if data["done"] else FollowUp.State.UTKAST
        set_state(entry, state, actor=actor, expected_version=expected)


def _summary_conflict(form: SummaryForm, error: EditConflict, *, unit, period) -> None:
    from uppsikt.audit.trail import last_saved

    report = UnitReport.objects.filter(unit=unit, period=period).first()
    now = {"summary": comment_as_markup(report.summary) if report else ""}
    form.conflict = form.refuse(
        error,
        now,
        version=report.row_version if report else 0,
        name=str(_("Sammanfattning")),
        saved=last_saved(report) if report else None,
    )


def _show_conflict(row: Row, error: EditConflict, *, period: ReportingPeriod) -> None:
    """Keep what the user wrote in the form; show what is saved now, by whom and when; and
    let the next save go against the version the user has now seen."""
    from uppsikt.audit.trail import last_saved

    item, form = row.item, row.form
    entry = FollowUp.objects.filter(
        period=period,
        unit=item.unit,
        content_type_id=item.key[0],
        object_id=item.target.pk,
    ).first()
    status = statuses_for([item], {item.key: entry} if entry else {}, period).get(item.key)
    responsible_id = entry.responsible_id if entry else None
    now = _values(entry, status, responsible_id)
    row.conflict = form.refuse(
        error,
        now,
        version=entry.row_version if entry is not None else 0,
        name=item.title,
        saved=last_saved(entry) if entry is not None else None,
    )
