"""A table's history in words: the audit trail's budget events, newest first."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db.models import Q
from django.utils.translation import gettext as _

from uppsikt.accounts.names import person_name
from uppsikt.audit import vocabulary
from uppsikt.audit.models import AuditEvent

from .models import BudgetRow, BudgetTable, Series
from .money import format_exact, format_money, format_number
from .series import SeriesError


@dataclass
class Entry:
    when: datetime
    who: str
    what: str
    reason: str


def _money(text: str | None, table: BudgetTable) -> str:
    if text is None:
        return "–"
    try:
        amount = Decimal(text)
    except (InvalidOperation, TypeError):
        return str(text)
    return (
        f"{format_money(amount, table.display_unit, max(table.decimals, 1))} {table.display_unit}"
    )


def kronor(value) -> str:
    """A stored amount in kronor (``"-35000000.00"``) as the audit trail shows it:
    ``−35 000 000 kr``; öre only when there are any (``5,50 kr``)."""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    decimals = 0 if amount == amount.to_integral_value() else 2
    return f"{format_number(amount, decimals)} kr"


def _percent(value) -> str:
    try:
        return f"{format_exact(Decimal(str(value)))} %"
    except InvalidOperation:
        return str(value)


def _cells(changes) -> str:
    """An import's figures before → after, one per line: "Rad, Serie: 0 kr → −5 000 000 kr"."""
    if not isinstance(changes, list):
        return str(changes)
    lines = []
    for cell in changes:
        before = "–" if cell.get("före") is None else kronor(cell["före"])
        lines.append(
            f"{cell.get('rad', '')}, {_series(str(cell.get('serie', '')))}: "
            f"{before} → {kronor(cell.get('efter'))}"
        )
    return "; ".join(lines)


# How the audit trail's pages show the fields of budget events (registered in
# ``apps.BudgetConfig``; the actions' labels are in ``audit_actions``).
AUDIT_FIELDS = {
    "ändringar": _cells,
    "belopp": kronor,
    "serie": lambda key: _series(str(key)),
    "uppräkning_procent": _percent,
}


def _series(key: str) -> str:
    try:
        return str(Series.from_key(key))
    except SeriesError:
        return key


def describe(event: AuditEvent, table: BudgetTable, rows: dict[str, str]) -> str:
    after, before = event.after or {}, event.before or {}
    if event.action == "budget.import":
        return _("Läste in %(file)s: %(new)s nya och %(changed)s ändrade belopp%(example)s.") % {
            "file": after.get("fil", ""),
            "new": after.get("nya", 0),
            "changed": after.get("ändrade", 0),
            "example": _(", märkta som exempel") if after.get("exempel") else "",
        }
    if event.action == "budget.reallocate":
        return _("Flyttade %(amount)s från %(from)s till %(to)s (%(series)s).") % {
            "amount": _money(after.get("belopp"), table),
            "from": after.get("från", ""),
            "to": after.get("till", ""),
            "series": _series(after.get("serie", "")),
        }
    if event.action == "budget.figure.set":
        return _("%(row)s, %(series)s: %(before)s → %(after)s.") % {
            "row": rows.get(event.object_id, event.object_repr),
            "series": _series(after.get("serie", "")),
            "before": _money(before.get("belopp"), table),
            "after": _money(after.get("belopp"), table),
        }
    if event.action == "budget.frame.create":
        return _("Skapade utkastet genom att räkna upp %(base)s med %(rate)s procent.") % {
            "base": _series(after.get("bas", "")).lower(),
            "rate": str(after.get("uppräkning_procent", "")).replace(".", ","),
        }
    if event.action == "budget.load":
        return _("Läste in tabellen från %(file)s: %(rows)s rader, %(amounts)s belopp.") % {
            "file": after.get("fil", ""),
            "rows": after.get("rader", 0),
            "amounts": after.get("belopp", 0),
        }
    if event.action == "budget.table.settle":
        return _("Fastställde tabellen.")
    if event.action == "budget.mapping.save":
        return _("Sparade mappningsregeln %(rule)s.") % {"rule": after.get("regel", "")}
    if event.action == "budget.mapping.delete":
        return _("Tog bort mappningsregeln %(rule)s.") % {"rule": before.get("regel", "")}
    return vocabulary.label(event.action)


def table_history(table: BudgetTable, row: BudgetRow | None = None, limit: int = 50) -> list[Entry]:
    """The table's events (imports, frames, reallocations, mapping, its rows' edits), or with
    ``row`` only that row's figure edits."""
    rows = {
        str(pk): label
        for pk, label in BudgetRow.objects.filter(table=table).values_list("pk", "label")
    }
    if row is not None:
        where = Q(object_type="budget.budgetrow", object_id=str(row.pk))
    else:
        where = Q(object_type="budget.budgettable", object_id=str(table.pk)) | Q(
            object_type="budget.budgetrow", object_id__in=list(rows)
        )
    events = AuditEvent.objects.filter(where).select_related("actor").order_by("-sequence")
    return [
        Entry(
            event.occurred_at,
            person_name(event.actor) if event.actor else event.actor_name,
            describe(event, table, rows),
            event.reason,
        )
        for event in events[:limit]
    ]
