from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "uppsikt.indicators"
    verbose_name = _("Indikatorer")

    def ready(self) -> None:
        from uppsikt.followup.statuses import register as register_status
        from uppsikt.plans.actions.versions import copy_hooks
        from uppsikt.plans.page import goal_page, plan_page

        from .actions import copy_targets
        from .followup import GOAL_STATUS, goal_status_choices
        from .presentation import goal_page_assessments, plan_page_assessments

        plan_page.register("assessments", plan_page_assessments, order=10)
        goal_page.register("assessments", goal_page_assessments, order=10)
        copy_hooks.register("indicator-targets", copy_targets)

        from uppsikt.plans.impact import removal_impact
        from uppsikt.plans.page import indicator_links

        from .impact import impact

        removal_impact.register("indicators", impact)
        from .presentation import editor_target_link

        indicator_links.register("target", editor_target_link, order=10)
        # A goal's status in a follow-up is its assessment, not a copy kept on the entry.
        # Its statuses are the steps of the goal's organisation's assessment scale.
        register_status("plans.goal", goal_status_choices, source=GOAL_STATUS)
        # Assessments hold the scale's keys: counted and moved when a styrmodell changes.
        from .scale import register_key_user

        register_key_user()
        # Values by hand: fields in the goal's follow-up entry, final once the report is approved.
        from uppsikt.followup import extras
        from uppsikt.followup.actions.reports import report_approved

        from .followup_values import build_value_parts
        from .manual import finalise_on_approval

        extras.register("indicator-values", build_value_parts)
        report_approved.connect(finalise_on_approval, dispatch_uid="indicators-finalise-values")
        # Derived indicators follow their inputs' imported values (``derived.py``).
        from .importers.core import values_changed
        from .tasks import on_values_changed

        values_changed.connect(on_values_changed, dispatch_uid="indicators-recompute-derived")

        from uppsikt.audit import presentation, vocabulary

        from .audit_actions import ACTIONS
        from .authoring import AUDIT_FIELDS, audit_labels

        vocabulary.declare(self.label, ACTIONS)
        presentation.register_formats("indicator_target.", AUDIT_FIELDS)
        presentation.register_labels("indicator_target.", audit_labels())
