"""Every change to a plan goes through a function here, inside one transaction."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from .models import Goal

GOAL_FIELDS = ("kind", "number", "text", "description")


@transaction.atomic
def update_goal(goal: Goal, *, actor, **changes) -> Goal:
    """Change a goal's own fields; unknown fields are a programming error.

    >>> update_goal(goal, actor=user, text="Länets invånare har en god hälsa.")
    """
    if actor is None or not actor.is_staff:
        raise PermissionDenied("Endast planerare får ändra mål.")
    unknown = set(changes) - set(GOAL_FIELDS)
    if unknown:
        raise TypeError(f"update_goal() got unexpected fields: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(goal, name, value)
    goal.full_clean()
    goal.save(update_fields=list(changes) or None)
    goal.plan.save(update_fields=["updated_at"])
    return goal
