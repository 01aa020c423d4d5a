"""The PDF and DOCX readers on the seed laid out by tests/plan_documents.py, and the PDF
reader on small documents made for one layout each."""

from __future__ import annotations

import re

import pytest

from tests import plan_documents as docs
from tests import plan_reading_helpers as helpers
from tests.plan_reading_helpers import SENTENCES, _headings, _pdf, _tables, _words
from uppsikt.proposals.reading.blocks import Kind
from uppsikt.proposals.reading.reader import read

reading_seed_blocks = helpers.reading_seed_blocks
reading_seed_docx = helpers.reading_seed_docx
reading_seed_pdf = helpers.reading_seed_pdf


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


def test_seed_lettered_lists_keep_their_letters(
    reading_seed_pdf, reading_seed_docx, reading_seed_blocks
):
    expected = [b.number[0] for b in reading_seed_blocks if b.kind == Kind.LIST_ITEM and b.number]
    for path in (reading_seed_pdf, reading_seed_docx):
        document = read(path)
        letters = [b.number[0] for b in document.blocks if b.kind == Kind.LIST_ITEM and b.number]
        assert letters == expected == list("abcde")


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
