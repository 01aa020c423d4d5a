"""The period overview's coordinator tools: responsible persons, who is late, "Påminn" (through
a real SMTP server on loopback) and the XLSX download (opened with openpyxl)."""

import datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from uppsikt.audit.models import AuditEvent
from uppsikt.followup.actions.entries import save_followup
from uppsikt.followup.actions.reports import submit_report
from uppsikt.tasks.models import SentReminder

from .builders import user_with_role
from .followup_setup import complete, small_setting
from .mailserver import text_of
from .reminder_setup import SITE

pytestmark = pytest.mark.django_db
DEADLINE = datetime.date(2023, 8, 31)


def _person(username: str, role: str, unit=None):
    user = user_with_role(username, role, unit)
    user.first_name, user.last_name = username.capitalize(), "Testsson"
    user.email = f"{username}@example.se"
    user.save()
    return user


@pytest.fixture
def late_period(settings, mail_server):
    """Region Test's delårsrapport with its reporting deadline long past; a planerare of the
    organisation, a rapportör on styrelsen and a granskare."""
    settings.SITE_URL = SITE
    setting = small_setting()
    setting.period.report_by = DEADLINE
    setting.period.save()
    people = {
        "plan": _person("plan", "planerare"),
        "rita": _person("rita", "rapportor", setting.unit),
        "gun": _person("gun", "granskare"),
    }
    return setting, people, mail_server


def _urls(setting):
    base = f"/uppfoljning/0099/{setting.period.slug}/"
    return base, base + "oversikt/paminn/", base + "oversikt.xlsx"


def test_the_overview_shows_deadline_lateness_and_who_is_responsible(client, late_period):
    setting, people, _mail = late_period
    dashboard, remind, xlsx = _urls(setting)
    client.force_login(people["plan"])
    html = client.get(dashboard).content.decode()
    assert "31 augusti 2023" in html and "Försenad" in html
    assert "Rita Testsson" in html
    assert f'action="{remind}"' in html and 'name="late"' in html
    assert f'href="{xlsx}"' in html
    client.force_login(people["rita"])
    html = client.get(dashboard).content.decode()
    assert "Rita Testsson" in html and f'action="{remind}"' not in html


def test_the_persons_named_on_entries_are_responsible_before_role_holders(client, late_period):
    setting, people, _mail = late_period
    anna = _person("anna", "rapportor", setting.unit)
    save_followup(setting.goals[0], setting.period, actor=people["plan"], responsible=anna)
    client.force_login(people["plan"])
    html = client.get(_urls(setting)[0]).content.decode()
    assert "Anna Testsson" in html and "Rita Testsson" not in html


def test_paminn_sends_a_reminder_now_once_a_day_and_audits_it(client, late_period):
    setting, people, mail = late_period
    _dashboard, remind, _xlsx = _urls(setting)
    client.force_login(people["plan"])
    answer = client.post(remind, {"unit": "styrelsen"}, follow=True)
    assert "En påminnelse skickades till 1 person: rita@example.se" in answer.content.decode()
    (message,) = mail.messages
    assert message["To"] == "rita@example.se"
    assert "påminnelse om Uppföljning i Delårsrapport 2023" in message["Subject"]
    text = text_of(message)
    assert f"{SITE}/uppfoljning/0099/{setting.period.slug}/styrelsen/" in text
    assert f"{SITE}/konto/paminnelser/" in text and "försenad" in text
    event = AuditEvent.objects.get(action="reminders.manual")
    assert event.actor == people["plan"] and event.unit_id == setting.unit.pk
    answer = client.post(remind, {"unit": "styrelsen"}, follow=True)
    assert "redan påmints i dag" in answer.content.decode()
    assert len(mail.messages) == 1
    assert SentReminder.objects.filter(occasion="manual").count() == 1


def test_paminn_all_who_are_late(client, late_period):
    """Styrelsen is late; fullmäktige has nothing to follow up here, so its rapportör is not
    reminded."""
    setting, people, mail = late_period
    _person("olle", "rapportor", setting.board)
    client.force_login(people["plan"])
    html = client.get(_urls(setting)[0]).content.decode()
    assert html.count("badge--late") == 1 and "Olle" not in html
    answer = client.post(_urls(setting)[1], {"late": "1"}, follow=True)
    assert [message["To"] for message in mail.messages] == ["rita@example.se"]
    assert "rita@example.se" in answer.content.decode()


@pytest.mark.parametrize("who", ["rita", "gun"])
def test_paminn_is_refused_for_others_than_the_organisations_planerare(client, late_period, who):
    setting, people, mail = late_period
    client.force_login(people[who])
    for data in ({"unit": "styrelsen"}, {"late": "1"}):
        assert client.post(_urls(setting)[1], data).status_code == 403
    assert mail.messages == []
    assert not SentReminder.objects.exists()
    assert not AuditEvent.objects.filter(action="reminders.manual").exists()


def test_a_unit_that_has_submitted_is_not_reminded(client, late_period):
    setting, people, mail = late_period
    complete(setting, actor=people["plan"])
    submit_report(setting.unit, setting.period, actor=people["plan"])
    client.force_login(people["plan"])
    answer = client.post(_urls(setting)[1], {"unit": "styrelsen"}, follow=True)
    assert "Regionstyrelsen har redan lämnat in sin rapport." in answer.content.decode()
    assert mail.messages == [] and not SentReminder.objects.exists()


def test_the_overview_downloads_as_xlsx(client, late_period):
    setting, people, _mail = late_period
    client.force_login(people["rita"])
    answer = client.get(_urls(setting)[2])
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in answer["Content-Disposition"]
    sheet = load_workbook(BytesIO(answer.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0].startswith("Delårsrapport 2023: enheternas läge")
    assert rows[2] == ["Enhet", "Rapportens läge", "Sista dag", "Försenad", "Ansvarig", "E-post"]
    styrelsen = next(row for row in rows[3:] if row[0] == "Regionstyrelsen")
    assert styrelsen[1] == "Under arbete"
    assert styrelsen[2].date() == DEADLINE
    assert styrelsen[3:] == ["Ja", "Rita Testsson", "rita@example.se"]


def test_the_xlsx_needs_signing_in(client, late_period):
    setting, _people, _mail = late_period
    assert client.get(_urls(setting)[2]).status_code == 302
