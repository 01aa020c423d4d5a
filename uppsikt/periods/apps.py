from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeriodsConfig(AppConfig):
    name = "uppsikt.periods"
    verbose_name = _("Uppföljningstillfällen")

    def ready(self) -> None:
        from uppsikt.audit.trail import register_former_label

        # Events recorded before the model moved here from followup keep that label.
        register_former_label("periods.reportingperiod", "followup.reportingperiod")

        from uppsikt.audit import vocabulary

        from .audit_actions import ACTIONS

        vocabulary.declare(self.label, ACTIONS)
