"""The action names the public site records in the audit trail, with their labels.

Declared in ``PublicConfig.ready``; see ``uppsikt.audit.vocabulary``.
"""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    # actions.py
    "public.key_figures": _("Nyckeltalen på den publika webbplatsen ändrades"),
}
