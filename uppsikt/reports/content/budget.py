"""Budget och ekonomi: each budget table with its avvikelse, a chart and the unit's judgement.

Figures, sums and the avvikelse come from ``budget.document`` (computed from exact
amounts, never typed); the follow-up entry adds the status and comment. Only columns known
at the period's end are shown: a report per 31 juli leaves out a forecast made in October,
so the report of a closed period does not change when later figures arrive.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from uppsikt.budget.document import (
    BudgetDocument,
    budget_document,
    choose_columns,
    follow_up_columns,
)
from uppsikt.budget.models import Series
from uppsikt.budget.money import format_number, to_unit
from uppsikt.budget.stored import load
from uppsikt.lib.workbook import number_format

from ..charts import bar_chart
from ..document import Cell, Chart, Column, Row, Section, Table, Text
from ..sections import ReportContext
from .common import entry_blocks, entry_status
from .intro import join_words


def known_at(ends_on: datetime.date):
    """A predicate: was this column of figures known when the period ended?"""
    month = f"{ends_on:%Y-%m}"
    year_end = (ends_on.month, ends_on.day) == (12, 31)

    def include(series: Series) -> bool:
        if series.kind in ("budget", "reviderad"):
            return series.year <= ends_on.year
        if series.period:
            return series.period <= month
        return series.year < ends_on.year or (series.year == ends_on.year and year_end)

    return include


def caption(table, what: str) -> str:
    """A caption without the plan's own table number in front (it would read like one of
    the report's section numbers): "Driftbudget regionstyrelsen (belopp i mnkr, tabell 4.3
    i planen)"."""
    if table.number:
        return _("%(title)s (%(what)s, tabell %(number)s i planen)") % {
            "title": table.title,
            "what": what,
            "number": table.number,
        }
    return f"{table.title} ({what})"


def example_series(doc: BudgetDocument) -> set:
    return {column.series for column in doc.columns if column.is_example}


def series_label(series: Series, examples: set) -> str:
    if series in examples:
        return _("%(label)s (exempel)") % {"label": series}
    return str(series)


def example_note(doc: BudgetDocument, shown: list[Series]) -> str:
    """The note for a table of ``shown`` columns holding example figures, or ""."""
    if doc.table.is_example:
        return _("Beloppen i tabellen är exempeldata.")
    if example_series(doc) & set(shown):
        return _("Kolumner märkta (exempel) innehåller exempeldata, inte regionens siffror.")
    return ""


def budget_table(doc: BudgetDocument) -> Table:
    table = doc.table
    unit, decimals = table.display_unit, table.decimals
    examples = example_series(doc)
    columns = [Column(doc.unit_label)]
    columns += [Column(series_label(series, examples), numeric=True) for series in doc.series]
    if doc.variance:
        columns.append(Column(doc.variance_label, numeric=True))
    rows = []
    # A row's note is the editor's remark on the source ("Fotnoten *) finns inte i
    # källtexten"), shown to the unit's users on the budget page, never in a report.
    notes = []
    for line in doc.rows:
        cells = [Cell(line.row.label)]
        for cell in line.cells:
            value = None if cell.value is None else to_unit(cell.value, unit)
            cells.append(Cell(cell.text, value, note=cell.note))
        if doc.variance:
            variance = line.variance
            if variance is None or variance.value is None:
                cells.append(Cell(""))
            else:
                cells.append(Cell(variance.text, to_unit(variance.value, unit), note=variance.note))
        rows.append(
            Row(
                cells,
                depth=line.depth,
                emphasis=line.is_computed,
                heading=line.is_heading,
                hidden_prefix=_("varav") if line.is_varav else "",
            )
        )
    notes += doc.rounding_notes
    return Table(
        caption(table, doc.unit_label.lower()),
        columns,
        rows,
        sheet=str(table),
        notes=notes,
        number_format=number_format(decimals),
        unit_label=doc.unit_label,
        example=example_note(doc, list(doc.series)),
    )


def budget_chart(doc: BudgetDocument, pair: list | None = None) -> Chart | None:
    """The top-level rows, the variance's two columns side by side (or the first two);
    ``pair`` names the columns instead (one or two, e.g. the year's own on a public page)."""
    if pair is None:
        pair = list(doc.variance) if doc.variance else doc.series[:2]
        pair = [pair[1], pair[0]] if doc.variance and pair else pair  # budget, then outcome
    if not pair:
        return None
    unit, decimals = doc.table.display_unit, doc.table.decimals
    lines = [line for line in doc.rows if line.depth == 0 and line.row.kind in ("rad", "grupp")]
    categories = [line.row.label for line in lines]
    values = [[doc.value(line.row, series) for series in pair] for line in lines]
    scaled = [[None if v is None else to_unit(v, unit) for v in row] for row in values]
    chart = bar_chart(
        categories,
        [str(series) for series in pair],
        scaled,
        lambda value: f"{format_number(value, decimals)}\u00a0{unit}",
    )
    if chart is None:
        return None
    examples = example_series(doc)
    table = Table(
        _("Diagrammets värden: %(caption)s") % {"caption": caption(doc.table, unit)},
        [
            Column(doc.unit_label),
            *(Column(series_label(series, examples), numeric=True) for series in pair),
        ],
        [
            Row(
                [
                    Cell(label),
                    *(Cell("" if v is None else format_number(v, decimals), v) for v in row),
                ]
            )
            for label, row in zip(categories, scaled, strict=True)
        ],
        sheet=_("Diagram %(table)s") % {"table": doc.table.number or doc.table.pk},
        number_format=number_format(decimals),
        example=example_note(doc, pair),
    )
    return Chart(
        _("%(table)s: %(series)s")
        % {
            "table": doc.table.title,
            "series": _(" mot ").join(str(s) for s in pair),
        },
        chart,
        table,
    )


def _variance_text(doc: BudgetDocument, ctx: ReportContext) -> Text:
    year = ctx.period.year
    if doc.variance:
        actual, budget = doc.variance
        text = _("Avvikelsen jämför %(actual)s med %(budget)s, räknad på exakta belopp.") % {
            "actual": str(actual).lower(),
            "budget": str(budget).lower(),
        }
        text += " " + doc.variance_note
        if actual.year != year:
            text += " " + _(
                "Budgeten har ännu ingen prognos eller utfall för %(year)s per %(end)s; "
                "avvikelsen avser därför %(year_shown)s."
            ) % {"year": year, "end": ctx.period.ends_on_label, "year_shown": actual.year}
        return Text(text, "muted")
    return Text(
        _(
            "Budgeten har ingen prognos eller utfall per %(end)s, så avvikelsen kan inte räknas fram."
        )
        % {"end": ctx.period.ends_on_label},
        "muted",
    )


def _left_out_columns(loaded, doc: BudgetDocument, ctx: ReportContext) -> list[Text]:
    """Says which of the plan's printed columns the follow-up does not show."""
    hidden = [s for s in choose_columns(loaded, None) if s not in doc.series]
    if not hidden:
        return []
    return [
        Text(
            _(
                "Planens kolumner %(columns)s visas inte: %(report)s visar %(year)s som det var "
                "känt per %(end)s."
            )
            % {
                "columns": join_words([str(s).lower() for s in hidden]),
                "report": ctx.period.name,
                "year": ctx.period.year,
                "end": ctx.period.ends_on_label,
            },
            "small",
        )
    ]


def _plan_note(table, plan, ctx: ReportContext) -> list[Text]:
    """The plan's note on the table was written for the budget year, about the plan's own
    columns ("Prognosen är från delårsrapporten per juli 2022"): shown under a heading
    saying so, never as if it were the report's own word on the period."""
    year = getattr(plan, "year", None) or ctx.period.year
    return [
        Text(
            _("Planens anmärkning till tabellen (skriven för budgetåret %(year)s)")
            % {"year": year},
            "subheading",
        ),
        Text(table.note, "small"),
    ]


def budget_sections(ctx: ReportContext, unit) -> list[Section]:
    items = [i for i in ctx.items.get(unit.pk, []) if i.label == "budget.budgettable"]
    if not items:
        return []
    include = known_at(ctx.period.ends_on)
    children = []
    for item in items:
        table = item.target
        loaded = load(table)
        # A follow-up shows the year's budget, forecast and outcome as known at the
        # period's end; a table without them keeps the columns the plan printed.
        columns = follow_up_columns(loaded, ctx.period.year, include)
        doc = budget_document(
            table, columns=columns if len(columns) > 1 else None, loaded=loaded, include=include
        )
        entry = ctx.entry(item)
        blocks: list = [entry_status(table, entry, _("Bedömning av prognosen"))]
        blocks.extend(entry_blocks(ctx, entry))
        blocks.append(_variance_text(doc, ctx))
        chart = budget_chart(doc)
        if chart is not None:
            blocks.append(chart)
        blocks.append(budget_table(doc))
        blocks.extend(_left_out_columns(loaded, doc, ctx))
        if table.note:
            blocks.extend(_plan_note(table, ctx.plans.get(unit.pk), ctx))
        if table.source:
            blocks.append(Text(_("Källa: %(source)s") % {"source": table.source}, "small"))
        if table.is_example or doc.has_examples:
            ctx.example(_("budgetbelopp"))  # the tables above carry their own note
        children.append(Section(table.title, blocks))
    return [Section(_("Budget och ekonomi"), [], children)]
