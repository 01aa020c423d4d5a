from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "uppsikt.public"
    label = "public"
    verbose_name = _("Insyn")

    def ready(self) -> None:
        from uppsikt.lib import findable

        from .navigation import FOOTER, SITE_MENU

        # The sitemap (portal.findable) lists each organisation's site and the footer's
        # pages; read when asked, so entries other parts of the site add later count too.
        findable.organisation_pages.register(
            "public", lambda: [name for _label, name, _area in SITE_MENU]
        )
        findable.site_pages.register("public", lambda: [name for _label, name in FOOTER])
