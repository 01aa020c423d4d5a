"""What removing an object of a draft plan would affect, as sentences a person reads before
confirming.

What the database would remove with it is found by Django's own deletion collector, so it
stays true as other apps hang more on plan content (indicator targets, assessments,
follow-up entries): "3 indikatorer", "1 bidrar till-koppling". Other apps add what is
affected without being removed (measurements of an indicator's definition stay) from their
``ready()``; each hook returns [] for objects it knows nothing about.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import router
from django.db.models import Model
from django.db.models.deletion import Collector
from django.utils.translation import gettext as _

from uppsikt.lib.registry import Registry

from .models import Activity, Goal

ImpactHook = Callable[[Model], list[str]]
removal_impact: Registry[ImpactHook] = Registry("removal impact")

# Link tables have no name a person knows; they are described by what they link.
_LINKS = {
    Goal.contributes_to.through: _("”bidrar till”-kopplingar mellan mål"),
    Activity.contributes_to.through: _("kopplingar mellan aktiviteter och mål"),
}


def removed_with(obj: Model) -> dict[str, int]:
    """What the database removes together with ``obj``: a label per kind, and how many."""
    collector = Collector(using=router.db_for_write(type(obj)))
    collector.collect([obj])
    by_model: dict[type[Model], int] = {}
    for model, instances in collector.data.items():
        count = len([item for item in instances if item != obj])
        by_model[model] = by_model.get(model, 0) + count
    for queryset in collector.fast_deletes:
        by_model[queryset.model] = by_model.get(queryset.model, 0) + queryset.count()
    counts: dict[str, int] = {}
    for model, count in by_model.items():
        if count:
            meta = model._meta
            name = meta.verbose_name if count == 1 else meta.verbose_name_plural
            counts[str(_LINKS.get(model, name))] = count
    return counts


def impact_of(obj: Model) -> list[str]:
    """Every sentence about what removing ``obj`` affects; empty when nothing is."""
    found = [
        _("Tas bort med det: %(count)s %(what)s.") % {"count": count, "what": what}
        for what, count in sorted(removed_with(obj).items())
    ]
    for hook in removal_impact:
        found.extend(hook(obj))
    return found
