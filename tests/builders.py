"""Small builders for test data, made through the real loader or the models' own fields."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from uppsikt.interchange.load import load_data, load_file

ROOT = Path(__file__).resolve().parent.parent
DEMO_FILE = ROOT / "demo" / "region-orebro-lan.yaml"
# Regionstyrelsen's decided 2023 plan in the demo file.
RS_TITLE = "Regionstyrelsens verksamheter, Verksamhetsplan med budget 2023"


def demo_load_steps() -> list[list[str]]:
    """The `uppsikt` commands that `make demo` loads the demo with (``uppsikt load_demo``),
    in order, so tests load the demo exactly as `make demo` does."""
    from uppsikt.portal.demo_steps import DEMO_STEPS

    return [list(step) for step in DEMO_STEPS]


@contextmanager
def trail_untouched() -> Iterator[None]:
    """Set-up, not a change under test: the audit events written inside (the loader writes
    the plans through the actions, which record every object) are taken out again and the
    chain's head put back, so tests count and verify only their own events. For fixtures
    only; tests of what a load records call the loader outside it."""
    from uppsikt.audit.models import AuditEvent, ChainHead
    from uppsikt.plans.models import PlanEvent

    head = ChainHead.objects.filter(pk=1).values_list("last_sequence", "last_hash").first()
    yield
    events = AuditEvent.objects.filter(sequence__gt=head[0] if head else 0)
    PlanEvent.objects.filter(event__in=events).delete()
    events._raw_delete(events.db)  # the model refuses deletes: the trail is append-only
    if head is None:
        ChainHead.objects.all().delete()
    else:
        ChainHead.objects.filter(pk=1).update(last_sequence=head[0], last_hash=head[1])


def load_demo() -> dict[str, int]:
    with trail_untouched():  # fixtures: tests count their own events
        return load_file(DEMO_FILE, audit=False)


def minimal_data(goal_count: int = 1, *, status: str = "beslutad") -> dict:
    """A valid file with one organisation, two units and one plan of ``goal_count`` goals."""
    return {
        "format": "uppsikt/1",
        "organisations": [
            {
                "code": "0099",
                "name": "Region Test",
                "kind": "region",
                "units": [
                    {
                        "slug": "fullmaktige",
                        "name": "Regionfullmäktige",
                        "kind": "fullmaktige",
                        "units": [
                            {"slug": "styrelsen", "name": "Regionstyrelsen", "kind": "styrelse"}
                        ],
                    }
                ],
            }
        ],
        "plans": [
            {
                "id": "plan",
                "organisation": "0099",
                "unit": "styrelsen",
                "year": 2023,
                "title": "Testplan 2023",
                "status": status,
                "blocks": [
                    {
                        "perspective": {
                            "name": "Invånare och samhälle",
                            "goals": [
                                {
                                    "kind": "effektmal",
                                    "number": str(number),
                                    "text": f"Effektmål nummer {number}",
                                    "indicators": [
                                        {"text": f"Indikator {number}a"},
                                        {"text": f"Indikator {number}b"},
                                    ],
                                }
                                for number in range(1, goal_count + 1)
                            ],
                        }
                    }
                ],
            }
        ],
    }


def load_minimal(goal_count: int = 1, **kwargs) -> dict[str, int]:
    with trail_untouched():
        return load_data(minimal_data(goal_count, **kwargs), audit=False)


def user_with_role(
    username: str, role: str | None = "planerare", unit=None, *, password: str = "x-test-pass-1"
):
    """A user holding ``role`` on ``unit`` (a Unit or slug; default: every root unit).

    The role is stored directly, as set-up, not through ``grant_role``: tests of the
    audit trail should see only the changes they make.
    """
    from django.contrib.auth import get_user_model

    from uppsikt.accounts.models import RoleAssignment
    from uppsikt.organisations.models import Unit

    user = get_user_model().objects.create_user(username, password=password)
    if role is None:
        return user
    if unit is None:
        units = list(Unit.objects.filter(parent__isnull=True))
    elif isinstance(unit, str):
        units = list(Unit.objects.filter(slug=unit))
    else:
        units = [unit]
    assert units, f"no unit {unit!r} to give the role on"
    for target in units:
        RoleAssignment.objects.create(user=user, unit=target, role=role)
    return user


def run_queued_jobs() -> None:
    """Run every queued background task (every queue) with the real database worker."""
    from django.core.management import call_command

    call_command(
        "db_worker",
        "--batch",
        "--no-startup-delay",
        "--interval",
        "0",
        "--queue-name",
        "*",
        verbosity=0,
    )


def two_planner_clients():
    """Anna (Ek) and Bo, both planerare of styrelsen, each signed in in a session of their
    own: two people with the same page open."""
    from django.test import Client

    anna = user_with_role("anna", "planerare")
    anna.first_name, anna.last_name = "Anna", "Ek"
    anna.save()
    first, second = Client(), Client()
    first.force_login(anna)
    second.force_login(user_with_role("bo", "planerare"))
    return first, second
