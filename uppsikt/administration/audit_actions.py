"""The action names the administration app records in the audit trail, with their labels.

Declared in ``AdministrationConfig.ready``; see ``uppsikt.audit.vocabulary``. ``actions.py``
writes "<organisation or unit>.<create or update>", "organisation.set_up" (onboarding) and
"unit.import" (a unit tree read from a file, beside each unit's "unit.create").
"""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "organisation.create": _("Organisation skapades"),
    "organisation.update": _("Organisation ändrades"),
    "organisation.branding": _("Organisationens profilfärg eller logotyp ändrades"),
    "organisation.set_up": _("Organisation sattes upp"),
    "unit.create": _("Enhet skapades"),
    "unit.update": _("Enhet ändrades"),
    "unit.import": _("Enheter lästes in från fil"),
}
