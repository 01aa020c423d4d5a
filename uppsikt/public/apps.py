from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "uppsikt.public"
    label = "public"
    verbose_name = _("Insyn")

    def ready(self) -> None:
        from uppsikt.audit import vocabulary
        from uppsikt.organisations.pages import Panel, organisation_panels

        from .audit_actions import ACTIONS
        from .edit_views import key_figures_panel

        vocabulary.declare(self.label, ACTIONS)
        # The organisation page's link to its key figures, for its administrators.
        organisation_panels.register(
            "public-key-figures",
            Panel("public/key_figures_panel.html", key_figures_panel),
            order=95,
        )
