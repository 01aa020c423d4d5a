"""Årshjul: milestone rules, the pages (public reading, forms for planners, no JavaScript),
the iCalendar feed read back with the independent ``icalendar`` library."""

import datetime

import icalendar
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from uppsikt.audit.models import AuditEvent
from uppsikt.organisations.models import Organisation, Unit
from uppsikt.periods.deadline_actions import set_unit_deadline
from uppsikt.periods.models import ReportingPeriod
from uppsikt.schedule.actions import create_milestone, delete_milestone, update_milestone
from uppsikt.schedule.entries import entries_for
from uppsikt.schedule.ical import CRLF, Event, calendar, escape_text, fold
from uppsikt.schedule.models import Milestone

from .builders import load_minimal, user_with_role

D = datetime.date
STAMP = datetime.datetime(2023, 5, 1, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def wheel_region(db):
    """Region Test with a delårsrapport 2023 (deadlines set, one unit earlier) and its admin."""
    load_minimal()
    organisation = Organisation.objects.get(code="0099")
    admin = user_with_role("admin", "administrator")
    period = ReportingPeriod.objects.create(
        organisation=organisation,
        year=2023,
        kind=ReportingPeriod.Kind.DELARSRAPPORT,
        name="Delårsrapport 2023",
        ends_on=D(2023, 7, 31),
        report_by=D(2023, 8, 14),
        review_by=D(2023, 8, 21),
    )
    set_unit_deadline(
        period,
        Unit.objects.get(slug="styrelsen"),
        actor=admin,
        report_by=D(2023, 8, 7),
        review_by=None,
    )
    return organisation, admin


def _add(organisation, actor, **overrides):
    fields = {
        "year": 2023,
        "date": D(2023, 4, 20),
        "kind": Milestone.Kind.BUDGETDIREKTIV,
        "title": "Budgetdirektiv 2024",
        "responsible": Unit.objects.get(slug="styrelsen"),
        "description": "",
    }
    return create_milestone(organisation, actor=actor, **{**fields, **overrides})


def _snapshot():
    return (
        list(Milestone.objects.values_list("date", "kind", "title", "responsible_id")),
        AuditEvent.objects.count(),
    )


# -- actions ----------------------------------------------------------------------------


def test_a_planner_of_the_whole_organisation_adds_changes_and_removes_milestones(wheel_region):
    organisation, _admin = wheel_region
    planner = user_with_role("planerare", "planerare")
    milestone = _add(organisation, planner)
    uid = milestone.uid
    update_milestone(
        milestone,
        actor=planner,
        date=D(2023, 4, 25),
        kind=Milestone.Kind.BUDGETDIREKTIV,
        title="Budgetdirektiv 2024, reviderat",
        responsible=None,
        description="Rad ett\nrad två",
    )
    milestone.refresh_from_db()
    assert milestone.uid == uid and milestone.date == D(2023, 4, 25)
    delete_milestone(milestone, actor=planner)
    assert not Milestone.objects.exists()
    actions = list(AuditEvent.objects.order_by("sequence").values_list("action", flat=True))
    assert actions[-3:] == [
        "schedule.milestone.create",
        "schedule.milestone.update",
        "schedule.milestone.delete",
    ]


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"date": D(2024, 1, 5)}, "date", "outside_year"),
        ({"date": None}, "date", "required"),
        ({"kind": "fest"}, "kind", "invalid_choice"),
        ({"title": "   "}, "title", "required"),
        ({"title": "x" * 201}, "title", "too_long"),
        ({"description": "x" * 5001}, "description", "too_long"),
        ({"year": 1999, "date": D(1999, 3, 1)}, "year", "invalid"),
    ],
)
def test_invalid_milestones_are_refused_by_field_and_nothing_changes(
    wheel_region, overrides, field, code
):
    organisation, admin = wheel_region
    before = _snapshot()
    with pytest.raises(ValidationError) as error:
        _add(organisation, admin, **overrides)
    assert code in [e.code for e in error.value.error_dict[field]]
    assert _snapshot() == before


def test_a_unit_of_another_organisation_is_refused_on_create_and_update(wheel_region):
    organisation, admin = wheel_region
    other = Organisation.objects.create(code="0098", name="Region Annan", kind="region")
    stranger = Unit.objects.create(organisation=other, slug="annan", name="Annan", kind="styrelse")
    milestone = _add(organisation, admin)
    before = _snapshot()
    with pytest.raises(ValidationError) as error:
        _add(organisation, admin, responsible=stranger)
    assert "responsible" in error.value.message_dict
    with pytest.raises(ValidationError):
        update_milestone(
            milestone,
            actor=admin,
            date=D(2023, 4, 20),
            kind="annat",
            title="Nytt",
            responsible=stranger,
            description="",
        )
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("role", "unit"), [("rapportor", None), ("lasare", None), ("planerare", "styrelsen")]
)
def test_others_may_not_write_the_arshjul(wheel_region, role, unit):
    organisation, admin = wheel_region
    milestone = _add(organisation, admin)
    actor = user_with_role("annan", role, unit)
    before = _snapshot()
    with pytest.raises(PermissionDenied):
        _add(organisation, actor)
    with pytest.raises(PermissionDenied):
        delete_milestone(milestone, actor=actor)
    assert _snapshot() == before


def test_period_dates_are_read_from_the_periods_not_copied(wheel_region):
    organisation, admin = wheel_region
    _add(organisation, admin)
    titles = [(e.date, e.title) for e in entries_for(organisation, 2023)]
    assert (D(2023, 7, 31), "Delårsrapport 2023: perioden slutar") in titles
    assert (D(2023, 8, 14), "Delårsrapport 2023: sista dag för rapportering") in titles
    assert (D(2023, 8, 7), "Delårsrapport 2023: sista dag för rapportering, Regionstyrelsen") in (
        titles
    )
    assert titles[0] == (D(2023, 4, 20), "Budgetdirektiv 2024")
    ReportingPeriod.objects.update(report_by=D(2023, 8, 15))
    assert (D(2023, 8, 15), "Delårsrapport 2023: sista dag för rapportering") in [
        (e.date, e.title) for e in entries_for(organisation, 2023)
    ]
    assert Milestone.objects.count() == 1
    assert entries_for(organisation, 2022) == []


# -- the feed ---------------------------------------------------------------------------


def test_the_feed_is_rfc5545_and_read_back_by_icalendar(wheel_region, client):
    organisation, admin = wheel_region
    milestone = _add(
        organisation,
        admin,
        title="Budget; direktiv, för 2024 \\ med en mycket lång rubrik som måste vikas över rader",
        description="Första raden\nandra raden, med komma; och semikolon",
    )
    response = client.get(reverse("schedule:feed", args=[organisation.code]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content
    lines = body.split(b"\r\n")
    assert body.endswith(b"\r\n") and b"\n" not in body.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in lines)
    parsed = icalendar.Calendar.from_ical(body)
    events = {str(e["UID"]): e for e in parsed.walk("VEVENT")}
    event = next(e for uid, e in events.items() if str(milestone.uid) in uid)
    assert str(event["SUMMARY"]) == milestone.title
    assert str(event["DESCRIPTION"]).endswith(milestone.description)
    assert event["DTSTART"].dt == D(2023, 4, 20)
    assert event["DTSTART"].params.get("VALUE") == "DATE"
    assert event["DTEND"].dt == D(2023, 4, 21)
    assert event["DTSTAMP"].dt.tzinfo is not None
    deadline = next(e for e in events.values() if "rapportering, Regionstyrelsen" in e["SUMMARY"])
    assert deadline["DTSTART"].dt == D(2023, 8, 7)
    # UIDs are stable from one fetch to the next, and unique.
    again = icalendar.Calendar.from_ical(
        client.get(reverse("schedule:feed", args=["0099"])).content
    )
    assert {str(e["UID"]) for e in again.walk("VEVENT")} == set(events)
    assert len(events) == len(parsed.walk("VEVENT"))


def test_the_year_feed_has_only_that_year(wheel_region, client):
    organisation, admin = wheel_region
    _add(organisation, admin, year=2024, date=D(2024, 3, 1), title="Nästa år")
    body = client.get(reverse("schedule:year_feed", args=["0099", 2023])).content
    summaries = [str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(body).walk("VEVENT")]
    assert "Nästa år" not in summaries and "Budgetdirektiv 2024" not in summaries
    assert "Delårsrapport 2023: perioden slutar" in summaries


def _expected(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(c for c in text if c in "\t\n" or not (ord(c) < 32 or ord(c) == 127))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.text(max_size=300))
def test_any_title_and_description_round_trip_through_escaping_and_folding(title, description):
    text = calendar(
        [Event(uid="x@test", date=D(2023, 1, 1), summary=title, description=description or "-")],
        name="Test",
        stamp=STAMP,
        product="-//Test//SV",
    )
    raw = text.encode("utf-8")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    event = icalendar.Calendar.from_ical(raw).walk("VEVENT")[0]
    assert str(event.get("SUMMARY", "")) == _expected(title)
    assert str(event["DESCRIPTION"]) == _expected(description or "-")


@given(st.text(min_size=1, max_size=400))
def test_folding_keeps_every_character_and_never_splits_one(text):
    line = "SUMMARY:" + escape_text(text)
    folded = fold(line)
    parts = folded.split(CRLF)
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join([parts[0], *(p[1:] for p in parts[1:])]) == line


def test_escaping_follows_rfc5545():
    assert escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"


# -- pages ------------------------------------------------------------------------------


def test_the_arshjul_is_public_with_wheel_table_and_list(wheel_region, client):
    organisation, admin = wheel_region
    _add(organisation, admin, description="Underlag till nämnderna")
    response = client.get(reverse("schedule:year", args=["0099", 2023]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="img"' in html and '<title id="wheel-title">' in html
    assert html.count('class="sector ') == 12
    assert "Budgetdirektiv 2024" in html and "20 april 2023" in html
    assert "Månad för månad" in html and "arshjul/0099.ics" in html
    assert "Lägg till milstolpe" not in html  # the form only for those who may write
    assert client.get(reverse("schedule:current", args=["0099"])).status_code == 302
    assert client.get(reverse("schedule:year", args=["7777", 2023])).status_code == 404


def test_a_planner_adds_and_changes_a_milestone_without_javascript(wheel_region, client):
    _organisation, _admin = wheel_region
    client.force_login(user_with_role("plan", "planerare"))
    url = reverse("schedule:year", args=["0099", 2023])
    assert "Lägg till milstolpe" in client.get(url).content.decode()
    refused = client.post(url, {"date": "2024-02-01", "kind": "annat", "title": "Fel år"})
    assert refused.status_code == 200
    assert "Datum ska ligga inom året 2023" in refused.content.decode()
    assert not Milestone.objects.exists()
    done = client.post(url, {"date": "2023-10-02", "kind": "annat", "title": "Workshop"})
    assert done.status_code == 302
    milestone = Milestone.objects.get()
    edit = reverse("schedule:milestone_edit", args=["0099", 2023, milestone.pk])
    assert client.get(edit).status_code == 200
    client.post(edit, {"date": "2023-10-03", "kind": "annat", "title": "Workshop, ny dag"})
    milestone.refresh_from_db()
    assert (milestone.date, milestone.title) == (D(2023, 10, 3), "Workshop, ny dag")
    client.post(reverse("schedule:milestone_delete", args=["0099", 2023, milestone.pk]))
    assert not Milestone.objects.exists()


def test_readers_may_not_post_or_open_the_edit_form(wheel_region, client):
    organisation, admin = wheel_region
    milestone = _add(organisation, admin)
    client.force_login(user_with_role("las", "lasare"))
    before = _snapshot()
    url = reverse("schedule:year", args=["0099", 2023])
    assert (
        client.post(url, {"date": "2023-10-02", "kind": "annat", "title": "X"}).status_code == 403
    )
    edit = reverse("schedule:milestone_edit", args=["0099", 2023, milestone.pk])
    assert client.get(edit).status_code == 403
    delete = reverse("schedule:milestone_delete", args=["0099", 2023, milestone.pk])
    assert client.post(delete).status_code == 403
    assert _snapshot() == before
