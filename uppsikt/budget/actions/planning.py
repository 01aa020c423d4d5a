"""Planning changes: reallocations between rows, next year's frame, drafts."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, require
from uppsikt.audit.trail import record
from uppsikt.lib.typing import Actor
from uppsikt.plans.models import Plan

from .. import tree
from ..frame import QUANTA, base_series, draft_figures
from ..models import BudgetRow, BudgetTable, Figure, MappingRule, Reallocation
from ..money import format_exact, format_number, to_unit
from ..series import FigureKind, Series
from ..stored import Loaded, load
from ..validation import check_changes
from .common import (
    fail_with,
    has_example_figures,
    lock_table,
    new_version,
    write_figures,
)


def reallocate(
    table: BudgetTable,
    *,
    actor: Actor,
    from_row: BudgetRow,
    to_row: BudgetRow,
    series: Series,
    amount: Decimal,
    reason: str,
) -> Reallocation:
    """Move ``amount`` kronor of budget from one row to another in the year's revised
    budget; the total stays the same and the decided budget is never written.

    ``series`` names the year (a budget or revised budget column). The move is written to
    the revised budget (``reviderad``) of that year; when the table has none yet, it is first
    made as a copy of the decided budget. Both rows must be ordinary rows (or varav rows
    under the same row), so that what one loses the other gains in every sum. In a
    driftbudget, where costs are negative, the from-row's figure rises by the amount (less
    cost) and the to-row's falls (more cost). A row cannot give more than it has.
    """
    require(actor, Perm.PLAN, table)
    reason = reason.strip()
    _check_reallocation(table, from_row, to_row, series, amount, reason)
    target = Series(series.year, FigureKind.REVIDERAD)
    decided = Series(series.year, FigureKind.BUDGET)
    with transaction.atomic():
        table = lock_table(table)
        loaded = load(table)
        copied = revised_copy(loaded, target, decided)
        current = _revised_figures(loaded, copied, target, (from_row, to_row))
        _check_available(table, from_row, target, current[from_row.pk], amount)
        moved = amount * table.cost_sign
        changes = {
            (from_row.pk, target): current[from_row.pk] - moved,
            (to_row.pk, target): current[to_row.pk] + moved,
        }
        _check_total_kept(loaded, current, {**copied, **changes}, target)
        example = has_example_figures(loaded, target if not copied else decided)
        if copied:
            write_figures(
                loaded,
                {key: value for key, value in copied.items() if key not in changes},
                source=_("kopia av %(series)s") % {"series": decided},
                is_example=example,
            )
        write_figures(loaded, changes, source=_("omfördelning"), is_example=example)
        made = Reallocation.objects.create(
            table=table,
            kind=target.kind,
            year=target.year,
            from_row=from_row,
            to_row=to_row,
            amount=amount,
            reason=reason,
            made_by=actor if getattr(actor, "pk", None) else None,
            made_by_name=getattr(actor, "username", "") or "",
        )
        _record_reallocation(made, actor, target, copied_from=decided if copied else None)
    return made


def _check_reallocation(
    table: BudgetTable,
    from_row: BudgetRow,
    to_row: BudgetRow,
    series: Series,
    amount: Decimal,
    reason: str,
) -> None:
    """Refuse a reallocation that is not one: every fault by field, before anything is read."""
    errors = {}
    if not reason:
        errors["reason"] = _("Ange varför beloppet flyttas.")
    if amount <= 0:
        errors["amount"] = _("Ange ett belopp större än noll.")
    if series.kind not in (FigureKind.BUDGET, FigureKind.REVIDERAD):
        errors["series"] = _("Bara budget och reviderad budget kan omfördelas.")
    if from_row.pk == to_row.pk:
        errors["to_row"] = _("Välj två olika rader.")
    if from_row.table_id != table.pk or to_row.table_id != table.pk:
        errors["to_row"] = _("Raderna ska höra till samma tabell.")
    elif not _reallocatable(from_row, to_row):
        errors["to_row"] = _(
            "Flytta bara mellan vanliga rader, eller mellan varav-rader under samma rad, "
            "så att summorna inte ändras."
        )
    if errors:
        raise ValidationError(errors)


def _revised_figures(
    loaded: Loaded, copied: dict[Any, Decimal], target: Series, rows: tuple[BudgetRow, ...]
) -> dict[int, Decimal]:
    """Row pk → kronor in the revised budget ``target`` (or the copy it will start as);
    refused when the table has no budget that year or one of ``rows`` has no figure."""
    current = {pk: value for (pk, _s), value in copied.items()}
    for (pk, s), figure in loaded.figures.items():
        if s == target:
            current[pk] = figure.amount
    if not current:
        raise ValidationError(
            {"series": _("Tabellen saknar budget för %(year)s.") % {"year": target.year}}
        )
    for row in rows:
        if row.pk not in current:
            raise ValidationError(
                {"series": _("%(row)s saknar %(series)s.") % {"row": row.label, "series": target}}
            )
    return current


def _check_available(
    table: BudgetTable, from_row: BudgetRow, target: Series, has: Decimal, amount: Decimal
) -> None:
    """A row cannot give more than it has (``has``: its figure in ``target``)."""
    available = has * table.cost_sign
    if amount <= available:
        return
    unit = table.display_unit
    raise ValidationError(
        {
            "amount": _(
                "Beloppet att flytta är större än vad %(row)s har i %(series)s: "
                "%(available)s %(unit)s kan flyttas, inte %(amount)s %(unit)s."
            )
            % {
                "row": from_row.label,
                "series": target,
                "available": format_exact(to_unit(max(available, Decimal(0)), unit)),
                "amount": format_exact(to_unit(amount, unit)),
                "unit": unit,
            }
        }
    )


def _check_total_kept(
    loaded: Loaded, current: dict[int, Decimal], changes: dict[Any, Decimal], target: Series
) -> None:
    """The changed figures must pass the table's checks and keep its total."""
    total_before = sum(
        (v for pk, v in current.items() if loaded.rows[pk].kind == tree.LINE), Decimal(0)
    )
    problems = check_changes(loaded, changes)
    if problems:
        raise fail_with(problems)
    if _total(loaded, target) != total_before:  # pragma: no cover - guarded above
        raise ValidationError(_("Omfördelningen skulle ändra tabellens total."))


def _record_reallocation(
    made: Reallocation, actor: Actor, target: Series, *, copied_from: Series | None
) -> None:
    """The audit event: the move, and the decided budget when the revised one was made."""
    after = {
        "serie": target.key,
        "från": made.from_row.label,
        "till": made.to_row.label,
        "belopp": str(made.amount),
        "omfördelning": made.pk,
    }
    if copied_from:
        after["reviderad_skapad_från"] = copied_from.key
    record(actor=actor, action="budget.reallocate", obj=made.table, after=after, reason=made.reason)


def revised_copy(loaded: Loaded, target: Series, decided: Series) -> dict[Any, Decimal]:
    """When the table has no figure in the revised budget ``target``, the decided budget's
    figures copied into it (row pk, target) → kronor; else nothing."""
    if any(s == target for (_pk, s) in loaded.figures):
        return {}
    return {
        (pk, target): figure.amount for (pk, s), figure in loaded.figures.items() if s == decided
    }


def _reallocatable(a: BudgetRow, b: BudgetRow) -> bool:
    if a.kind == b.kind == tree.LINE:
        return True
    return a.kind == b.kind == tree.VARAV and a.parent_id == b.parent_id


def _total(loaded: Loaded, series: Series) -> Decimal:
    return sum(
        (n.figures.get(series, Decimal(0)) for n in loaded.nodes.values() if n.kind == tree.LINE),
        Decimal(0),
    )


def create_next_year_draft(
    table: BudgetTable,
    *,
    actor: Actor,
    rate: Decimal,
    rounding: str = "kr",
    base: Series | None = None,
) -> BudgetTable:
    """A draft table for the next year: every row's base figure raised by ``rate`` percent.

    The draft has the same rows, codes and mapping rules; its columns are next year's
    budget and the base it was raised from. It is visible only to roles on the unit until
    it is settled.
    """
    require(actor, Perm.PLAN, table)
    loaded = load(table)
    base = base or base_series(loaded, table.year)
    year = table.year + 1
    base = _check_next_year(table, base, rate, rounding, year)
    figures = draft_figures(loaded, base, rate, QUANTA[rounding])
    target = Series(year, FigureKind.BUDGET)
    rate_text = format_number(rate, max(0, -int(rate.normalize().as_tuple().exponent)))
    with transaction.atomic():
        draft = BudgetTable.objects.create(
            unit=table.unit,
            year=year,
            kind=table.kind,
            number=table.number,
            title=table.title,
            display_unit=table.display_unit,
            decimals=table.decimals,
            plan=Plan.objects.filter(unit=table.unit, year=year).order_by("-version").first(),
            note=_("Utkast: %(base)s uppräknad med %(rate)s procent (löne- och prisuppräkning).")
            % {"base": str(base).lower(), "rate": rate_text},
            source=table.source,
            is_example=table.is_example,
            position=table.position,
            status=BudgetTable.Status.UTKAST,
            columns=[target.key, base.key],
            based_on=table,
        )
        copies = _copy_rows(table, draft)
        source = _("uppräkning %(rate)s %% av %(base)s") % {"rate": rate_text, "base": base}
        Figure.objects.bulk_create(
            _draft_figures(loaded, copies, base, target, figures, source=source[:200])
        )
        _copy_mapping(table, draft, copies)
        record(
            actor=actor,
            action="budget.frame.create",
            obj=draft,
            after={
                "från_tabell": table.pk,
                "bas": base.key,
                "uppräkning_procent": str(rate),
                "avrundning": rounding,
                "rader": len(figures),
            },
        )
    return draft


def _check_next_year(
    table: BudgetTable, base: Series | None, rate: Decimal, rounding: str, year: int
) -> Series:
    """The base to raise; refused when there is no budget to raise, the rate or rounding is
    out of range, or ``year`` already has this table."""
    errors: dict[str, str] = {}
    if base is None or base.kind not in (FigureKind.BUDGET, FigureKind.REVIDERAD):
        errors["base"] = _("Tabellen saknar budget för %(year)s att räkna upp.") % {
            "year": table.year
        }
    if not Decimal(-100) < rate <= Decimal(100):
        errors["rate"] = _("Ange en uppräkning mellan −100 och 100 procent.")
    if rounding not in QUANTA:
        errors["rounding"] = _("Okänd avrundning.")
    if BudgetTable.objects.filter(
        unit=table.unit, year=year, number=table.number, title=table.title
    ).exists():
        errors["rate"] = _("Det finns redan en tabell %(table)s för %(year)s.") % {
            "table": table,
            "year": year,
        }
    if errors or base is None:
        raise ValidationError(errors)
    return base


def _draft_figures(
    loaded: Loaded,
    copies: dict[int, BudgetRow],
    base: Series,
    target: Series,
    figures: dict[int, Decimal],
    *,
    source: str,
) -> list[Figure]:
    """The draft's figures, unsaved: each row's ``base`` figure copied, and its raised
    figure in ``target`` (``figures``: row pk → kronor)."""
    example = has_example_figures(loaded, base)
    out = []
    for pk, node in loaded.nodes.items():
        if base in node.figures:
            out.append(
                Figure(
                    row=copies[pk],
                    kind=base.kind,
                    year=base.year,
                    amount=node.figures[base],
                    is_example=example,
                    source=_("kopia av %(table)s") % {"table": loaded.table},
                )
            )
        if pk in figures:
            out.append(
                Figure(
                    row=copies[pk],
                    kind=target.kind,
                    year=target.year,
                    amount=figures[pk],
                    is_example=example,
                    source=source,
                )
            )
    return out


def _copy_mapping(table: BudgetTable, draft: BudgetTable, copies: dict[int, BudgetRow]) -> None:
    MappingRule.objects.bulk_create(
        MappingRule(
            table=draft,
            row=copies[rule.row_id],
            account_from=rule.account_from,
            account_to=rule.account_to,
            dimension=rule.dimension,
            object_code=rule.object_code,
            flip_sign=rule.flip_sign,
            position=rule.position,
            note=rule.note,
        )
        for rule in table.mapping_rules.all()
    )


def _copy_rows(table: BudgetTable, draft: BudgetTable) -> dict[int, BudgetRow]:
    copies: dict[int, BudgetRow] = {}
    for row in table.rows.all():  # reading order: a parent comes before its rows
        copies[row.pk] = BudgetRow.objects.create(
            table=draft,
            parent=copies.get(row.parent_id) if row.parent_id is not None else None,
            label=row.label,
            code=row.code,
            kind=row.kind,
            position=row.position,
            note=row.note,
        )
    return copies


def settle_table(table: BudgetTable, *, actor: Actor) -> None:
    """Mark a draft as settled (fastställd): from then on the public sees it too."""
    require(actor, Perm.PLAN, table)
    with transaction.atomic():
        table = lock_table(table)
        if not table.is_draft:
            raise ValidationError(_("Tabellen är redan fastställd."))
        table.status = BudgetTable.Status.FASTSTALLD
        table.save(update_fields=["status"])
        new_version(table)
        record(
            actor=actor,
            action="budget.table.settle",
            obj=table,
            before={"status": BudgetTable.Status.UTKAST},
            after={"status": BudgetTable.Status.FASTSTALLD},
        )


def delete_draft(table: BudgetTable, *, actor: Actor, reason: str = "") -> None:
    """Remove a draft table (only drafts can be removed here)."""
    require(actor, Perm.PLAN, table)
    with transaction.atomic():
        table = lock_table(table)
        if not table.is_draft:
            raise ValidationError(_("Bara utkast kan tas bort."))
        record(
            actor=actor,
            action="budget.table.delete",
            obj=table,
            before={"tabell": str(table), "år": table.year},
            reason=reason,
        )
        table.delete()
