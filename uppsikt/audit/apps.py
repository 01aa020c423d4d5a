from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "uppsikt.audit"
    verbose_name = _("Spårbarhet")

    def ready(self) -> None:
        from . import vocabulary
        from .audit_actions import ACTIONS

        vocabulary.declare(self.label, ACTIONS)
