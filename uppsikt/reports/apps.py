from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "uppsikt.reports"
    verbose_name = _("Rapporter")

    def ready(self) -> None:
        from . import sections
        from .content.budget import budget_sections
        from .content.goals import goal_sections
        from .content.intro import about_sections, intro_sections, vision_sections

        sections.register("inledning", intro_sections, order=10)
        sections.register("vision", vision_sections, order=20, per_unit=False)
        sections.register("mal", goal_sections, order=30)
        sections.register("budget", budget_sections, order=40)
        sections.register("om-rapporten", about_sections, order=90, per_unit=False)
