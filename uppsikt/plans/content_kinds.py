"""Which kinds of plan content an organisation uses: the one rule every path that adds a
part to a plan goes through (``parts.add_part``: the editor, the API, the data file, the
demo), and the count the styrmodell asks before it stops using a kind.

The styrmodell (``governance.words.Styrmodell.uses_kind``) names the content kinds the
organisation's plans use: perspektiv, strategier, uppdrag, prioriterade områden and
aktiviteter. Sections, goals and indicators are always used. Adding a part of a kind the
styrmodell does not use is refused (``kind_not_used``); a styrmodell change that stops
using a kind plans still hold is refused by ``governance.actions.save_styrmodell``, which
asks ``count_content_kinds`` through ``governance.usage`` (``usage.KINDS``).
"""

from __future__ import annotations

from collections import Counter

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

from uppsikt.governance.words import CONTENT_KIND_NAMES, styrmodell_for

from .models import Activity, Assignment, FocusArea, Perspective, Plan, Strategy

# The styrmodell's content kind of each part kind that has one.
CONTENT_KIND_OF = {
    "perspective": "perspectives",
    "strategy": "strategies",
    "assignment": "assignments",
    "focus_area": "focus_areas",
    "activity": "activities",
}
MODEL_OF_CONTENT = {
    "perspectives": Perspective,
    "strategies": Strategy,
    "assignments": Assignment,
    "focus_areas": FocusArea,
    "activities": Activity,
}
NOT_USED = "kind_not_used"


def kind_used(plan: Plan, kind: str) -> bool:
    """Whether a part of ``kind`` ("strategy", "goal" …) may be added to ``plan``: its
    organisation's styrmodell uses the kind (kinds outside the styrmodell always may)."""
    content = CONTENT_KIND_OF.get(kind)
    return content is None or styrmodell_for(plan.unit.organisation_id).uses_kind(content)


def ensure_kind_used(plan: Plan, kind: str) -> None:
    """Refuse (``kind_not_used``, for the whole request) a ``kind`` the styrmodell does not use."""
    if kind_used(plan, kind):
        return
    message = _(
        "Organisationens styrmodell använder inte %(kinds)s, så planen kan inte få några. "
        "En administratör kan slå på %(kinds)s på sidan Styrmodell."
    ) % {"kinds": CONTENT_KIND_NAMES[CONTENT_KIND_OF[kind]]}
    raise ValidationError({NON_FIELD_ERRORS: [ValidationError(message, code=NOT_USED)]})


def count_content_kinds(organisation_id: int) -> Counter[str]:
    """How many parts of each content kind the organisation's plans hold (every plan)."""
    return Counter(
        {
            content: model._default_manager.filter(
                plan__unit__organisation_id=organisation_id
            ).count()
            for content, model in MODEL_OF_CONTENT.items()
        }
    )
