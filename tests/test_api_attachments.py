"""Attachments through the REST API: list, upload (multipart), download, remove, with the
web's rules and machine-readable refusals."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from uppsikt.api.tokens import create_token
from uppsikt.audit.models import AuditEvent
from uppsikt.followup.models import Attachment
from uppsikt.organisations.models import Unit
from uppsikt.periods.actions import close_period

from . import sample_files
from .builders import user_with_role
from .sample_files import EXE

pytestmark = pytest.mark.django_db
API = "/api/v1/followups"


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {create_token(user, actor=user, name='test')[1]}"}


def upload(client, attachment_entry, headers, content, name="fil.pdf"):
    return client.post(
        f"{API}/{attachment_entry.pk}/attachments",
        {"file": SimpleUploadedFile(name, content, "application/octet-stream")},
        headers=headers,
    )


def test_upload_list_download_and_remove(
    client, attachment_entry, django_capture_on_commit_callbacks
):
    writer = bearer(attachment_entry.written_by)
    response = upload(client, attachment_entry, writer, sample_files.xlsx(), "Utfall.pdf")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["content_type"].endswith("spreadsheetml.sheet")
    assert body["name"] == "Utfall.pdf" and body["uploaded_by"] == "planerare"
    listed = client.get(f"{API}/{attachment_entry.pk}/attachments", headers=writer).json()
    assert [item["id"] for item in listed] == [body["id"]]
    reader = bearer(user_with_role("lasare", "lasare"))
    download = client.get(body["download"], headers=reader)
    assert download.status_code == 200
    assert download["Content-Type"] == body["content_type"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"] == 'attachment; filename="Utfall.xlsx"'
    assert b"".join(download.streaming_content) == sample_files.xlsx()
    assert (
        client.delete(
            f"{API}/{attachment_entry.pk}/attachments/{body['id']}", headers=reader
        ).status_code
        == 403
    )
    with django_capture_on_commit_callbacks(execute=True):
        gone = client.delete(
            f"{API}/{attachment_entry.pk}/attachments/{body['id']}", headers=writer
        )
    assert gone.status_code == 204 and not Attachment.objects.exists()


def test_refusals_carry_codes_and_store_nothing(client, attachment_entry, settings):
    writer = bearer(attachment_entry.written_by)
    events = AuditEvent.objects.count()
    response = upload(client, attachment_entry, writer, EXE, "rapport.pdf")
    assert response.status_code == 415 and response.json()["code"] == "forbidden_type"
    assert response.json()["errors"][0] == {
        "field": "file",
        "code": "forbidden_type",
        "message": response.json()["errors"][0]["message"],
    }
    settings.ATTACHMENT_MAX_BYTES = 100
    response = upload(client, attachment_entry, writer, sample_files.png(), "a.png")
    assert response.status_code == 413 and response.json()["code"] == "too_large"
    settings.ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    reader = bearer(user_with_role("lasare", "lasare"))
    response = upload(client, attachment_entry, reader, sample_files.png(), "a.png")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    close_period(attachment_entry.period, actor=user_with_role("admin", "administrator"))
    events = AuditEvent.objects.count()
    response = upload(client, attachment_entry, writer, sample_files.png(), "a.png")
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "period_closed"
    assert not Attachment.objects.exists() and AuditEvent.objects.count() == events


def test_the_public_and_other_units_see_nothing(client, attachment_entry):
    from uppsikt.followup.actions.attachments import add_attachment

    attachment = add_attachment(
        attachment_entry, sample_files.png(), name="a.png", actor=attachment_entry.written_by
    )
    other = Unit.objects.create(
        organisation=attachment_entry.unit.organisation,
        parent=attachment_entry.unit.parent,
        slug="namnd-x",
        name="Nämnd X",
        kind="namnd",
    )
    elsewhere = bearer(user_with_role("annan", "planerare", other))
    paths = (
        f"{API}/{attachment_entry.pk}/attachments",
        f"{API}/{attachment_entry.pk}/attachments/{attachment.pk}/file",
    )
    for headers in ({}, elsewhere):
        for path in paths:
            assert client.get(path, headers=headers).status_code == 404
    assert upload(client, attachment_entry, elsewhere, sample_files.png()).status_code == 404
    deleted = client.delete(
        f"{API}/{attachment_entry.pk}/attachments/{attachment.pk}", headers=elsewhere
    )
    assert deleted.status_code == 404 and Attachment.objects.count() == 1
    assert upload(client, attachment_entry, {}, sample_files.png()).status_code == 401
