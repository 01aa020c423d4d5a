"""The action names the administration app records in the audit trail, with their labels.

Declared in ``AdministrationConfig.ready``; see ``uppsikt.audit.vocabulary``. ``actions.py``
writes "<organisation or unit>.<create or update>".
"""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "organisation.create": _("Organisation skapades"),
    "organisation.update": _("Organisation ändrades"),
    "organisation.branding": _("Organisationens profilfärg eller logotyp ändrades"),
    "unit.create": _("Enhet skapades"),
    "unit.update": _("Enhet ändrades"),
}
