"""The proposal's budget tables and internal-control tables as data files (see
``datafile``)."""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext as _

from uppsikt.budget import tree

from .datafile import BUDGET_FORMAT, CONTROL_FORMAT, figure_text, source_comment
from .model import BUDGET_TABLE, CONTROL_TABLE, MEASURE, Node, Proposal
from .yamltext import Commented, dump

_SERIES = re.compile(r"(?P<kind>\w+)\s*(?P<year>(?:19|20)\d{2})")
SERIES_KINDS = {
    "budget": "budget",
    "plan": "budget",
    "verksamhetsplan": "budget",
    "ram": "budget",
    "prognos": "prognos",
    "utfall": "utfall",
    "bokslut": "utfall",
}


def series_of(column: str) -> dict | None:
    """ "Budget 2023" → {kind: budget, year: 2023}; None for a column that is not a series."""
    match = _SERIES.search(column)
    if match is None:
        return None
    kind = SERIES_KINDS.get(match["kind"].lower())
    return {"kind": kind, "year": int(match["year"])} if kind else None


def budget_data(proposal: Proposal) -> tuple[dict | None, list[str]]:
    """The budget file's data (``None`` when the proposal has no table that can be written)
    and a Swedish reason for each table left out: its columns are not years of budget,
    prognos or utfall. ``budget_text`` writes it as text; accepting the proposal loads it."""
    written, skipped = [], []
    for table in proposal.walk():
        if table.kind != BUDGET_TABLE:
            continue
        series = [series_of(column) for column in table.fields.get("columns", [])]
        if not series or any(item is None for item in series) or _duplicates(series):
            skipped.append(
                _("Tabell %(t)s (%(src)s): kolumnerna %(cols)s är inte år med budget, prognos "
                  "eller utfall, så tabellen tas inte med.")
                % {"t": table.fields.get("title") or table.id,
                   "src": source_comment(table.sources),
                   "cols": ", ".join(table.fields.get("columns", []))}
            )  # fmt: skip
            continue
        written.append(_budget_table(proposal, table, series))
    if not written:
        return None, skipped
    return {
        "format": BUDGET_FORMAT,
        "organisation": proposal.organisation,
        "tables": written,
    }, skipped


def budget_text(proposal: Proposal) -> str | None:
    if not any(node.kind == BUDGET_TABLE for node in proposal.walk()):
        return None
    data, skipped = budget_data(proposal)
    header = [_("Budgettabeller ur förslaget: granska innan de läses in (uppsikt load_budget).")]
    if data is None:
        data = {"format": BUDGET_FORMAT, "organisation": proposal.organisation, "tables": []}
    return dump(data, header + skipped)


def _duplicates(series: list) -> bool:
    keys = [(item["kind"], item["year"]) for item in series if item]
    return len(keys) != len(set(keys))


def _budget_table(proposal: Proposal, table: Node, series: list) -> Commented:
    fields = table.fields
    differences = [
        _("%(label)s, %(column)s: dokumentet anger %(printed)s, raderna summerar till %(sum)s")
        % {"label": c.label, "column": c.column, "printed": c.printed, "sum": c.computed}
        for c in proposal.sum_checks
        if c.table == table.id and c.differs
    ]
    comments = [source_comment(table.sources), *differences]
    title = fields.get("title") or _("Budgettabell")
    body = Commented(comments, unit=proposal.unit, year=proposal.year)
    body["kind"] = "investering" if "invest" in title.lower() else "drift"
    if fields.get("number"):
        body["number"] = fields["number"]
    body["title"] = title
    body["display_unit"] = fields.get("unit", "kr")
    body["decimals"] = _decimals(table)
    body["series"] = series
    table_source = source_comment(table.sources)
    body["rows"] = [_row(row, table_source) for row in table.children]
    return body


def _decimals(table: Node) -> int:
    places = 0
    for row in table.walk():
        for value in row.fields.get("figures", []) if row is not table else []:
            if value is not None:
                places = max(places, -min(0, Decimal(value).as_tuple().exponent))  # type: ignore[operator]
    return min(places, 2)


def _row(node: Node, table_source: str) -> Commented:
    """A row; its source only when it is not the whole table's (a table read as lines)."""
    fields = node.fields
    own = source_comment(node.sources)
    body = Commented([own if own != table_source else ""], label=fields["label"])
    kind = fields["kind"]
    figures = [figure_text(value) for value in fields.get("figures", [])]
    if kind in (tree.SUM, tree.TOTAL):
        body["kind"] = kind
        if any(value is not None for value in figures):
            body["expected_total"] = figures
    elif kind == tree.HEADING:
        body["kind"] = kind
    else:
        body["figures"] = figures
    if node.children:
        body["rows"] = [_row(child, table_source) for child in node.children]
    return body


def control_data(proposal: Proposal) -> dict | None:
    """The internal-control file's data: one plan for the unit and year, the areas of all
    the proposal's internal-control tables (``None`` when it has none). ``control_text``
    writes it as text; accepting the proposal loads it."""
    tables = [node for node in proposal.walk() if node.kind == CONTROL_TABLE]
    if not tables:
        return None
    areas: dict[str, list] = {}
    for table in tables:
        for risk in table.children:
            extra = [
                f"{name}: {risk.fields[name]}"
                for name in ("likelihood", "consequence", "requirements")
                if risk.fields.get(name)
            ]
            measures = [_measure(child) for child in risk.children if child.kind == MEASURE]
            entry = Commented([source_comment(risk.sources), *extra], text=risk.fields["text"])
            if risk.fields.get("region_wide"):
                entry["region_wide"] = True
            if measures:
                entry["measures"] = measures
            areas.setdefault(risk.fields.get("area") or _("(Utan verksamhet)"), []).append(entry)
    sources = [source_comment(table.sources) for table in tables]
    plan = Commented(sources, unit=proposal.unit, year=proposal.year)
    if tables[0].fields.get("number"):
        plan["section"] = tables[0].fields["number"]
    plan["areas"] = [{"name": name, "risks": risks} for name, risks in areas.items()]
    return {"format": CONTROL_FORMAT, "organisation": proposal.organisation, "plans": [plan]}


def control_text(proposal: Proposal) -> str | None:
    data = control_data(proposal)
    if data is None:
        return None
    header = [
        _("Internkontrolltabeller ur förslaget: granska innan de läses in (uppsikt load_control)."),
        _("Sannolikhet och konsekvens står som kommentarer: filformatet har inga fält för dem."),
    ]
    return dump(data, header)


def _measure(node: Node) -> Commented:
    body = Commented([source_comment(node.sources)], text=node.fields["text"])
    for name in ("responsible", "frequency", "control_method"):
        if node.fields.get(name):
            body[name] = node.fields[name]
    return body
