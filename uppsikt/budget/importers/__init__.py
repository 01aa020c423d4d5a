"""Reading a file of figures for a table and checking it: CSV, XLSX or SIE.

``check_file`` reads and checks everything and writes nothing; it returns every problem
(nothing may be imported then) or the figures that would change. ``actions.apply_import``
writes them. See docs/budget.md for the formats.
"""

from dataclasses import dataclass
from pathlib import PurePath

from django.utils.translation import gettext as _

from uppsikt.lib.progress import Progress, no_progress
from uppsikt.lib.tables import FileError, read_csv, read_xlsx

from ..mapping import ledger_figures
from ..models import BudgetTable
from ..money import UNITS
from ..series import FigureKind
from ..sie import SieError, read_sie
from ..stored import load
from ..validation import Problem
from .proposal import Checked, Proposal, finish
from .tabular import Line, proposal_from_lines

KINDS_BY_SUFFIX = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".se": "sie", ".si": "sie"}
KINDS_BY_SUFFIX[".sie"] = "sie"


def kind_of(file_name: str) -> str | None:
    """The kind of file by its name: csv, xlsx or sie (None when unknown)."""
    return KINDS_BY_SUFFIX.get(PurePath(file_name).suffix.lower())


@dataclass
class ImportOptions:
    """What the importer says about the file (stored as ``BudgetImport.options``)."""

    unit: str = "kr"  # CSV/XLSX: the unit the amounts are written in
    is_example: bool = False  # the figures are example data
    outcome: bool = True  # SIE: #PSALDO/#RES → utfall
    budgets_as: str = ""  # SIE: #PBUDGET → "" (not used), "budget" or "prognos"
    forecast_period: str = ""  # SIE: the period an årsprognos from #PBUDGET was made at

    @classmethod
    def from_dict(cls, data: dict) -> "ImportOptions":
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        return cls(**known)

    def as_dict(self) -> dict:
        return dict(self.__dict__)

    def problems(self, kind: str) -> list[Problem]:
        out = []
        if kind in ("csv", "xlsx") and self.unit not in UNITS:
            out.append(Problem(_("enhet"), _("ska vara kr, tkr eller mnkr")))
        if kind == "sie":
            if self.budgets_as not in ("", FigureKind.BUDGET, FigureKind.PROGNOS):
                out.append(Problem(_("budgetposter"), _("ska vara budget eller prognos")))
            if self.budgets_as == FigureKind.PROGNOS and not self.forecast_period:
                out.append(
                    Problem(_("prognosperiod"), _("ange perioden prognosen gjordes, t.ex. 2023-06"))
                )
            if not self.outcome and not self.budgets_as:
                out.append(Problem("", _("välj utfall, budgetposter eller båda")))
        return out


def check_file(
    table: BudgetTable,
    kind: str,
    content: bytes,
    options: ImportOptions,
    *,
    progress: Progress = no_progress,
) -> Checked:
    """Read ``content`` and check it against ``table``; writes nothing."""
    problems = options.problems(kind)
    if problems:
        return Checked(problems, [], {})
    progress(0, 3, _("Läser filen"))
    loaded = load(table)
    try:
        if kind == "sie":
            proposal = _sie_proposal(table, content, options, progress, loaded)
        elif kind in ("csv", "xlsx"):
            lines = read_csv(content) if kind == "csv" else read_xlsx(content)
            proposal = proposal_from_lines(lines, loaded, options.unit)
        else:
            return Checked([Problem("", _("okänd filtyp; välj CSV, XLSX eller SIE"))], [], {})
    except FileError as exc:
        return Checked([Problem("", str(exc))], [], {})
    progress(2, 3, _("Kontrollerar beloppen mot tabellen"))
    checked = finish(loaded, proposal)
    progress(3, 3, _("Klart"))
    return checked


def check_lines(table: BudgetTable, lines: list[Line], unit: str) -> Checked:
    """Check lines already split into cells (the API's rows) exactly as a CSV or XLSX file's
    lines: the first line is the header (``kod``/``rad`` and series columns). Writes nothing.
    """
    problems = ImportOptions(unit=unit).problems("csv")
    if problems:
        return Checked(problems, [], {})
    loaded = load(table)
    return finish(loaded, proposal_from_lines(lines, loaded, unit))


def _sie_proposal(table, content, options, progress, loaded) -> Proposal:
    try:
        sie = read_sie(content, progress=progress)
    except SieError as exc:
        where = _("rad %(n)s")
        return Proposal(
            problems=[
                Problem(where % {"n": line} if line else "", msg) for line, msg in exc.problems
            ]
        )
    rules = list(table.mapping_rules.all())
    ledger = ledger_figures(
        sie,
        rules,
        loaded.rows,
        outcome=options.outcome,
        budgets_as=options.budgets_as,
        forecast_period=options.forecast_period,
        table_kind=table.kind,
    )
    summary = {"företag": sie.company_name, "program": sie.program, **ledger.summary}
    return Proposal(
        changes=ledger.changes, problems=ledger.problems, summary=summary, warnings=ledger.warnings
    )
