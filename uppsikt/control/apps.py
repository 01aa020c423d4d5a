from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ControlConfig(AppConfig):
    name = "uppsikt.control"
    verbose_name = _("Intern styrning och kontroll")

    def ready(self) -> None:
        from uppsikt.followup.statuses import WorkStatus, register

        register("control.measure", WorkStatus)
