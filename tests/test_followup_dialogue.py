"""The review dialogue: threads on entries and reports, who may post, the return comment that
stays, and an entry's earlier texts compared with the current one."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from uppsikt.audit.models import AuditEvent
from uppsikt.followup.actions.dialogue import comment_on_entry, comment_on_report
from uppsikt.followup.actions.entries import save_followup
from uppsikt.followup.actions.reports import approve_report, return_report, submit_report
from uppsikt.followup.models import ReviewComment, UnitReport
from uppsikt.followup.revisions import earlier_texts, revisions_of
from uppsikt.organisations.models import Unit
from uppsikt.periods.actions import close_period

from .builders import user_with_role
from .followup_setup import complete

pytestmark = pytest.mark.django_db
FORM = "/uppfoljning/0099/2023-delarsrapport/styrelsen/"


def other_unit(setting) -> Unit:
    return Unit.objects.create(
        organisation=setting.unit.organisation,
        parent=setting.board,
        slug="vardnamnden",
        name="Vårdnämnden",
        kind=Unit.Kind.NAMND,
    )


def test_the_return_comment_stays_in_the_thread_after_resubmission_and_approval(
    small_followup_setting,
):
    setting = small_followup_setting
    planner, reviewer = user_with_role("planerare", "planerare"), user_with_role("g", "granskare")
    complete(setting, planner)
    submit_report(setting.unit, setting.period, actor=planner)
    return_report(
        setting.unit, setting.period, actor=reviewer, comment="Motivera budgetavvikelsen."
    )
    report = UnitReport.objects.get()
    assert report.review_comment == "Motivera budgetavvikelsen."
    comment_on_report(setting.unit, setting.period, actor=planner, text="Motiverad nu.")
    submit_report(setting.unit, setting.period, actor=planner)
    approve_report(setting.unit, setting.period, actor=reviewer, note="Bra, tack.")
    thread = list(ReviewComment.objects.filter(report=report).order_by("created_at", "pk"))
    assert [(c.kind, c.text, c.author) for c in thread] == [
        ("return", "<p>Motivera budgetavvikelsen.</p>", reviewer),
        ("comment", "<p>Motiverad nu.</p>", planner),
        ("approval", "<p>Bra, tack.</p>", reviewer),
    ]
    client_page = _page_as(reviewer)
    assert "Motivera budgetavvikelsen." in client_page and "Bra, tack." in client_page
    events = AuditEvent.objects.filter(action="followup.comment")
    assert [e.after["kind"] for e in events.order_by("sequence")] == [
        "return",
        "comment",
        "approval",
    ]


def _page_as(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.get(FORM).content.decode()


def test_a_refused_return_or_approval_writes_no_post(small_followup_setting):
    setting = small_followup_setting
    planner, reviewer = user_with_role("planerare", "planerare"), user_with_role("g", "granskare")
    complete(setting, planner)
    with pytest.raises(ValidationError):  # not submitted: cannot be returned
        return_report(setting.unit, setting.period, actor=reviewer, comment="Se över.")
    with pytest.raises(PermissionDenied):
        approve_report(setting.unit, setting.period, actor=planner, note="Själv godkänd.")
    submit_report(setting.unit, setting.period, actor=planner)
    with pytest.raises(ValidationError) as error:
        approve_report(setting.unit, setting.period, actor=reviewer, note="<p> </p>")
    assert "note" in error.value.message_dict
    assert not ReviewComment.objects.exists()
    assert UnitReport.objects.get().state == "inlamnad"


def test_who_may_post_on_an_entry_and_refusals_change_nothing(small_followup_setting):
    setting = small_followup_setting
    elsewhere = other_unit(setting)
    entry = save_followup(
        setting.activity, setting.period, actor=user_with_role("p", "planerare"), comment="Text."
    )
    reporter = user_with_role("rapportor", "rapportor", setting.unit)
    reviewer = user_with_role("granskare", "granskare", setting.unit)
    reader = user_with_role("lasare", "lasare", setting.unit)
    outsider = user_with_role("ute", "granskare", elsewhere)
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied, match="får inte läsa enhetens uppföljning"):
        comment_on_entry(entry, actor=outsider, text="Hej")
    with pytest.raises(PermissionDenied, match="får läsa uppföljningen men inte kommentera"):
        comment_on_entry(entry, actor=reader, text="Hej")
    with pytest.raises(ValidationError) as error:
        comment_on_entry(entry, actor=reporter, text="   ")
    assert error.value.error_dict["text"][0].code == "empty_text"
    with pytest.raises(ValidationError) as error:
        comment_on_entry(entry, actor=reporter, text="x" * 10001)
    assert error.value.error_dict["text"][0].code == "too_long"
    assert not ReviewComment.objects.exists() and AuditEvent.objects.count() == before
    comment_on_entry(entry, actor=reviewer, text="Hur går det?")
    comment_on_entry(entry, actor=reporter, text="Det går bra.\n\n- HR\n- Ekonomi")
    texts = list(entry.review_comments.values_list("text", flat=True))
    assert texts == [
        "<p>Hur går det?</p>",
        "<p>Det går bra.</p><ul><li>HR</li><li>Ekonomi</li></ul>",
    ]
    close_period(setting.period, actor=user_with_role("admin", "administrator"))
    with pytest.raises(ValidationError) as error:
        comment_on_entry(entry, actor=reviewer, text="Sent.")
    assert error.value.error_list[0].code == "period_closed"
    assert entry.review_comments.count() == 2


def test_a_comment_on_a_report_one_may_not_read_is_refused(client, small_followup_setting):
    setting = small_followup_setting
    outsider = user_with_role("ute", "rapportor", other_unit(setting))
    with pytest.raises(PermissionDenied, match="får inte läsa"):
        comment_on_report(setting.unit, setting.period, actor=outsider, text="Hej")
    assert not UnitReport.objects.exists() and not ReviewComment.objects.exists()
    client.force_login(outsider)
    assert client.get(FORM + "dialog/").status_code == 404
    assert client.post(FORM + "dialog/", {"text": "Hej"}).status_code == 404
    assert not ReviewComment.objects.exists()


def test_the_thread_pages_without_javascript(client, small_followup_setting):
    setting = small_followup_setting
    entry = save_followup(
        setting.activity, setting.period, actor=user_with_role("p", "planerare"), comment="Text."
    )
    reviewer = user_with_role("granskare", "granskare", setting.unit)
    reader = user_with_role("lasare", "lasare", setting.unit)
    client.force_login(reviewer)
    page = client.get(FORM).content.decode()
    assert f'href="{FORM}post/{entry.pk}/"' in page and "Dialog om rapporten" in page
    url = f"{FORM}post/{entry.pk}/"
    response = client.post(url, {"text": "  "})
    assert response.status_code == 200
    assert "Kommentaren sparades inte" in response.content.decode()
    response = client.post(url, {"text": "Förklara förseningen."})
    assert response.status_code == 302 and response["Location"] == url + "#dialog"
    page = client.get(FORM).content.decode()
    assert "Dialog: 1 kommentar" in page
    response = client.post(FORM + "dialog/", {"text": "Hela rapporten ser bra ut."})
    assert response.status_code == 302
    assert "Hela rapporten ser bra ut." in client.get(FORM).content.decode()
    client.force_login(reader)
    page = client.get(url).content.decode()
    assert "Förklara förseningen." in page and "Spara kommentaren" not in page
    assert client.post(url, {"text": "Får inte."}).status_code == 403
    assert client.post(FORM + "dialog/", {"text": "Får inte."}).status_code == 403
    assert ReviewComment.objects.count() == 2
    other = f"/uppfoljning/0099/2023-delarsrapport/fullmaktige/post/{entry.pk}/"
    assert client.get(other).status_code == 404  # the entry is not that unit's


def test_earlier_texts_come_from_the_trail_and_compare_with_the_current(
    client, small_followup_setting
):
    setting = small_followup_setting
    planner = user_with_role("planerare", "planerare")
    entry = save_followup(setting.activity, setting.period, actor=planner, comment="Första text.")
    save_followup(setting.activity, setting.period, actor=planner, status="pagar")  # no text
    save_followup(setting.activity, setting.period, actor=planner, comment="Andra texten här.")
    save_followup(setting.activity, setting.period, actor=planner, comment="Andra texten här.")
    entry.refresh_from_db()
    revisions = revisions_of(entry)
    assert [r.text for r in revisions] == ["<p>Första text.</p>", "<p>Andra texten här.</p>"]
    earlier = earlier_texts(entry)
    assert [r.number for r in earlier] == [1]
    client.force_login(user_with_role("lasare", "lasare"))
    page = client.get(f"{FORM}post/{entry.pk}/").content.decode()
    assert "Jämför version 1 med nuvarande text" in page
    url = f"{FORM}post/{entry.pk}/jamfor/{earlier[0].sequence}/"
    page = client.get(url).content.decode()
    assert '<del class="diff-del">' in page and '<ins class="diff-ins">' in page
    assert "Första text." in page and "Andra texten här." in page
    assert client.get(f"{FORM}post/{entry.pk}/jamfor/999999/").status_code == 404
