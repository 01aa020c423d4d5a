from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "uppsikt.proposals"
    label = "proposals"
    verbose_name = _("Inläsning av plandokument")

    def ready(self) -> None:
        from uppsikt.audit import vocabulary
        from uppsikt.plans.page import plan_page

        from .audit_actions import ACTIONS
        from .views import source_document

        vocabulary.declare(self.label, ACTIONS)
        # A plan accepted from a document links to that document beside "Källa".
        plan_page.register("source_document", source_document, order=50)
