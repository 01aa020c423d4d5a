from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "uppsikt.indicators"
    verbose_name = _("Indikatorer")

    def ready(self) -> None:
        from uppsikt.plans.page import goal_page, plan_page
        from uppsikt.plans.versions import copy_hooks

        from .actions import copy_targets
        from .presentation import goal_page_assessments, plan_page_assessments

        plan_page.register("assessments", plan_page_assessments, order=10)
        goal_page.register("assessments", goal_page_assessments, order=10)
        copy_hooks.register("indicator-targets", copy_targets)
