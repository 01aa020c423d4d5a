"""Naming a budget row in a file: by its code, or by its label path.

A label path is the labels from the top of the table down to the row, joined by " > ":
``Hälsovalsenheten, varav > Vårdval Hälsoval``. A label that occurs only once in the table
may be written alone (``Vårdval Hälsoval``). Labels are compared without regard to case or
repeated spaces. A row's code, when it has one, always wins.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

SEPARATOR = " > "


class RowRefError(ValueError):
    """A reference that names no row, or more than one; the message is Swedish."""


def _norm(text: str) -> str:
    return " ".join(str(text).split()).casefold()


@dataclass(frozen=True)
class Entry:
    key: Any
    label: str
    code: str
    parent: Any  # the parent's key, or None


class RowIndex:
    """Finds rows by code or label path. ``entries`` are in the table's reading order."""

    def __init__(self, entries: Iterable[Entry]):
        self.entries = list(entries)
        self.by_key = {entry.key: entry for entry in self.entries}
        self.by_code = {_norm(e.code): e.key for e in self.entries if e.code}
        self.children: dict[Any, list[Entry]] = defaultdict(list)
        self.by_label: dict[str, list[Entry]] = defaultdict(list)
        for entry in self.entries:
            self.children[entry.parent].append(entry)
            self.by_label[_norm(entry.label)].append(entry)

    def path(self, key: Any) -> str:
        """The label path of a row: ``Hälsovalsenheten, varav > Vårdval Hälsoval``."""
        labels = []
        while key is not None:
            entry = self.by_key[key]
            labels.append(entry.label)
            key = entry.parent
        return SEPARATOR.join(reversed(labels))

    def find(self, ref: str) -> Any:
        """The key of the row that ``ref`` names; raises ``RowRefError``."""
        text = " ".join(str(ref).split())
        if not text:
            raise RowRefError(_("raden saknas"))
        if _norm(text) in self.by_code:
            return self.by_code[_norm(text)]
        parts = [part.strip() for part in text.split(">")]
        if len(parts) == 1:
            found = self.by_label.get(_norm(text), [])
            if len(found) == 1:
                return found[0].key
            if len(found) > 1:
                raise RowRefError(
                    _("raden ”%(ref)s” finns på flera ställen; skriv hela vägen, t.ex. ”%(path)s”")
                    % {"ref": text, "path": self.path(found[0].key)}
                )
            raise RowRefError(_("ingen rad heter ”%(ref)s”") % {"ref": text})
        parent = None
        for depth, part in enumerate(parts):
            found = [e for e in self.children.get(parent, []) if _norm(e.label) == _norm(part)]
            if not found:
                where = SEPARATOR.join(parts[:depth]) or _("tabellens översta nivå")
                raise RowRefError(
                    _("ingen rad ”%(part)s” under %(where)s") % {"part": part, "where": where}
                )
            if len(found) > 1:
                raise RowRefError(
                    _("flera rader heter ”%(part)s” på samma nivå; ge raderna koder")
                    % {"part": part}
                )
            parent = found[0].key
        return parent


def index_rows(rows) -> RowIndex:
    """A ``RowIndex`` over ``BudgetRow`` objects (keys are the rows themselves)."""
    rows = list(rows)
    by_pk = {row.pk: row for row in rows}
    return RowIndex(Entry(row, row.label, row.code, by_pk.get(row.parent_id)) for row in rows)
