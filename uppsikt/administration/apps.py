from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdministrationConfig(AppConfig):
    """Setting up organisations and their unit trees: write actions that need both the
    organisation register (``organisations``) and the rights to change it (``accounts``)."""

    name = "uppsikt.administration"
    verbose_name = _("Administration")

    def ready(self) -> None:
        from uppsikt.audit import vocabulary

        from .audit_actions import ACTIONS

        vocabulary.declare(self.label, ACTIONS)

        from uppsikt.organisations.pages import Panel, organisation_panels

        from .branding_views import profile_panel
        from .styrmodell import styrmodell_panel

        organisation_panels.register(
            "branding", Panel("administration/branding_panel.html", profile_panel), order=90
        )
        organisation_panels.register(
            "styrmodell", Panel("administration/styrmodell_panel.html", styrmodell_panel), order=80
        )
