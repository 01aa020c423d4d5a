"""The action names the tasks app records in the audit trail, with their labels.

Declared in ``TasksConfig.ready``; see ``uppsikt.audit.vocabulary``.
"""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    # actions.py
    "reminders.preference": _("Val av påminnelser ändrades"),
    # reminders.py (send_manual)
    "reminders.manual": _("Påminnelse skickades"),
}
