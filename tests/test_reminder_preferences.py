"""Each person's choice of reminders: the page and the API, only one's own, audited."""

import pytest
from django.core.exceptions import PermissionDenied

from uppsikt.api.tokens import create_token
from uppsikt.audit.models import AuditEvent
from uppsikt.tasks.actions import mode_of, set_preference
from uppsikt.tasks.models import ReminderPreference

from .api_client import Caller
from .reminder_setup import person

pytestmark = pytest.mark.django_db
URL = "/konto/paminnelser/"


def test_immediate_until_one_chooses():
    anna = person("anna")
    assert mode_of(anna) == "immediate"


def test_choosing_on_the_page_is_saved_and_audited(client):
    anna = person("anna")
    client.force_login(anna)
    page = client.get(URL)
    assert page.status_code == 200
    assert 'value="immediate" checked' in page.content.decode()
    answer = client.post(URL, {"mode": "daily"})
    assert answer.status_code == 302
    assert mode_of(anna) == "daily"
    event = AuditEvent.objects.get(action="reminders.preference")
    assert event.actor == anna
    assert (event.before, event.after) == ({"mode": "immediate"}, {"mode": "daily"})
    assert 'value="daily" checked' in client.get(URL).content.decode()
    client.post(URL, {"mode": "daily"})  # the same again: nothing to record
    assert AuditEvent.objects.filter(action="reminders.preference").count() == 1


def test_an_unknown_choice_is_refused_and_changes_nothing(client):
    anna = person("anna")
    client.force_login(anna)
    answer = client.post(URL, {"mode": "weekly"})
    assert answer.status_code == 400
    assert "Välj ett av de tillåtna" in answer.content.decode()
    assert not ReminderPreference.objects.exists()
    assert not AuditEvent.objects.filter(action="reminders.preference").exists()


def test_the_page_needs_signing_in(client):
    assert client.get(URL).status_code == 302


def test_the_account_page_links_to_it(client):
    client.force_login(person("anna"))
    assert URL in client.get("/konto/").content.decode()


def test_nobody_sets_another_persons_choice_not_even_a_superuser():
    anna = person("anna")
    boss = person("boss")
    boss.is_superuser = True
    boss.save()
    with pytest.raises(PermissionDenied, match="bara ändra dina egna"):
        set_preference(anna, "off", actor=boss)
    assert mode_of(anna) == "immediate"
    assert not AuditEvent.objects.filter(action="reminders.preference").exists()


def _caller(client, user) -> Caller:
    return Caller(client, create_token(user, actor=user, name="test")[1])


def test_the_api_reads_and_sets_ones_own(client):
    anna = person("anna")
    api = _caller(client, anna)
    assert api.get("/reminder-preferences/me").json() == {"user": anna.pk, "mode": "immediate"}
    answer = api.send("put", f"/reminder-preferences/{anna.pk}", {"mode": "off"})
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"user": anna.pk, "mode": "off"}
    assert api.get(f"/reminder-preferences/{anna.pk}").json()["mode"] == "off"
    assert AuditEvent.objects.filter(action="reminders.preference").count() == 1


def test_the_api_refuses_another_persons_with_403_and_changes_nothing(client):
    anna, bo = person("anna"), person("bo")
    api = _caller(client, bo)
    answer = api.send("put", f"/reminder-preferences/{anna.pk}", {"mode": "off"})
    assert answer.status_code == 403
    body = answer.json()
    assert body["code"] == "forbidden" and "dina egna" in body["message"]
    assert api.get(f"/reminder-preferences/{anna.pk}").status_code == 403
    assert mode_of(anna) == "immediate"
    assert not AuditEvent.objects.filter(action="reminders.preference").exists()


def test_the_api_refuses_a_bad_body_and_no_token(client):
    anna = person("anna")
    api = _caller(client, anna)
    answer = api.send("put", f"/reminder-preferences/{anna.pk}", {"mode": "weekly"})
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "mode"
    assert Caller(client).get("/reminder-preferences/me").status_code == 401
    assert not ReminderPreference.objects.exists()
