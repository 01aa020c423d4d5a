from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ControlConfig(AppConfig):
    name = "uppsikt.control"
    verbose_name = _("Intern styrning och kontroll")

    def ready(self) -> None:
        from uppsikt.control.actions.followup import check_followup
        from uppsikt.followup import scope
        from uppsikt.followup.actions.entries import register_check
        from uppsikt.followup.statuses import WorkStatus, register
        from uppsikt.organisations.pages import Panel, unit_panels
        from uppsikt.plans.page import plan_page
        from uppsikt.reports import sections

        from .attachments import attach_control_plan, unit_plan_links
        from .models import Sufficiency
        from .report import LEGEND_GROUP, SUFFICIENCY_SYMBOLS, control_sections, count_words
        from .scope import ORDER, control_items

        # Åtgärder are followed up with the shared entries: WorkStatus, one entry per
        # period, åtgärd and reporting unit (each nämnd its own for region-wide ones).
        register("control.measure", WorkStatus)
        register_check("control.measure", check_followup)
        scope.register("control", control_items)
        sections.register(
            "control", control_sections, order=ORDER, label=_("Intern styrning och kontroll")
        )
        sections.register_kind("control.measure", count_words)
        sections.register_legend(
            "isk", LEGEND_GROUP, Sufficiency, order=50, symbols=SUFFICIENCY_SYMBOLS
        )
        unit_panels.register(
            "control",
            Panel(
                "control/unit_control_panel.html",
                lambda unit, user: {"control_plans": unit_plan_links(unit, user)},
            ),
            order=20,
        )
        plan_page.register("control", attach_control_plan, order=30)

        from uppsikt.followup import todo as followup_todo
        from uppsikt.tasks import registry

        from .todo import control_work, measures_due

        followup_todo.claim("control.measure")  # its entries are listed as åtgärder
        followup_todo.work_finders.register("control", control_work)
        registry.register("control.measure", measures_due)

        from uppsikt.audit import vocabulary

        from .audit_actions import ACTIONS

        vocabulary.declare(self.label, ACTIONS)
