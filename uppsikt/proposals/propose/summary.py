"""A proposal summed up in Swedish lines: counts per kind, unplaced, Summa differences."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .model import (
    ACTIVITY,
    ASSIGNMENT,
    BUDGET_ROW,
    BUDGET_TABLE,
    CONTROL_TABLE,
    FOCUS_AREA,
    GOAL,
    INDICATOR,
    MEASURE,
    PERSPECTIVE,
    RISK,
    SECTION,
    STRATEGY,
    Proposal,
)  # fmt: skip


def kind_names() -> dict[str, str]:
    return {
        SECTION: _("avsnitt"),
        PERSPECTIVE: _("perspektiv"),
        FOCUS_AREA: _("prioriterade områden"),
        STRATEGY: _("strategier"),
        GOAL: _("mål"),
        INDICATOR: _("indikatorer"),
        ASSIGNMENT: _("uppdrag"),
        ACTIVITY: _("aktiviteter"),
        BUDGET_TABLE: _("budgettabeller"),
        BUDGET_ROW: _("budgetrader"),
        CONTROL_TABLE: _("internkontrolltabeller"),
        RISK: _("risker"),
        MEASURE: _("åtgärder"),
    }


def summary_lines(proposal: Proposal) -> list[str]:
    counts = proposal.counts()
    names = kind_names()
    lines = [
        _("Förslag: %(counts)s.")
        % {"counts": ", ".join(f"{names[kind]} {count}" for kind, count in counts.items())},
        _("Ej placerat: %(n)s.") % {"n": len(proposal.unplaced)},
    ]
    differences = proposal.sum_differences()
    lines.append(_("Summaskillnader: %(n)s.") % {"n": len(differences)})
    for check in differences:
        lines.append(
            _("  %(label)s, %(column)s: dokumentet anger %(printed)s, raderna summerar till %(sum)s")
            % {"label": check.label, "column": check.column, "printed": check.printed,
               "sum": check.computed}
        )  # fmt: skip
    lines += proposal.messages
    return lines
