"""Optimistic concurrency: a version per edited row, and forms that save only what changed.

Every row that people edit together (a follow-up entry, a goal, an indicator, a plan text, a
risk, an åtgärd, an avvikelse, a budget table's figures) has an integer ``row_version``: 1
when created, one more on every save. An action that changes such a row takes the version
its caller last saw (``expected_version``) and, with the row locked, refuses the change with
``EditConflict`` (a ``ValidationError`` with code ``"conflict"``) when the row has been saved
since. ``None`` means "no check" (today's behaviour for callers that do not say); ``0`` means
"I saw no such row" (a follow-up entry or a budget figure not written yet).

A form (``TracksEdits``) carries, in hidden inputs, the version and the values it was
opened with, so that on save it knows which fields its user changed: a row nobody touched
is not written at all, and only a changed row is checked against its version. On conflict
the page is shown again with the user's text still in the form, the text saved meanwhile
beside it (``Conflict``), and the hidden originals moved on to what is saved now
(``TracksEdits.rebase``), so that saving again after merging succeeds.

    >>> check_version(entry.row_version, expected_version, name=str(entry))
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Model
from django.utils.functional import cached_property
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from uppsikt.lib.richtext import one_line

VERSION_FIELD = "row_version"


def row_version_field() -> models.PositiveIntegerField:
    """The ``row_version`` of a model people edit together (the same on every such model)."""
    return models.PositiveIntegerField(
        gettext_lazy("ändringsnummer"),
        default=1,
        editable=False,
        help_text=gettext_lazy(
            "Ett mer vid varje ändring; en ändring från en inaktuell sida vägras."
        ),
    )


class EditConflict(ValidationError):
    """Someone saved the row after the caller read it; nothing was changed."""

    def __init__(self, message: str, *, current: int | None = None, obj: Any = None):
        super().__init__(message, code="conflict")
        self.current = current  # the row's version now, for the caller's next attempt
        self.obj = obj  # the row refused, when the caller needs to know which


def check_version(current: int, expected: int | None, *, name: str, obj: Any = None) -> None:
    """Refuse (``EditConflict``) when ``expected`` is given and is not ``current``.

    ``current`` is the locked row's ``row_version``, 0 when there is no row; ``name`` names
    the item in the message, ``obj`` is kept on the error."""
    if expected is None or expected == current:
        return
    raise stale(name, current=current, expected=expected, obj=obj)


def stale(name: str, *, current: int, expected: int, obj: Any = None) -> EditConflict:
    """The refusal of a change made against version ``expected`` of a row now at ``current``."""
    if current == 0 and expected > 0:
        message = _("”%(name)s” har tagits bort av någon annan sedan du öppnade den.")
    elif expected == 0:
        message = _("”%(name)s” har skrivits av någon annan sedan du öppnade sidan.")
    else:
        message = _("”%(name)s” har ändrats av någon annan sedan du öppnade den.")
    return EditConflict(message % {"name": one_line(name, 80)}, current=current, obj=obj)


def bump(obj: Model) -> None:
    """One more version before saving a changed row (a new row keeps its 1)."""
    if obj.pk is not None:
        obj.row_version = obj.row_version + 1  # type: ignore[attr-defined]


def lock_rows(model: type[Model], pks: Iterable[int]) -> None:
    """Lock rows (in pk order) until the transaction ends, so that writers that check what
    exists before creating run one after the other (PostgreSQL; SQLite has one writer)."""
    rows = model._default_manager.select_for_update().filter(pk__in=set(pks)).order_by("pk")
    list(rows.values_list("pk", flat=True))


def is_conflict(error: ValidationError) -> bool:
    return isinstance(error, EditConflict) or getattr(error, "code", None) == "conflict"


# -- forms ------------------------------------------------------------------------------


@dataclass
class Conflict:
    """What to show beside a form whose row was saved by someone else meanwhile."""

    name: str  # the item, as the page names it
    who: str
    when: datetime.datetime | None
    theirs: list[tuple[str, str]] = field(default_factory=list)  # (field label, value now)


class TracksEdits(forms.BaseForm):
    """Mixin for a form editing one versioned row (put it before ``forms.Form`` or
    ``forms.ModelForm``).

    Render ``{{ form.row_version }}`` (a hidden field) and ``{{ form.originals }}`` inside the
    ``<form>``. Then ``changed_data`` compares what is posted with what the form was opened
    with, not with what is stored now; a post without them (an older page, a test client)
    is compared with ``initial`` as before.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[VERSION_FIELD] = forms.IntegerField(
            required=False, min_value=0, widget=forms.HiddenInput
        )
        instance = getattr(self, "instance", None)  # a ModelForm: the row it edits
        if instance is not None and VERSION_FIELD not in self.initial:
            self.initial[VERSION_FIELD] = instance.row_version if instance.pk else 0

    @property
    def tracked(self) -> list[str]:
        return [name for name in self.fields if name != VERSION_FIELD]

    @property
    def has_originals(self) -> bool:
        """The post comes from a page that carried the originals."""
        return self.is_bound and self.add_prefix(VERSION_FIELD) in self.data

    def original(self, name: str) -> Any:
        """The value ``name`` had when the form was opened (as the field's Python value)."""
        bound = self[name]
        if not self.has_originals:
            return bound.initial
        try:
            return bound.field.to_python(self._posted_original(bound))
        except ValidationError:
            return None

    def _posted_original(self, bound: Any) -> Any:
        """What the page posted in ``bound``'s hidden input of its original value."""
        widget = bound.field.hidden_widget()
        return self._widget_data_value(widget, bound.html_initial_name)  # type: ignore[attr-defined]

    @cached_property
    def changed_data(self) -> list[str]:
        changed = []
        for name in self.tracked:
            bound = self[name]
            if not self.has_originals:  # compared with what is stored now, as Django does
                if bound._has_changed():  # type: ignore[attr-defined]
                    changed.append(name)
                continue
            try:
                original = bound.field.to_python(self._posted_original(bound))
            except ValidationError:
                changed.append(name)
                continue
            if bound.field.has_changed(original, bound.data):
                changed.append(name)
        return changed

    def expected_version(self, current: int, now: Mapping[str, Any]) -> int | None:
        """The version to save against: the one the form was opened with, or ``current``
        when the row was saved since but nothing this form shows differs (another field
        of the row, an avvikelse, a state moved and back). None for a post without originals.

        ``now`` holds the row's values as stored now, as ``initial`` would."""
        if not self.has_originals:
            return None
        opened = self.cleaned_data.get(VERSION_FIELD) or 0
        if opened != current and not self.differences(now):
            return current
        return opened

    def differences(self, now: Mapping[str, Any]) -> list[str]:
        """The tracked fields whose stored value differs from what the form was opened with."""
        result = []
        for name in self.tracked:
            field_ = self.fields[name]
            if field_.disabled:
                continue
            if field_.has_changed(self.original(name), _as_data(field_, now.get(name))):
                result.append(name)
        return result

    def rebase(self, now: Mapping[str, Any], version: int) -> None:
        """After a conflict: the originals become what is stored now, so that the next save
        is compared with (and checked against) the version the user has now seen. What the
        user wrote stays in the form."""
        data: Any = copy.copy(self.data)
        for name in self.tracked:
            bound = self[name]
            value = _as_data(bound.field, now.get(name))
            if isinstance(value, list) and hasattr(data, "setlist"):
                data.setlist(bound.html_initial_name, value)
            else:
                data[bound.html_initial_name] = value
        data[self.add_prefix(VERSION_FIELD)] = str(version)
        self.data = data
        self.__dict__.pop("changed_data", None)

    def conflict_with(self, now: Mapping[str, Any], *, name: str, saved: Any) -> Conflict:
        """The panel beside the form: who saved, when, and each value they changed."""
        theirs = [
            (str(self.fields[key].label or key), _display(self.fields[key], now.get(key)))
            for key in self.differences(now)
        ]
        who, when = saved if saved is not None else ("", None)
        return Conflict(name=name, who=who, when=when, theirs=theirs)

    def refuse(
        self, error: ValidationError, now: Mapping[str, Any], *, version: int, name: str, saved: Any
    ) -> Conflict:
        """Show ``error`` (an ``EditConflict``) on the form: the panel of what is saved now
        (``saved``: who and when, or None), and the originals moved on to ``now``."""
        conflict = self.conflict_with(now, name=name, saved=saved)
        self.rebase(now, version)
        self.add_error(None, error.messages)
        return conflict

    @property
    def originals(self) -> SafeString:
        """Hidden inputs with the value of each field as the form was opened."""
        return format_html_join(
            "",
            "{}",
            (
                (self[name].as_hidden(only_initial=True),)
                for name in self.tracked
                if not self.fields[name].disabled
            ),
        )


def _as_data(field_: forms.Field, value: Any) -> Any:
    """A stored value as a form would post it (a list for a multiple choice)."""
    prepared = field_.prepare_value(value)
    if isinstance(field_.hidden_widget(), forms.MultipleHiddenInput) or isinstance(
        prepared, (list, tuple)
    ):
        return [str(item) for item in prepared or []]
    if prepared is None:
        return ""
    return str(prepared)


def _display(field_: forms.Field, value: Any) -> str:
    """A stored value as a person reads it: a choice's label, Ja/Nej, the text itself."""
    if isinstance(field_, forms.BooleanField):
        return _("Ja") if value else _("Nej")
    if isinstance(field_, forms.ModelChoiceField):
        if value is None or value == "":
            return "–"
        queryset = field_.queryset
        obj = value if isinstance(value, Model) else None
        if obj is None and queryset is not None:
            obj = queryset.filter(pk=value).first()
        return field_.label_from_instance(obj) if obj is not None else str(value)
    labels = {
        str(key): str(label)
        for key, label in getattr(field_, "choices", None) or ()
        if not isinstance(label, (list, tuple))  # not a group of choices
    }
    if isinstance(value, (list, tuple)):
        return ", ".join(labels.get(str(item), str(item)) for item in value) or "–"
    if labels:
        return labels.get(str(value or ""), str(value or "")) or "–"
    text = "" if value is None else str(value)
    return text if text.strip() else "–"
