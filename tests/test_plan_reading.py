"""The plan-document readers on the seed laid out as PDF and DOCX (tests/plan_documents.py),
on small documents made for one layout each, and on bad input."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from tests import plan_documents as docs
from uppsikt.proposals.reading.blocks import Kind
from uppsikt.proposals.reading.errors import ReadError
from uppsikt.proposals.reading.reader import read


@pytest.fixture(scope="session")
def reading_seed_blocks():
    return docs.seed_structure()


@pytest.fixture(scope="session")
def reading_seed_pdf(reading_seed_blocks, tmp_path_factory):
    path = tmp_path_factory.mktemp("plan_documents") / "seed.pdf"
    path.write_bytes(docs.pdf_from(reading_seed_blocks))
    return path


@pytest.fixture(scope="session")
def reading_seed_docx(reading_seed_blocks, tmp_path_factory):
    path = tmp_path_factory.mktemp("plan_documents") / "seed.docx"
    path.write_bytes(docs.docx_from(reading_seed_blocks))
    return path


def _headings(blocks):
    return [(b.number, b.text) for b in blocks if b.kind == Kind.HEADING and b.number]


def _tables(blocks):
    return [b.rows for b in blocks if b.kind == Kind.TABLE]


def _words(blocks):
    text = " ".join(b.text for b in blocks if b.kind != Kind.TABLE)
    return set(re.findall(r"[\wåäöÅÄÖ][\wåäöÅÄÖ-]*", text))


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_seed_headings_numbers_and_levels_are_recovered(kind, request, reading_seed_blocks):
    document = read(request.getfixturevalue(f"reading_seed_{kind}"))
    assert document.format == kind
    assert _headings(document.blocks) == _headings(reading_seed_blocks)
    for block in document.blocks:
        if block.kind == Kind.HEADING and re.fullmatch(r"[\d.]+", block.number):
            assert block.level == block.number.rstrip(".").count(".") + 1
    assert ("3.2.1", "Strategi: Kvalitet och utveckling") in _headings(document.blocks)


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_seed_tables_cells_are_recovered_exactly(kind, request, reading_seed_blocks):
    document = read(request.getfixturevalue(f"reading_seed_{kind}"))
    assert _tables(document.blocks) == _tables(reading_seed_blocks)
    budget = _tables(document.blocks)[0]
    assert ("Hälsovalsenheten, varav", "-2 061", "-1 948", "-1 973") in budget
    assert ("Summa:", "-2 754", "-2 503", "-2 569") in budget


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_seed_lists_and_goal_paragraphs_are_recovered(kind, request, reading_seed_blocks):
    document = read(request.getfixturevalue(f"reading_seed_{kind}"))
    expected = [b.text for b in reading_seed_blocks if b.kind == Kind.LIST_ITEM]
    assert [b.text for b in document.blocks if b.kind == Kind.LIST_ITEM] == expected
    goals = [(b.number, b.text) for b in document.blocks if b.number.startswith("Effektmål")]
    assert goals == [
        (b.number, b.text) for b in reading_seed_blocks if b.number.startswith("Effektmål")
    ]
    assert all(b.emphasis for b in document.blocks if b.number.startswith("Effektmål"))


def test_pdf_hyphenation_is_undone_and_real_hyphens_kept(reading_seed_pdf, reading_seed_blocks):
    document = read(reading_seed_pdf)
    text = " ".join(b.text for b in document.blocks)
    assert "\u00ad" not in text and "\u2010" not in text
    # Every word read is a word of the seed: no word split, none glued to its neighbour.
    assert _words(document.blocks) <= _words(reading_seed_blocks)
    for kept in (
        "hälso- och sjukvård",
        "karies- och tandlossningsförebyggande",
        "2024-2025",
        "e-hälsa",
    ):
        assert kept in text
    assert "övergripande" in text


def test_pdf_page_furniture_is_removed(reading_seed_pdf):
    document = read(reading_seed_pdf)
    assert document.pages > 10
    for block in document.blocks:
        cells = " ".join(" ".join(row) for row in block.rows)
        for text in (block.text, cells):
            assert docs.RUNNING_TITLE not in text
            assert not re.search(r"Sida \d+ av \d+", text)
    assert all(b.source.page for b in document.blocks)


def _pdf(body: str, css: str = "") -> bytes:
    markup = (
        f'<!doctype html><html lang="sv"><head><meta charset="utf-8"><style>'
        f"@page {{ size: A4; margin: 20mm }} body {{ font-size: 10.5pt }} {css}</style>"
        f"</head><body>{body}</body></html>"
    )
    return docs.pdf_from_html(markup)


SENTENCES = [
    f"Stycke {n} handlar om {topic} och beskriver hur arbetet ska bedrivas under året."
    for n, topic in enumerate(
        [
            "ekonomi",
            "personal",
            "lokaler",
            "digitalisering",
            "kvalitet",
            "miljö",
            "samverkan",
            "säkerhet",
        ],
        1,
    )
]


def test_two_columns_are_read_column_by_column():
    body = "".join(f"<p>{' '.join([sentence] * 6)}</p>" for sentence in SENTENCES)
    document = read(
        _pdf(f"<h1>Två spalter</h1><div style='columns: 2; column-gap: 24pt'>{body}</div>")
    )
    paragraphs = [b.text for b in document.blocks if b.kind == Kind.PARAGRAPH]
    assert document.blocks[0].text == "Två spalter"
    assert paragraphs[:7] == [" ".join([sentence] * 6) for sentence in SENTENCES[:7]]
    # Read column by column: the paragraphs' numbers come in order, each sentence whole.
    numbers = [int(n) for n in re.findall(r"Stycke (\d)", " ".join(paragraphs))]
    assert numbers == sorted(numbers) and len(numbers) == 6 * len(SENTENCES)
    assert " ".join(paragraphs).count(SENTENCES[-1]) == 6


def test_table_over_a_page_break_is_one_table():
    rows = "".join(
        f"<tr><td>Rad {n}</td><td>{n * 10}</td><td>{n * 7}</td></tr>" for n in range(1, 91)
    )
    table = (
        "<table style='border-collapse: collapse'><thead><tr><th>Post</th><th>Budget</th>"
        f"<th>Utfall</th></tr></thead><tbody>{rows}</tbody></table>"
    )
    css = "td, th { border: 0.6pt solid black; padding: 2pt }"
    document = read(_pdf(f"<h1>Lång tabell</h1>{table}<p>Efter tabellen.</p>", css))
    tables = _tables(document.blocks)
    assert len(tables) == 1
    assert tables[0][0] == ("Post", "Budget", "Utfall")
    assert tables[0][1:] == tuple((f"Rad {n}", str(n * 10), str(n * 7)) for n in range(1, 91))


def test_labelled_and_lettered_numbering_in_pdf():
    body = (
        "<h1>Mål 1: Nöjda invånare</h1><p>Invånarna ska vara nöjda med servicen.</p>"
        "<h1>Effektmål 4 – Hållbar ekonomi</h1><p>Ekonomin ska vara i balans.</p>"
        "<ol style='list-style-type: lower-alpha'><li>Första punkten i listan.</li>"
        "<li>Andra punkten i listan.</li></ol>"
    )
    document = read(_pdf(body))
    headings = _headings(document.blocks)
    assert headings == [("Mål 1:", "Nöjda invånare"), ("Effektmål 4 –", "Hållbar ekonomi")]
    items = [(b.number, b.text) for b in document.blocks if b.kind == Kind.LIST_ITEM]
    assert items == [("a.", "Första punkten i listan."), ("b.", "Andra punkten i listan.")]


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
        (lambda pdf: _zip_of_other(), "not_docx", "Word"),
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


# -- DOCX numbering, outline levels and merged cells --------------------------------------
def _numbering(document, abstract_id: str, num_id: str, levels: list[tuple[str, str]]) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    numbering = document.part.numbering_part.element
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    numbering.insert(
        0,
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">{lvls}</w:abstractNum>'
        ),
    )
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'
        )
    )


def _numbered(paragraph, num_id: str, ilvl: int) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    paragraph._p.get_or_add_pPr().append(
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'
        )
    )


def _outline(paragraph, level: int) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    paragraph._p.get_or_add_pPr().append(
        parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="{level}"/>')
    )


def _docx_with_numbering() -> bytes:
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    _numbering(
        document, "71", "71", [("decimal", "%1"), ("decimal", "%1.%2"), ("decimal", "%1.%2.%3")]
    )
    _numbering(document, "72", "72", [("bullet", "•"), ("bullet", "o")])
    _numbering(document, "73", "73", [("upperRoman", "%1."), ("lowerLetter", "%2)")])
    for text, level in [
        ("Inledning", 1),
        ("Ansvar", 2),
        ("Roll", 2),
        ("Mål", 1),
        ("Effekt", 2),
        ("Detalj", 3),
    ]:
        _numbered(document.add_heading(text, level), "71", level - 1)
    swedish = document.styles.add_style("Rubrik 2", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("Svensk rubrik", style=swedish)
    _outline(document.add_paragraph("Disposition utan stil"), 2)
    for text, ilvl in [("Punkt ett", 0), ("Underpunkt", 1), ("Punkt två", 0)]:
        _numbered(document.add_paragraph(text), "72", ilvl)
    for text, ilvl in [("Först", 0), ("Del a", 1), ("Del b", 1), ("Sedan", 0), ("Del a igen", 1)]:
        _numbered(document.add_paragraph(text), "73", ilvl)
    table = document.add_table(rows=3, cols=3)
    for r in range(3):
        for c in range(3):
            table.cell(r, c).text = f"r{r}c{c}"
    table.cell(0, 0).merge(table.cell(0, 1)).text = "Rubrik över två"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "HR"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_numbering_definitions_outline_levels_and_merged_cells():
    document = read(_docx_with_numbering())
    headings = [(b.number, b.text, b.level) for b in document.blocks if b.kind == Kind.HEADING]
    assert headings == [
        ("1", "Inledning", 1),
        ("1.1", "Ansvar", 2),
        ("1.2", "Roll", 2),
        ("2", "Mål", 1),
        ("2.1", "Effekt", 2),
        ("2.1.1", "Detalj", 3),
        ("", "Svensk rubrik", 2),
        ("", "Disposition utan stil", 3),
    ]
    items = [(b.number, b.text, b.level) for b in document.blocks if b.kind == Kind.LIST_ITEM]
    assert items == [
        ("", "Punkt ett", 1),
        ("", "Underpunkt", 2),
        ("", "Punkt två", 1),
        ("I.", "Först", 1),
        ("a)", "Del a", 2),
        ("b)", "Del b", 2),
        ("II.", "Sedan", 1),
        ("a)", "Del a igen", 2),
    ]
    (rows,) = _tables(document.blocks)
    assert rows == (
        ("Rubrik över två", "", "r0c2"),
        ("HR", "r1c1", "r1c2"),
        ("HR", "r2c1", "r2c2"),
    )


def test_seed_lettered_lists_keep_their_letters(
    reading_seed_pdf, reading_seed_docx, reading_seed_blocks
):
    expected = [b.number[0] for b in reading_seed_blocks if b.kind == Kind.LIST_ITEM and b.number]
    for path in (reading_seed_pdf, reading_seed_docx):
        document = read(path)
        letters = [b.number[0] for b in document.blocks if b.kind == Kind.LIST_ITEM and b.number]
        assert letters == expected == list("abcde")


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


def test_cover_contents_alternating_headers_and_unspaced_paragraphs():
    chapters = ["Inledning", "Ekonomi", "Personal", "Lokaler"]
    contents = "".join(
        f"<p class='toc'>{name} {'.' * 40} {n + 2}</p>" for n, name in enumerate(chapters)
    )
    body = "".join(
        f"<h1>{name}</h1><h2>Om {name.lower()}</h2>"
        + "".join(f"<p>{' '.join([SENTENCES[k]] * (5 + n))}</p>" for k in range(2 + n))
        for n, name in enumerate(chapters)
    )
    css = (
        "@page :left { @top-left { content: 'Region Exempel – jämn sida' } }"
        "@page :right { @top-right { content: 'Verksamhetsplan – udda sida' } }"
        "@page { @bottom-center { content: counter(page) } }"
        ".cover { font-size: 30pt; font-weight: bold; page-break-after: always }"
        "h1 { font-size: 16pt; page-break-before: always } h2 { font-size: 13pt }"
        "p { margin: 0; text-indent: 14pt; text-align: justify; hyphens: auto }"
    )
    document = read(
        _pdf(f"<div class='cover'>Verksamhetsplan 2024</div><h2>Innehåll</h2>{contents}{body}", css)
    )
    headings = [(b.text, b.level) for b in document.blocks if b.kind == Kind.HEADING]
    expected = [
        (name, level)
        for chapter in chapters
        for name, level in ((chapter, 1), (f"Om {chapter.lower()}", 2))
    ]
    # The cover's title (a size used on the first page only) is level 1 beside the chapters.
    assert headings == [("Verksamhetsplan 2024", 1), ("Innehåll", 2), *expected]
    paragraphs = [b.text for b in document.blocks if b.kind == Kind.PARAGRAPH]
    body_paragraphs = [p for p in paragraphs if p.startswith("Stycke")]
    assert body_paragraphs == [
        " ".join([SENTENCES[k]] * (5 + n)) for n, _ in enumerate(chapters) for k in range(2 + n)
    ]
    text = " ".join(b.text for b in document.blocks)
    assert "jämn sida" not in text and "udda sida" not in text and "....." not in text


def test_docx_contents_controls_tracked_insertions_and_contents_entries():
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    document.add_heading("Plan", 1)
    toc = document.styles.add_style("TOC 1", 1)
    document.add_paragraph("Plan\t3", style=toc)
    body = document.element.body
    body.insert(
        len(body) - 1,
        parse_xml(
            f"<w:sdt {nsdecls('w')}><w:sdtContent><w:p><w:r><w:t>I en innehållskontroll.</w:t></w:r>"
            "</w:p></w:sdtContent></w:sdt>"
        ),
    )
    paragraph = document.add_paragraph("Regionen ska ")
    paragraph._p.append(
        parse_xml(
            f'<w:ins {nsdecls("w")} w:id="1" w:author="A"><w:r><w:t>alltid </w:t></w:r></w:ins>'
        )
    )
    paragraph._p.append(
        parse_xml(
            f'<w:del {nsdecls("w")} w:id="2" w:author="A"><w:r><w:delText>aldrig </w:delText></w:r></w:del>'
        )
    )
    paragraph.add_run("ha ekonomi i balans.")
    out = io.BytesIO()
    document.save(out)
    blocks = read(out.getvalue()).blocks
    assert [(b.kind, b.text) for b in blocks] == [
        (Kind.HEADING, "Plan"),
        (Kind.PARAGRAPH, "I en innehållskontroll."),
        (Kind.PARAGRAPH, "Regionen ska alltid ha ekonomi i balans."),
    ]


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


def test_body_text_is_found_beside_small_tables_and_chapter_running_titles_are_removed():
    chapters = ["Ekonomi", "Personal", "Lokaler", "Miljö"]
    rows = "".join(
        f"<tr><td>Post {n}</td><td>{n * 3}</td><td>{n * 5}</td></tr>" for n in range(1, 30)
    )
    table = f"<table style='font-size: 8pt; width: 100%'>{rows}</table>"
    body = "".join(
        f"<h1>{name}</h1><p>{' '.join([SENTENCES[n]] * 4)}</p>{table}<p>{SENTENCES[n + 1]}</p>"
        for n, name in enumerate(chapters)
    )
    css = (
        "body { font-size: 10pt } h1 { font-size: 13pt; page-break-before: always;"
        " string-set: chapter content() }"
        "@page { @top-left { content: 'Rapport 2023 ' string(chapter); font-size: 7pt } }"
    )
    document = read(_pdf(body, css))
    assert _headings(document.blocks) == []
    assert [b.text for b in document.blocks if b.kind == Kind.HEADING] == chapters
    paragraphs = [b.text for b in document.blocks if b.kind == Kind.PARAGRAPH]
    assert paragraphs == [
        text
        for n in range(len(chapters))
        for text in (" ".join([SENTENCES[n]] * 4), SENTENCES[n + 1])
    ]
    assert len(_tables(document.blocks)) == len(chapters)


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


def test_a_table_in_a_column_is_read_in_its_place():
    table = (
        "<table style='border-collapse: collapse'><tr><th>Post</th><th>Belopp</th></tr>"
        "<tr><td>Lokaler</td><td>12</td></tr><tr><td>Personal</td><td>40</td></tr></table>"
    )
    paragraphs = [f"<p>{' '.join([sentence] * 6)}</p>" for sentence in SENTENCES]
    body = "".join(paragraphs[:2]) + table + "".join(paragraphs[2:])
    css = "td, th { border: 0.6pt solid black; padding: 2pt }"
    document = read(_pdf(f"<div style='columns: 2; column-gap: 24pt'>{body}</div>", css))
    kinds = [b.kind for b in document.blocks]
    assert kinds == [Kind.PARAGRAPH] * 2 + [Kind.TABLE] + [Kind.PARAGRAPH] * 6
    assert _tables(document.blocks) == [(("Post", "Belopp"), ("Lokaler", "12"), ("Personal", "40"))]


def test_docx_heading_numbering_from_the_style_and_title_style():
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    _numbering(document, "81", "81", [("decimal", "%1."), ("decimal", "%1.%2.")])
    for style_name, ilvl in (("Heading 1", 0), ("Heading 2", 1)):
        document.styles[style_name].element.get_or_add_pPr().append(
            parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="81"/></w:numPr>'
            )
        )
    document.add_paragraph("Verksamhetsplan 2024", style="Title")
    document.add_heading("Inledning", 1)
    document.add_heading("Syfte", 2)
    document.add_paragraph("Planen beskriver året.")
    document.add_paragraph("Bilaga", style="Title")
    document.add_heading("Ekonomi", 1)
    out = io.BytesIO()
    document.save(out)
    read_document = read(out.getvalue())
    assert read_document.title == "Verksamhetsplan 2024"
    headings = [(b.number, b.text, b.level) for b in read_document.blocks if b.kind == Kind.HEADING]
    assert headings == [
        ("", "Verksamhetsplan 2024", 1),
        ("1.", "Inledning", 1),
        ("1.1.", "Syfte", 2),
        ("", "Bilaga", 1),
        ("2.", "Ekonomi", 1),
    ]


def test_wide_line_spacing_and_a_word_broken_in_a_narrow_cell():
    paragraphs = [" ".join([sentence] * 5) for sentence in SENTENCES[:3]]
    table = (
        "<table style='border-collapse: collapse'><tr><th>Post</th><th>Belopp</th></tr>"
        "<tr><td style='width: 52pt; overflow-wrap: anywhere'>Immateriella anläggningstillgångar</td>"
        "<td>14,4</td></tr></table>"
    )
    body = "".join(f"<p>{text}</p>" for text in paragraphs) + table
    body += "<p>Immateriella anläggningstillgångar avser it-system.</p>"
    css = "p { line-height: 2.1; margin: 0 0 16pt } td, th { border: 0.6pt solid black; padding: 2pt }"
    document = read(_pdf(body, css))
    assert [b.text for b in document.blocks if b.kind == Kind.PARAGRAPH] == [
        *paragraphs,
        "Immateriella anläggningstillgångar avser it-system.",
    ]
    assert _tables(document.blocks) == [
        (("Post", "Belopp"), ("Immateriella anläggningstillgångar", "14,4"))
    ]
