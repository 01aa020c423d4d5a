"""The feedback pages in Chromium, as a resident and as the installation's administrator:
the residents' pages hold no script (the forms are plain HTML) and every page passes
axe-core (WCAG 2.1 A/AA)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from uppsikt.feedback.models import AccessibilityReport, PageAnswer

from .a11y import assert_accessible
from .feedback_setup import URLS, public_frame, superuser
from .signin import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls(URLS),
]


def no_script(page) -> None:
    """The page holds no script of its own: its forms work as plain HTML."""
    assert page.locator("script").count() == 0, page.url


def test_a_resident_answers_comments_and_reports(live_server, page):
    call_command("demo_accessibility")
    with public_frame():
        page.goto(live_server.url + "/prov/sida/")
        no_script(page)
        assert_accessible(page)
        page.get_by_role("button", name="Nej").click()
        expect(page.get_by_role("heading", name="Tack för ditt svar")).to_be_visible()
        no_script(page)
        assert_accessible(page)
        page.get_by_label("Vill du berätta mer? (frivilligt)").fill(
            "Jag hittade inte <b>siffrorna</b>"
        )
        page.get_by_role("button", name="Skicka kommentaren").click()
        expect(page.get_by_text("Vi har tagit emot din kommentar")).to_be_visible()
        no_script(page)
        assert_accessible(page)
        page.get_by_role("link", name="Tillbaka till sidan").click()
        expect(page).to_have_url(live_server.url + "/prov/sida/")
        expect(page.get_by_text("Tack")).to_have_count(0)

        page.get_by_role("link", name="Tillgänglighetsredogörelse").click()
        assert (
            page.get_by_role("heading", level=1)
            .inner_text()
            .startswith("Tillgänglighetsredogörelse för")
        )
        no_script(page)
        assert_accessible(page)
        page.get_by_role("link", name="Rapportera ett tillgänglighetsproblem").first.click()
        page.get_by_role("button", name="Skicka rapporten").click()  # empty: refused
        expect(page.get_by_role("alert")).to_be_visible()
        no_script(page)
        assert_accessible(page)
        page.get_by_label("Sidans adress").fill("/prov/sida/")
        page.get_by_label("Beskriv problemet").fill("Knappen Nej har för låg kontrast.")
        page.get_by_role("button", name="Skicka rapporten").click()
        expect(page.get_by_text("Ditt ärendenummer är")).to_be_visible()
        no_script(page)
        assert_accessible(page)
    answer = PageAnswer.objects.get()
    assert answer.useful is False and answer.comment == "Jag hittade inte <b>siffrorna</b>"
    assert AccessibilityReport.objects.get().page == "/prov/sida/"


def test_the_administrators_pages(live_server, page):
    superuser("feedback-admin")
    call_command("demo_accessibility")
    from django.contrib.auth.models import AnonymousUser

    from uppsikt.feedback.actions import add_comment, record_answer, submit_report

    add_comment(record_answer(path="/prov/sida/", useful=False), "Svår att förstå <i>alls</i>")
    submit_report(actor=AnonymousUser(), page="/prov/sida/", description="Fokus syns inte.")
    sign_in(page, live_server.url, "feedback-admin")
    for path in ("/tillganglighet/", "/tillganglighet/andra/", "/synpunkter/"):
        page.goto(live_server.url + path)
        no_script(page)
        assert_accessible(page)
    page.goto(live_server.url + "/tillganglighet/rapporter/")
    assert_accessible(page)
    page.get_by_label("Vad som gjordes (frivilligt)").fill("Fokusramen är tydligare nu.")
    page.get_by_role("button", name="som hanterad").click()
    expect(page.get_by_text("är markerad som hanterad")).to_be_visible()
    assert_accessible(page)
    assert AccessibilityReport.objects.get().handled_at is not None
