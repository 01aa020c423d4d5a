"""The action names the accounts app records in the audit trail, with their labels.

Declared in ``AccountsConfig.ready``; see ``uppsikt.audit.vocabulary``.
"""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    # actions.py
    "role.grant": _("Roll gavs"),
    "role.revoke": _("Roll togs tillbaka"),
    # invitations.py
    "invitation.send": _("Inbjudan skickades"),
    "invitation.withdraw": _("Inbjudan återkallades"),
    "invitation.accept": _("Inbjudan antogs"),
    # claim_roles.py
    "claim_role.create": _("Roll från inloggningen lades till"),
    "claim_role.delete": _("Roll från inloggningen togs bort"),
    "role.claim_grant": _("Roll gavs från inloggningen"),
    "role.claim_revoke": _("Roll från inloggningen togs tillbaka"),
    # oidc.py and the oidc_link command
    "account.oidc_link": _("Inloggning via identitetsleverantören kopplades"),
    # second_factor.py
    "account.totp_enable": _("Tvåstegsverifiering slogs på"),
    "account.totp_disable": _("Tvåstegsverifiering stängdes av"),
    "account.totp_reset": _("Tvåstegsverifiering återställdes av en driftansvarig"),
    "account.recovery_codes_regenerate": _("Nya reservkoder skapades"),
    "account.recovery_code_use": _("En reservkod användes vid inloggning"),
}
