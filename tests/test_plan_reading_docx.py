"""The DOCX reader: numbering definitions, outline levels, style names, merged cells,
content controls and tracked changes, title styles."""

from __future__ import annotations

import io

from tests.plan_reading_helpers import _tables
from uppsikt.proposals.reading.blocks import Kind
from uppsikt.proposals.reading.reader import read

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
