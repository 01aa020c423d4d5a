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
from typing import Any

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


_REGISTRY: dict[str, type[models.TextChoices]] = {}
_SOURCES: dict[str, StatusSource] = {}


def register(
    model_label: str, choices: type[models.TextChoices], source: StatusSource | None = None
) -> None:
    """Say which statuses follow-ups of ``model_label`` (e.g. ``"plans.activity"``) take."""
    _REGISTRY[model_label.lower()] = choices
    if source is not None:
        _SOURCES[model_label.lower()] = source


def _label(target) -> str:
    if isinstance(target, str):
        return target.lower()
    return target._meta.label_lower


def choices_for(target) -> type[models.TextChoices] | None:
    return _REGISTRY.get(_label(target))


def source_for(target) -> StatusSource | None:
    """The kind's ``StatusSource``, or None when the entry holds the status itself."""
    return _SOURCES.get(_label(target))


def registered_labels() -> list[str]:
    return sorted(_REGISTRY)


def status_label(target, status: str | None) -> str:
    """The Swedish label of ``status`` for ``target``'s kind ("" when there is none)."""
    choices = choices_for(target)
    if not status:
        return ""
    if choices is None:
        return status
    return str(dict(choices.choices).get(status, status))
