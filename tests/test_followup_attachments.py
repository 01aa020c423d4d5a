"""Attachments on follow-up entries (issue 14.9): real files of every allowed type are kept
through the storage API under a name of their own; a refused file leaves nothing behind."""

import hashlib
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uppsikt.audit.models import AuditEvent
from uppsikt.followup.actions import attachments as attachment_actions
from uppsikt.followup.actions.attachments import add_attachment, remove_attachment
from uppsikt.followup.actions.reports import submit_report
from uppsikt.followup.models import Attachment
from uppsikt.periods.actions import close_period

from . import sample_files
from .builders import user_with_role
from .followup_setup import complete
from .sample_files import EXE, HTML_PAGE, SVG

pytestmark = pytest.mark.django_db
TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def nothing_stored(settings, events_before: int) -> bool:
    return (
        not Attachment.objects.exists()
        and not stored_files(settings)
        and AuditEvent.objects.count() == events_before
    )


@pytest.mark.parametrize("key", list(TYPES))
def test_every_allowed_type_is_kept_with_its_judged_type_under_a_name_of_its_own(
    attachment_entry, key, settings
):
    planner = attachment_entry.written_by
    content = sample_files.SAMPLES[key]()
    attachment = add_attachment(
        attachment_entry, content, name="../Hemligt namn.exe", actor=planner
    )
    attachment.refresh_from_db()
    assert attachment.content_type == TYPES[key]
    assert attachment.original_name == "Hemligt namn.exe"
    assert attachment.size == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.uploaded_by == planner
    assert "Hemligt" not in attachment.file.name and ".exe" not in attachment.file.name
    assert attachment.file.name.startswith("uppfoljning/bilagor/")
    with default_storage.open(attachment.file.name) as stored:
        assert stored.read() == content
    assert [path.name for path in stored_files(settings)] == [Path(attachment.file.name).name]
    event = AuditEvent.objects.get(action="followup.attachment_add")
    assert event.after["sha256"] == attachment.sha256 and event.unit_id == attachment_entry.unit_id


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(key=st.sampled_from(list(TYPES)), name=st.text(max_size=80))
def test_the_type_is_the_contents_whatever_the_name(attachment_entry, key, name):
    attachment = add_attachment(
        attachment_entry, sample_files.SAMPLES[key](), name=name, actor=attachment_entry.written_by
    )
    assert attachment.content_type == TYPES[key]
    assert attachment.download_name.endswith("." + attachment.file.name.rsplit(".", 1)[1])
    remove_attachment(attachment, actor=attachment_entry.written_by)


@pytest.mark.parametrize(
    "content,name",
    [
        (EXE, "rapport.pdf"),
        (HTML_PAGE, "sida.pdf"),
        (SVG, "bild.png"),
        (sample_files.zip_of({"a.txt": b"hej"}), "dokument.docx"),
    ],
    ids=["exe-as-pdf", "html", "svg", "zip-as-docx"],
)
def test_a_forbidden_type_is_refused_by_name_and_nothing_is_stored(
    attachment_entry, content, name, settings
):
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        add_attachment(attachment_entry, content, name=name, actor=attachment_entry.written_by)
    assert refused.value.error_dict["file"][0].code == "forbidden_type"
    assert "Filtypen tas inte emot" in refused.value.messages[0]
    assert nothing_stored(settings, events)


def test_a_file_above_the_limit_is_refused_naming_both_sizes(attachment_entry, settings):
    settings.ATTACHMENT_MAX_BYTES = 1000
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        add_attachment(
            attachment_entry, sample_files.pdf(), name="stor.pdf", actor=attachment_entry.written_by
        )
    assert refused.value.error_dict["file"][0].code == "too_large"
    assert "den största bilaga som tas emot är 1000 byte" in refused.value.messages[0]
    assert nothing_stored(settings, events)


def test_no_right_closed_period_and_locked_report_are_refused(
    attachment_entry, small_followup_setting, settings
):
    events = AuditEvent.objects.count()
    reader = user_with_role("lasare", "lasare")
    other_reporter = user_with_role("rapportor", "rapportor")  # not responsible for it
    for person in (reader, other_reporter):
        with pytest.raises(PermissionDenied, match="behörighet"):
            add_attachment(attachment_entry, sample_files.png(), name="a.png", actor=person)
    assert nothing_stored(settings, events)

    complete(small_followup_setting, actor=attachment_entry.written_by)
    submit_report(
        small_followup_setting.unit, attachment_entry.period, actor=attachment_entry.written_by
    )
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        add_attachment(
            attachment_entry, sample_files.png(), name="a.png", actor=attachment_entry.written_by
        )
    assert refused.value.error_list[0].code == "report_locked"
    assert "inlämnad" in refused.value.messages[0]
    assert nothing_stored(settings, events)


def test_a_closed_period_is_refused(attachment_entry, settings):
    admin = user_with_role("admin", "administrator")
    close_period(attachment_entry.period, actor=admin)
    events = AuditEvent.objects.count()
    attachment_entry.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        add_attachment(attachment_entry, sample_files.png(), name="a.png", actor=admin)
    assert refused.value.error_list[0].code == "period_closed"
    assert "stängt" in refused.value.messages[0]
    assert nothing_stored(settings, events)


def test_a_failure_after_the_file_was_stored_removes_it(attachment_entry, settings, monkeypatch):
    def broken(**_kwargs):
        raise RuntimeError("the audit trail is unavailable")

    monkeypatch.setattr(attachment_actions, "record", broken)
    with pytest.raises(RuntimeError):
        add_attachment(
            attachment_entry, sample_files.png(), name="a.png", actor=attachment_entry.written_by
        )
    assert not Attachment.objects.exists() and not stored_files(settings)


def test_removal_deletes_the_file_once_committed_and_is_audited(
    attachment_entry, settings, django_capture_on_commit_callbacks
):
    attachment = add_attachment(
        attachment_entry, sample_files.jpeg(), name="a.jpg", actor=attachment_entry.written_by
    )
    assert stored_files(settings)
    reader = user_with_role("lasare", "lasare")
    with pytest.raises(PermissionDenied):
        remove_attachment(attachment, actor=reader)
    assert Attachment.objects.exists() and stored_files(settings)
    with django_capture_on_commit_callbacks(execute=True):
        remove_attachment(attachment, actor=attachment_entry.written_by)
    assert not Attachment.objects.exists() and not stored_files(settings)
    event = AuditEvent.objects.get(action="followup.attachment_remove")
    assert event.before["original_name"] == "a.jpg"


def test_files_go_with_their_entry(attachment_entry, settings, django_capture_on_commit_callbacks):
    add_attachment(
        attachment_entry, sample_files.png(), name="a.png", actor=attachment_entry.written_by
    )
    assert stored_files(settings)
    with django_capture_on_commit_callbacks(execute=True):
        attachment_entry.delete()
    assert not Attachment.objects.exists() and not stored_files(settings)
