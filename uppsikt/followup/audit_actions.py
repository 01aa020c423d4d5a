"""The action names the follow-up app records in the audit trail, with their labels.

Declared in ``FollowupConfig.ready``; see ``uppsikt.audit.vocabulary``.
"""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    # actions.py
    "followup.create": _("Uppföljning skrevs"),
    "followup.update": _("Uppföljning ändrades"),
    "followup.state": _("Uppföljningens arbetsläge ändrades"),
    "followup.attachment_add": _("En bilaga lades till uppföljningen"),
    "followup.attachment_remove": _("En bilaga togs bort från uppföljningen"),
    # actions/dialogue.py and actions/carry.py
    "followup.comment": _("Kommentar i granskningen skrevs"),
    "followup.copy": _("Uppföljningens text hämtades från förra perioden"),
    # actions/reports.py: "report.<SUBMIT, WITHDRAW, APPROVE, RETURN>" and the introduction
    "report.submit": _("Rapporten lämnades in"),
    "report.withdraw": _("Rapporten togs tillbaka"),
    "report.approve": _("Rapporten godkändes"),
    "report.return": _("Rapporten återfördes"),
    "report.summary": _("Rapportens inledning ändrades"),
}
