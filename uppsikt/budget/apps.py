from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    name = "uppsikt.budget"
    verbose_name = _("Budget")

    def ready(self) -> None:
        from uppsikt.audit import presentation, vocabulary

        from .audit_actions import ACTIONS
        from .history import AUDIT_FIELDS

        vocabulary.declare(self.label, ACTIONS)
        presentation.register_formats("budget.", AUDIT_FIELDS)
