"""Reporting an accessibility problem: the form (prefilled only with a local page), the
stored report and its audit entry, the receipt page and e-mail (through the real loopback
SMTP server), refusals by field, the rate limit, and the administrator's handling."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from uppsikt.audit.models import AuditEvent
from uppsikt.feedback.models import DESCRIPTION_MAX, AccessibilityReport

from .feedback_setup import URLS, public_frame, superuser
from .mailserver import free_port, text_of

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]

REPORT = {
    "page": "/insyn/0099/",
    "description": "Diagrammet går inte att läsa med skärmläsare.",
    "name": "",
    "email": "",
}
SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def post_report(client, **changes):
    return client.post(reverse("feedback:report"), {**REPORT, **changes})


def test_the_form_is_prefilled_from_a_local_page_only(client):
    url = reverse("feedback:report")
    prefilled = client.get(url, {"sida": "/insyn/0018/"})
    assert prefilled.context["form"].initial["page"] == "/insyn/0018/"
    for crafted in ("https://evil.example/", "//evil.example/", "/\\evil", "javascript:x"):
        response = client.get(url, {"sida": crafted})
        assert response.context["form"].initial["page"] is None
        form = response.content.decode().split('class="form"', 1)[1].split("</form>", 1)[0]
        assert "evil" not in form


def test_the_form_page_carries_no_token_and_is_kept(client):
    url = reverse("feedback:report")
    first = client.get(url)
    assert b"csrfmiddlewaretoken" not in first.content
    assert first["X-Uppsikt-Cache"] == "miss"
    assert client.get(url)["X-Uppsikt-Cache"] == "hit"
    # A long crafted query string is answered but never kept.
    long = client.get(url, {"sida": "/" + "a" * 100})
    assert long["X-Uppsikt-Cache"] == "bypass"


def test_a_report_is_stored_audited_and_given_a_reference(client):
    csrf_client = Client(enforce_csrf_checks=True)  # no token: the form is exempt
    response = post_report(csrf_client, name="Anna Andersson")
    assert response.status_code == 302
    report = AccessibilityReport.objects.get()
    assert re.fullmatch(r"TG-\d{4}-\d{5}", report.reference)
    assert report.name == "Anna Andersson" and not report.receipt_sent
    event = AuditEvent.objects.get(action="feedback.report")
    assert event.actor_id is None and event.actor_name == ""
    assert event.after["reference"] == report.reference
    # The trail keeps no personal data and not the text itself.
    assert "Anna" not in str(event.after) and "skärmläsare" not in str(event.after)

    receipt = client.get(response["Location"])
    assert receipt.status_code == 200
    assert report.reference in receipt.content.decode()
    assert "no-store" in receipt["Cache-Control"] and "X-Uppsikt-Cache" not in receipt


def test_a_receipt_is_mailed_and_repeats_nothing_the_sender_wrote(client, mail_server):
    response = post_report(
        client, email="anna@exempel.se", name="Köp billigt", description="Spam spam " + SCRIPT
    )
    report = AccessibilityReport.objects.get()
    assert report.receipt_sent
    (message,) = mail_server.to("anna@exempel.se")
    body = text_of(message)
    assert report.reference in message["Subject"] and report.reference in body
    assert "Spam" not in body and "Köp" not in body and "<script" not in body
    assert reverse("feedback:statement") in body
    page = client.get(response["Location"]).content.decode()
    assert "skickat ett kvitto" in page


def test_a_receipt_that_cannot_be_sent_keeps_the_report(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    settings.EMAIL_TIMEOUT = 2
    response = post_report(client, email="anna@exempel.se")
    report = AccessibilityReport.objects.get()
    assert not report.receipt_sent
    assert "kunde inte skickas" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"description": "x" * (DESCRIPTION_MAX + 1)}, "description", ["Beskrivning", "5000"]),
        ({"description": " \x00\x1b "}, "description", ["Beskrivning"]),
        ({"name": "n" * 201}, "name", ["Namn", "200"]),
        ({"email": "inte-en-adress"}, "email", ["E-post"]),
        ({"page": "https://evil.example/"}, "page", ["Sidans adress"]),
        ({"page": "//evil.example/"}, "page", ["Sidans adress"]),
    ],
)
def test_bad_input_is_refused_by_field_and_nothing_is_stored(client, changes, field, words):
    response = post_report(client, **changes)
    assert response.status_code == 400
    errors = response.context["form"].errors[field]
    assert all(any(word in error for error in errors) for word in words), errors
    assert not AccessibilityReport.objects.exists()
    assert not AuditEvent.objects.filter(action="feedback.report").exists()


def test_control_characters_are_removed_and_markup_kept_as_text(client):
    post_report(client, description="Rad ett\x00\x07\r\nRad\u202e två " + SCRIPT)
    stored = AccessibilityReport.objects.get().description
    assert stored == "Rad ett\nRad två " + SCRIPT


def test_a_flood_from_one_address_is_cut_and_nothing_beyond_it_stored(client, settings):
    settings.ACCESSIBILITY_REPORT_RATE_PER_ADDRESS = 3
    statuses = [post_report(client).status_code for _ in range(5)]
    assert statuses == [302, 302, 302, 429, 429]
    assert AccessibilityReport.objects.count() == 3
    refused = post_report(client)
    assert int(refused["Retry-After"]) > 0 and "inte sparats" in refused.content.decode()
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert post_report(other).status_code == 302


def test_one_receipt_address_cannot_be_flooded_from_many_addresses(client, settings, mail_server):
    settings.ACCESSIBILITY_REPORT_RATE_PER_ADDRESS = 2
    statuses = [
        post_report(Client(REMOTE_ADDR=f"192.0.2.{n}"), email="offer@exempel.se").status_code
        for n in range(1, 5)
    ]
    assert statuses == [302, 302, 429, 429]
    assert len(mail_server.to("offer@exempel.se")) == 2


@pytest.fixture
def reports_admin(client):
    admin = superuser()
    client.force_login(admin)
    return admin


def test_the_administrator_reads_reports_escaped_and_marks_them_handled(client, reports_admin):
    post_report(Client(), description=SCRIPT, name="<b>Namn</b>")
    report = AccessibilityReport.objects.get()
    page = client.get(reverse("feedback:reports")).content.decode()
    assert SCRIPT not in page and "<b>Namn</b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&lt;b&gt;Namn&lt;/b&gt;" in page

    response = client.post(
        reverse("feedback:report_handled", args=[report.pk]), {"note": "Rättat <i>idag</i>"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.handled_by == reports_admin and report.handled_note == "Rättat <i>idag</i>"
    event = AuditEvent.objects.get(action="feedback.report_handled")
    assert event.actor_id == reports_admin.pk and event.after["reference"] == report.reference
    page = client.get(reverse("feedback:reports")).content.decode()
    assert "Rättat &lt;i&gt;idag&lt;/i&gt;" in page
    # A second time changes nothing and says why.
    again = client.post(reverse("feedback:report_handled", args=[report.pk]), follow=True)
    assert "redan markerad" in again.content.decode()
    assert AuditEvent.objects.filter(action="feedback.report_handled").count() == 1


def test_the_admin_shows_reports_escaped(client, reports_admin):
    post_report(Client(), description=SCRIPT)
    page = client.get(reverse("admin:feedback_accessibilityreport_changelist")).content.decode()
    assert "&lt;script&gt;" in page and SCRIPT not in page


def test_only_the_installations_administrator_reads_or_handles_reports(
    client, two_regions_with_roles
):
    post_report(Client())
    report = AccessibilityReport.objects.get()
    client.force_login(two_regions_with_roles.user("administrator_inne"))
    assert client.get(reverse("feedback:reports")).status_code == 403
    handled = client.post(reverse("feedback:report_handled", args=[report.pk]))
    assert handled.status_code == 403
    report.refresh_from_db()
    assert report.handled_at is None


def test_the_report_pages_in_the_public_frame(client):
    with public_frame():
        form = client.get(reverse("feedback:report"), {"sida": "/insyn/"})
        receipt = client.get(post_report(client)["Location"])
    for response in (form, receipt):
        assert "public-footer" in response.content.decode()
    # The receipt does not ask "Hade du nytta…": it is nobody's page but the reporter's.
    assert "sidans-nytta" not in receipt.content.decode()
    assert "sidans-nytta" in form.content.decode()


def test_an_unknown_or_forged_receipt_is_not_found(client):
    assert client.get(reverse("feedback:receipt", args=["1"])).status_code == 404
    response = post_report(client)
    token = response["Location"].rstrip("/").rsplit("/", 1)[1]
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(reverse("feedback:receipt", args=[forged])).status_code == 404


def test_an_address_copied_from_the_browser_is_taken_as_its_path(client):
    post_report(client, page="http://testserver/insyn/0099/?x=1")
    assert AccessibilityReport.objects.get().page == "/insyn/0099/"
    refused = post_report(client, page="http://evil.example/insyn/0099/")
    assert refused.status_code == 400 and "page" in refused.context["form"].errors
