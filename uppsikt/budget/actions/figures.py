"""Changing figures: one at a time, or many from a checked file."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, require
from uppsikt.audit.trail import record
from uppsikt.lib.celltext import csv_text
from uppsikt.lib.concurrency import check_version
from uppsikt.lib.limits import InputRefused, check_size, listed, more_problems
from uppsikt.lib.progress import Progress, no_progress
from uppsikt.lib.typing import Actor

from ..importers import ImportOptions, check_file, check_lines, kind_of
from ..importers.proposal import Checked
from ..importers.tabular import Line
from ..models import BudgetImport, BudgetRow, BudgetTable
from ..series import Series
from ..stored import load
from ..validation import check_changes, decided_budget, decided_budget_problem, row_name
from .common import Key, fail_with, lock_table, write_figures


def set_figure(
    row: BudgetRow,
    *,
    actor: Actor,
    series: Series,
    amount: Decimal | None,
    reason: str = "",
    expected_version: int | None = None,
) -> None:
    """Set (or, with None, remove) a row's own figure in one series.

    ``expected_version`` is the figure's ``row_version`` when the caller read it (0: there
    was none); when it has been written since, nothing changes (``EditConflict``)."""
    require(actor, Perm.PLAN, row)
    with transaction.atomic():
        table = lock_table(row.table)
        loaded = load(table)
        stored = loaded.figures.get((row.pk, series))
        if amount is None:
            loaded.nodes[row.pk].figures.pop(series, None)
            problems = check_changes(loaded, {})
            if decided_budget(table, series):
                problems = [decided_budget_problem(row_name(row), series)]
        else:
            problems = check_changes(loaded, {(row.pk, series): amount})
        if problems:
            raise fail_with(problems)
        check_version(
            0 if stored is None else stored.row_version,
            expected_version,
            name=f"{row.label}, {series}",
            obj=stored,
        )
        before = None if stored is None else str(stored.amount)  # write_figures updates it
        write_figures(
            loaded, {(row.pk, series): amount}, source=_("ändrat för hand"), is_example=False
        )
        record(
            actor=actor,
            action="budget.figure.set",
            obj=row,
            before={"serie": series.key, "belopp": before},
            after={"serie": series.key, "belopp": None if amount is None else str(amount)},
            reason=reason.strip(),
        )


def stage_import(
    table: BudgetTable,
    *,
    actor: Actor,
    file_name: str,
    content: bytes,
    options: ImportOptions,
    kind: str | None = None,
) -> BudgetImport:
    """Keep an uploaded file for checking. Nothing in the table changes yet."""
    require(actor, Perm.PLAN, table)
    kind = kind or kind_of(file_name)
    if kind not in BudgetImport.Kind.values:
        raise ValidationError(
            {"file": _("Okänd filtyp: välj en CSV-, XLSX- eller SIE-fil (.csv, .xlsx, .se).")}
        )
    if not content:
        raise ValidationError({"file": _("Filen är tom.")})
    try:
        check_size(len(content))
    except InputRefused as refused:
        raise ValidationError({"file": refused.message}) from refused
    problems = options.problems(kind)
    if problems:
        raise fail_with(problems)
    budget_import = BudgetImport(
        table=table,
        kind=kind,
        file_name=file_name[:200],
        options=options.as_dict(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    budget_import.file.save(file_name[-100:] or "import", ContentFile(content), save=False)
    budget_import.save()
    return budget_import


def run_import_check(
    budget_import: BudgetImport, *, actor: Actor, progress: Progress = no_progress
) -> BudgetImport:
    """Read and check the staged file (the slow part, run in a background job); keeps the
    problems or the figures that would change on the import. Writes nothing to the table."""
    require(actor, Perm.PLAN, budget_import.table)
    with budget_import.file.open("rb") as handle:
        content = handle.read()
    options = ImportOptions.from_dict(budget_import.options)
    checked = check_file(
        budget_import.table, budget_import.kind, content, options, progress=progress
    )
    shown, more = listed(checked.problems)  # the first ones, then how many more
    budget_import.problems = [[p.where, p.message] for p in shown]
    if more:
        budget_import.problems.append(["", more_problems(more)])
    budget_import.changes = checked.changes
    budget_import.summary = checked.summary
    if more:
        budget_import.summary = {**checked.summary, "antal_fel": len(checked.problems)}
    status = BudgetImport.Status.REJECTED if checked.problems else BudgetImport.Status.CHECKED
    budget_import.status = status
    budget_import.save(update_fields=["problems", "changes", "summary", "status"])
    return budget_import


def apply_import(
    budget_import: BudgetImport, *, actor: Actor, expected_version: int | None = None
) -> dict[str, int]:
    """Write a checked import's figures; one audit record with counts and the file name.

    Refuses when the table changed since the check (the figures the check read are no longer
    there): the file must be checked again. With ``expected_version`` (the table's
    ``row_version`` the caller read), also when the table was written since at all
    (``EditConflict``).
    """
    require(actor, Perm.PLAN, budget_import.table)
    with transaction.atomic():
        current = BudgetImport.objects.select_for_update().get(pk=budget_import.pk)
        if current.status != BudgetImport.Status.CHECKED:
            raise ValidationError(
                _("Importen kan inte genomföras: den är %(status)s.")
                % {"status": current.get_status_display().lower()}
            )
        table = lock_table(current.table)
        check_version(table.row_version, expected_version, name=str(table), obj=table)
        loaded = load(table)
        changes: dict[Key, Decimal] = {}
        cells = []  # before → after per figure, kept in the hash-chained record
        for change in current.changes:
            key = (change["row"], Series.from_key(change["series"]))
            stored = loaded.figures.get(key)
            old = None if stored is None else str(stored.amount)
            if key[0] not in loaded.rows or old != change["old"]:
                raise ValidationError(
                    _("Tabellen har ändrats sedan filen kontrollerades. Kontrollera filen igen.")
                )
            changes[key] = Decimal(change["new"])
            cells.append(
                {
                    "rad": loaded.rows[key[0]].label,
                    "rad_id": key[0],
                    "serie": change["series"],
                    "före": old,
                    "efter": str(changes[key]),
                }
            )
        problems = check_changes(loaded, changes)
        if problems:
            raise fail_with(problems)
        options = ImportOptions.from_dict(current.options)
        source = _("import av %(name)s") % {"name": current.file_name}
        counts = write_figures(loaded, changes, source=source, is_example=options.is_example)
        current.status = BudgetImport.Status.IMPORTED
        current.applied_by = actor if getattr(actor, "pk", None) else None
        current.applied_at = timezone.now()
        current.save(update_fields=["status", "applied_by", "applied_at"])
        record(
            actor=actor,
            action="budget.import",
            obj=table,
            after={
                "fil": current.file_name,
                "filtyp": current.kind,
                "import": current.pk,
                "exempel": options.is_example,
                "kolumner": sorted({series.key for _pk, series in changes}),
                **counts,
                "ändringar": cells,
            },
        )
    budget_import.status = current.status
    return counts


def import_lines(
    table: BudgetTable,
    *,
    actor: Actor,
    lines: list[Line],
    options: ImportOptions,
    name: str,
    dry_run: bool = False,
    expected_version: int | None = None,
) -> tuple[Checked, dict[str, int] | None]:
    """Figures given as lines of cells (the API): checked exactly as a file's lines and, when
    nothing is wrong, kept as a CSV import and written by ``apply_import`` (same audit).

    All or nothing: with any problem (or ``dry_run``) nothing is written or kept, and the
    problems, each with its line and code, are in the returned ``Checked``. With
    ``expected_version``, refused (``EditConflict``) when the table is no longer that version.
    """
    require(actor, Perm.PLAN, table)
    checked = check_lines(table, lines, options.unit)
    if checked.problems or dry_run:
        return checked, None
    with transaction.atomic():
        budget_import = stage_import(
            table,
            actor=actor,
            file_name=name,
            content=_as_csv(lines),
            options=options,
            kind=BudgetImport.Kind.CSV,
        )
        budget_import.problems = []
        budget_import.changes = checked.changes
        budget_import.summary = checked.summary
        budget_import.status = BudgetImport.Status.CHECKED
        budget_import.save(update_fields=["problems", "changes", "summary", "status"])
        counts = apply_import(budget_import, actor=actor, expected_version=expected_version)
    return checked, counts


def _as_csv(lines: list[Line]) -> bytes:
    """The lines as the CSV file a person would have uploaded (kept with the import)."""

    def cell(value: object) -> str:
        if isinstance(value, Decimal):
            value = format(value, "f").replace(".", ",")
        text = "" if value is None else csv_text(" ".join(str(value).split()))
        return f'"{text.replace(chr(34), chr(34) * 2)}"' if ";" in text or '"' in text else text

    return "".join(";".join(cell(c) for c in line.cells) + "\r\n" for line in lines).encode()
