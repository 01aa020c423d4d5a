"""Editing a styrmodell, what the page and the API share: who may, where each of the
action's refusals belongs, and the keys a new model would leave without a home.

``governance.actions.save_styrmodell`` refuses a model by field: ``levels[2]``,
``steps[0]``, ``mapping.levels.effektmal``. ``problems`` names each problem by the field it
is about, ``levels.2.key`` or ``steps.0.colour``, from the code the action gave it, so that
the page can show it beside the input and the API can name it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, require_on_organisation
from uppsikt.governance import usage
from uppsikt.governance.actions import StyrmodellSpec, orphans
from uppsikt.governance.models import NOT_ASSESSABLE
from uppsikt.governance.words import NOT_ASSESSABLE_STEP, styrmodell_for
from uppsikt.lib.typing import Visitor
from uppsikt.organisations.models import Organisation

# Which input of a row each of the action's codes is about (the rest: the row as a whole).
ROW_FIELD = {
    "key": "key",
    "duplicate_key": "key",
    "required": "name",
    "unit_kind": "unit_kinds",
    "symbol_required": "symbol",
    "duplicate_symbol": "symbol",
    "colour": "colour",
    "contrast": "colour",
    "proposal": "proposal",
}
STEP_FIELD = {**ROW_FIELD, "required": "label"}
_ROW = re.compile(r"^(levels|steps)\[(\d+)\]$")


def may_edit(user: Visitor, organisation: Organisation) -> bool:
    """An administrator over the whole organisation, or a superuser."""
    try:
        require_on_organisation(user, Perm.ADMIN, organisation.pk)
    except PermissionDenied:
        return False
    return True


@dataclass(frozen=True)
class Problem:
    field: str  # "name", "levels", "levels.2.key", "steps.0.colour", "mapping.levels.mal"
    code: str
    message: str


def problems(error: ValidationError) -> list[Problem]:
    """Every problem of a refusal, each named by the field it is about."""
    found = []
    items = error.error_dict.items() if hasattr(error, "error_dict") else [("", error.error_list)]
    for where, errors in items:
        for item in errors:
            code = item.code or "invalid"
            row = _ROW.match(where)
            name = "" if where == "__all__" else where
            if row:
                kind, index = row.groups()
                inner = (STEP_FIELD if kind == "steps" else ROW_FIELD).get(code)
                name = f"{kind}.{index}" + (f".{inner}" if inner else "")
            for message in item:
                found.append(Problem(name, code, str(message)))
    return found


@dataclass
class Lost:
    """A key in use that the new model lacks: what holds it, and where it may go."""

    kind: str  # usage.LEVELS or usage.STEPS
    key: str
    name: str  # what the current model calls it
    counts: list[tuple[str, int]]  # (rows' label, how many)
    choices: list[tuple[str, str]] = field(default_factory=list)  # the new model's keys

    @property
    def field_name(self) -> str:
        return f"mapping.{self.kind}.{self.key}"


def lost_keys(organisation: Organisation, spec: StyrmodellSpec) -> list[Lost]:
    """The keys goals and assessments hold that ``spec`` lacks, with the keys of ``spec``
    they may be moved to (levels first, then steps; each in key order)."""
    current = styrmodell_for(organisation.pk)
    choices = {
        usage.LEVELS: [(level.key, level.name) for level in spec.levels],
        usage.STEPS: [(step.key, step.label) for step in spec.steps]
        + [(NOT_ASSESSABLE, current.say(NOT_ASSESSABLE_STEP.label))],
    }
    found: dict[tuple[str, str], Lost] = {}
    for kind, by_label in orphans(organisation, spec).items():
        for label, counts in by_label.items():
            for key, count in counts.items():
                name = (
                    current.goal_kind_label(key)
                    if kind == usage.LEVELS
                    else current.status_label(key)
                )
                lost = found.setdefault((kind, key), Lost(kind, key, name, [], choices[kind]))
                lost.counts.append((usage.rows(label, count), count))
    order = {usage.LEVELS: 0, usage.STEPS: 1}
    return sorted(found.values(), key=lambda lost: (order[lost.kind], lost.key))


def kind_label(kind: str) -> str:
    return _("Målnivå") if kind == usage.LEVELS else _("Bedömningssteg")


def styrmodell_panel(organisation: Organisation, user: Visitor) -> dict[str, object] | None:
    """The organisation page's link to the styrmodell, for those who may change it."""
    if not may_edit(user, organisation):
        return None
    return {"styrmodell": styrmodell_for(organisation.pk)}
