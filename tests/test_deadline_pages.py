"""The "Sista dagar" page: read by those who read the follow-up, changed by an administrator,
plain forms without JavaScript; a refusal shows its message and changes nothing."""

import datetime

import pytest
from django.urls import reverse

from uppsikt.audit.models import AuditEvent
from uppsikt.organisations.models import Organisation, Unit
from uppsikt.periods.actions import close_period
from uppsikt.periods.models import ReportingPeriod, UnitDeadline

from .builders import load_minimal, user_with_role

pytestmark = pytest.mark.django_db
D = datetime.date
URL = "/uppfoljning/0099/2023-delarsrapport/sista-dagar/"


@pytest.fixture
def deadline_page_period():
    load_minimal()
    return ReportingPeriod.objects.create(
        organisation=Organisation.objects.get(code="0099"),
        year=2023,
        kind=ReportingPeriod.Kind.DELARSRAPPORT,
        name="Delårsrapport 2023",
        ends_on=D(2023, 7, 31),
        report_by=D(2023, 8, 14),
        review_by=D(2023, 8, 21),
    )


def _as(client, role, unit=None):
    client.force_login(user_with_role("u", role, unit))


def _state(period):
    period.refresh_from_db()
    return (
        period.report_by,
        period.review_by,
        list(UnitDeadline.objects.values_list("unit_id", "report_by", "review_by")),
        AuditEvent.objects.count(),
    )


def test_the_url_is_the_periods(deadline_page_period):
    assert reverse("followup:deadlines", args=["0099", "2023-delarsrapport"]) == URL


def test_a_reader_sees_the_deadlines_but_no_forms_and_may_not_post(client, deadline_page_period):
    _as(client, "lasare")
    html = client.get(URL).content.decode()
    assert "14 augusti 2023" in html and "21 augusti 2023" in html
    assert "Organisationens sista dagar" not in html
    before = _state(deadline_page_period)
    data = {"what": "period", "report_by": "2023-08-15", "review_by": ""}
    assert client.post(URL, data).status_code == 403
    assert _state(deadline_page_period) == before
    assert "14 augusti 2023" in client.get("/uppfoljning/0099/").content.decode()
    assert (
        "rapportering 14 augusti 2023"
        in client.get("/uppfoljning/0099/2023-delarsrapport/").content.decode()
    )


def test_outsiders_do_not_find_the_page(client, deadline_page_period):
    _as(client, None)
    assert client.get(URL).status_code == 404


def test_an_administrator_sets_the_organisations_and_a_units_deadlines(
    client, deadline_page_period
):
    _as(client, "administrator")
    assert "Organisationens sista dagar" in client.get(URL).content.decode()
    done = client.post(
        URL, {"what": "period", "report_by": "2023-08-15", "review_by": "2023-08-25"}
    )
    assert done.status_code == 302
    unit = Unit.objects.get(slug="styrelsen")
    done = client.post(
        URL, {"what": "unit", "unit": unit.pk, "report_by": "2023-08-08", "review_by": ""}
    )
    assert done.status_code == 302
    assert list(UnitDeadline.objects.values_list("report_by", "review_by")) == [
        (D(2023, 8, 8), None)
    ]
    page = client.get(URL + f"?enhet={unit.pk}").content.decode()
    assert 'value="2023-08-08"' in page  # "Ändra" fills the unit form
    assert "8 augusti 2023" in page
    client.post(URL, {"what": "remove", "unit": unit.pk})
    assert not UnitDeadline.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"what": "period", "report_by": "2023-08-15", "review_by": "2023-08-10"},
            "Sista dag för granskning kan inte vara före sista dag för rapportering",
        ),
        (
            {"what": "period", "report_by": "2023-07-01", "review_by": ""},
            "Sista dag för rapportering kan inte vara före periodens slut (31 juli 2023)",
        ),
        (
            {"what": "unit", "unit": "styrelsen", "report_by": "2023-08-20", "review_by": ""},
            "kan inte vara senare än organisationens sista dag (14 augusti 2023)",
        ),
        (
            {"what": "period", "report_by": "inte ett datum", "review_by": ""},
            "Fyll i ett giltigt datum",
        ),
    ],
)
def test_refusals_are_shown_on_the_form_and_change_nothing(
    client, deadline_page_period, data, message
):
    _as(client, "administrator")
    if data.get("unit") == "styrelsen":
        data = {**data, "unit": Unit.objects.get(slug="styrelsen").pk}
    before = _state(deadline_page_period)
    response = client.post(URL, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert _state(deadline_page_period) == before


def test_a_closed_periods_deadlines_are_shown_without_forms(client, deadline_page_period):
    admin = user_with_role("admin", "administrator")
    close_period(deadline_page_period, actor=admin)
    client.force_login(admin)
    html = client.get(URL).content.decode()
    assert "är stängt" in html and "Organisationens sista dagar" not in html
    before = _state(deadline_page_period)
    response = client.post(URL, {"what": "period", "report_by": "2023-08-15"}, follow=True)
    assert "är stängt" in response.content.decode()
    assert _state(deadline_page_period) == before
