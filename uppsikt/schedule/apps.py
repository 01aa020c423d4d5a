from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScheduleConfig(AppConfig):
    """Årshjul: an organisation's planning and follow-up milestones over the year."""

    name = "uppsikt.schedule"
    verbose_name = _("Årshjul")

    def ready(self) -> None:
        from uppsikt.audit import vocabulary

        from .audit_actions import ACTIONS

        vocabulary.declare(self.label, ACTIONS)
