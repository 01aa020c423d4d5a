"""People with tasks for the reminder tests: a test provider in the real task registry."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager

from uppsikt.tasks import registry
from uppsikt.tasks.registry import Task

from .builders import load_minimal, user_with_role

SITE = "https://uppsikt.example.se"
NAME = "test.reminders"


@contextmanager
def tasks_given(tasks: dict[str, list[Task]]) -> Iterator[dict[str, list[Task]]]:
    """Register a provider that gives each username the tasks in ``tasks`` (changeable while
    it is registered); removed from the registry afterwards."""

    def provider(user, today):
        return list(tasks.get(user.get_username(), []))

    registry.register(NAME, provider)
    try:
        yield tasks
    finally:
        registry.providers._entries.pop(NAME, None)


def task(number: int, due: datetime.date | None, *, unit: str = "Styrelsen") -> Task:
    return Task(
        key=f"test.write:{number}",
        kind="write",
        title=f"Uppföljning nummer {number}",
        url=f"/uppfoljning/0099/test/{number}/",
        due=due,
        unit_name=unit,
    )


def person(username: str, *, email: bool = True):
    """A rapportör on the minimal region's root with (or without) an e-mail address."""
    from uppsikt.organisations.models import Unit

    if not Unit.objects.exists():
        load_minimal()
    user = user_with_role(username, "rapportor")
    user.first_name = username.capitalize()
    user.email = f"{username}@example.se" if email else ""
    user.save()
    return user
