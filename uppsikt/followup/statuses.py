"""Which statuses a follow-up of each kind of object can have, with Swedish labels.

Apps register the status set of their own objects (``register``) from their AppConfig's
``ready``; the follow-up then validates against it. Shared sets live here so that, for
instance, an uppdrag, an aktivitet and an internal-control åtgärd are followed up with the
same words.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkStatus(models.TextChoices):
    """For things that get done: uppdrag, aktiviteter, åtgärder."""

    GENOMFORD = "genomford", _("Genomförd")
    PAGAR = "pagar", _("Pågår")
    EJ_PABORJAD = "ej_paborjad", _("Ej påbörjad")
    EJ_GENOMFORD = "ej_genomford", _("Ej genomförd")
    FORSENAD = "forsenad", _("Försenad")


_REGISTRY: dict[str, type[models.TextChoices]] = {}


def register(model_label: str, choices: type[models.TextChoices]) -> None:
    """Say which statuses follow-ups of ``model_label`` (e.g. ``"plans.activity"``) take."""
    _REGISTRY[model_label.lower()] = choices


def choices_for(target) -> type[models.TextChoices] | None:
    label = target if isinstance(target, str) else target._meta.label_lower
    return _REGISTRY.get(label.lower())


def registered_labels() -> list[str]:
    return sorted(_REGISTRY)
