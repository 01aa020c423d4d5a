from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "uppsikt.portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from uppsikt.lib import pagecache

        # Any change to stored content makes the kept public pages old (lib/pagecache.py).
        pagecache.connect()
