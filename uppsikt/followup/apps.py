from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "uppsikt.followup"
    verbose_name = _("Uppföljning")

    def ready(self) -> None:
        from .statuses import WorkStatus, register

        register("plans.assignment", WorkStatus)
        register("plans.activity", WorkStatus)
