from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "uppsikt.followup"
    verbose_name = _("Uppföljning")

    def ready(self) -> None:
        from . import scope
        from .goals import GOAL_STATUS
        from .providers import budget_items, plan_items
        from .statuses import BudgetStatus, WorkStatus, register

        register("plans.assignment", WorkStatus)
        register("plans.activity", WorkStatus)
        register("budget.budgettable", BudgetStatus)
        # A goal's status is its assessment (indicators), not a copy kept on the entry.
        from uppsikt.indicators.models import Status as AssessmentStatus

        register("plans.goal", AssessmentStatus, source=GOAL_STATUS)
        scope.register("plan", plan_items)
        scope.register("budget", budget_items)

        from uppsikt.audit import vocabulary

        from .audit_actions import ACTIONS

        vocabulary.declare(self.label, ACTIONS)
