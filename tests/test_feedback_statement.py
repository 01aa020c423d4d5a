"""The accessibility statement: its page for everyone (kept in the public pages cache, in
the public site's frame), its changes by the installation's administrator only (audited),
the demo's labelled example, and the links to it from both footers."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from uppsikt.audit.models import AuditEvent
from uppsikt.feedback.models import AccessibilityStatement
from uppsikt.feedback.queries import statement as current_statement

from .builders import user_with_role
from .feedback_setup import STATEMENT_POST, URLS, public_frame, superuser

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]


@pytest.fixture
def feedback_admin(client):
    admin = superuser()
    client.force_login(admin)
    return admin


def test_without_a_statement_the_page_says_so_and_keeps_the_fixed_parts(client):
    response = client.get(reverse("feedback:statement"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "inte fyllt i redogörelsen" in text
    assert "https://www.digg.se/tdosanmalan" in text and "WCAG 2.1" in text
    assert reverse("feedback:report") in text


def test_the_administrator_saves_it_audited_and_everyone_reads_it(client, feedback_admin):
    response = client.post(reverse("feedback:statement_edit"), STATEMENT_POST)
    assert response.status_code == 302
    saved = current_statement()
    assert saved.pk == AccessibilityStatement.SINGLETON and saved.updated_by == feedback_admin
    event = AuditEvent.objects.get(action="feedback.statement")
    assert event.actor_id == feedback_admin.pk and event.before is None
    assert event.after["compliance"] == "delvis"

    client.logout()
    page = client.get(reverse("feedback:statement"))
    text = page.content.decode()
    assert "Tillgänglighetsredogörelse för Uppsikt Test" in text
    assert "delvis förenlig" in text and "inom tre arbetsdagar" in text
    assert "mailto:tillganglighet@region-test.se" in text and "010-123 45 67" in text
    # One item a line, and markup shown as typed.
    assert "<li>Diagrammen saknar &lt;b&gt;mönster&lt;/b&gt;</li>" in text
    assert "<li>PDF-bilagor saknar taggar</li>" in text
    assert "30 november 2026" in text and "1 december 2026" in text
    assert "Exempeluppgifter" not in text
    assert reverse("feedback:statement_edit") not in text  # the public sees no admin links


def test_a_second_save_records_only_what_changed(client, feedback_admin):
    client.post(reverse("feedback:statement_edit"), STATEMENT_POST)
    client.post(reverse("feedback:statement_edit"), {**STATEMENT_POST, "compliance": "helt"})
    last = AuditEvent.objects.filter(action="feedback.statement").last()
    assert last.before == {"compliance": "delvis"} and last.after == {"compliance": "helt"}
    assert AccessibilityStatement.objects.count() == 1


def test_a_bad_statement_is_refused_by_field_and_nothing_is_saved(client, feedback_admin):
    response = client.post(
        reverse("feedback:statement_edit"),
        {**STATEMENT_POST, "contact_email": "inte en adress", "compliance": "kanske"},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"contact_email", "compliance"}
    assert current_statement() is None
    assert not AuditEvent.objects.filter(action="feedback.statement").exists()


def test_only_the_installations_administrator_may_change_it(client, two_regions_with_roles):
    world = two_regions_with_roles
    url = reverse("feedback:statement_edit")
    assert client.get(url).status_code == 302  # to the login
    client.force_login(world.user("administrator_inne"))
    assert client.get(url).status_code == 403
    assert client.post(url, STATEMENT_POST).status_code == 403
    assert current_statement() is None


def test_the_demo_fills_a_labelled_example_once(client):
    call_command("demo_accessibility")
    saved = current_statement()
    assert saved.is_example and "exempel" in saved.site_owner.lower()
    event = AuditEvent.objects.get(action="feedback.statement")
    assert event.actor_name == "kommandorad"
    text = client.get(reverse("feedback:statement")).content.decode()
    assert "Exempeluppgifter" in text and "axe-core" in text
    call_command("demo_accessibility")  # left alone
    assert AuditEvent.objects.filter(action="feedback.statement").count() == 1


@pytest.mark.django_db(transaction=True)  # the kept pages are renewed on a real commit
def test_the_statement_is_kept_for_the_public_and_renewed_by_an_edit(client, feedback_admin):
    client.post(reverse("feedback:statement_edit"), STATEMENT_POST)
    anonymous = client.__class__()
    url = reverse("feedback:statement")
    assert anonymous.get(url)["X-Uppsikt-Cache"] == "miss"
    assert anonymous.get(url)["X-Uppsikt-Cache"] == "hit"
    assert client.get(url)["X-Uppsikt-Cache"] == "bypass"  # a signed-in view is never kept
    client.post(reverse("feedback:statement_edit"), {**STATEMENT_POST, "site_name": "Nytt namn"})
    fresh = anonymous.get(url)
    assert fresh["X-Uppsikt-Cache"] == "miss" and "Nytt namn" in fresh.content.decode()
    assert b"csrfmiddlewaretoken" not in fresh.content


def test_both_footers_link_to_it(client, two_regions_with_roles):
    statement_url = reverse("feedback:statement")
    staff_page = client.get(reverse("portal:home")).content.decode()
    assert f'href="{statement_url}"' in staff_page
    with public_frame():
        public_page = client.get("/prov/sida/").content.decode()
        own = client.get(statement_url).content.decode()
    assert f'href="{statement_url}"' in public_page
    assert "public-footer" in own and f'href="{statement_url}" aria-current="page"' in own


def test_administrators_see_their_links_on_it(client, feedback_admin):
    text = client.get(reverse("feedback:statement")).content.decode()
    for name in ("feedback:statement_edit", "feedback:reports", "feedback:summary"):
        assert reverse(name) in text


def test_a_unit_administrator_sees_no_admin_links(client, two_regions_with_roles):
    client.force_login(user_with_role("feedback-enhet", "administrator", "styrelsen"))
    text = client.get(reverse("feedback:statement")).content.decode()
    assert reverse("feedback:statement_edit") not in text
