"""The action names the proposals app records in the audit trail, with their labels.

Declared in ``ProposalsConfig.ready``; see ``uppsikt.audit.vocabulary``. The plan an
accepted proposal becomes is recorded by the plans app's own actions (``plan.create``,
``part.add`` …), each in the plan's history.
"""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    # actions.py
    "proposal.upload": _("Ett plandokument lästes in till ett förslag"),
    "proposal.edit": _("Ett förslag från ett plandokument ändrades"),
    "proposal.accept": _("Ett förslag från ett plandokument antogs som utkast till plan"),
    "proposal.discard": _("Ett förslag från ett plandokument kasserades"),
}
