"""The audit app's own action names: changes made in the Django admin (``admin_site.py``).

Declared in ``AuditConfig.ready``; see ``vocabulary``.
"""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "admin.create": _("Skapades i administrationen"),
    "admin.update": _("Ändrades i administrationen"),
    "admin.delete": _("Togs bort i administrationen"),
}
