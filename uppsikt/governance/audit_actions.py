"""The action names the governance app records in the audit trail, with their labels."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "styrmodell.create": _("Styrmodell skapades"),
    "styrmodell.update": _("Styrmodell ändrades"),
}
