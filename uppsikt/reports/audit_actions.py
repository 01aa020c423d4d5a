"""The action names the reports app records in the audit trail, with their labels.

Declared in ``ReportsConfig.ready``; see ``uppsikt.audit.vocabulary``.
"""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    # actions.py: the organisation's Word template
    "report_template.set": _("Word-mallen för rapporter laddades upp"),
    "report_template.remove": _("Word-mallen för rapporter togs bort"),
    # demo.py (the follow-up demo)
    "followup.demo_reset": _("Exempeluppföljningarna togs bort (demo)"),
}
