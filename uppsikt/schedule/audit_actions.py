"""The action names the årshjul records in the audit trail, with their labels.

Declared in ``ScheduleConfig.ready``; see ``uppsikt.audit.vocabulary``.
"""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    # actions.py
    "schedule.milestone.create": _("En milstolpe lades till i årshjulet"),
    "schedule.milestone.update": _("En milstolpe i årshjulet ändrades"),
    "schedule.milestone.delete": _("En milstolpe togs bort ur årshjulet"),
}
