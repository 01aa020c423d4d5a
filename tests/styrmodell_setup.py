"""What the styrmodell's tests share: goals counted as users of a goal level's key."""

from __future__ import annotations

from collections import Counter

import pytest

from uppsikt.governance import usage
from uppsikt.plans.models import Goal


@pytest.fixture
def goals_counted():
    """Goals hold a goal level's key: ``plans`` registers them with ``governance.usage``;
    until it does on this branch, the test registers the same count and move itself."""
    if usage.users(usage.LEVELS):
        yield
        return

    def count(organisation_id):
        goals = Goal.objects.filter(plan__unit__organisation_id=organisation_id)
        return Counter(goals.values_list("kind", flat=True))

    def move(organisation_id, mapping, *, actor):
        goals = Goal.objects.filter(plan__unit__organisation_id=organisation_id)
        return sum(goals.filter(kind=old).update(kind=new) for old, new in mapping.items())

    user = usage.KeyUser("mål", count, move)
    usage.register(usage.LEVELS, user)
    yield
    usage._USERS[usage.LEVELS].remove(user)
