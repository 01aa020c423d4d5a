"""Plan documents refused (every ReadError code), the reading limits as settings, and the
plain-text reader."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests import plan_documents as docs
from tests import plan_reading_helpers as helpers
from tests.plan_reading_helpers import SENTENCES, _headings, _pdf, _tables
from uppsikt.proposals.reading.blocks import Kind
from uppsikt.proposals.reading.errors import ReadError
from uppsikt.proposals.reading.reader import read

reading_seed_blocks = helpers.reading_seed_blocks
reading_seed_docx = helpers.reading_seed_docx
reading_seed_pdf = helpers.reading_seed_pdf


def test_text_reader_on_the_seed_finds_headings_and_budget_figures():
    document = read(docs.SEED)
    assert document.format == "text"
    assert ("4.3", "Driftbudget regionstyrelsen") in _headings(document.blocks)
    assert any(
        ("Tandvårdsenheten, varav", "-258", "-244", "-247") in t for t in _tables(document.blocks)
    )
    text = " ".join(b.text for b in document.blocks)
    assert "6(26)" not in text and "övergripande" in text


# -- bad input --------------------------------------------------------------------------


def _scanned(pdf: bytes) -> bytes:
    import pypdfium2

    page = pypdfium2.PdfDocument(pdf)[0]
    image = page.render(scale=1).to_pil().convert("RGB")
    out = io.BytesIO()
    image.save(out, "PDF")
    return out.getvalue()


def _encrypted(pdf: bytes) -> bytes:
    import pikepdf

    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        document.save(out, encryption=pikepdf.Encryption(user="hemligt", owner="hemligt"))
    return out.getvalue()


def _many_pages(count: int) -> bytes:
    import pikepdf

    out = io.BytesIO()
    document = pikepdf.new()
    for _ in range(count):
        document.add_blank_page()
    document.save(out)
    return out.getvalue()


def _xlsx() -> bytes:
    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def _zip_of_other() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("bild.txt", "inte ett dokument")
    return out.getvalue()


@pytest.mark.parametrize(
    ("make", "code", "words"),
    [
        (lambda pdf: _scanned(pdf), "no_text_layer", "saknar textlager"),
        (lambda pdf: _encrypted(pdf), "encrypted", "krypterad"),
        (lambda pdf: b"%PDF-1.7\n" + b"\x00garbage" * 200 + b"\n%%EOF\n", "damaged", "skadad"),
        (lambda pdf: pdf[: len(pdf) // 2], "damaged", "skadad"),
        (lambda pdf: _many_pages(500), "too_many_pages", "500 sidor"),
        (lambda pdf: _xlsx(), "not_docx", "Excel"),
        (lambda pdf: _zip_of_other(), "not_docx", "zip-arkiv utan Word-dokument i"),
        (
            lambda pdf: b"<!doctype html><html><body><h1>Plan</h1></body></html>",
            "unknown_type",
            "PDF",
        ),
        (lambda pdf: b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4, "unknown_type", "PDF"),
        (lambda pdf: b"", "empty", "tom"),
    ],
)
def test_bad_input_is_refused_with_its_code(make, code, words):
    small = _pdf("<h1>Plan</h1><p>Regionen ska ha en ekonomi i balans.</p>")
    with pytest.raises(ReadError) as caught:
        read(make(small), "plan.docx")
    assert caught.value.code == code
    assert words in caught.value.message


def test_page_limit_is_a_setting(settings):
    settings.PLAN_READ_MAX_PAGES = 3
    with pytest.raises(ReadError) as caught:
        read(_many_pages(4))
    assert caught.value.code == "too_many_pages"


def test_time_limit_is_a_setting(settings, reading_seed_pdf):
    settings.PLAN_READ_MAX_SECONDS = 0
    with pytest.raises(ReadError) as caught:
        read(reading_seed_pdf)
    assert caught.value.code == "too_slow"


def test_size_limit_refuses_before_reading(settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 100
    with pytest.raises(ReadError) as caught:
        read(b"Rubrik\n" * 100)
    assert caught.value.code == "too_large"


def test_a_damaged_docx_is_refused_as_damaged(reading_seed_docx):
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(reading_seed_docx.read_bytes())) as source,
        zipfile.ZipFile(out, "w") as target,
    ):
        for item in source.infolist():
            data = source.read(item)
            target.writestr(
                item, data[: len(data) // 2] if item.filename == "word/document.xml" else data
            )
    with pytest.raises(ReadError) as caught:
        read(out.getvalue())
    assert caught.value.code == "damaged"


def test_a_pdf_protected_only_against_changes_is_read(reading_seed_pdf):
    import pikepdf

    out = io.BytesIO()
    with pikepdf.open(reading_seed_pdf) as document:
        document.save(out, encryption=pikepdf.Encryption(user="", owner="ägare"))
    assert _headings(read(out.getvalue()).blocks) == _headings(read(reading_seed_pdf).blocks)


CHAPTERS = {1: "1. Ekonomi", 3: "2. Personal", 5: "3. Lokaler"}


def _text_page(n: int, total: int) -> str:
    topic = SENTENCES[n].split(" om ")[1].split(" och ")[0]
    heading = f"{CHAPTERS[n]}\n\n" if n in CHAPTERS else ""
    body = (
        f"Arbetet med {topic} ska under året ta hänsyn till hälso- och sjukvårdens\n"
        f"tillgänglighet för {topic} och den övergri-\n"
        f"pande planeringen för 2024-202{n}.\n\n"
        f"- Första punkten om {topic}\n"
        f"- Andra punkten om {topic} som är\n"
        "  lite längre än den första\n\n"
        f"a) En bokstavspunkt om {topic}\n"
        f"b) En bokstavspunkt till om {topic}\n"
    )
    return f"Verksamhetsplan 2024 för Region Exempel\n\n{heading}{body}\nSida {n} av {total}\n"


def test_plain_text_with_pages_blank_lines_and_furniture():
    text = "\f".join(_text_page(n, 6) for n in range(1, 7))
    document = read(text.encode("utf-8"))
    assert document.format == "text" and document.pages == 6
    expected = []
    for n in range(1, 7):
        topic = SENTENCES[n].split(" om ")[1].split(" och ")[0]
        if n in CHAPTERS:
            number, title = CHAPTERS[n].split(" ", 1)
            expected.append((Kind.HEADING, number, title, n))
        expected += [
            (
                Kind.PARAGRAPH,
                "",
                f"Arbetet med {topic} ska under året ta hänsyn till hälso- och sjukvårdens "
                f"tillgänglighet för {topic} och den övergripande planeringen för 2024-202{n}.",
                n,
            ),
            (Kind.LIST_ITEM, "", f"Första punkten om {topic}", n),
            (Kind.LIST_ITEM, "", f"Andra punkten om {topic} som är lite längre än den första", n),
            (Kind.LIST_ITEM, "a)", f"En bokstavspunkt om {topic}", n),
            (Kind.LIST_ITEM, "b)", f"En bokstavspunkt till om {topic}", n),
        ]
    assert [(b.kind, b.number, b.text, b.source.page) for b in document.blocks] == expected


def _docx_of_words(words: int) -> bytes:
    import docx

    document = docx.Document()
    for _ in range(words // 100):
        document.add_paragraph(" ".join(["ord"] * 100))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "make",
    [lambda words: ("ord " * words).encode("utf-8"), _docx_of_words],
    ids=["text", "docx"],
)
def test_a_document_without_pages_counts_its_words(settings, make):
    settings.PLAN_READ_MAX_PAGES = 2
    assert read(make(1400)).blocks  # 2 pages of 500 words and a little
    with pytest.raises(ReadError) as caught:
        read(make(1500))
    assert caught.value.code == "too_many_pages"
    assert "3 sidor" in caught.value.message
