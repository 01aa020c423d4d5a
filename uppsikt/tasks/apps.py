from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    """Att göra: each person's tasks with their deadlines, and the reminders about them.

    The apps that own the work register what a person must do (``registry.register`` from
    their ``ready()``); this app lists it and reminds people of it.
    """

    name = "uppsikt.tasks"
    verbose_name = _("Att göra och påminnelser")

    def ready(self) -> None:
        from uppsikt.audit import vocabulary

        from .audit_actions import ACTIONS

        vocabulary.declare(self.label, ACTIONS)
