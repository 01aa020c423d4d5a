from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "uppsikt.plans"
    verbose_name = _("Planer")

    def ready(self) -> None:
        from uppsikt.audit.admin_site import EditLock, register_lock
        from uppsikt.organisations.pages import Panel, organisation_panels, unit_panels
        from uppsikt.plans.rules import ensure_editable_content, is_locked

        from .given import plan_page_given, unit_given
        from .page import plan_page
        from .panels import organisation_plans, unit_plans
        from .search import register_sqlite_functions
        from .threads import AUDIT_FIELDS as REVIEW_FIELDS
        from .threads import plan_page_review

        # A decided plan's content is read-only in the admin too.
        register_lock(EditLock(is_locked=is_locked, ensure_editable=ensure_editable_content))

        connection_created.connect(
            register_sqlite_functions, dispatch_uid="uppsikt_fold_case_sqlite"
        )
        unit_panels.register("plans", Panel("plans/unit_plans_panel.html", unit_plans), order=10)
        unit_panels.register(
            "given_assignments", Panel("plans/unit_given_panel.html", unit_given), order=11
        )
        organisation_panels.register(
            "plans", Panel("plans/organisation_plans_panel.html", organisation_plans), order=10
        )

        plan_page.register("review", plan_page_review, order=40)
        plan_page.register("given_assignments", plan_page_given, order=45)

        from uppsikt.tasks import registry

        from .todo import assignments_given, plans_to_decide

        registry.register("plans.assignment", assignments_given)
        registry.register("plans.decide", plans_to_decide)

        from uppsikt.audit import presentation, vocabulary

        from .audit_actions import ACTIONS
        from .creation_forms import AUDIT_FIELDS as CREATE_FIELDS
        from .creation_forms import AUDIT_LABELS as CREATE_LABELS

        vocabulary.declare(self.label, ACTIONS)

        # Goals hold a level of the organisation's styrmodell: count and move them for it.
        from uppsikt.governance import usage

        from .content_kinds import count_content_kinds
        from .levels import count_goal_kinds, move_goal_kinds

        usage.register(
            usage.LEVELS, usage.KeyUser(label="mål", count=count_goal_kinds, move=move_goal_kinds)
        )
        # Parts by content kind: a styrmodell that stops using a kind in use is refused.
        usage.register(usage.KINDS, usage.KeyUser(label="delar", count=count_content_kinds))
        presentation.register_formats("plan.review", REVIEW_FIELDS)
        presentation.register_formats("plan.create", CREATE_FIELDS)
        presentation.register_labels("plan.create", CREATE_LABELS)
