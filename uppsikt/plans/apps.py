from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "uppsikt.plans"
    verbose_name = _("Planer")

    def ready(self) -> None:
        from .search import fold_case_sqlite

        connection_created.connect(fold_case_sqlite, dispatch_uid="uppsikt_fold_case_sqlite")
