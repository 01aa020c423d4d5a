from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KoladaConfig(AppConfig):
    name = "uppsikt.kolada"
    label = "kolada"
    verbose_name = _("Kolada")

    def ready(self) -> None:
        from uppsikt.audit import vocabulary
        from uppsikt.indicators.definition_panels import definition_panels, list_panels
        from uppsikt.organisations.pages import Panel, organisation_panels

        from .audit_actions import ACTIONS
        from .panels import catalogue_link, definition_kpi
        from .views import sync_panel

        vocabulary.declare(self.label, ACTIONS)
        # The sync's part of the organisation page (views.py).
        organisation_panels.register(
            "kolada-sync", Panel("kolada/sync_panel.html", sync_panel), order=85
        )
        # The catalogue's part of the indicator pages (catalogue_views.py, linking.py).
        definition_panels.register(
            "kolada", Panel("kolada/definition_panel.html", definition_kpi), order=10
        )
        list_panels.register("kolada", Panel("kolada/list_panel.html", catalogue_link), order=10)
