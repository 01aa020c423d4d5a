"""What each person must do, gathered from the apps that own the work.

An app registers a provider from its ``AppConfig.ready``::

    from uppsikt.tasks import registry

    def followups_to_write(user, today):
        for ...:
            yield registry.Task(key=f"followup.write:{period.pk}:{unit.pk}", kind="write", ...)

    registry.register("followup.write", followups_to_write)

A provider is ``(user, today) -> iterable of Task`` and returns only the user's own tasks
(what their roles and assignments make theirs). ``tasks_for`` asks every provider and sorts:
overdue first, then by deadline, then those without one.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from uppsikt.lib.registry import Registry

KINDS = {
    "write": _("Skriva uppföljning"),
    "review": _("Granska rapport"),
    "assignment": _("Uppdrag till enheten"),
    "measure": _("Åtgärd i internkontrollen"),
    "decide": _("Plan att besluta"),
    "returned": _("Återförd rapport"),
}


@dataclass(frozen=True)
class Task:
    """One thing one person must do.

    ``key`` is stable for the same piece of work (period, unit, object …) so a reminder about
    it is sent once (``tasks.models``); ``url`` is the form's path on this site.
    """

    key: str
    kind: str
    title: str
    url: str
    due: datetime.date | None = None
    unit_name: str = ""
    detail: str = ""
    organisation_id: int | None = None
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def kind_label(self) -> str:
        return str(KINDS.get(self.kind, self.kind))

    def is_overdue(self, today: datetime.date) -> bool:
        return self.due is not None and self.due < today

    def days_left(self, today: datetime.date) -> int | None:
        return None if self.due is None else (self.due - today).days


Provider = Callable[[object, datetime.date], Iterable[Task]]
providers: Registry[Provider] = Registry("tasks")


def register(name: str, provider: Provider) -> None:
    providers.register(name, provider)


def today() -> datetime.date:
    return timezone.localdate()


def sort_key(task: Task, on: datetime.date) -> tuple:
    if task.due is None:
        return (2, datetime.date.max, task.title)
    return (0 if task.is_overdue(on) else 1, task.due, task.title)


def tasks_for(user, on: datetime.date | None = None) -> list[Task]:
    """Every task of ``user``: overdue first, then by deadline, those without one last."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    on = on or today()
    found: dict[str, Task] = {}
    for provider in providers:
        for task in provider(user, on):
            found.setdefault(task.key, task)
    return sorted(found.values(), key=lambda task: sort_key(task, on))
