from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "uppsikt.governance"
    label = "governance"
    verbose_name = _("Styrmodell")

    def ready(self) -> None:
        from uppsikt.audit import vocabulary

        from .audit_actions import ACTIONS

        vocabulary.declare(self.label, ACTIONS)
