"""An organisation's styrmodell in the data file (``organisations[i].styrmodell``).

Checked in two steps: the shape here (mappings, lists, types), then, when the shape is
right, the rules of the governance app itself (``governance.actions.validate_spec``), whose
refusals by field become problems named by their path in the file
(``organisations[0].styrmodell.steps[1]``). Loaded through ``save_styrmodell``; dumped from
the stored model, so loading a dump gives the same model.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.core.exceptions import ValidationError

from uppsikt.governance.actions import (
    LevelSpec,
    StepSpec,
    StyrmodellSpec,
    spec_of,
    validate_spec,
)
from uppsikt.governance.models import GovernanceModel
from uppsikt.governance.words import CONTENT_KINDS, DEFAULT_PERIOD_MONTHS, from_model
from uppsikt.lib.problems import Problem

KEYS = {"name", "levels", "steps", "perspectives", "uses", "calendar", "period_months"}
LEVEL_KEYS = {"key", "name", "plural", "unit_kinds"}
STEP_KEYS = {"key", "label", "colour", "symbol", "counts_as_met", "proposal"}
PERSPECTIVE_KEYS = {"name", "description"}


class Shape(Protocol):
    """What of ``schema.Checker`` the styrmodell's check uses."""

    problems: list[Problem]

    def fail(self, path: str, message: str) -> None: ...
    def mapping(self, value: Any, path: str, allowed: set[str], required: set[str]) -> bool: ...
    def text(self, data: dict, key: str, path: str, *, max_length: int | None = None) -> None: ...
    def string_list(self, data: dict, key: str, path: str) -> None: ...
    def items(self, data: dict, key: str, path: str) -> list[tuple[str, Any]]: ...


def _flag(checker: Shape, data: dict, key: str, path: str) -> None:
    if key in data and not isinstance(data[key], bool):
        checker.fail(f"{path}.{key}", "ska vara true eller false")


def _shape(checker: Shape, data: dict, path: str) -> None:
    checker.text(data, "name", path, max_length=200)
    checker.text(data, "calendar", path)
    checker.string_list(data, "uses", path)
    for key in ("levels", "steps"):
        if not isinstance(data.get(key), list):
            checker.fail(f"{path}.{key}", "ska vara en lista")
    for lpath, level in checker.items(data, "levels", path):
        if checker.mapping(level, lpath, LEVEL_KEYS, {"key", "name"}):
            checker.text(level, "key", lpath, max_length=40)
            for key in ("name", "plural"):
                checker.text(level, key, lpath, max_length=60)
            checker.string_list(level, "unit_kinds", lpath)
    for spath, step in checker.items(data, "steps", path):
        if checker.mapping(step, spath, STEP_KEYS, {"key", "label", "colour", "symbol"}):
            for key, longest in (("key", 40), ("label", 60), ("colour", 7), ("symbol", 4)):
                checker.text(step, key, spath, max_length=longest)
            checker.text(step, "proposal", spath, max_length=16)
            _flag(checker, step, "counts_as_met", spath)
    for ppath, perspective in checker.items(data, "perspectives", path):
        if checker.mapping(perspective, ppath, PERSPECTIVE_KEYS, {"name"}):
            checker.text(perspective, "name", ppath, max_length=200)
            checker.text(perspective, "description", ppath)
    months = data.get("period_months")
    if months is not None and (
        not isinstance(months, list)
        or any(isinstance(m, bool) or not isinstance(m, int) for m in months)
    ):
        checker.fail(f"{path}.period_months", "ska vara en lista med månadernas nummer (1–12)")


def spec_from_data(data: dict) -> StyrmodellSpec:
    """The spec a (well-shaped) ``styrmodell:`` mapping describes."""
    return StyrmodellSpec(
        name=data.get("name") or "Styrmodell",
        levels=[
            LevelSpec(
                level["key"],
                level["name"],
                level.get("plural") or "",
                list(level.get("unit_kinds") or []),
            )
            for level in data.get("levels") or []
        ],
        steps=[
            StepSpec(
                step["key"],
                step["label"],
                step["colour"],
                step["symbol"],
                bool(step.get("counts_as_met", False)),
                step.get("proposal") or "",
            )
            for step in data.get("steps") or []
        ],
        perspectives=[
            (p["name"], p.get("description") or "") for p in data.get("perspectives") or []
        ],
        uses=list(data["uses"]) if data.get("uses") is not None else list(CONTENT_KINDS),
        calendar=data.get("calendar") or "manad",
        period_months=(
            list(data["period_months"])
            if data.get("period_months") is not None
            else list(DEFAULT_PERIOD_MONTHS)
        ),
    )


def problems_of(error: ValidationError, path: str) -> list[Problem]:
    """A refusal by field (``levels[0]``, ``steps``) as problems at ``path.field``."""
    if not hasattr(error, "error_dict"):
        return [Problem(path, message) for message in error.messages]
    return [
        Problem(f"{path}.{field}", str(message), getattr(item, "code", None) or "invalid")
        for field, items in error.error_dict.items()
        for item in items
        for message in item.messages
    ]


def check(checker: Shape, data: Any, path: str) -> None:
    """Every problem of the ``styrmodell:`` at ``path``, appended to ``checker.problems``."""
    before = len(checker.problems)
    if not checker.mapping(data, path, KEYS, {"levels", "steps"}):
        return
    _shape(checker, data, path)
    if len(checker.problems) > before:
        return  # the rules need the right shape to be read
    try:
        validate_spec(spec_from_data(data))
    except ValidationError as error:
        checker.problems.extend(problems_of(error, path))


def level_keys(data: Any) -> set[str] | None:
    """The goal levels' keys of a ``styrmodell:`` mapping (None when it has none)."""
    if not isinstance(data, dict) or not isinstance(data.get("levels"), list):
        return None
    return {lv["key"] for lv in data["levels"] if isinstance(lv, dict) and "key" in lv}


def _put(target: dict, key: str, value: Any) -> None:
    if value not in (None, "", [], False):
        target[key] = value


def dump(model: GovernanceModel) -> dict[str, Any]:
    """The stored styrmodell as the file writes it."""
    return dump_spec(spec_of(from_model(model)))


def dump_spec(spec: StyrmodellSpec) -> dict[str, Any]:
    """``spec`` as the file writes it, as ``save_styrmodell`` would store it (trimmed, the
    plural defaulting to the name, sorted); ``uses`` and ``period_months`` are written even
    when empty, where leaving them out would mean the default."""
    levels = []
    for level in spec.levels:
        entry: dict[str, Any] = {
            "key": level.key,
            "name": level.name.strip(),
            "plural": (level.plural or level.name).strip(),
        }
        _put(entry, "unit_kinds", list(level.unit_kinds))
        levels.append(entry)
    steps = []
    for step in spec.steps:
        item: dict[str, Any] = {
            "key": step.key,
            "label": step.label.strip(),
            "colour": step.colour.lower(),
            "symbol": step.symbol.strip(),
        }
        _put(item, "counts_as_met", step.counts_as_met)
        _put(item, "proposal", step.proposal)
        steps.append(item)
    perspectives = []
    for name, description in spec.perspectives:
        perspective = {"name": name.strip()}
        _put(perspective, "description", description)
        perspectives.append(perspective)
    data: dict[str, Any] = {"name": spec.name.strip(), "levels": levels, "steps": steps}
    _put(data, "perspectives", perspectives)
    data["uses"] = sorted(spec.uses)
    data["calendar"] = spec.calendar
    # No months stored reads as the default months (``words.from_model``).
    data["period_months"] = sorted(set(spec.period_months or DEFAULT_PERIOD_MONTHS))
    return data
