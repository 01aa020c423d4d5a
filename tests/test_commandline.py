"""The command line acts as a saved system account that holds every right and cannot sign in."""

from io import StringIO

import pytest
import yaml
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command

from uppsikt.accounts.access import EVERYWHERE, Perm, can, units_with
from uppsikt.accounts.commandline import (
    COMMAND_LINE,
    command_actor,
    command_line_user,
    is_command_line,
)
from uppsikt.audit.models import AuditEvent
from uppsikt.organisations.models import Unit

from .builders import load_minimal, minimal_data

pytestmark = pytest.mark.django_db


def test_the_command_line_is_one_saved_account_that_cannot_sign_in():
    actor = command_line_user()
    assert actor.pk is not None and actor.username == COMMAND_LINE
    assert command_line_user().pk == actor.pk  # made once, then found
    assert not actor.is_active and not actor.has_usable_password()
    assert not actor.is_staff and not actor.is_superuser
    assert authenticate(username=COMMAND_LINE, password="") is None
    assert get_user_model().objects.filter(username=COMMAND_LINE).count() == 1


def test_the_command_line_holds_every_right_but_its_account_read_back_holds_none():
    load_minimal()
    unit = Unit.objects.first()
    actor = command_line_user()
    assert is_command_line(actor) and command_actor(None).pk == actor.pk
    assert units_with(actor, Perm.ADMIN) is EVERYWHERE
    assert can(actor, Perm.PLAN, unit) and can(actor, Perm.ADMIN, None)
    stored = get_user_model().objects.get(pk=actor.pk)
    assert not is_command_line(stored) and not can(stored, Perm.VIEW, unit)
    by_name = command_actor(COMMAND_LINE)  # --user kommandorad is the plain account
    assert not is_command_line(by_name) and not units_with(by_name, Perm.VIEW)


def test_a_signed_in_session_of_the_account_is_not_honoured(client):
    client.force_login(command_line_user())
    assert client.get("/konto/api-nycklar/").status_code == 302  # back to the login page


def test_a_load_from_the_command_line_names_the_account_in_the_trail(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(minimal_data(1), allow_unicode=True), "utf-8")
    call_command("load", str(path), stdout=StringIO(), stderr=StringIO())
    account = get_user_model().objects.get(username=COMMAND_LINE)
    events = AuditEvent.objects.all()
    assert events and all(e.actor_id == account.pk for e in events)
    assert {e.actor_name for e in events} == {COMMAND_LINE}


def test_an_account_of_that_name_that_can_sign_in_is_refused():
    get_user_model().objects.create_user(COMMAND_LINE, password="x-test-pass-1")
    with pytest.raises(CommandError, match="systemkonto"):
        command_line_user()
