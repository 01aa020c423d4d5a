"""The attachment pages: upload without JavaScript, download as an attachment with the judged
type, removal after a confirmation; 404 for those who may not read the unit's follow-up."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from uppsikt.followup.actions.attachments import add_attachment
from uppsikt.followup.models import Attachment
from uppsikt.organisations.models import Unit

from . import sample_files
from .builders import user_with_role
from .sample_files import EXE

pytestmark = pytest.mark.django_db
UNIT = "/uppfoljning/0099/2023-delarsrapport/styrelsen/"


def page_of(attachment_entry) -> str:
    return f"{UNIT}bilagor/{attachment_entry.pk}/"


def test_a_writer_uploads_without_javascript_and_sees_the_file_listed(client, attachment_entry):
    client.force_login(attachment_entry.written_by)
    unit_page = client.get(UNIT).content.decode()
    assert "Lägg till eller ta bort bilagor" in unit_page and page_of(attachment_entry) in unit_page
    form = client.get(page_of(attachment_entry)).content.decode()
    assert 'enctype="multipart/form-data"' in form and 'type="file"' in form
    upload = SimpleUploadedFile("Protokoll.pdf", sample_files.pdf(), "text/html")
    response = client.post(page_of(attachment_entry), {"file": upload})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.content_type == "application/pdf"  # not what the browser claimed
    listed = client.get(page_of(attachment_entry)).content.decode()
    assert "Protokoll.pdf" in listed and "PDF" in listed and "planerare" in listed
    assert "Protokoll.pdf" in client.get(UNIT).content.decode()


def test_a_refused_upload_names_the_reason_on_the_form_and_stores_nothing(
    client, attachment_entry, settings
):
    client.force_login(attachment_entry.written_by)
    response = client.post(
        page_of(attachment_entry),
        {"file": SimpleUploadedFile("rapport.pdf", EXE, "application/pdf")},
    )
    assert response.status_code == 200
    assert "Filtypen tas inte emot" in response.content.decode()
    settings.ATTACHMENT_MAX_BYTES = 100
    response = client.post(
        page_of(attachment_entry), {"file": SimpleUploadedFile("a.png", sample_files.png())}
    )
    assert "den största bilaga som tas emot är 100 byte" in response.content.decode()
    assert not Attachment.objects.exists()


def test_download_is_an_attachment_with_the_judged_type_and_a_safe_name(client, attachment_entry):
    attachment = add_attachment(
        attachment_entry,
        sample_files.png(),
        name='x"; filename=evil.html.exe',
        actor=attachment_entry.written_by,
    )
    reader = user_with_role("lasare", "lasare")
    client.force_login(reader)
    response = client.get(f"{UNIT}bilagor/fil/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and disposition.endswith('.png"')
    assert "evil.html.exe" not in disposition and disposition.count('"') == 2
    assert b"".join(response.streaming_content) == sample_files.png()
    # A reader cannot change the files.
    assert "Ladda upp" not in client.get(page_of(attachment_entry)).content.decode()
    assert (
        client.post(
            page_of(attachment_entry), {"file": SimpleUploadedFile("a.png", b"x")}
        ).status_code
        == 403
    )
    remove = f"{UNIT}bilagor/fil/{attachment.pk}/ta-bort/"
    assert client.get(remove).status_code == 403
    assert client.post(remove).status_code == 403
    assert Attachment.objects.exists()


def test_those_who_may_not_read_the_units_follow_up_get_404(client, attachment_entry):
    attachment = add_attachment(
        attachment_entry, sample_files.png(), name="a.png", actor=attachment_entry.written_by
    )
    styrelsen = Unit.objects.get(slug="styrelsen")
    other = Unit.objects.create(
        organisation=styrelsen.organisation,
        parent=styrelsen.parent,
        slug="namnd-x",
        name="Nämnd X",
        kind="namnd",
    )
    client.force_login(user_with_role("annan", "planerare", other))
    for path in (
        page_of(attachment_entry),
        f"{UNIT}bilagor/fil/{attachment.pk}/",
        f"{UNIT}bilagor/fil/{attachment.pk}/ta-bort/",
        # the attachment through another unit's address
        f"/uppfoljning/0099/2023-delarsrapport/namnd-x/bilagor/fil/{attachment.pk}/",
    ):
        assert client.get(path).status_code == 404, path
    client.logout()
    assert client.get(f"{UNIT}bilagor/fil/{attachment.pk}/").status_code == 302  # to log in


def test_removal_asks_first_then_removes(
    client, attachment_entry, django_capture_on_commit_callbacks
):
    attachment = add_attachment(
        attachment_entry, sample_files.docx(), name="Plan.docx", actor=attachment_entry.written_by
    )
    client.force_login(attachment_entry.written_by)
    remove = f"{UNIT}bilagor/fil/{attachment.pk}/ta-bort/"
    confirm = client.get(remove)
    assert confirm.status_code == 200 and "Ta bort bilagan?" in confirm.content.decode()
    assert Attachment.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remove)
    assert response.status_code == 302 and not Attachment.objects.exists()
    assert not attachment.file.storage.exists(attachment.file.name)


def test_a_reader_sees_the_files_on_the_unit_page_and_no_link_when_there_are_none(
    client, attachment_entry
):
    client.force_login(user_with_role("lasare", "lasare"))
    assert "bilagor/" not in client.get(UNIT).content.decode()
    add_attachment(
        attachment_entry, sample_files.png(), name="Foto.png", actor=attachment_entry.written_by
    )
    page = client.get(UNIT).content.decode()
    assert "Foto.png" in page and "Visa bilagorna" in page
    assert "Lägg till eller ta bort bilagor" not in page
