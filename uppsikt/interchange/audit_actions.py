"""The action names the data-file loader records in the audit trail, with their labels.

Declared in ``InterchangeConfig.ready``; see ``uppsikt.audit.vocabulary``.
"""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    # load.py (the ``load`` command); ``data.load`` is also written by the indicators demo.
    "plan.load": _("Planen lästes in från fil"),
    "plan.replace": _("Planen togs bort vid inläsning med --replace"),
    # Written by loads before the loader went through the plans app's actions (now each goal
    # is a ``goal.add``); kept so the earlier events keep their label.
    "goal.load": _("Målet lästes in från fil"),
    "data.load": _("Datafil lästes in"),
}
