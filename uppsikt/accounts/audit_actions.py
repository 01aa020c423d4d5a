"""The action names the accounts app records in the audit trail, with their labels.

Declared in ``AccountsConfig.ready``; see ``uppsikt.audit.vocabulary``.
"""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    # actions.py
    "role.grant": _("Roll gavs"),
    "role.revoke": _("Roll togs tillbaka"),
    # oidc.py and the oidc_link command
    "account.oidc_link": _("Inloggning via identitetsleverantören kopplades"),
}
