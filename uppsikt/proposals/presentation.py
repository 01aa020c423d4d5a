"""How a proposal is shown on the review page: kinds and fields in Swedish, each object
beside the passages it came from, and what accepting would refuse or leave out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from uppsikt.budget.actions.loading import table_problems
from uppsikt.control.loading import plan_problems
from uppsikt.governance.words import styrmodell_for
from uppsikt.interchange.load import database_checker
from uppsikt.lib.richtext import one_line
from uppsikt.plans.editing import KIND_LABELS as PLAN_KIND_LABELS

from .models import PlanProposal
from .propose.datafile import PlanWriter
from .propose.model import Node, Proposal
from .propose.tablefiles import budget_data, control_data
from .review import CONTAINER_KINDS, ITEM_KINDS, MAIN_FIELD, Review

# The plan's own kinds as the editor names them, and the tables a document may hold.
KIND_LABELS = {
    **PLAN_KIND_LABELS,
    "budget_table": _("Budgettabell"),
    "budget_row": _("Budgetrad"),
    "control_table": _("Internkontrolltabell"),
    "risk": _("Risk"),
    "measure": _("Åtgärd"),
}
FIELD_LABELS = {
    "number": _("Nummer"),
    "heading": _("Rubrik"),
    "name": _("Namn"),
    "text": _("Text"),
    "body": _("Brödtext"),
    "description": _("Beskrivning"),
    "note": _("Anmärkning"),
    "items": _("Punkter"),
    "lead": _("Ingress"),
    "statements": _("Strategier"),
    "label": _("Rad"),
    "title": _("Rubrik"),
}
SOURCE_CHARS = 400  # of each passage shown beside its object


@dataclass
class Row:
    node: Node
    depth: int
    label: str
    main: str
    details: list[tuple[str, str]]
    passages: list[dict[str, Any]]
    first: bool
    last: bool


def level_names(proposal_row: PlanProposal) -> dict[str, str]:
    model = styrmodell_for(proposal_row.organisation_id)
    return {level.key: level.name for level in model.levels_for(proposal_row.unit.kind)}


def kind_label(node: Node, levels: dict[str, str]) -> str:
    if node.kind == "goal" and node.fields.get("level") in levels:
        return levels[node.fields["level"]]
    return str(KIND_LABELS.get(node.kind, node.kind))


def rows(proposal_row: PlanProposal, review: Review) -> list[Row]:
    """Every object in reading order, with its depth and its passages."""
    blocks = {block["index"]: block for block in proposal_row.blocks}
    levels = level_names(proposal_row)
    out: list[Row] = []

    def walk(nodes: list[Node], depth: int) -> None:
        for position, node in enumerate(nodes):
            main = main_text(node)
            details = [
                (str(FIELD_LABELS[name]), _shown(value))
                for name, value in node.fields.items()
                if name in FIELD_LABELS
                and name not in (MAIN_FIELD.get(node.kind), "number")
                and _shown(value)
            ]
            passages = [
                {
                    **blocks[source.index],
                    "text": one_line(_block_text(blocks[source.index]), SOURCE_CHARS),
                }
                for source in node.sources
                if source.index in blocks
            ]
            out.append(
                Row(
                    node,
                    depth,
                    kind_label(node, levels),
                    main,
                    details,
                    passages,
                    position == 0,
                    position == len(nodes) - 1,
                )
            )
            walk(node.children, depth + 1)

    walk(review.proposal.nodes, 0)
    return out


def main_text(node: Node) -> str:
    """The object's main text (a heading, a name, a goal's text, a budget row's label)."""
    text = str(node.fields.get(MAIN_FIELD.get(node.kind, ""), "") or "")
    return text or str(node.fields.get("label") or node.fields.get("title") or node.id)


def dropped(review: Review) -> list[tuple[str, str]]:
    """What the person set aside: (id, text) each."""
    return [(item.node.id, one_line(main_text(item.node), 200)) for item in review.dropped]


def kind_choices(node: Node, levels: dict[str, str]) -> list[tuple[str, str]]:
    group = CONTAINER_KINDS if node.kind in CONTAINER_KINDS else ITEM_KINDS
    if node.kind not in group:
        return []
    return [(kind, str(KIND_LABELS[kind])) for kind in group]


def parent_choices(review: Review, node: Node | None, levels: dict[str, str]) -> list:
    """Where an object may be moved: the top, or any object that is not the object itself
    or inside it."""
    inside = {inner.id for inner in node.walk()} if node else set()
    choices = [("", str(_("Överst i planen")))]
    for candidate in review.proposal.walk():
        if candidate.id in inside or candidate.kind in ("indicator", "budget_row", "measure"):
            continue
        text = candidate.fields.get(MAIN_FIELD.get(candidate.kind, ""), "") or candidate.id
        number = candidate.fields.get("number") or ""
        label = f"{kind_label(candidate, levels)} {number} {one_line(str(text), 80)}"
        choices.append((candidate.id, " ".join(label.split())))
    return choices


def problems(proposal_row: PlanProposal, proposal: Proposal) -> tuple[list[str], list[str]]:
    """What accepting would refuse in the proposal as it stands (the plan loader's checks,
    the budget and control apps' checks of the tables, a table or internkontrollplan that
    already exists), and the objects that have no place in a plan where they stand (they
    would be left out)."""
    writer = PlanWriter(proposal, proposal_row.filename)
    found = [str(problem) for problem in database_checker().check(writer.data())]
    budget, _left_out = budget_data(proposal)
    if budget is not None:
        found += table_problems(budget)
    control = control_data(proposal)
    if control is not None:
        found += plan_problems(control)
    return found, list(writer.loose)


def tables(proposal: Proposal) -> tuple[list[str], list[str]]:
    """What accepting writes beside the plan (each budget table by number and title, the
    internkontrollplan with its count of risks), and the budget tables it leaves out, each
    with the reason (their columns are not years of budget, prognos or utfall)."""
    budget, left_out = budget_data(proposal)
    taken = [
        str(_("Budgettabellen %(table)s"))
        % {"table": f"{table.get('number', '')} {table['title']}".strip()}
        for table in (budget or {}).get("tables", [])
    ]
    control = control_data(proposal)
    if control is not None:
        risks = sum(len(area["risks"]) for area in control["plans"][0]["areas"])
        taken.append(
            ngettext(
                "Internkontrollplanen med %(n)s risk",
                "Internkontrollplanen med %(n)s risker",
                risks,
            )
            % {"n": risks}
        )
    return taken, left_out


def _block_text(block: dict[str, Any]) -> str:
    if block.get("rows"):
        return " | ".join(" ".join(cell for cell in row if cell) for row in block["rows"])
    return f"{block.get('number', '')} {block.get('text', '')}".strip()


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return one_line(value, 300)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return one_line("; ".join(value), 300)
    return ""
