"""The follow-up pages: the form saves all or nothing, errors are named, roles decide access."""

import pytest

from uppsikt.audit.models import AuditEvent
from uppsikt.followup.actions.entries import save_followup
from uppsikt.followup.models import FollowUp, UnitReport
from uppsikt.indicators.models import Assessment
from uppsikt.periods.models import ReportingPeriod

from .builders import user_with_role
from .followup_setup import complete

pytestmark = pytest.mark.django_db
FORM = "/uppfoljning/0099/2023-delarsrapport/styrelsen/"


def posted(page: str, **changes) -> dict:
    """Every field of the follow-up form as currently shown, then ``changes`` applied."""
    import re

    data = {}
    for name, value in re.findall(r'<textarea name="([^"]+)"[^>]*>\n?(.*?)</textarea>', page, re.S):
        data[name] = value
    for tag in re.findall(r"<select name=\"([^\"]+)\"[^>]*>(.*?)</select>", page, re.S):
        name, options = tag
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', options)
        data[name] = chosen.group(1) if chosen else ""
    for name in re.findall(r'<input type="checkbox" name="([^"]+)"[^>]*checked', page):
        data[name] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_a_planner_fills_in_the_form_and_every_change_goes_through_the_actions(
    client, small_followup_setting
):
    planner = user_with_role("planerare", "planerare")
    client.force_login(planner)
    page = client.get(FORM).content.decode()
    assert "Effektmål 1" in page and "Utbilda alla chefer i SAM." in page
    activity = f"f-activity-{small_followup_setting.activity.pk}"
    goal = f"f-goal-{small_followup_setting.goals[0].pk}"
    data = posted(
        page,
        **{
            f"{activity}-status": "pagar",
            f"{activity}-comment": "Startad i maj.\n\n- Två av fem utbildade",
            f"{activity}-done": "on",
            f"{goal}-status": "delvis_uppfyllt",
            f"{goal}-comment": "Hälften av indikatorerna förbättras.",
            "rapport-summary": "Ett halvår enligt plan.",
        },
    )
    response = client.post(FORM, data)
    assert response.status_code == 302
    entry = FollowUp.objects.get(
        object_id=small_followup_setting.activity.pk, content_type__model="activity"
    )
    assert (entry.status, entry.state) == ("pagar", "klar")
    assert entry.comment == "<p>Startad i maj.</p><ul><li>Två av fem utbildade</li></ul>"
    assert (
        Assessment.objects.get(goal=small_followup_setting.goals[0]).decided_status
        == "delvis_uppfyllt"
    )
    assert UnitReport.objects.get().summary == "<p>Ett halvår enligt plan.</p>"
    page = client.get(FORM).content.decode()
    assert "Uppföljningen är sparad." in page
    assert "Startad i maj.\n\n- Två av fem utbildade</textarea>" in page


def test_an_error_anywhere_saves_nothing_and_is_named_in_the_summary(
    client, small_followup_setting
):
    client.force_login(user_with_role("planerare", "planerare"))
    page = client.get(FORM).content.decode()
    activity = f"f-activity-{small_followup_setting.activity.pk}"
    goal = f"f-goal-{small_followup_setting.goals[0].pk}"
    events = AuditEvent.objects.count()
    data = posted(
        page,
        **{
            f"{activity}-status": "pagar",
            f"{activity}-comment": "Detta får inte sparas.",
            f"{goal}-status": "uppfyllt",  # differs from the proposal, no comment
            f"f-assignment-{small_followup_setting.assignment.pk}-status": "uppfyllt",  # not a work status
        },
    )
    response = client.post(FORM, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="alert"' in page and "Uppföljningen sparades inte" in page
    assert "Bedömningen avviker från förslaget (ej bedömbar): motivera den i kommentaren." in page
    assert "Välj ett giltigt alternativ." in page
    assert f'href="#id_{goal}-comment"' in page
    assert not FollowUp.objects.exists()
    assert not Assessment.objects.filter(decided_status__isnull=False).exists()
    assert AuditEvent.objects.count() == events


def test_marking_klar_without_anything_written_is_refused_by_name(client, small_followup_setting):
    client.force_login(user_with_role("planerare", "planerare"))
    page = client.get(FORM).content.decode()
    activity = f"f-activity-{small_followup_setting.activity.pk}"
    response = client.post(FORM, posted(page, **{f"{activity}-done": "on"}))
    assert "Ange status eller kommentar innan uppföljningen är klar." in response.content.decode()
    assert not FollowUp.objects.exists()


def test_a_rapportor_edits_only_the_entries_assigned_to_them(client, small_followup_setting):
    planner = user_with_role("planerare", "planerare")
    reporter = user_with_role("rapportor", "rapportor")
    save_followup(
        small_followup_setting.activity,
        small_followup_setting.period,
        actor=planner,
        responsible=reporter,
    )
    client.force_login(reporter)
    page = client.get(FORM).content.decode()
    assert f'name="f-activity-{small_followup_setting.activity.pk}-comment"' in page
    assert (
        f'name="f-assignment-{small_followup_setting.assignment.pk}-comment"' not in page
    )  # read-only
    data = posted(
        page, **{f"f-activity-{small_followup_setting.activity.pk}-comment": "Från rapportören."}
    )
    assert client.post(FORM, data).status_code == 302
    assert FollowUp.objects.get().comment == "<p>Från rapportören.</p>"


def test_the_reviewer_approves_and_returns_from_the_page(client, small_followup_setting):
    planner = user_with_role("planerare", "planerare")
    entries = complete(small_followup_setting, planner)
    client.force_login(planner)
    client.post(FORM + "rapport/lamna-in/")
    assert UnitReport.objects.get().state == "inlamnad"
    reviewer = user_with_role("granskare", "granskare")
    client.force_login(reviewer)
    page = client.get(FORM).content.decode()
    assert "Godkänn rapporten" in page and "Återför rapporten" in page
    response = client.post(FORM + "rapport/aterfor/", {"comment": ""}, follow=True)
    assert "Skriv vad enheten ska ändra." in response.content.decode()
    client.post(
        FORM + "rapport/aterfor/", {"comment": "Mer om budgeten.", "reopen": [entries[-1].pk]}
    )
    assert UnitReport.objects.get().state == "aterford"
    assert FollowUp.objects.get(pk=entries[-1].pk).state == "utkast"
    client.force_login(planner)
    page = client.get(FORM).content.decode()
    assert "Mer om budgeten." in page
    response = client.post(FORM + "rapport/lamna-in/", follow=True)
    assert "1 av 5 uppföljningar är inte klara" in response.content.decode()


def test_the_dashboard_shows_each_units_progress(client, small_followup_setting):
    planner = user_with_role("planerare", "planerare")
    complete(small_followup_setting, planner)
    client.force_login(planner)
    page = client.get("/uppfoljning/0099/2023-delarsrapport/").content.decode()
    assert "Regionstyrelsen" in page
    assert '<progress max="100" value="100"' in page
    assert "5 av 5" in page


def test_period_settings_are_for_administrators_and_report_errors(client, small_followup_setting):
    client.force_login(user_with_role("planerare", "planerare"))
    page = client.get("/uppfoljning/0099/").content.decode()
    assert "Delårsrapport 2023" in page and "Skapa standardtillfällen" not in page
    response = client.post("/uppfoljning/0099/nytt/", {"what": "defaults", "year": "2024"})
    assert response.status_code == 403
    assert "Du har inte behörighet att administrera här." in response.content.decode()
    assert ReportingPeriod.objects.count() == 1

    client.force_login(user_with_role("admin", "administrator"))
    response = client.post(
        "/uppfoljning/0099/nytt/", {"what": "defaults", "year": "tjugo"}, follow=True
    )
    assert "Ange året med fyra siffror" in response.content.decode()
    response = client.post(
        "/uppfoljning/0099/nytt/", {"what": "defaults", "year": "2024"}, follow=True
    )
    assert "10 uppföljningstillfällen skapades för 2024." in response.content.decode()
    client.post("/uppfoljning/0099/2023-delarsrapport/andra/stang/")
    assert not ReportingPeriod.objects.get(slug="2023-delarsrapport").is_open
    response = client.post(
        "/uppfoljning/0099/2023-delarsrapport/andra/oppna/", {"reason": ""}, follow=True
    )
    assert "Ange varför uppföljningstillfället öppnas igen." in response.content.decode()
    client.post("/uppfoljning/0099/2023-delarsrapport/andra/oppna/", {"reason": "Rättelse."})
    assert ReportingPeriod.objects.get(slug="2023-delarsrapport").is_open


@pytest.mark.parametrize(
    "path",
    [
        "/uppfoljning/0099/",
        "/uppfoljning/0099/2023-delarsrapport/",
        FORM,
        "/rapporter/0099/2023-delarsrapport/styrelsen/",
    ],
)
def test_the_public_and_outsiders_see_no_follow_up(client, small_followup_setting, path):
    assert client.get(path).status_code == 302  # to the login page
    client.force_login(user_with_role("frammande", None))
    assert client.get(path).status_code == 404


def test_a_closed_period_shows_the_form_read_only(client, small_followup_setting):
    from uppsikt.periods.actions import close_period

    planner = user_with_role("planerare", "planerare")
    save_followup(
        small_followup_setting.activity,
        small_followup_setting.period,
        actor=planner,
        status="pagar",
        comment="Pågår.",
    )
    close_period(small_followup_setting.period, actor=user_with_role("admin", "administrator"))
    client.force_login(planner)
    page = client.get(FORM).content.decode()
    assert "är stängt: uppföljningen kan läsas men inte ändras." in page
    assert "<textarea" not in page and "<p>Pågår.</p>" in page
    assert client.post(FORM, {}).status_code == 403


def _buttons(client) -> set[str]:
    import re

    html = client.get(FORM).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    found = {
        re.sub(r"<[^>]+>", "", b).strip()
        for b in re.findall(r"<button[^>]*>(.*?)</button>", main, re.S)
    }
    return found - {"Spara kommentaren om rapporten"}  # the dialogue: test_followup_dialogue


def test_each_demo_role_sees_exactly_the_report_actions_it_may_take(client, small_followup_setting):
    users = {
        role: user_with_role(role, role)
        for role in ("planerare", "rapportor", "granskare", "lasare")
    }

    def seen(role):
        client.force_login(users[role])
        return _buttons(client)

    complete(small_followup_setting, users["planerare"])
    # Under work: writers save and submit; the granskare has nothing to do yet.
    assert seen("planerare") == {"Spara uppföljningen", "Skicka för granskning"}
    assert seen("rapportor") == {"Spara uppföljningen", "Skicka för granskning"}
    assert seen("granskare") == set() and seen("lasare") == set()
    client.force_login(users["rapportor"])
    client.post(FORM + "rapport/lamna-in/")
    assert UnitReport.objects.get().state == "inlamnad"
    # Submitted: the unit may only take it back; the granskare approves or returns.
    assert seen("rapportor") == {"Återta rapporten"}
    assert seen("granskare") == {"Godkänn rapporten", "Återför rapporten"}
    client.force_login(users["granskare"])
    client.post(FORM + "rapport/godkann/")
    assert UnitReport.objects.get().state == "godkand"
    assert seen("rapportor") == set() and seen("planerare") == set()
    assert seen("granskare") == {"Återför rapporten"}
    assert seen("lasare") == set()


def test_a_new_organisations_administrator_is_shown_where_to_create_its_periods(client):
    """Kumla set up without periods: its administrator finds the way from Uppföljning, a
    planner there and another organisation's administrator do not; with periods it is
    listed as any other organisation."""
    from tests.builders import load_minimal
    from uppsikt.organisations.models import Organisation, Unit
    from uppsikt.periods.actions import create_default_periods

    load_minimal()  # Region Test, without periods
    kumla = Organisation.objects.create(code="1881", name="Kumla", kind="kommun")
    root = Unit.objects.create(organisation=kumla, slug="kf", name="Kf", kind="fullmaktige")
    Unit.objects.create(organisation=kumla, parent=root, slug="bun", name="Bun", kind="namnd")
    link = "Skapa uppföljningstillfällen för Kumla"
    admin = user_with_role("kumla-admin", "administrator", root)
    client.force_login(admin)
    page = client.get("/uppfoljning/").content.decode()
    assert link in page and 'href="/uppfoljning/1881/"' in page
    assert "Region Test" not in page  # administered elsewhere
    assert "inga uppföljningstillfällen som du kan se" not in page
    client.force_login(user_with_role("bun-planerare", "planerare", "bun"))
    page = client.get("/uppfoljning/").content.decode()
    assert link not in page and "inga uppföljningstillfällen som du kan se" in page
    create_default_periods(kumla, 2026, actor=admin)
    client.force_login(admin)
    page = client.get("/uppfoljning/").content.decode()
    assert link not in page and 'href="/uppfoljning/1881/">Kumla<' in page
    # Rapporter lists approved reports only; it says where one under work is made.
    page = client.get("/rapporter/").content.decode()
    assert 'En rapport som skrivs når du från <a href="/uppfoljning/">Uppföljning</a>' in page
    client.logout()
    assert "En rapport som skrivs" not in client.get("/rapporter/").content.decode()
