from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "uppsikt.reports"
    verbose_name = _("Rapporter")

    def ready(self) -> None:
        from uppsikt.followup.actions.reports import report_approved

        from . import sections
        from .build import freeze_on_approval

        report_approved.connect(freeze_on_approval, dispatch_uid="reports.freeze")
        from .content.budget import budget_sections
        from .content.goals import goal_sections
        from .content.intro import about_sections, intro_sections, vision_sections

        register = sections.register
        register("inledning", intro_sections, order=10, label=_("Inledning"))
        register("vision", vision_sections, order=20, per_unit=False, label=_("Vision"))
        register("mal", goal_sections, order=30, label=_("Mål och uppdrag"))
        register("budget", budget_sections, order=40, label=_("Budget"))
        register("om-rapporten", about_sections, order=90, per_unit=False, label=_("Om rapporten"))

        from uppsikt.followup.statuses import BudgetStatus, WorkStatus

        from .content.goals import goal_legend
        from .content.intro import KIND_WORDS

        for label, words in KIND_WORDS.items():
            sections.register_kind(label, words)
        sections.register_legend("mal", _("Mål"), goal_legend, order=10)
        sections.register_legend(
            "arbete", _("Uppdrag, aktiviteter och åtgärder"), WorkStatus, order=20
        )
        sections.register_legend("budget", _("Budget"), BudgetStatus, order=40)

        from uppsikt.audit import vocabulary

        from .audit_actions import ACTIONS

        vocabulary.declare(self.label, ACTIONS)
