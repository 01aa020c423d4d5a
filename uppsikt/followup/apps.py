from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "uppsikt.followup"
    verbose_name = _("Uppföljning")

    def ready(self) -> None:
        from . import scope
        from .providers import given_items, plan_items
        from .statuses import WorkStatus, register

        # Goals (indicators), budget tables (budget) and åtgärder (control) are registered
        # by their own apps.
        register("plans.assignment", WorkStatus)
        register("plans.activity", WorkStatus)
        scope.register("plan", plan_items)
        scope.register("given", given_items)

        from uppsikt.plans.impact import removal_impact

        from .impact import followup_impact

        removal_impact.register("followup", followup_impact)

        from uppsikt.tasks import registry

        from . import todo

        registry.register("followup.entries", todo.entries_to_write)
        registry.register("followup.reports", todo.reports_to_write)
        registry.register("followup.returned", todo.reports_returned)
        registry.register("followup.review", todo.reports_to_review)
        todo.work_finders.register("plan", todo.plan_work)

        from uppsikt.audit import vocabulary

        from .audit_actions import ACTIONS

        vocabulary.declare(self.label, ACTIONS)
