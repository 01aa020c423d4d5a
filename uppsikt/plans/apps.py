from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "uppsikt.plans"
    verbose_name = _("Planer")

    def ready(self) -> None:
        from .search import register_sqlite_functions

        connection_created.connect(
            register_sqlite_functions, dispatch_uid="uppsikt_fold_case_sqlite"
        )

        from uppsikt.audit import vocabulary

        from .audit_actions import ACTIONS

        vocabulary.declare(self.label, ACTIONS)
