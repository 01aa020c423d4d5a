"""The organisation's risk scale: an administrator's act, refused when assessments already
use a step the new scale would no longer have.

>>> configure_scale(region, actor=admin, likelihood_labels=[…], consequence_labels=[…],
...                 medium_from=5, high_from=10)
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, require
from uppsikt.audit.trail import record
from uppsikt.lib.typing import Actor
from uppsikt.organisations.models import Organisation, Unit

from ..models import RiskAssessment, RiskScale
from ..scale import validate_scale


@transaction.atomic
def configure_scale(
    organisation: Organisation,
    *,
    actor: Actor,
    likelihood_labels: list[str],
    consequence_labels: list[str],
    medium_from: int,
    high_from: int,
) -> RiskScale:
    """Set the organisation's risk scale; an administrator's act on the whole organisation.

    Refused when assessments already use a step the new scale no longer has.
    """
    roots: list[Unit | None] = [
        *Unit.objects.filter(organisation=organisation, parent__isnull=True)
    ]
    for root in roots or [None]:
        require(actor, Perm.ADMIN, root)
    likelihood_labels = [label.strip() for label in likelihood_labels]
    consequence_labels = [label.strip() for label in consequence_labels]
    problems = validate_scale(likelihood_labels, consequence_labels, medium_from, high_from)
    if problems:
        raise ValidationError(problems)
    in_use = RiskAssessment.objects.filter(
        risk__control_plan__unit__organisation=organisation
    ).aggregate(likelihood=Max("likelihood"), consequence=Max("consequence"))
    for name, labels in (
        ("likelihood", likelihood_labels),
        ("consequence", consequence_labels),
    ):
        if (in_use[name] or 0) > len(labels):
            raise ValidationError(
                {
                    f"{name}_labels": _(
                        "Det finns bedömningar med steg %(step)s; skalan kan inte bli kortare än så."
                    )
                    % {"step": in_use[name]}
                }
            )
    scale, created = RiskScale.objects.select_for_update().get_or_create(
        organisation=organisation,
        defaults={
            "likelihood_labels": likelihood_labels,
            "consequence_labels": consequence_labels,
            "medium_from": medium_from,
            "high_from": high_from,
        },
    )
    fields = ("likelihood_labels", "consequence_labels", "medium_from", "high_from")
    before = None if created else {name: getattr(scale, name) for name in fields}
    scale.likelihood_labels, scale.consequence_labels = likelihood_labels, consequence_labels
    scale.medium_from, scale.high_from = medium_from, high_from
    scale.save()
    # Stored scores stay products of the stored steps, so only levels move with a new scale.
    after = {name: getattr(scale, name) for name in fields}
    if after != before:
        record(actor=actor, action="control.scale.update", obj=scale, before=before, after=after)
    return scale
