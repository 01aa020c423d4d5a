"""The action names the kolada app records in the audit trail, with their labels.

Declared in ``KoladaConfig.ready``; see ``uppsikt.audit.vocabulary``. A sync's values are
recorded by the import it goes through (``measurements.import``).
"""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    # catalogue.py
    "kolada.catalogue": _("Koladas KPI-katalog hämtades"),
    # sync.py
    "kolada.settings": _("Inställningarna för Kolada-synken ändrades"),
}
