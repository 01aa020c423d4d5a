from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KoladaConfig(AppConfig):
    name = "uppsikt.kolada"
    label = "kolada"
    verbose_name = _("Kolada")

    def ready(self) -> None:
        from uppsikt.audit import vocabulary
        from uppsikt.organisations.pages import Panel, organisation_panels

        from .audit_actions import ACTIONS
        from .views import sync_panel

        vocabulary.declare(self.label, ACTIONS)
        organisation_panels.register(
            "kolada-sync", Panel("kolada/sync_panel.html", sync_panel), order=85
        )
