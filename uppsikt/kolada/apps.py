from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KoladaConfig(AppConfig):
    name = "uppsikt.kolada"
    label = "kolada"
    verbose_name = _("Kolada")

    def ready(self) -> None:
        from uppsikt.indicators.definition_panels import definition_panels, list_panels
        from uppsikt.organisations.pages import Panel

        from .panels import catalogue_link, definition_kpi

        # The catalogue's part of the indicator pages (catalogue_views.py, linking.py).
        definition_panels.register(
            "kolada", Panel("kolada/definition_panel.html", definition_kpi), order=10
        )
        list_panels.register("kolada", Panel("kolada/list_panel.html", catalogue_link), order=10)
