"""The cascade of a year (``plans.cascade``) as an XLSX workbook: one row per goal and unit
below with its answer, and a sheet of the goals with no link upward. Every text cell is
written as text (``lib.workbook.to_bytes``), so a goal that starts with "=" stays a goal."""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from uppsikt.lib.workbook import set_widths, style_header, to_bytes, write_title

from .cascade import Answer, Cascade, GoalNode, UnitNode


def _goal_text(goal_node: GoalNode) -> str:
    return f"{goal_node.goal.label}: {goal_node.goal.text}"


def _answer_detail(answer: Answer) -> str:
    if answer.goals:
        return "\n".join(f"{goal.label}: {goal.text}" for goal in answer.goals)
    return answer.reason


def _plan_cell(node: UnitNode) -> str:
    if node.plan is None:
        return _("Ingen plan för året")
    return f"{node.plan.title} ({node.plan.get_status_display().lower()})"


def cascade_rows(tree: Cascade) -> list[list[object]]:
    """The main sheet's rows below its header: unit, level, plan, goal, unit below, answer,
    and the goals below or the reason."""
    rows: list[list[object]] = []
    for node in tree.units:
        start = [node.unit.name, node.depth + 1, _plan_cell(node)]
        if not node.goals:
            rows.append([*start, "", "", "", ""])
            continue
        for goal_node in node.goals:
            if not goal_node.answers:
                rows.append([*start, _goal_text(goal_node), "", "", ""])
            for answer in goal_node.answers:
                rows.append(
                    [
                        *start,
                        _goal_text(goal_node),
                        answer.unit.name,
                        answer.status_label,
                        _answer_detail(answer),
                    ]
                )
    return rows


def _sheet(sheet, title: str, note: str, headers: list[str], rows, widths: list[int]) -> None:
    write_title(sheet, title)
    sheet.append([note])
    sheet.append([])
    sheet.append(headers)
    header_row = sheet.max_row
    style_header(sheet[header_row])
    for values in rows:
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    set_widths(sheet, widths)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(headers))}{sheet.max_row}"


def cascade_workbook(tree: Cascade) -> bytes:
    book = Workbook()
    title = _("Målkaskad %(year)s – %(organisation)s") % {
        "year": tree.year,
        "organisation": tree.organisation.name,
    }
    note = _(
        "Varje mål med enheterna närmast under: nedbrutet (med målen som bidrar till det), "
        "berör inte enheten (med motiveringen), inte besvarat eller ingen plan ännu."
    )
    headers = [
        _("Enhet"),
        _("Nivå"),
        _("Plan"),
        _("Mål"),
        _("Enhet under"),
        _("Svar"),
        _("Mål under eller motivering"),
    ]
    _sheet(book.active, title, note, headers, cascade_rows(tree), [28, 6, 40, 60, 28, 18, 60])
    book.active.title = _("Kaskad")
    unlinked = book.create_sheet(_("Utan koppling uppåt"))
    _sheet(
        unlinked,
        _("Mål utan koppling uppåt %(year)s") % {"year": tree.year},
        _(
            "Mål i planer vars överordnade enhet har en plan för året, som inte bidrar till något mål ovanför."
        ),
        [_("Enhet"), _("Plan"), _("Mål")],
        [[node.unit.name, _plan_cell(node), _goal_text(goal)] for node, goal in tree.unlinked],
        [28, 40, 70],
    )
    return to_bytes(book)
