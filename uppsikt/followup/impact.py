"""What removing an object of a draft plan leaves behind in the follow-up (see
``plans.impact``): follow-up entries written about it. They are kept, as written, with their
period."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.utils.translation import ngettext

from .models import FollowUp


def followup_impact(obj: Model) -> list[str]:
    if obj.pk is None:
        return []
    content_type = ContentType.objects.get_for_model(type(obj))
    count = FollowUp.objects.filter(content_type=content_type, object_id=obj.pk).count()
    if not count:
        return []
    return [
        ngettext(
            "%(count)s uppföljning är skriven om det; den finns kvar i sin period.",
            "%(count)s uppföljningar är skrivna om det; de finns kvar i sina perioder.",
            count,
        )
        % {"count": count}
    ]
