from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "uppsikt.proposals"
    label = "proposals"
    verbose_name = _("Inläsning av plandokument")

    def ready(self) -> None:
        from uppsikt.audit import vocabulary

        from .audit_actions import ACTIONS

        vocabulary.declare(self.label, ACTIONS)
