"""A file's type is judged by its content (``lib.filetypes``): real files of every kind are
taken, whatever else they look like are refused."""

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uppsikt.lib import filetypes
from uppsikt.lib.filetypes import DOCX, JPEG, PDF, PNG, XLSX, display_name, download_name, judge
from uppsikt.lib.limits import InputRefused, Limits

from . import sample_files
from .sample_files import EXE, HTML_PAGE, SVG, with_member, zip_of

KINDS = {"pdf": PDF, "png": PNG, "jpeg": JPEG, "docx": DOCX, "xlsx": XLSX}
SIGNATURES = [b"%PDF-1.7\n", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"PK\x03\x04"]


@pytest.mark.parametrize("key", list(KINDS))
def test_every_real_sample_is_taken_as_its_type(key):
    assert judge(sample_files.SAMPLES[key]()) is KINDS[key]


def _independent_type(content: bytes) -> str | None:
    """What the file is according to the libraries that read it, not ``filetypes``."""
    from PIL import Image

    if content.startswith(b"%PDF-") and b"%%EOF" in content[-1024:]:
        return "pdf"
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            return {"PNG": "png", "JPEG": "jpeg"}.get(image.format or "")
    except Exception:  # not an image: perhaps a zip
        names: set[str] = set()
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except Exception:  # not a zip either
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096))
def test_random_bytes_are_never_taken_as_a_type_they_are_not(content):
    try:
        kind = judge(content)
    except InputRefused as refused:
        assert refused.code == "forbidden_type"
        return
    assert _independent_type(content) == kind.key


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(SIGNATURES), st.binary(max_size=2048))
def test_a_signature_followed_by_anything_is_refused(signature, rest):
    content = signature + rest.replace(b"%%EOF", b"")
    with pytest.raises(InputRefused) as refused:
        judge(content)
    assert refused.value.code == "forbidden_type"


@pytest.fixture
def truncated_images_allowed():
    """As in a process that has imported WeasyPrint, which lets Pillow read truncated
    images for everyone."""
    from PIL import ImageFile

    before = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = True
    yield
    ImageFile.LOAD_TRUNCATED_IMAGES = before


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.sampled_from(["png", "jpeg", "docx", "xlsx"]), st.data())
def test_a_real_sample_cut_short_is_refused(truncated_images_allowed, key, data):
    content = sample_files.SAMPLES[key]()
    cut = data.draw(st.integers(min_value=1, max_value=len(content) - 1))
    with pytest.raises(InputRefused):
        judge(content[:cut])


@pytest.mark.parametrize(
    "content",
    [EXE, HTML_PAGE, SVG, b"", b"plain text\n", b"%PDF-1.7\nno end marker"],
    ids=["exe", "html", "svg", "empty", "text", "pdf-without-eof"],
)
def test_what_is_none_of_the_types_is_refused_by_name(content):
    with pytest.raises(InputRefused) as refused:
        judge(content)
    assert refused.value.code == "forbidden_type"
    assert "Tillåtna filtyper är PDF, PNG, JPEG, Word (DOCX), Excel (XLSX)" in refused.value.message


def test_a_zip_of_something_else_is_not_a_word_document():
    fake = zip_of({"[Content_Types].xml": b"<Types/>", "readme.txt": b"hej"})
    with pytest.raises(InputRefused, match="inte ett Word- eller Excel-dokument"):
        judge(fake)
    named_only = zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<x/>"})
    with pytest.raises(InputRefused, match="inte ett Word- eller Excel-dokument"):
        judge(named_only)


def test_a_document_whose_parts_are_garbage_cannot_be_opened_and_is_refused():
    with zipfile.ZipFile(io.BytesIO(sample_files.docx())) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    members["word/document.xml"] = b"not xml at all"
    with pytest.raises(InputRefused, match="kan inte öppnas"):
        judge(zip_of(members))


def test_macros_and_dtds_are_refused():
    with pytest.raises(InputRefused, match="makron"):
        judge(with_member(sample_files.docx(), "word/vbaProject.bin", b"\x00" * 10))
    entity = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'
    with pytest.raises(InputRefused, match="DTD"):
        judge(with_member(sample_files.xlsx(), "xl/extra.xml", entity))


def test_a_zip_bomb_is_refused_by_the_import_limits():
    bomb = with_member(sample_files.xlsx(), "xl/media/big.bin", bytes(3 * 1024 * 1024))
    small = Limits(upload_bytes=10**9, unpacked_bytes=10**9, ratio=100, rows=10, errors=10)
    with pytest.raises(InputRefused) as refused:
        judge(bomb, small)
    assert refused.value.code == "zip_bomb"
    tight = Limits(upload_bytes=10**9, unpacked_bytes=1024, ratio=100, rows=10, errors=10)
    with pytest.raises(InputRefused) as refused:
        judge(sample_files.docx(), tight)
    assert refused.value.code == "unpacked_too_large"


def test_an_image_too_large_to_decode_is_refused_before_it_is(monkeypatch):
    monkeypatch.setattr(filetypes, "MAX_PIXELS", 100)  # the sample is 40 × 30
    with pytest.raises(InputRefused, match="bildpunkter"):
        judge(sample_files.png())


@given(st.text(max_size=300))
def test_a_shown_name_is_harmless_whatever_was_sent(name):
    shown = display_name(name)
    assert shown and len(shown) <= 200
    assert not set(shown) & set('/\\"<>:;*?|\x00\n\r')
    downloaded = download_name(name, PDF)
    assert downloaded.endswith(".pdf") and "/" not in downloaded


def test_the_download_name_carries_the_judged_type_not_the_sent_one():
    assert download_name("Protokoll.exe", PDF) == "Protokoll.pdf"
    assert download_name("../../etc/passwd", PNG) == "passwd.png"
    assert download_name("Bild", JPEG) == "Bild.jpg"
