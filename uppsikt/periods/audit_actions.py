"""The action names the periods app records in the audit trail, with their labels.

Declared in ``PeriodsConfig.ready``; see ``uppsikt.audit.vocabulary``.
"""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    # actions.py
    "period.create": _("Uppföljningstillfället lades till"),
    "period.create_defaults": _("Årets uppföljningstillfällen lades till"),
    "period.delete": _("Uppföljningstillfället togs bort"),
    "period.close": _("Uppföljningstillfället stängdes"),
    "period.reopen": _("Uppföljningstillfället öppnades igen"),
    # deadline_actions.py
    "period.set_deadlines": _("Sista dagarna för uppföljningstillfället ändrades"),
    "period.set_unit_deadline": _("En enhets egna sista dagar sattes"),
    "period.remove_unit_deadline": _("En enhets egna sista dagar togs bort"),
}
