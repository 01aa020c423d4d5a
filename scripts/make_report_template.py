"""Build the default Word template for reports: uppsikt/reports/resources/rapportmall.docx.

Run it again after changing the look here (the .docx is committed, so the app itself never
needs this script):

    .venv/bin/python scripts/make_report_template.py

An organisation can replace the template with its own graphic profile (docs/reports.md):
any .docx with the styles listed in ``uppsikt.reports.render.docx.REQUIRED_STYLES``. The
header and footer may hold the placeholders «organisation», «rapport», «enhet» and
«period»; the report fills them in.
"""

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

OUT = (
    Path(__file__).resolve().parent.parent
    / "uppsikt"
    / "reports"
    / "resources"
    / "rapportmall.docx"
)
FONT = "Noto Sans"
INK, MUTED, BRAND = (
    RGBColor(0x1D, 0x24, 0x33),
    RGBColor(0x4F, 0x5A, 0x6B),
    RGBColor(0x16, 0x3A, 0x5B),
)

TABLE_STYLE = f"""
<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="UppsiktTabell">
  <w:name w:val="Uppsikt tabell"/>
  <w:basedOn w:val="TableNormal"/>
  <w:uiPriority w:val="40"/>
  <w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
  <w:rPr><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr>
  <w:tblPr>
    <w:tblBorders>
      <w:top w:val="single" w:sz="4" w:space="0" w:color="D5DBE3"/>
      <w:bottom w:val="single" w:sz="8" w:space="0" w:color="1D2433"/>
      <w:insideH w:val="single" w:sz="4" w:space="0" w:color="D5DBE3"/>
    </w:tblBorders>
    <w:tblCellMar>
      <w:top w:w="45" w:type="dxa"/><w:left w:w="90" w:type="dxa"/>
      <w:bottom w:w="45" w:type="dxa"/><w:right w:w="90" w:type="dxa"/>
    </w:tblCellMar>
  </w:tblPr>
  <w:tblStylePr w:type="firstRow">
    <w:rPr><w:b/><w:bCs/></w:rPr>
    <w:tcPr>
      <w:tcBorders><w:bottom w:val="single" w:sz="12" w:space="0" w:color="1D2433"/></w:tcBorders>
      <w:shd w:val="clear" w:color="auto" w:fill="EEF2F7"/>
    </w:tcPr>
  </w:tblStylePr>
</w:style>
"""


def field(paragraph, instruction: str, placeholder: str = "1") -> None:
    """A Word field (PAGE, NUMPAGES) inside ``paragraph``."""
    run = paragraph.add_run()
    run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="begin"/>'))
    run = paragraph.add_run()
    run._r.append(
        parse_xml(f'<w:instrText {nsdecls("w")} xml:space="preserve"> {instruction} </w:instrText>')
    )
    run = paragraph.add_run()
    run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="separate"/>'))
    paragraph.add_run(placeholder)
    run = paragraph.add_run()
    run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="end"/>'))


def style_font(style, size: float, *, bold=False, colour=INK, before=0, after=4, keep=False):
    style.font.name = FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = colour
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        if fonts.get(qn(theme)) is not None:
            del fonts.attrib[qn(theme)]
    fmt = style.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.keep_with_next = keep


def main() -> None:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2.4), Cm(2.2)
    section.left_margin, section.right_margin = Cm(2.2), Cm(2.0)
    section.header_distance = section.footer_distance = Cm(1.1)
    section.different_first_page_header_footer = True

    styles = document.styles
    # Swedish as the document language, for spelling and for screen readers.
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = parse_xml(f"<w:lang {nsdecls('w')}/>")
        rpr.append(lang)
    lang.set(qn("w:val"), "sv-SE")
    lang.set(qn("w:eastAsia"), "sv-SE")
    lang.set(qn("w:bidi"), "ar-SA")

    style_font(styles["Normal"], 10, after=5)
    styles["Normal"].paragraph_format.line_spacing = 1.15
    style_font(styles["Title"], 30, bold=True, colour=BRAND, after=6)
    title_ppr = styles["Title"].element.get_or_add_pPr()
    for border in title_ppr.findall(qn("w:pBdr")):
        title_ppr.remove(border)
    style_font(styles["Subtitle"], 16, colour=INK, after=4)
    for level, (size, before, after) in enumerate(
        [(20, 0, 14), (14, 16, 6), (12, 12, 4), (10.5, 10, 3), (10, 8, 2)], start=1
    ):
        style = styles[f"Heading {level}"]
        style_font(style, size, bold=True, colour=BRAND, before=before, after=after, keep=True)
    styles["Heading 1"].paragraph_format.page_break_before = True
    h1 = styles["Heading 1"].element.get_or_add_pPr()
    h1.append(
        parse_xml(
            f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="12" w:space="6" '
            'w:color="1F4E79"/></w:pBdr>'
        )
    )
    style_font(styles["Caption"], 8.5, bold=True, colour=INK, before=6, after=3, keep=True)
    style_font(styles["List Bullet"], 10, after=2)
    style_font(styles["List Number"], 10, after=2)
    style_font(styles["TOC Heading"], 20, bold=True, colour=BRAND, after=12)
    style_font(styles["Header"], 7.5, colour=MUTED, after=0)
    style_font(styles["Footer"], 7.5, colour=MUTED, after=0)
    styles.element.append(parse_xml(TABLE_STYLE))

    for name in ("Header", "Footer"):
        tabs = styles[name].paragraph_format.tab_stops
        tabs.clear_all()
        tabs.add_tab_stop(Cm(16.8), WD_TAB_ALIGNMENT.RIGHT)
    header = section.header.paragraphs[0]
    header.text = "«rapport» – «enhet»"
    header.style = styles["Header"]
    footer = section.footer.paragraphs[0]
    footer.style = styles["Footer"]
    footer.add_run("«organisation»\tSida ")
    field(footer, "PAGE")
    footer.add_run(" av ")
    field(footer, "NUMPAGES")

    document.core_properties.language = "sv-SE"
    document.core_properties.title = "Rapportmall"
    document.core_properties.author = "Uppsikt"
    document.add_paragraph("Mallen fylls med rapportens innehåll.")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    document.save(OUT)
    print(f"Wrote {OUT}")


if __name__ == "__main__":
    main()
