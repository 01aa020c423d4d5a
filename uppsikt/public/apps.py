from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "uppsikt.public"
    label = "public"
    verbose_name = _("Insyn")

    def ready(self) -> None:
        from uppsikt.audit import vocabulary
        from uppsikt.feedback.pages import public_frame
        from uppsikt.lib import findable
        from uppsikt.organisations.pages import Panel, organisation_panels

        from .audit_actions import ACTIONS
        from .edit_views import key_figures_panel
        from .navigation import FOOTER, SITE_MENU
        from .site import page
        from .sites import SITE_KINDS

        vocabulary.declare(self.label, ACTIONS)
        # The accessibility statement and the feedback pages in the residents' site's frame.
        public_frame.register("public", page)
        # The organisation page's link to its key figures, for its administrators.
        organisation_panels.register(
            "public-key-figures",
            Panel("public/key_figures_panel.html", key_figures_panel),
            order=95,
        )
        # The sitemap (portal.findable) lists each region's and kommun's site (no other
        # kind has one) and the footer's pages; read when asked, so entries other parts
        # of the site add later count too.
        findable.organisation_pages.register(
            "public",
            lambda kind: [name for _label, name, _area in SITE_MENU] if kind in SITE_KINDS else [],
        )
        findable.site_pages.register("public", lambda: [name for _label, name in FOOTER])
