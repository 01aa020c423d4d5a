"""An organisation's colour and logo: the action that sets them (contrast, file type, size,
rights, audit), the views that serve them, and the pages and reports that carry them."""

from __future__ import annotations

import dataclasses
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from tests.builders import load_minimal, user_with_role
from tests.followup_setup import small_setting
from uppsikt.administration.actions import update_branding
from uppsikt.administration.branding_actions import MAX_LOGO_BYTES
from uppsikt.audit.models import AuditEvent
from uppsikt.lib.contrast import MIN_TEXT_RATIO, WHITE, contrast_ratio
from uppsikt.organisations.models import Organisation, OrganisationLogo
from uppsikt.plans.models import Plan
from uppsikt.reports.build import build_document, render

pytestmark = pytest.mark.django_db

COLOUR = "#1f4e79"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def png(size: int = 8) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (size, size), (31, 78, 121)).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 10, 10)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def brand_region():
    load_minimal()
    return Organisation.objects.get(code="0099")


@pytest.fixture
def brand_root():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("rot", password="x-test-pass-1")


def unchanged(organisation: Organisation) -> tuple:
    organisation.refresh_from_db()
    return (organisation.colour, organisation.logo_version, OrganisationLogo.objects.count())


def test_colour_and_logo_are_stored_and_audited(brand_region, brand_root):
    update_branding(brand_region, actor=brand_root, colour="#1F4E79", logo=png())
    brand_region.refresh_from_db()
    assert brand_region.colour == COLOUR and brand_region.logo_version == 1
    assert OrganisationLogo.objects.get(organisation=brand_region).content_type == "image/png"
    event = AuditEvent.objects.get(action="organisation.branding")
    assert event.before == {"colour": "", "logo": None}
    assert event.after["colour"] == COLOUR and event.after["logo"]["type"] == "image/png"
    update_branding(brand_region, actor=brand_root, logo=jpeg())
    brand_region.refresh_from_db()
    assert brand_region.logo_version == 2 and brand_region.colour == COLOUR
    assert OrganisationLogo.objects.get(organisation=brand_region).content_type == "image/jpeg"
    update_branding(brand_region, actor=brand_root, colour="", logo=b"")
    brand_region.refresh_from_db()
    assert (brand_region.colour, brand_region.logo_version, brand_region.has_brand) == (
        "",
        0,
        False,
    )
    assert not OrganisationLogo.objects.exists()
    update_branding(brand_region, actor=brand_root, colour="")  # nothing to change: no event
    assert AuditEvent.objects.filter(action="organisation.branding").count() == 3


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"colour": "#9ccc65"}, "colour", "kontrasten 1,"),
        ({"colour": "#7a7a7a", "logo": png()}, "colour", "minst 4,5:1"),
        ({"colour": "blå"}, "colour", "#rrggbb"),
        ({"logo": SVG}, "logo", "Logotypen kan inte användas"),
        ({"logo": b"%PDF-1.4\n%%EOF"}, "logo", "Logotypen"),
        ({"logo": png()[:-12]}, "logo", "ofullständig"),
        ({"colour": COLOUR, "logo": b"\x89PNG" + b"0" * MAX_LOGO_BYTES}, "logo", "högst 512 kB"),
    ],
)
def test_bad_colours_and_files_are_refused_and_nothing_changes(
    brand_region, brand_root, changes, field, words
):
    before = unchanged(brand_region)
    with pytest.raises(ValidationError) as error:
        update_branding(brand_region, actor=brand_root, **changes)
    assert words in " ".join(error.value.message_dict[field])
    assert unchanged(brand_region) == before
    assert not AuditEvent.objects.filter(action="organisation.branding").exists()


@settings(max_examples=40, deadline=None)
@given(st.from_regex(r"#[0-9a-f]{6}", fullmatch=True))
def test_a_colour_is_taken_exactly_when_white_text_reads_on_it(colour):
    from uppsikt.administration.branding_actions import _colour_problem

    assert (_colour_problem(colour) is None) == (contrast_ratio(colour, WHITE) >= MIN_TEXT_RATIO)


def test_only_the_organisations_administrator_sets_it(brand_region):
    with pytest.raises(PermissionDenied):
        update_branding(brand_region, actor=user_with_role("p", "planerare"), colour=COLOUR)
    assert unchanged(brand_region) == ("", 0, 0)


def test_the_same_logo_again_changes_nothing(brand_region, brand_root):
    update_branding(brand_region, actor=brand_root, colour=COLOUR, logo=png())
    stored = OrganisationLogo.objects.get().pk
    events = AuditEvent.objects.count()
    again = update_branding(brand_region, actor=brand_root, colour=COLOUR, logo=png())
    assert again.logo_version == 1 and unchanged(brand_region) == (COLOUR, 1, 1)
    assert OrganisationLogo.objects.get().pk == stored
    assert AuditEvent.objects.count() == events


def test_the_logo_is_served_only_as_an_image_without_sniffing(client, brand_region, brand_root):
    assert client.get("/organisationer/0099/logotyp").status_code == 404
    update_branding(brand_region, actor=brand_root, colour=COLOUR, logo=png())
    response = client.get("/organisationer/0099/logotyp")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response.content == png()
    css = client.get("/organisationer/0099/profil.css")
    assert css["Content-Type"].startswith("text/css") and COLOUR in css.content.decode()
    assert client.post("/organisationer/0099/logotyp").status_code == 405


def test_public_pages_carry_the_brand_and_look_as_before_without_it(
    client, brand_region, brand_root
):
    plan = Plan.objects.get()
    for path in ("/organisationer/0099/", plan.get_absolute_url()):
        assert "brand-band" not in client.get(path).content.decode()
    update_branding(brand_region, actor=brand_root, colour=COLOUR, logo=png())
    for path in ("/organisationer/0099/", plan.get_absolute_url()):
        page = client.get(path).content.decode()
        assert 'class="brand-band brand-colour"' in page
        assert "/organisationer/0099/logotyp?v=1" in page
        assert "/organisationer/0099/profil.css?v=1f4e79" in page
        assert "Logotyp för Region Test" in page


def test_reports_carry_name_logo_and_colour_on_the_cover(brand_root):
    setting = small_setting()
    organisation = setting.unit.organisation
    plain = build_document(setting.unit, setting.period, user=brand_root)
    assert plain.brand_css == "" and "brand-colour" not in render(plain, "html").decode()
    update_branding(organisation, actor=brand_root, colour=COLOUR, logo=png())
    document = build_document(setting.unit, setting.period, user=brand_root)
    html = render(document, "html").decode()
    assert 'class="r-cover__logo" src="data:image/png;base64,' in html
    assert f"background: {COLOUR}; color: #ffffff" in html
    assert 'class="r-cover__org brand-colour">Region Test<' in html
    docx = zipfile.ZipFile(io.BytesIO(render(document, "docx", organisation=organisation)))
    assert any(name.startswith("word/media/") for name in docx.namelist())
    assert "Logotyp för Region Test" in docx.read("word/document.xml").decode()
    assert "1F4E79" in docx.read("word/document.xml").decode()
    assert render(document, "pdf").startswith(b"%PDF-")
    # The workbook's first sheet carries the logo too, described by its alternative text.
    xlsx = zipfile.ZipFile(io.BytesIO(render(document, "xlsx")))
    (media,) = [name for name in xlsx.namelist() if name.startswith("xl/media/")]
    assert Image.open(io.BytesIO(xlsx.read(media))).size == (8, 8)
    assert 'descr="Logotyp för Region Test"' in xlsx.read("xl/drawings/drawing1.xml").decode()
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(render(document, "xlsx")))
    assert len(book.worksheets[0]._images) == 1
    plain_xlsx = zipfile.ZipFile(io.BytesIO(render(plain, "xlsx")))
    assert not [name for name in plain_xlsx.namelist() if name.startswith("xl/media/")]
    # The brand is not what the report says: changing it changes no approved fingerprint.
    from uppsikt.reports.snapshot import fingerprint

    plainer = dataclasses.replace(document, brand_colour="", logo="")
    assert fingerprint(document) == fingerprint(plainer)


def test_the_profile_page_sets_the_brand_and_names_a_weak_colour(client, brand_region, brand_root):
    assert "/profil/" not in client.get("/organisationer/0099/").content.decode()
    client.force_login(brand_root)
    assert (
        "/administration/organisationer/0099/profil/"
        in client.get("/organisationer/0099/").content.decode()
    )
    url = "/administration/organisationer/0099/profil/"
    assert client.get(url).status_code == 200
    page = client.post(url, {"colour": "#9ccc65"}).content.decode()
    assert "kontrasten 1," in page and "minst 4,5:1" in page
    assert unchanged(brand_region) == ("", 0, 0)
    logo = io.BytesIO(png())
    logo.name = "logo.png"
    response = client.post(url, {"colour": COLOUR, "logo": logo})
    assert response.status_code == 302
    assert unchanged(brand_region) == (COLOUR, 1, 1)
    svg = io.BytesIO(SVG)
    svg.name = "logo.png"
    page = client.post(url, {"colour": COLOUR, "logo": svg}).content.decode()
    assert "Logotypen kan inte användas" in page
    assert client.post(url, {"colour": COLOUR, "remove_logo": "on"}).status_code == 302
    assert unchanged(brand_region) == (COLOUR, 0, 0)


def test_the_profile_page_is_only_for_the_organisations_administrator(client, brand_region):
    client.force_login(user_with_role("p", "planerare"))
    assert client.get("/administration/organisationer/0099/profil/").status_code == 403
    client.force_login(user_with_role("x", None))
    assert client.get("/administration/organisationer/0099/profil/").status_code == 404
