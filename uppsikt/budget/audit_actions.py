"""The action names the budget app records in the audit trail, with their labels.

Declared in ``BudgetConfig.ready``; see ``uppsikt.audit.vocabulary``. How a table's history
tells each of them in a sentence is ``history.describe``.
"""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    # actions/figures.py
    "budget.figure.set": _("Belopp ändrades"),
    "budget.import": _("Fil lästes in"),
    # actions/planning.py
    "budget.reallocate": _("Belopp omfördelades"),
    "budget.frame.create": _("Nästa års ram skapades"),
    "budget.table.settle": _("Tabellen fastställdes"),
    "budget.table.delete": _("Utkastet togs bort"),
    # actions/mapping.py
    "budget.mapping.save": _("Mappningsregel sparades"),
    "budget.mapping.delete": _("Mappningsregel togs bort"),
    # load.py, and actions/loading.py (as the person accepting a plan document's proposal)
    "budget.load": _("Tabellen lästes in från datafil"),
}
