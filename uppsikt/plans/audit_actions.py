"""The action names the plans app records in the audit trail, with their labels.

Declared in ``PlansConfig.ready``; see ``uppsikt.audit.vocabulary``.
"""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    # actions.py
    "goal.update": _("Målet ändrades"),
    "section.update": _("Avsnittet ändrades"),
    # versions.py
    "plan.decide": _("Beslut registrerades"),
    "plan.revise": _("Ny version skapades"),
    "plan.supersede": _("Versionen ersattes"),
}
