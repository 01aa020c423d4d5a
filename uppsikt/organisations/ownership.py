"""Which unit owns an object: the one fact that access rules and the audit trail share.

A governed model names the path from itself to its unit in ``ACCESS_UNIT`` (Django lookup
syntax, e.g. ``"plan__unit"``); a ``Unit`` owns itself.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from .models import Unit


def unit_path(model: type[Model] | Model) -> str:
    if isinstance(model, Unit) or model is Unit:
        return "pk"
    path: str | None = getattr(model, "ACCESS_UNIT", None)
    if path is None:
        raise TypeError(f"{model!r} has no ACCESS_UNIT: it cannot be checked for access.")
    return path


def unit_id_of(target: Any) -> int | None:
    """The id of the unit that owns ``target`` (a Unit, a unit id or a governed object)."""
    if target is None:
        return None
    if isinstance(target, int):
        return target
    if isinstance(target, Unit):
        return target.pk
    parts = unit_path(target).split("__")
    obj = target
    for name in parts[:-1]:
        obj = getattr(obj, name)
        if obj is None:
            return None
    unit_id: int | None = getattr(obj, f"{parts[-1]}_id")
    return unit_id
