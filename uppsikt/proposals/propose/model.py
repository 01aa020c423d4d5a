"""A proposal: what a plan document seems to say, as objects a person reviews.

Every proposed object is a ``Node`` with a stable id (its kind and running number:
``goal-3``), its kind, its text fields, its children and the ``Source``s of the blocks it
was made from. What could not be placed is an ``Unplaced`` with its source and the reason,
never dropped. The whole proposal is JSON (``to_data``/``from_data``) for storage and the
review page, and a data file (``datafile.py``) for review as text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from uppsikt.proposals.reading.blocks import Source

# The kinds of proposed objects.
SECTION = "section"
PERSPECTIVE = "perspective"
FOCUS_AREA = "focus_area"
STRATEGY = "strategy"
GOAL = "goal"
INDICATOR = "indicator"
ASSIGNMENT = "assignment"
ACTIVITY = "activity"
BUDGET_TABLE = "budget_table"
BUDGET_ROW = "budget_row"
CONTROL_TABLE = "control_table"
RISK = "risk"
MEASURE = "measure"
KINDS = (
    SECTION, PERSPECTIVE, FOCUS_AREA, STRATEGY, GOAL, INDICATOR, ASSIGNMENT, ACTIVITY,
    BUDGET_TABLE, BUDGET_ROW, CONTROL_TABLE, RISK, MEASURE,
)  # fmt: skip


@dataclass
class Node:
    """One proposed object. ``fields`` holds its texts (``heading``, ``number``, ``text``,
    ``body``, ``lead``, ``statements``, ``items`` …) and other JSON-ready data (a goal's
    ``level``, an indicator's ``rule``, an uppdrag's ``responsible`` match, a budget row's
    ``figures``); ``labels`` the document's words that only marked it ("Indikatorer")."""

    kind: str
    id: str
    fields: dict[str, Any] = field(default_factory=dict)
    children: list[Node] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)

    def add_source(self, source: Source) -> None:
        if source not in self.sources:
            self.sources.append(source)

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()

    def texts(self) -> list[str]:
        """Every text the object itself holds (not its children's)."""
        out: list[str] = list(self.labels)
        for value in self.fields.values():
            if isinstance(value, str):
                out.append(value)
            elif isinstance(value, list):
                out.extend(item for item in value if isinstance(item, str))
            elif isinstance(value, dict):
                out.extend(item for item in value.values() if isinstance(item, str))
        return out

    def to_data(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "fields": self.fields,
            "labels": self.labels,
            "sources": [_source_data(source) for source in self.sources],
            "children": [child.to_data() for child in self.children],
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Node:
        return cls(
            kind=data["kind"],
            id=data["id"],
            fields=dict(data.get("fields", {})),
            labels=list(data.get("labels", [])),
            sources=[Source(**source) for source in data.get("sources", [])],
            children=[cls.from_data(child) for child in data.get("children", [])],
        )


@dataclass
class Unplaced:
    """A passage the proposal could not place, with where it is and why."""

    text: str
    source: Source
    reason: str

    def to_data(self) -> dict[str, Any]:
        return {"text": self.text, "source": _source_data(self.source), "reason": self.reason}


@dataclass
class SumCheck:
    """A Summa/Totalt row of the document against the sum of its rows (per column)."""

    table: str  # the table's node id
    row: str  # the sum row's node id
    label: str
    column: str
    printed: str  # Decimal as text, in the table's unit
    computed: str

    @property
    def differs(self) -> bool:
        from decimal import Decimal

        return Decimal(self.printed) != Decimal(self.computed)


@dataclass
class Proposal:
    organisation: str
    unit: str
    year: int
    title: str = ""
    format: str = ""
    pages: int = 0
    nodes: list[Node] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    sum_checks: list[SumCheck] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    def walk(self) -> Iterator[Node]:
        for node in self.nodes:
            yield from node.walk()

    def of_kind(self, kind: str) -> list[Node]:
        return [node for node in self.walk() if node.kind == kind]

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(KINDS, 0)
        for node in self.walk():
            counts[node.kind] += 1
        return counts

    def sum_differences(self) -> list[SumCheck]:
        return [check for check in self.sum_checks if check.differs]

    def to_data(self) -> dict[str, Any]:
        return {
            "organisation": self.organisation,
            "unit": self.unit,
            "year": self.year,
            "title": self.title,
            "format": self.format,
            "pages": self.pages,
            "nodes": [node.to_data() for node in self.nodes],
            "unplaced": [item.to_data() for item in self.unplaced],
            "sum_checks": [vars(check) for check in self.sum_checks],
            "messages": self.messages,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Proposal:
        return cls(
            organisation=data["organisation"],
            unit=data["unit"],
            year=data["year"],
            title=data.get("title", ""),
            format=data.get("format", ""),
            pages=data.get("pages", 0),
            nodes=[Node.from_data(node) for node in data.get("nodes", [])],
            unplaced=[
                Unplaced(item["text"], Source(**item["source"]), item["reason"])
                for item in data.get("unplaced", [])
            ],
            sum_checks=[SumCheck(**check) for check in data.get("sum_checks", [])],
            messages=list(data.get("messages", [])),
        )


def _source_data(source: Source) -> dict[str, Any]:
    return {"index": source.index, "page": source.page}
