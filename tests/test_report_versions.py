"""Published versions (issue 14.6): every approval keeps a version; a report returned for
changes stays public as its last approved version, with a note, and nothing of the revision
shows until it is approved again."""

from __future__ import annotations

import io

import docx
import pypdf
import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.urls import reverse

from uppsikt.followup.actions.entries import save_followup, set_state
from uppsikt.followup.actions.reports import approve_report, return_report, submit_report
from uppsikt.followup.models import FollowUp, UnitReport
from uppsikt.reports.build import approved_file
from uppsikt.reports.models import ApprovedReport, ApprovedReportFile

from .builders import user_with_role
from .test_pages import text_of

pytestmark = pytest.mark.django_db

OLD, NEW = "Kommentar om", "Reviderad bedömning efter granskningen."
NOTE = "En reviderad version av rapporten är under arbete"


def _granskare(username: str, first: str, last: str):
    user = user_with_role(username, "granskare")
    user.first_name, user.last_name = first, last
    user.save(update_fields=["first_name", "last_name"])
    return user


def _args(setting, *more) -> list:
    return ["0099", setting.period.slug, setting.unit.slug, *more]


def _approve(setting, reviewer) -> UnitReport:
    submit_report(setting.unit, setting.period, actor=user_with_role("l1", "planerare"))
    return approve_report(setting.unit, setting.period, actor=reviewer)


def _return_and_revise(setting, reviewer) -> FollowUp:
    """Return the report with the first goal's entry reopened, and rewrite that entry."""
    entry = FollowUp.objects.get(
        period=setting.period,
        unit=setting.unit,
        content_type=ContentType.objects.get_for_model(setting.goals[0]),
        object_id=setting.goals[0].pk,
    )
    return_report(
        setting.unit, setting.period, actor=reviewer, comment="Skriv om målet.", reopen=[entry.pk]
    )
    writer = user_with_role("skrivare2", "planerare")
    entry = save_followup(setting.goals[0], setting.period, actor=writer, comment=NEW)
    set_state(entry, FollowUp.State.KLAR, actor=writer)
    return entry


def _resubmit(setting) -> None:
    submit_report(setting.unit, setting.period, actor=user_with_role("l2", "planerare"))


# -- the model and the actions -----------------------------------------------------------


def test_every_approval_keeps_a_numbered_version_with_who_and_when(completed_followup_setting):
    setting = completed_followup_setting
    greta = _granskare("greta", "Greta", "Granskare")
    report = _approve(setting, greta)
    first = ApprovedReport.objects.get(report=report)
    assert (first.number, first.approved_by, first.approved_at) == (1, greta, report.reviewed_at)
    pdf_of_first = approved_file(first, "html")
    _return_and_revise(setting, greta)
    assert ApprovedReport.objects.filter(report=report).count() == 1  # a return keeps it
    _resubmit(setting)
    assert ApprovedReport.objects.filter(report=report).count() == 1  # so does a submission
    hans = _granskare("hans", "Hans", "Höög")
    report = approve_report(setting.unit, setting.period, actor=hans)
    second, kept = ApprovedReport.objects.filter(report=report).order_by("-number")
    assert (second.number, second.approved_by) == (2, hans)
    assert kept.pk == first.pk and kept.document == first.document  # unchanged
    assert second.fingerprint != first.fingerprint
    # the earlier version's file is kept, not thrown away by the new approval
    assert ApprovedReportFile.objects.get(approved=first, fmt="html").data == pdf_of_first


def test_two_versions_cannot_share_a_number(completed_followup_setting):
    report = _approve(completed_followup_setting, _granskare("greta", "Greta", "G"))
    first = ApprovedReport.objects.get(report=report)
    with pytest.raises(IntegrityError), transaction.atomic():
        ApprovedReport.objects.create(
            report=report, number=1, approved_at=first.approved_at, document={}, fingerprint=""
        )
    assert ApprovedReport.objects.filter(report=report).count() == 1


# -- the whole cycle on the public pages ------------------------------------------------


def _pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    return " ".join(
        " ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(data)).pages
    )


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    return " ".join(paragraph.text for paragraph in document.paragraphs)


def test_approve_return_edit_and_approve_again(client, completed_followup_setting):
    setting = completed_followup_setting
    page = reverse("reports:page", args=_args(setting))
    listing_url = reverse("reports:published")
    greta = _granskare("greta", "Greta", "Granskare")
    _approve(setting, greta)
    _return_and_revise(setting, greta)

    # returned: the public still reads version 1, told that a revision is under way
    text = text_of(client.get(page))
    assert OLD in text and NEW not in text
    assert NOTE in text and "version 1" in text
    listing = text_of(client.get(listing_url))
    assert "Delårsrapport 2023: Regionstyrelsen" in listing
    assert "En reviderad version är under arbete" in listing
    assert "godkänd" in listing and "av Greta Granskare" in listing
    # nothing of the revision in any file either
    current_pdf = client.get(reverse("reports:download", args=_args(setting, "pdf")))
    assert NEW not in _pdf_text(current_pdf.content)
    # staff read the revision, and are told what the public sees meanwhile
    client.force_login(user_with_role("lasare", "lasare"))
    staff = text_of(client.get(page))
    assert NEW in staff and "Allmänheten ser den senast godkända versionen (version 1)" in staff
    client.logout()

    _resubmit(setting)
    text = text_of(client.get(page))
    assert NEW not in text and NOTE in text  # submitted is not approved

    hans = _granskare("hans", "Hans", "Höög")
    approve_report(setting.unit, setting.period, actor=hans)
    text = text_of(client.get(page))
    assert NEW in text and NOTE not in text
    assert "Version 2 gällande" in text and "Version 1 (tidigare)" in text
    assert "Hans Höög" in text and "Greta Granskare" in text
    listing = text_of(client.get(listing_url))
    assert "Version 2" in listing and "Version 1" in listing
    assert "En reviderad version är under arbete" not in listing

    # each version downloadable, as itself, in every format
    for number, says, not_says in ((1, OLD, NEW), (2, NEW, None)):
        urls = {
            fmt: reverse("reports:version_download", args=_args(setting, number, fmt))
            for fmt in ("pdf", "docx", "xlsx", "html")
        }
        for fmt, url in urls.items():
            assert url in client.get(page).content.decode()
            response = client.get(url)
            assert response.status_code == 200, (number, fmt)
            assert f"-version-{number}." in response["Content-Disposition"]
        pdf = _pdf_text(client.get(urls["pdf"]).content)
        word = _docx_text(client.get(urls["docx"]).content)
        for text in (pdf, word):
            assert says in text
            if not_says:
                assert not_says not in text
        assert client.get(urls["xlsx"]).content.startswith(b"PK")
    # the earlier version's page keeps its address and says it is earlier
    earlier = text_of(client.get(reverse("reports:version", args=_args(setting, 1))))
    assert "Det här är en tidigare version av rapporten: version 1" in earlier
    assert OLD in earlier and NEW not in earlier
    # the unversioned file URL is the current version
    current = client.get(reverse("reports:download", args=_args(setting, "docx")))
    assert NEW in _docx_text(current.content)


def test_a_parent_report_built_from_todays_data_leaves_a_revision_out(
    client, completed_followup_setting
):
    """Fullmäktige's public report holds styrelsen's chapter only while styrelsen's report
    is approved as it stands: during the revision the draft text never shows there."""
    setting = completed_followup_setting
    UnitReport.objects.create(
        unit=setting.board, period=setting.period, state=UnitReport.State.GODKAND
    )
    board_page = reverse("reports:page", args=["0099", setting.period.slug, setting.board.slug])
    greta = _granskare("greta", "Greta", "G")
    _approve(setting, greta)
    assert OLD in text_of(client.get(board_page))
    _return_and_revise(setting, greta)
    text = text_of(client.get(board_page))
    assert NEW not in text and OLD not in text


def test_versions_that_do_not_exist_are_not_found(client, completed_followup_setting):
    setting = completed_followup_setting
    version_page = reverse("reports:version", args=_args(setting, 1))
    assert client.get(version_page).status_code == 404  # not approved yet
    _approve(setting, _granskare("greta", "Greta", "G"))
    assert client.get(version_page).status_code == 200
    assert client.get(reverse("reports:version", args=_args(setting, 2))).status_code == 404
    bad = reverse("reports:version_download", args=_args(setting, 1, "odt"))
    assert client.get(bad).status_code == 404
    missing = reverse("reports:version_download", args=_args(setting, 3, "pdf"))
    assert client.get(missing).status_code == 404


# -- the API -----------------------------------------------------------------------------


def test_the_api_lists_every_version_without_a_token(client, completed_followup_setting):
    setting = completed_followup_setting
    assert client.get("/api/v1/published-reports").json()["count"] == 0
    greta = _granskare("greta", "Greta", "Granskare")
    report = _approve(setting, greta)
    _return_and_revise(setting, greta)
    body = client.get("/api/v1/published-reports?organisation=0099&year=2023").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert (item["id"], item["under_revision"]) == (report.pk, True)
    assert [v["number"] for v in item["versions"]] == [1]
    _resubmit(setting)
    approve_report(setting.unit, setting.period, actor=_granskare("hans", "Hans", "Höög"))
    item = client.get(f"/api/v1/published-reports/{report.pk}").json()
    assert item["under_revision"] is False
    assert [(v["number"], v["approved_by"], v["is_current"]) for v in item["versions"]] == [
        (2, "Hans Höög", True),
        (1, "Greta Granskare", False),
    ]
    files = {f["format"]: f["url"] for f in item["versions"][1]["files"]}
    assert set(files) == {"pdf", "docx", "xlsx", "html"}
    assert files["pdf"].endswith(reverse("reports:version_download", args=_args(setting, 1, "pdf")))
    assert client.get(files["html"]).status_code == 200
    assert client.get("/api/v1/published-reports?year=2022").json()["count"] == 0
    assert client.get("/api/v1/published-reports/999999").status_code == 404
