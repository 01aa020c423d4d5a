"""Which statuses a follow-up of each kind of object can have, with Swedish labels.

Apps register the status set of their own objects (``register``) from their AppConfig's
``ready``; the follow-up then validates against it. Shared sets live here so that, for
instance, an uppdrag, an aktivitet and an internal-control åtgärd are followed up with the
same words.

Some kinds keep their status elsewhere, as a fact of the app that owns it: a goal's status
in a follow-up *is* its assessment (``indicators.Assessment``). Such a kind registers a
``StatusSource``; the entry then stores no status of its own and reads and writes the other
app's fact, so the two can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, cast

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkStatus(models.TextChoices):
    """For things that get done: uppdrag, aktiviteter, åtgärder."""

    GENOMFORD = "genomford", _("Genomförd")
    PAGAR = "pagar", _("Pågår")
    EJ_PABORJAD = "ej_paborjad", _("Ej påbörjad")
    EJ_GENOMFORD = "ej_genomford", _("Ej genomförd")
    FORSENAD = "forsenad", _("Försenad")


class BudgetStatus(models.TextChoices):
    """For a budget table: the unit's judgement of the forecast.

    The size of the avvikelse is never typed: it is computed by ``budget.document`` from the
    figures. This status says how the unit judges the year's outcome against the budget.
    """

    ENLIGT_BUDGET = "enligt_budget", _("Prognos enligt budget")
    RISK = "risk", _("Risk för avvikelse")
    AVVIKELSE = "avvikelse", _("Avvikelse mot budget")


@dataclass(frozen=True)
class StatusSource:
    """Where a kind's status lives when it is another app's fact.

    ``read(targets, period)`` gives ``{target pk: status or None}`` for many objects in a
    fixed number of queries; ``write(target, period, actor=, status=, comment=)`` records
    a status through that app's own action (permission, validation and audit included);
    ``ready_message(target, period)`` says why an entry cannot be klar yet, or "".
    ``details(targets, period)`` gives ``{target pk: object}`` that the follow-up form
    shows beside the entry through ``detail_template`` (a goal's assessment proposal).
    """

    read: Callable[[Iterable[Any], Any], dict[int, str | None]]
    write: Callable[..., None]
    ready_message: Callable[[Any, Any], str]
    details: Callable[[Iterable[Any], Any], dict[int, Any]] | None = None
    detail_template: str = ""


# A kind's statuses: one set for every object (a TextChoices class), or per object, a
# callable giving ``[(value, label)]`` for an object, or for None when only the kind is
# known (a goal's statuses are the steps of its organisation's assessment scale).
Choices = type[models.TextChoices] | Callable[[Any], list[tuple[str, str]]]

_REGISTRY: dict[str, Choices] = {}
_SOURCES: dict[str, StatusSource] = {}


def register(model_label: str, choices: Choices, source: StatusSource | None = None) -> None:
    """Say which statuses follow-ups of ``model_label`` (e.g. ``"plans.activity"``) take."""
    _REGISTRY[model_label.lower()] = choices
    if source is not None:
        _SOURCES[model_label.lower()] = source


def _label(target) -> str:
    if isinstance(target, str):
        return target.lower()
    return target._meta.label_lower


def choices_for(target) -> list[tuple[str, str]] | None:
    """``[(value, label)]`` that ``target`` (an object, or a kind's label) may take; None for
    a kind nobody registered. For a kind whose statuses depend on the object, a label alone
    gives the statuses of an object of the default styrmodell."""
    choices = _REGISTRY.get(_label(target))
    if choices is None:
        return None
    if isinstance(choices, type) and issubclass(choices, models.TextChoices):
        return list(choices.choices)
    per_target = cast("Callable[[Any], list[tuple[str, str]]]", choices)
    return per_target(None if isinstance(target, str) else target)


def values_for(target) -> list[str] | None:
    choices = choices_for(target)
    return None if choices is None else [value for value, _label in choices]


def per_object(target) -> bool:
    """Whether the kind's statuses depend on the object (not one set for the kind)."""
    choices = _REGISTRY.get(_label(target))
    return choices is not None and not isinstance(choices, type)


def source_for(target) -> StatusSource | None:
    """The kind's ``StatusSource``, or None when the entry holds the status itself."""
    return _SOURCES.get(_label(target))


def registered_labels() -> list[str]:
    return sorted(_REGISTRY)


def status_label(target, status: str | None) -> str:
    """The Swedish label of ``status`` for ``target`` ("" when there is none)."""
    if not status:
        return ""
    choices = choices_for(target)
    if choices is None:
        return status
    return str(dict(choices).get(status, status))
