from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterchangeConfig(AppConfig):
    """The data file (``uppsikt/1``): validation, loading and dumping, and the ``load`` and
    ``dump`` commands. No models of its own."""

    name = "uppsikt.interchange"
    verbose_name = _("Datafiler")

    def ready(self) -> None:
        from uppsikt.audit import vocabulary

        from .audit_actions import ACTIONS

        vocabulary.declare(self.label, ACTIONS)
