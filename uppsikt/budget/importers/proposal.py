"""What a file proposes to change in a table, and checking it before anything is written."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from ..series import Series
from ..stored import Loaded
from ..validation import ControlTotal, Problem, check_changes

Key = tuple[int, Series]  # (row pk, series)


@dataclass
class Proposal:
    changes: dict[Key, Decimal] = field(default_factory=dict)
    where: dict[Key, str] = field(default_factory=dict)  # where in the file each came from
    lines: dict[Key, int] = field(default_factory=dict)  # the line each came from
    controls: list[ControlTotal] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    summary: dict = field(default_factory=dict)
    # Lines that import but deserve a look (an account without a rule, a line of zeros):
    # listed on the import's page, never blocking it.
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class Checked:
    """The outcome of checking a file: problems (nothing may be imported), or the changes."""

    problems: list[Problem]
    changes: list[dict]  # {"row", "series", "old", "new"}: amounts as strings, kronor
    summary: dict


def finish(loaded: Loaded, proposal: Proposal) -> Checked:
    """Check the proposal against the table; list only figures that would change."""
    problems = list(proposal.problems)
    if not problems:
        problems = check_changes(
            loaded, proposal.changes, proposal.controls, proposal.where, proposal.lines
        )
    changes = []
    unchanged = 0
    for (pk, series), new in proposal.changes.items():
        old = loaded.figures.get((pk, series))
        if old is not None and old.amount == new:
            unchanged += 1
            continue
        changes.append(
            {
                "row": pk,
                "series": series.key,
                "old": None if old is None else str(old.amount),
                "new": str(new),
            }
        )
    summary = {
        **proposal.summary,
        "nya_eller_andrade": len(changes),
        "oforandrade": unchanged,
        "kontrollsummor": len(proposal.controls),
    }
    if proposal.warnings:
        summary["varningar"] = [[w.where, w.message] for w in proposal.warnings]
    if not problems and not changes:
        summary["meddelande"] = _("Filen ändrar inga belopp.")
    return Checked(problems, [] if problems else changes, summary)
