"""Values by hand in the follow-up form (without JavaScript), on the indicator page and
through the REST API (issue 14.8)."""

from __future__ import annotations

import re

import pytest

from uppsikt.api.tokens import create_token
from uppsikt.audit.models import AuditEvent
from uppsikt.followup.models import FollowUp
from uppsikt.indicators.manual import enter_values
from uppsikt.indicators.models import Assessment, Forecast, Measurement

from .api_client import Caller
from .builders import user_with_role
from .manual_setup import manual_setting

pytestmark = pytest.mark.django_db
FORM = "/uppfoljning/0099/2023-delarsrapport/styrelsen/"


@pytest.fixture
def by_hand_pages(db):
    return manual_setting()


def _fields(page: str) -> dict[str, str]:
    """Every text field and textarea of the page as shown (what a browser posts)."""
    data = {}
    for name, value in re.findall(r'<textarea name="([^"]+)"[^>]*>\n?(.*?)</textarea>', page, re.S):
        data[name] = value
    for attrs in re.findall(r"<input ([^>]*)>", page):
        name = re.search(r'name="([^"]+)"', attrs)
        kind = re.search(r'type="([^"]+)"', attrs)
        if name and kind and kind.group(1) in ("text", "hidden"):
            value = re.search(r'value="([^"]*)"', attrs)
            data[name.group(1)] = value.group(1) if value else ""
    return {k: v for k, v in data.items() if k != "csrfmiddlewaretoken"}


def test_the_reporter_enters_values_in_the_form_and_sees_them_preliminary(client, by_hand_pages):
    client.force_login(by_hand_pages.reporter)
    page = client.get(FORM).content.decode()
    share = by_hand_pages.share.pk
    prefix = f"v{by_hand_pages.goal.pk}-{share}"
    for name in ("total", "women", "men", "forecast"):
        assert f'name="{prefix}-{name}"' in page
    assert f'<label for="id_{prefix}-women">Värde kvinnor, Andel utbildade medarbetare</label>' in (
        page
    )
    assert (
        f'name="v{by_hand_pages.goal.pk}-{by_hand_pages.visits.pk}-women"' not in page
    )  # not per kön
    assert "Omdöme" not in page  # qualitative: no figure to enter
    data = _fields(page) | {
        f"{prefix}-total": "85,5",
        f"{prefix}-women": "88",
        f"{prefix}-men": "83",
        f"{prefix}-forecast": "90",
    }
    response = client.post(FORM, data)
    assert response.status_code == 302
    stored = Measurement.objects.get(definition__key="utbildade", gender="T")
    assert (str(stored.value), stored.status, stored.entered_by) == (
        "85.5000",
        "preliminar",
        by_hand_pages.reporter,
    )
    page = client.get(FORM).content.decode()
    assert "Sparat värde: 85,5\xa0%" in page
    assert "preliminärt" in page and "inmatat för hand av rapportor" in page
    assert 'value="85,5"' in page and "Helårsprognos: 90,0\xa0%" in page
    proposal = Assessment.objects.get(goal=by_hand_pages.goal, period="2023-07")
    assert proposal.proposed_status == "uppfyllt"
    said = "Förslaget bygger på helårsprognoser inmatade för hand."
    assert said in proposal.proposed_reason and said in page  # the entry shows the proposal


def test_a_bad_value_is_named_in_the_summary_and_nothing_is_saved(client, by_hand_pages):
    client.force_login(by_hand_pages.reporter)
    page = client.get(FORM).content.decode()
    goal = by_hand_pages.goal.pk
    prefix = f"v{goal}-{by_hand_pages.share.pk}"
    events = AuditEvent.objects.count()
    data = _fields(page) | {
        f"f-goal-{goal}-comment": "Värdet kommer från personalsystemet.",
        f"{prefix}-total": "85.5",
        f"{prefix}-forecast": "120",
    }
    response = client.post(FORM, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="alert"' in page
    assert "Värde totalt: " in page and "Helårsprognos: 120,0" in page
    assert 'class="field-error"' in page
    assert not Measurement.objects.filter(definition__key="utbildade").exists()
    assert not Forecast.objects.exists()
    assert FollowUp.objects.get(object_id=goal, content_type__model="goal").comment == ""
    assert AuditEvent.objects.count() == events


def test_others_see_the_values_without_fields(client, by_hand_pages):
    enter_values(
        by_hand_pages.share, by_hand_pages.period, actor=by_hand_pages.reporter, total="70"
    )
    client.force_login(user_with_role("annan", "rapportor", "styrelsen"))
    page = client.get(FORM).content.decode()
    assert "Sparat värde: 70,0\xa0%" in page and "preliminärt" in page
    assert f'name="v{by_hand_pages.goal.pk}-{by_hand_pages.share.pk}-total"' not in page


def test_the_indicator_page_marks_the_value_preliminary(client, by_hand_pages):
    enter_values(
        by_hand_pages.share, by_hand_pages.period, actor=by_hand_pages.reporter, total="70"
    )
    definition = by_hand_pages.share.definition
    page = client.get(f"/indikatorer/{definition.pk}/").content.decode()
    assert "2023-07" in page and "(preliminärt)" in page


# -- the API -----------------------------------------------------------------------------------


def _caller(client, user) -> Caller:
    return Caller(client, create_token(user, actor=user, name="test")[1])


def test_values_by_hand_through_the_api(client, by_hand_pages):
    api = _caller(client, by_hand_pages.reporter)
    body = {
        "indicator": by_hand_pages.share.indicator_id,
        "period": by_hand_pages.period.pk,
        "total": "85.5",
        "women": "88",
        "men": "83,5",
        "forecast": 90,
    }
    response = api.send("post", "/measurements/by-hand", body)
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["changed"] is True
    assert [(m["gender"], m["value"], m["status"]) for m in answer["measurements"]] == [
        ("K", "88.0000", "preliminar"),
        ("M", "83.5000", "preliminar"),
        ("T", "85.5000", "preliminar"),
    ]
    assert answer["forecast"] == {"period": "2023-07", "value": "90.0000", "status": "preliminar"}
    assert answer["proposal"]["preliminary"] is True
    assert "inmatade för hand" in answer["proposal"]["reason"]


def test_api_refusals_are_coded_and_change_nothing(client, by_hand_pages):
    api = _caller(client, by_hand_pages.reporter)
    events = AuditEvent.objects.count()
    base = {"indicator": by_hand_pages.share.indicator_id, "period": by_hand_pages.period.pk}
    response = api.send(
        "post", "/measurements/by-hand", base | {"total": "sjuttio", "forecast": "101"}
    )
    assert response.status_code == 409
    codes = {(e["field"], e["code"]) for e in response.json()["errors"]}
    assert codes == {("total", "bad_number"), ("forecast", "unit_mismatch")}
    response = api.send(
        "post",
        "/measurements/by-hand",
        base | {"indicator": by_hand_pages.visits.indicator_id, "men": "4", "total": "9"},
    )
    assert (response.status_code, response.json()["errors"][0]["code"]) == (409, "not_by_gender")
    other = _caller(client, user_with_role("annan", "rapportor", "styrelsen"))
    response = other.send("post", "/measurements/by-hand", base | {"total": "50"})
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    response = api.send("post", "/measurements/by-hand", base | {"period": 999999, "total": "5"})
    assert response.status_code == 404 and response.json()["errors"][0]["field"] == "period"
    assert not Measurement.objects.filter(definition__key="utbildade").exists()
    assert not Forecast.objects.exists()
    assert (
        AuditEvent.objects.filter(action__in=["measurement.enter", "forecast.enter"]).count() == 0
    )
    assert AuditEvent.objects.count() >= events
