from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "uppsikt.feedback"
    label = "feedback"
    verbose_name = _("Synpunkter och tillgänglighet")

    def ready(self) -> None:
        from uppsikt.audit import vocabulary
        from uppsikt.lib import pagecache
        from uppsikt.organisations.pages import Panel, organisation_panels

        from .audit_actions import ACTIONS
        from .queries import summary_panel

        vocabulary.declare(self.label, ACTIONS)
        # Residents' answers and reports are shown on no public page, and a flood of them
        # must not empty the page cache (lib/pagecache.py).
        pagecache.ignore_models("feedback.pageanswer", "feedback.accessibilityreport")
        # The link to the answers about an organisation's public pages, for its administrator.
        organisation_panels.register(
            "feedback-answers", Panel("feedback/summary_panel.html", summary_panel), order=90
        )
