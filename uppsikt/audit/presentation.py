"""Audit events as people read them: what happened, in Swedish, and which fields changed."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from . import vocabulary
from .models import AuditEvent
from .trail import current_label

HTML = re.compile(r"\s*<(p|ul|ol|h[1-6]|blockquote|div)[\s>]", re.IGNORECASE)


# How other apps' stored values read: (action prefix, field name) → a function from the
# stored value (not None) to text. Apps register theirs in ``ready`` (``register_formats``),
# so the audit trail shows e.g. a budget amount as "−35 000 000 kr", not "-35000000.00".
# The actions' labels are the vocabulary's (``vocabulary.declare``).
FIELD_FORMATS: dict[tuple[str, str], Callable[[Any], str]] = {}
# Their labels of names that are no field of the event's object (whose fields are labelled
# by the model's verbose names): (action prefix, field name) → label (``register_labels``).
FIELD_LABELS_BY_ACTION: dict[tuple[str, str], Any] = {}


def register_formats(prefix: str, fields: dict[str, Callable[[Any], str]]) -> None:
    """Formats for fields of an app's actions starting with ``prefix`` (``"budget."``)."""
    for name, format_value in fields.items():
        FIELD_FORMATS[(prefix, name)] = format_value


def register_labels(prefix: str, labels: dict[str, Any]) -> None:
    """Swedish labels for fields of an app's actions starting with ``prefix``."""
    for name, label in labels.items():
        FIELD_LABELS_BY_ACTION[(prefix, name)] = label


def _label_for(action: str, name: str) -> str | None:
    for (prefix, field_name), label in FIELD_LABELS_BY_ACTION.items():
        if field_name == name and action.startswith(prefix):
            return str(label)
    return None


def _format_for(action: str, name: str) -> Callable[[Any], str] | None:
    for (prefix, field_name), format_value in FIELD_FORMATS.items():
        if field_name == name and action.startswith(prefix):
            return format_value
    return None


@dataclass
class FieldRow:
    label: str
    old: Any
    new: Any
    formatted: bool = False  # shown by a registered format: compared whole, not word by word

    @property
    def is_list(self) -> bool:
        return isinstance(self.old, list) or isinstance(self.new, list)

    @property
    def is_text(self) -> bool:
        return not self.formatted and isinstance(self.old, str) and isinstance(self.new, str)


@dataclass
class EventRow:
    event: AuditEvent
    action_label: str
    fields: list[FieldRow]


# Names in events' before/after that are no field of the object's model.
FIELD_LABELS: dict[str, Any] = {
    "revises_version": _("ersätter version"),
    "file": _("fil"),
    "counts": _("antal"),
    "ignored_columns": _("kolumner som inte lästes"),
}


def _plain(name: str) -> str:
    return str(FIELD_LABELS.get(name, name.replace("_", " ")))


def _field_label(object_type: str, name: str) -> str:
    if name in FIELD_LABELS:
        return str(FIELD_LABELS[name])
    try:
        model = apps.get_model(current_label(object_type))
    except (LookupError, ValueError):
        return _plain(name)
    try:
        field = model._meta.get_field(name.removesuffix("_id"))
    except FieldDoesNotExist:
        return _plain(name)
    if field.auto_created and not field.concrete:  # a reverse relation, e.g. a goal's indicators
        return str(field.related_model._meta.verbose_name_plural)
    return str(field.verbose_name)


def _display(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and HTML.match(value):  # a sanitised rich text: its words
        return strip_tags(value).strip()
    if isinstance(value, (list, str)):
        return value
    if isinstance(value, bool):
        return str(_("ja") if value else _("nej"))
    return str(value)


def describe(event: AuditEvent) -> EventRow:
    """``event`` with a Swedish label and one row per field whose value changed."""
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    fields = []
    for name in dict.fromkeys([*before, *after]):
        old, new = before.get(name), after.get(name)
        if old != new:
            show = _format_for(event.action, name)
            if show is not None:
                old, new = (None if v is None else show(v) for v in (old, new))
            fields.append(
                FieldRow(
                    _label_for(event.action, name) or _field_label(event.object_type, name),
                    _display(old),
                    _display(new),
                    formatted=show is not None,
                )
            )
    return EventRow(event, vocabulary.label(event.action), fields)


def describe_all(events: Iterable[AuditEvent]) -> list[EventRow]:
    return [describe(event) for event in events]


def object_url(event: AuditEvent) -> str:
    """The object's own page, if it still exists and has one."""
    try:
        model = apps.get_model(current_label(event.object_type))
    except (LookupError, ValueError):
        return ""
    obj = model._default_manager.filter(pk=event.object_id).first()
    get_url = getattr(obj, "get_absolute_url", None)
    return get_url() if get_url else ""
