"""How well a proposal matches a person's transcription of the same document.

The transcription is the project's own data files: plans in the data-file format
(``uppsikt/1``, e.g. demo/region-orebro-lan.yaml) and budget tables in the budget format
(``uppsikt-budget/1``, demo/budget-2023.yaml).

"Matched exactly" means, after whitespace normalisation (every run of spaces, tabs and
line breaks made one space, ends trimmed) and nothing else — no case folding, no
punctuation or hyphen repair:

- goal: the same level key, the same number ("" when none) and the same text;
- indicator: the same text under a goal with the same text;
- strategy: the same name, the same lead ("Strategier för …") and the same statements in
  the same order;
- uppdrag: the same text and the same responsible unit (slug; none for none);
- budget row: in a table with the same number and title, the same label, the same row kind
  (rad, varav, rubrik, summa, totalt) and the same parent row's label;
- budget figure: a figure of a matched table's row (by table, row label and column
  position) equal as a Decimal in the table's unit; a Summa/Totalt row's figure is the one
  the document prints (``expected_total``), not the computed sum.

Each share is the expected objects matched divided by the expected objects, each proposed
object used at most once (multisets).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from uppsikt.lib.numbers import parse_number

from .propose.model import ASSIGNMENT, BUDGET_TABLE, GOAL, INDICATOR, STRATEGY, Node, Proposal
from .propose.patterns import normalise as n

MEASURES = ("mål", "indikatorer", "strategier", "uppdrag", "budgetrader", "budgetbelopp")


@dataclass
class Share:
    measure: str
    matched: int
    expected: int
    proposed: int

    @property
    def ratio(self) -> float:
        return self.matched / self.expected if self.expected else 1.0


def compare(proposal: Proposal, plans: list[dict], budget_tables: list[dict]) -> list[Share]:
    """The share matched exactly per measure (``MEASURES``)."""
    expected = _expected(plans, budget_tables)
    found = _found(proposal)
    shares = []
    for measure in MEASURES:
        want, have = Counter(expected[measure]), Counter(found[measure])
        matched = sum((want & have).values())
        shares.append(Share(measure, matched, sum(want.values()), sum(have.values())))
    return shares


def missing(proposal: Proposal, plans: list[dict], budget_tables: list[dict]) -> dict:
    """Per measure, the expected keys not matched (to see what goes wrong)."""
    expected, found = _expected(plans, budget_tables), _found(proposal)
    return {m: list((Counter(expected[m]) - Counter(found[m])).elements()) for m in MEASURES}


# -- the transcription ---------------------------------------------------------------------
def _walk_plan(value: Any) -> Iterator[tuple[str, dict]]:
    """Every goal, strategy and assignment of a plan's blocks, at any depth."""
    if isinstance(value, list):
        for item in value:
            yield from _walk_plan(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key == "goals":
                for goal in item:
                    yield "goal", goal
            elif key == "strategies":
                for strategy in item:
                    yield "strategy", strategy
            elif key == "assignments":
                for assignment in item:
                    yield "assignment", assignment
            if isinstance(item, list | dict):
                yield from _walk_plan(item)


def _expected(plans: list[dict], tables: list[dict]) -> dict[str, list]:
    out: dict[str, list] = {measure: [] for measure in MEASURES}
    for plan in plans:
        for kind, data in _walk_plan(plan.get("blocks", [])):
            if kind == "goal":
                out["mål"].append((data["kind"], str(data.get("number", "")), n(data["text"])))
                for indicator in data.get("indicators", []):
                    out["indikatorer"].append((n(data["text"]), n(indicator["text"])))
            elif kind == "strategy":
                statements = tuple(n(text) for text in data.get("statements", []))
                out["strategier"].append(
                    (n(data.get("name", "")), n(data.get("lead", "")), statements)
                )
            else:
                out["uppdrag"].append((n(data["text"]), data.get("responsible")))
    for table in tables:
        key = (str(table.get("number", "")), n(table.get("title", "")))
        for parent, row in _budget_rows(table.get("rows", []), None):
            kind = row.get("kind", "varav" if parent else "rad")
            if kind == "rad" and parent is not None:
                kind = "varav"
            out["budgetrader"].append((*key, n(row["label"]), kind, parent))
            figures = row.get("figures") or row.get("expected_total") or []
            for column, text in enumerate(figures):
                value = parse_number(text)
                out["budgetbelopp"].append((*key, n(row["label"]), column, value))
    return out


def _budget_rows(rows: Iterable[dict], parent: str | None) -> Iterator[tuple[str | None, dict]]:
    for row in rows:
        yield parent, row
        yield from _budget_rows(row.get("rows", []), n(row["label"]))


# -- the proposal --------------------------------------------------------------------------
def _found(proposal: Proposal) -> dict[str, list]:
    out: dict[str, list] = {measure: [] for measure in MEASURES}
    for node in proposal.walk():
        fields = node.fields
        if node.kind == GOAL:
            out["mål"].append((fields["level"], fields.get("number", ""), n(fields["text"])))
            for child in node.children:
                if child.kind == INDICATOR:
                    out["indikatorer"].append((n(fields["text"]), n(child.fields["text"])))
        elif node.kind == STRATEGY:
            statements = tuple(n(text) for text in fields.get("statements", []))
            out["strategier"].append(
                (n(fields.get("name", "")), n(fields.get("lead", "")), statements)
            )
        elif node.kind == ASSIGNMENT:
            responsible = fields.get("responsible")
            out["uppdrag"].append((n(fields["text"]), responsible["slug"] if responsible else None))
        elif node.kind == BUDGET_TABLE:
            _found_table(node, out)
    return out


def _found_table(table: Node, out: dict[str, list]) -> None:
    key = (str(table.fields.get("number", "")), n(table.fields.get("title", "")))
    for parent, row in _table_rows(table.children, None):
        label = n(row.fields["label"])
        out["budgetrader"].append((*key, label, row.fields["kind"], parent))
        for column, value in enumerate(row.fields.get("figures", [])):
            if value is not None:
                out["budgetbelopp"].append((*key, label, column, Decimal(value)))


def _table_rows(rows: list[Node], parent: str | None) -> Iterator[tuple[str | None, Node]]:
    for row in rows:
        yield parent, row
        yield from _table_rows(row.children, n(row.fields["label"]))
