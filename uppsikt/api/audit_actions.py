"""The action names the API app records in the audit trail, with their labels.

Declared in ``ApiConfig.ready``; see ``uppsikt.audit.vocabulary``.
"""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    # tokens.py
    "apitoken.create": _("API-nyckel skapades"),
    "apitoken.revoke": _("API-nyckel återkallades"),
}
