"""Propose a plan's structure from a read document: see ``propose``."""

from __future__ import annotations

from django.utils.translation import gettext as _

from uppsikt.proposals.reading.blocks import Kind, ReadDocument

from .model import (
    ACTIVITY,
    ASSIGNMENT,
    BUDGET_TABLE,
    CONTROL_TABLE,
    FOCUS_AREA,
    GOAL,
    INDICATOR,
    PERSPECTIVE,
    SECTION,
    STRATEGY,
    Node,
    Proposal,
    Unplaced,
)
from .structure import Builder, Context

STRUCTURED = (
    PERSPECTIVE, FOCUS_AREA, STRATEGY, GOAL, INDICATOR, ASSIGNMENT, ACTIVITY, BUDGET_TABLE,
    CONTROL_TABLE,
)  # fmt: skip


def propose(document: ReadDocument, context: Context) -> Proposal:
    """The proposed structure of ``document`` for the organisation, unit and year of
    ``context``. Nothing is stored. A document without any recognisable structure (no
    numbered heading, goal, list or table) gives a proposal that says so, with all its
    text unplaced."""
    proposal = Builder(document, context).run()
    if not context.levels:
        proposal.messages.append(
            _("Styrmodellen har inga målnivåer för enheten: inga mål föreslås, och texter som "
              "ser ut som mål blir vanlig text.")
        )  # fmt: skip
    if not _has_structure(proposal):
        proposal.nodes = []
        proposal.unplaced = [
            Unplaced(
                f"{block.number} {block.text}".strip()
                if block.kind != Kind.TABLE
                else " | ".join(" ".join(row) for row in block.rows),
                block.source,
                _("Ingen struktur känns igen"),
            )
            for block in document.blocks
            if block.text.strip() or block.rows
        ]
        proposal.sum_checks = []
        proposal.messages.append(
            _(
                "Dokumentet har ingen struktur som känns igen: inga numrerade rubriker, mål, "
                "indikatorer, strategier eller tabeller. All text listas som ej placerad."
            )
        )
    return proposal


def _has_structure(proposal: Proposal) -> bool:
    for node in proposal.walk():
        if node.kind in STRUCTURED or (node.kind == SECTION and node.fields.get("number")):
            return True
    return False


__all__ = ["Context", "Node", "Proposal", "Unplaced", "propose"]
