"""Tables in a plan: budget tables (from a table block or from lines of text under a
caption such as "Belopp i mnkr"), internal-control tables (Risk, Sannolikhet, Konsekvens,
Åtgärd: the control app's import columns) and indicator tables (Indikator | Målvärde).
"""

from __future__ import annotations

import re
from typing import Protocol

from django.utils.translation import gettext as _

from uppsikt.control.tabular import HEADERS
from uppsikt.indicators.rules import TargetValueRule, propose_rule, to_data
from uppsikt.proposals.reading.blocks import Block, Kind, ReadDocument

from . import budget, patterns
from .amounts import is_figure, parse_figure, table_unit
from .model import CONTROL_TABLE, GOAL, INDICATOR, MEASURE, RISK, Node, Proposal


class Builder(Protocol):
    """What the table reader needs of the proposal being built (``structure.Builder``)."""

    document: ReadDocument
    proposal: Proposal
    goal: Node | None
    words: patterns.GoalWords

    def new_id(self, kind: str) -> str: ...
    def node(self, kind: str, block: Block, **fields: object) -> Node: ...
    def attach(self, node: Node, block: Block) -> Node: ...
    def unplace(self, block: Block, reason: str) -> None: ...
    def heading_number(self) -> str: ...
    def heading_title(self) -> str: ...


_HEADER_WORDS = re.compile(
    r"^(?:(?:budget|prognos|utfall|bokslut|plan|ram|förändring|avvikelse)\s*|"
    r"(?:19|20)\d{2}\s*)+$",
    re.IGNORECASE,
)
# The control app's import columns, by the header a document gives them.
CONTROL_COLUMNS = {header.lower(): name for name, header in HEADERS.items()}
CONTROL_COLUMNS |= {"process": "area", "område": "area", "åtgärder": "measure"}
_YEAR_IN = re.compile(r"(?:19|20)\d{2}")
# A column of target values: "Målvärde 2024", "Mål 2025", "Målnivå 2024".
_TARGET_COLUMN = re.compile(r"^(?:målvärde|målnivå|mål)\b", re.IGNORECASE)


class TableReader:
    def __init__(self, builder: Builder):
        self.builder = builder
        self.table: budget.Table | None = None
        self.pending: list[Block] = []  # label lines of a row not yet ended by its figures

    # -- tables written as text ----------------------------------------------------------
    def caption(self, block: Block, text: str) -> bool:
        """A caption that starts a table written as lines of text."""
        unit = table_unit(text)
        columns = budget.header_columns([text])
        is_caption = (
            unit is not None
            and len(text) <= 80
            and text.lower().startswith(("belopp", "(", "tkr", "mnkr", "kr", "miljoner", "tusen"))
        )
        if not is_caption and not (len(columns) >= 2 and len(text) <= 80):
            return False
        self.finish()
        self.table = budget.Table(
            self.builder.heading_number(), self.builder.heading_title(), unit or "kr", columns,
            sources=[block.source], caption=text,
        )  # fmt: skip
        return True

    def take(self, block: Block) -> bool:
        """A line of the table being read; False (and the table ended) when it is not."""
        table = self.table
        if table is None:
            return False
        if block.kind == Kind.TABLE and not table.rows and not self.pending:
            # A caption ("Belopp i tkr") above a table block is that table's.
            self.table = None
            self.block_table(block, caption=table)
            return True
        if block.kind in (Kind.HEADING, Kind.TABLE):
            self.finish()
            return False
        text = patterns.normalise(f"{block.number} {block.text}")
        if len(table.columns) < 2 and _HEADER_WORDS.match(text):
            table.caption = f"{table.caption} {text}"
            table.columns = budget.header_columns([table.caption])
            table.sources.append(block.source)
            return True
        row = budget.text_row(text, len(table.columns), block.source) if table.columns else None
        if row is not None:
            self.add_row(row)
            return True
        if len(text) > 100 or text.endswith(".") or len(self.pending) >= 2:
            self.finish()
            return False
        self.pending.append(block)
        return True

    def add_row(self, row: budget.Row) -> None:
        assert self.table is not None
        if self.pending:
            first = patterns.normalise(" ".join(b.text for b in self.pending))
            if _continued(first, row.label):
                row.label = _joined(first, row.label)
                row.child = row.child or first.startswith(("-", "–", "—", "•"))
                if row.child and row.kind == budget.tree.LINE:
                    row.kind = budget.tree.VARAV
                row.label = budget._DASH.sub("", row.label).strip()
                row.sources = [b.source for b in self.pending] + row.sources
                self.pending = []
            else:
                self.flush_pending()
        self.table.rows.append(row)

    def flush_pending(self) -> None:
        assert self.table is not None
        for block in self.pending:
            text = patterns.normalise(block.text)
            self.table.rows.append(budget._row(text, [], [block.source]))
        self.pending = []

    def finish(self) -> None:
        table = self.table
        if table is None:
            return
        if table.rows:
            self.flush_pending()
        pending, self.pending, self.table = self.pending, [], None
        if not table.rows:
            for block in [*self.source_blocks(table), *pending]:
                self.builder.unplace(block, _("Tabellrubrik utan rader med belopp"))
            return
        self.add_budget(table)

    def source_blocks(self, table: budget.Table) -> list[Block]:
        wanted = set(table.sources)
        return [block for block in self.builder.document.blocks if block.source in wanted]

    def add_budget(self, table: budget.Table) -> None:
        node, checks = budget.to_nodes(table, self.builder.new_id)
        first = self.source_blocks(table)[:1] or self.builder.document.blocks[:1]
        self.builder.attach(node, first[0])
        self.builder.proposal.sum_checks.extend(checks)

    # -- table blocks --------------------------------------------------------------------
    def block_table(self, block: Block, caption: budget.Table | None = None) -> None:
        """A table block; ``caption`` the caption read just above it, if any."""
        self.finish()
        rows = block.rows
        header = [cell.strip().lower() for cell in rows[0]] if rows else []
        captioned = False  # whether the caption went into the table made here
        if "risk" in header and any(CONTROL_COLUMNS.get(cell) == "measure" for cell in header):
            self.control(block, header)
        elif any(patterns.list_head(cell) == "indicator" for cell in header[:3]):
            self.indicators(block, header)
        elif len(rows) > 1 and budget.looks_like_budget(rows):
            captioned = True
            text = " ".join(filter(None, [caption.caption if caption else "", block.text.strip()]))
            table = budget.from_table_block(
                rows, block.source, self.builder.heading_number(),
                self.builder.heading_title(), text,
            )  # fmt: skip
            if caption is not None:
                table.sources = [*caption.sources, *table.sources]
            self.add_budget(table)
        else:
            self.builder.unplace(block, _("Tabell som inte känns igen"))
        if caption is not None and not captioned:
            for held in self.source_blocks(caption):
                self.builder.unplace(held, _("Tabellrubrik utan rader med belopp"))

    def control(self, block: Block, header: list[str]) -> None:
        """Rows of Verksamhet | Risk | Sannolikhet | Konsekvens | Åtgärd …; a blank area or
        risk cell continues the row above, as merged cells read."""
        columns = [CONTROL_COLUMNS.get(cell) for cell in header]
        node = self.builder.node(CONTROL_TABLE, block, number=self.builder.heading_number())
        node.fields["columns"] = list(block.rows[0])
        area, risk = "", None
        for cells in block.rows[1:]:
            values = {
                name: cell.strip() for name, cell in zip(columns, cells, strict=False) if name
            }
            area = values.get("area") or area
            if values.get("risk"):
                risk = self.builder.node(RISK, block, text=values["risk"], area=area)
                for name in ("likelihood", "consequence", "requirements"):
                    if values.get(name):
                        risk.fields[name] = values[name]
                node.children.append(risk)
            if values.get("measure") and risk is not None:
                text, wide = _region_wide(values["measure"])
                if wide:
                    risk.fields["region_wide"] = True
                measure = self.builder.node(MEASURE, block, text=text)
                if wide:
                    measure.labels.append(wide)
                for name in ("responsible", "control_method", "frequency"):
                    if values.get(name):
                        measure.fields[name] = values[name]
                risk.children.append(measure)
            elif values.get("measure"):
                self.builder.unplace(block, _("Åtgärd utan risk i internkontrolltabellen"))
        self.builder.attach(node, block)

    def indicators(self, block: Block, header: list[str]) -> None:
        """Indikator | Utgångsvärde | Målvärde 2024 …: an indicator per row; a Målvärde
        column with a year gives the rule its target values. A goal column before it
        ("Nämndmål | Mått | Målvärde", a målmatris) starts a goal at each filled cell."""
        column = next(i for i, cell in enumerate(header) if patterns.list_head(cell))
        words = self.builder.words
        goal_column = next(
            (i for i, cell in enumerate(header[:column]) if _goal_head(cell, words)), None
        )
        if goal_column is None and self.builder.goal is None:
            self.builder.unplace(block, _("Indikatortabell utan mål"))
            return
        targets = [
            (index, _YEAR_IN.search(cell)[0])  # type: ignore[index]
            for index, cell in enumerate(header)
            if _TARGET_COLUMN.match(cell) and _YEAR_IN.search(cell)
        ]
        if self.builder.goal is not None and goal_column is None:
            self.builder.goal.add_source(block.source)
            self.builder.goal.labels.append(" | ".join(block.rows[0]))
        level = _goal_head(header[goal_column], words) if goal_column is not None else ""
        for cells in block.rows[1:]:
            if goal_column is not None and goal_column < len(cells) and cells[goal_column].strip():
                self.table_goal(block, patterns.normalise(cells[goal_column]), level, block.rows[0])
            text = patterns.normalise(cells[column]) if column < len(cells) else ""
            goal = self.builder.goal
            if not text or goal is None:
                continue
            indicator = self.builder.node(INDICATOR, block, text=text, number="")
            values = [
                (year, parse_figure(cells[index].replace("%", "")))
                for index, year in targets
                if index < len(cells) and is_figure(cells[index].replace("%", ""))
            ]
            rule = (
                TargetValueRule(tuple(sorted(values, key=lambda pair: pair[0])))
                if values
                else propose_rule(text)
            )
            indicator.fields["rule"] = to_data(rule) if rule is not None else None
            skip = {column, goal_column}
            indicator.fields["cells"] = [c.strip() for i, c in enumerate(cells) if i not in skip]
            goal.children.append(indicator)

    def table_goal(self, block: Block, text: str, level: str, header: tuple[str, ...]) -> None:
        label = patterns.goal_label(text, self.builder.words)
        number, prefix = "", ""
        if label is not None and label.text:
            prefix = text[: len(text) - len(label.text)].strip()
            level, number, text = label.level, label.number, label.text
        goal = self.builder.node(GOAL, block, level=level, number=number, text=text)
        goal.fields["description"] = ""
        goal.labels.extend(filter(None, [" | ".join(header), prefix]))
        self.builder.goal = self.builder.attach(goal, block)


def _continued(first: str, label: str) -> bool:
    return first.endswith(("-", ",")) or label[:1].islower() or not first.endswith(":")


def _joined(first: str, label: str) -> str:
    if first.endswith("-") and label[:1].islower():
        return first[:-1] + label
    return f"{first} {label}"


def _goal_head(cell: str, words: patterns.GoalWords) -> str:
    """The level a table's column header names ("Nämndmål", "Mål"), or ""."""
    label = patterns.goal_label(cell.strip().rstrip(":"), words)
    return label.level if label is not None and not label.text else ""


_WIDE = re.compile(
    r"^(?P<label>(?:region|kommun|organisations)?(?:övergripande|gemensam)\s+åtgärd)\s*:\s*",
    re.IGNORECASE,
)


def _region_wide(text: str) -> tuple[str, str]:
    """ "Regionövergripande åtgärd: X" → ("X", the label): the control app's
    Regionövergripande column, said in the åtgärd's text."""
    match = _WIDE.match(text.strip())
    if match is None:
        return text.strip(), ""
    return text.strip()[match.end() :], match[0].strip()
