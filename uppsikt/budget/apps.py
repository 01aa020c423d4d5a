from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    name = "uppsikt.budget"
    verbose_name = _("Budget")

    def ready(self) -> None:
        from uppsikt.audit import presentation, vocabulary
        from uppsikt.followup import scope
        from uppsikt.followup.statuses import BudgetStatus
        from uppsikt.followup.statuses import register as register_status
        from uppsikt.plans.diff import ExtraKind, extra_kinds
        from uppsikt.plans.page import plan_page

        from .audit_actions import ACTIONS
        from .document import attach_budget_tables
        from .followup import budget_items as followed_up_tables
        from .history import AUDIT_FIELDS
        from .plandiff import budget_items

        vocabulary.declare(self.label, ACTIONS)
        presentation.register_formats("budget.", AUDIT_FIELDS)
        plan_page.register("budget", attach_budget_tables, order=20)
        extra_kinds.register(
            "budget_row",
            ExtraKind(_("Budgetrader"), budget_items, {"budget": _("Budget")}),
        )
        register_status("budget.budgettable", BudgetStatus)
        scope.register("budget", followed_up_tables)

        from uppsikt.followup.todo import work_finders

        from .followup import budget_work

        work_finders.register("budget", budget_work)
