"""The report as a Word document (DOCX), written into a template.

The template gives the look: styles, page size and margins, header and footer with page
numbers. The default is ``resources/rapportmall.docx`` (made by
``scripts/make_report_template.py``); an organisation can upload its own
(``reports.models.ReportTemplate``). A template needs the styles in ``REQUIRED_STYLES``;
its header and footer may hold «organisation», «rapport», «enhet» and «period».

Headings use the "Heading N" styles, so Word's navigation pane and table of contents work;
the table of contents is a TOC field that Word updates when the document opens. Charts are
PNG pictures (``charts.to_png``) with alt text, followed by their data table. Table header
rows repeat on every page and rows do not split across pages.
"""

from __future__ import annotations

import io
import zipfile
from html.parser import HTMLParser
from pathlib import Path

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from ..charts import TONE_COLOURS, to_png
from ..document import Chart, Entry, ReportDocument, RichText, Section, Status, Table, Text
from ..stamps import set_core_times

DEFAULT_TEMPLATE = Path(__file__).resolve().parent.parent / "resources" / "rapportmall.docx"
REQUIRED_STYLES = (
    "Normal",
    "Title",
    "Subtitle",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "Heading 4",
    "Heading 5",
    "Caption",
    "List Bullet",
)
TABLE_STYLES = ("Uppsikt tabell", "Table Grid")
MUTED = RGBColor(0x4F, 0x5A, 0x6B)
EXAMPLE = RGBColor(0x6B, 0x2F, 0x6B)
TEXT_WIDTH_CM = 16.8


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def template_problems(data: bytes) -> list[str]:
    """What is wrong with an uploaded template, in Swedish; empty when it can be used."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return [_("Filen är inte ett Word-dokument (.docx).")]
    try:
        document = Document(io.BytesIO(data))
    except Exception:  # python-docx raises several kinds for a broken package
        return [_("Filen går inte att öppna som ett Word-dokument (.docx).")]
    names = {style.name for style in document.styles}
    missing = [name for name in REQUIRED_STYLES if name not in names]
    if missing:
        return [
            _("Mallen saknar formatmallarna %(names)s.") % {"names": ", ".join(missing)},
        ]
    return []


def _template(organisation) -> io.BytesIO | Path:
    if organisation is not None:
        from ..models import ReportTemplate

        custom = ReportTemplate.objects.filter(organisation=organisation).first()
        if custom is not None and custom.file:
            with custom.file.open("rb") as handle:
                return io.BytesIO(handle.read())
    return DEFAULT_TEMPLATE


def _is_field_run(run) -> bool:
    return run._r.find(qn("w:fldChar")) is not None or run._r.find(qn("w:instrText")) is not None


def _fill_placeholders(paragraph, values: dict[str, str]) -> None:
    """Replace «name» in a paragraph, also when Word split it over several runs."""
    if "«" not in paragraph.text:
        return
    group: list = []

    def flush() -> None:
        if not group:
            return
        text = "".join(run.text for run in group)
        if "«" in text:
            for key, value in values.items():
                text = text.replace(f"«{key}»", value)
            group[0].text = text
            for run in group[1:]:
                run.text = ""
        group.clear()

    for run in paragraph.runs:
        if _is_field_run(run):
            flush()
        else:
            group.append(run)
    flush()


class _Writer:
    def __init__(self, template) -> None:
        self.doc = Document(template)
        body = self.doc.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        # Style ids by name, looked up once: python-docx's lookup by name scans every style.
        self.style_ids = {style.name: style.style_id for style in self.doc.styles}
        names = set(self.style_ids)
        self.table_style = next((name for name in TABLE_STYLES if name in names), None)
        self.has_toc_heading = "TOC Heading" in names
        self.list_number = "List Number" if "List Number" in names else "List Bullet"
        self._keep_lines_together()

    def _keep_lines_together(self) -> None:
        """No page carries a lone line: widow and orphan control on every paragraph style
        used, headings and captions kept with the next paragraph (an organisation's own
        template may lack them; Word leaves widow control off when no style sets it)."""
        for style in self.doc.styles:
            if style.type != WD_STYLE_TYPE.PARAGRAPH:
                continue
            style.paragraph_format.widow_control = True
            if style.name.startswith(("Heading", "Title", "Caption", "TOC Heading")):
                style.paragraph_format.keep_with_next = True

    # --- paragraphs -------------------------------------------------------------------------

    def add(self, style: str | None = None):
        """A new paragraph in ``style`` (a style name of the template)."""
        paragraph = self.doc.add_paragraph()
        if style is not None:
            paragraph._p.style = self.style_ids[style]
        return paragraph

    def paragraph(self, text: str = "", style: str | None = None, *, size=None, colour=None):
        paragraph = self.add(style)
        if text:
            run = paragraph.add_run(text)
            if size:
                run.font.size = Pt(size)
            if colour is not None:
                run.font.color.rgb = colour
        return paragraph

    def text(self, block: Text) -> None:
        if block.style == "subheading":
            paragraph = self.paragraph()
            run = paragraph.add_run(block.text)
            run.bold = True
            paragraph.paragraph_format.keep_with_next = True
            paragraph.paragraph_format.space_before = Pt(8)
        elif block.style == "lead":
            self.paragraph(block.text, size=11.5)
        elif block.style in ("muted", "small"):
            self.paragraph(block.text, size=8.5 if block.style == "small" else None, colour=MUTED)
        else:
            self.paragraph(block.text)

    def rich(self, block: RichText) -> None:
        if block.label:
            label = self.paragraph()
            label.add_run(block.label).bold = True
            label.paragraph_format.keep_with_next = True
            label.paragraph_format.space_after = Pt(1)
        _RichParser(self).feed(block.safe_html)

    def bullets(self, items: list[str]) -> None:
        for item in items:
            self.paragraph(item, "List Bullet")

    def facts(self, rows: list[tuple[str, str]]) -> None:
        if not rows:
            return
        paragraph = self.paragraph()
        for index, (label, value) in enumerate(rows):
            if index:
                paragraph.add_run("   ·   ").font.color.rgb = MUTED
            run = paragraph.add_run(f"{label}: ")
            run.bold, run.font.size, run.font.color.rgb = True, Pt(8), MUTED
            run = paragraph.add_run(value)
            run.font.size, run.font.color.rgb = Pt(8), MUTED

    def status(self, block: Status) -> None:
        paragraph = self.paragraph()
        paragraph.paragraph_format.keep_with_next = True
        run = paragraph.add_run(f"{block.label}: ")
        run.font.color.rgb = MUTED
        run = paragraph.add_run(block.symbol + " ")
        run.font.color.rgb = _rgb(block.colour or TONE_COLOURS[block.tone])
        paragraph.add_run(block.text).bold = True
        if block.detail:
            paragraph.add_run(f" ({block.detail})").font.color.rgb = MUTED

    def example(self, text: str) -> None:
        paragraph = self.paragraph()
        run = paragraph.add_run(_("Exempel") + ": ")
        run.bold, run.font.size, run.font.color.rgb = True, Pt(8), EXAMPLE
        run = paragraph.add_run(text)
        run.font.size, run.font.color.rgb = Pt(8), EXAMPLE

    # --- tables and charts --------------------------------------------------------------------

    def table(self, block: Table) -> None:
        self.paragraph(block.caption, "Caption")
        columns = len(block.columns)
        table = self.doc.add_table(rows=1, cols=columns)
        if self.table_style:
            table._tbl.tblStyle_val = self.style_ids[self.table_style]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        properties = table._tbl.tblPr
        properties.append(parse_xml(f'<w:tblCaption {nsdecls("w")} w:val=""/>'))
        properties[-1].set(qn("w:val"), block.caption[:250])
        properties.append(
            parse_xml(
                f'<w:tblLook {nsdecls("w")} w:val="0420" w:firstRow="1" w:lastRow="0" '
                'w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>'
            )
        )
        widths = _widths(block)
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width)
        header = table.rows[0]
        header._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
        for cell, column, width in zip(header.cells, block.columns, widths, strict=True):
            cell.width = Cm(width)
            self._cell(cell, column.label, bold=True, right=column.numeric)
        for row in block.rows:
            cells = table.add_row()
            cells._tr.get_or_add_trPr().append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))
            for index, (cell, value) in enumerate(zip(cells.cells, row.cells, strict=False)):
                cell.width = Cm(widths[index])
                text = value.text
                if value.symbol:
                    text = f"{value.symbol} {text}"
                if value.note:
                    text = f"{text} ({value.note})"
                paragraph = self._cell(
                    cell,
                    text,
                    bold=row.emphasis,
                    italic=row.heading,
                    right=block.columns[index].numeric,
                )
                if index == 0 and row.depth:
                    paragraph.paragraph_format.left_indent = Cm(0.35 * row.depth)
        for note_number, note in enumerate(block.notes, 1):
            self.paragraph(f"{note_number}. {note}", size=8, colour=MUTED)
        if block.example:
            self.example(block.example)
        self.doc.add_paragraph().paragraph_format.space_after = Pt(2)

    def _cell(self, cell, text: str, *, bold=False, italic=False, right=False):
        paragraph = cell.paragraphs[0]
        run = paragraph.add_run(text)
        run.font.size = Pt(8)
        run.bold = bold or None
        run.italic = italic or None
        paragraph.paragraph_format.space_after = Pt(0)
        if right:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        return paragraph

    def chart(self, block: Chart) -> None:
        picture = io.BytesIO(to_png(block.chart))
        self.doc.add_picture(picture, width=Cm(min(16.0, TEXT_WIDTH_CM)))
        last = self.doc.paragraphs[-1]
        for properties in last._p.iter(qn("wp:docPr")):
            properties.set("descr", block.description)
            properties.set("title", block.title)
        self.paragraph(block.title, size=8, colour=MUTED)
        self.table(block.table)

    def entry(self, block: Entry) -> None:
        title = self.paragraph()
        title.add_run(block.title).bold = True
        title.paragraph_format.keep_with_next = True
        title.paragraph_format.space_before = Pt(6)
        self.status(block.status)
        if block.comment is not None:
            self.rich(block.comment)
        self.facts(block.facts)
        if block.example:
            self.example(_("Uppföljningen är exempeldata, inte en verklig rapport."))

    # --- the document -------------------------------------------------------------------------

    def block(self, block) -> None:
        kind = block.kind
        if kind == "text":
            self.text(block)
        elif kind == "richtext":
            self.rich(block)
        elif kind == "bullets":
            self.bullets(block.items)
        elif kind == "facts":
            self.facts(block.rows)
        elif kind == "status":
            self.status(block)
        elif kind == "example":
            self.example(block.text)
        elif kind == "table":
            self.table(block)
        elif kind == "chart":
            self.chart(block)
        elif kind == "entry":
            self.entry(block)

    def section(self, section: Section) -> None:
        style = f"Heading {min(section.level, 5)}"
        heading = self.add(style)
        heading.add_run(section.numbered_title)
        heading.paragraph_format.keep_with_next = True
        for block in section.blocks:
            self.block(block)
        for child in section.children:
            self.section(child)

    def cover(self, document: ReportDocument) -> None:
        logo = document.logo_bytes
        space = 150
        if logo:  # judged a PNG or JPEG when uploaded
            picture = self.add()
            picture.add_run().add_picture(io.BytesIO(logo), height=Cm(2.5))
            picture.runs[0]._r.xpath(".//wp:docPr")[0].set("descr", document.logo_alt)
            space = 60
        brand = _rgb(document.brand_colour) if document.brand_css else None
        org = self.paragraph(document.organisation, "Subtitle", colour=brand)
        org.paragraph_format.space_before = Pt(space)
        self.paragraph(document.title, "Title")
        self.paragraph(document.unit_name, "Subtitle")
        self.paragraph(document.period_label, size=13, colour=MUTED)
        spacer = self.paragraph()
        spacer.paragraph_format.space_before = Pt(160)
        self.facts(
            [
                (_("Rapportens läge"), document.state_label),
                (_("Sammanställd"), document.generated_label),
            ]
        )
        if document.has_examples:
            self.example(
                _("Rapporten innehåller exempeldata, inte verkliga uppgifter: %(what)s.")
                % {"what": ", ".join(document.examples)}
            )
        self.paragraph().add_run().add_break(WD_BREAK.PAGE)

    def toc(self, document: ReportDocument) -> None:
        heading = _("Innehåll")
        self.paragraph(heading, "TOC Heading" if self.has_toc_heading else "Subtitle")
        entries = document.toc()
        first = self.doc.add_paragraph()
        for xml in (
            '<w:fldChar {ns} w:fldCharType="begin" w:dirty="true"/>',
            '<w:instrText {ns} xml:space="preserve"> TOC \\o "1-{depth}" \\h \\z \\u </w:instrText>',
            '<w:fldChar {ns} w:fldCharType="separate"/>',
        ):
            run = first.add_run()
            run._r.append(parse_xml(xml.format(ns=nsdecls("w"), depth=document.toc_depth)))
        # What shows until the field is updated: the headings, without page numbers.
        paragraphs = [first] + [self.doc.add_paragraph() for _entry in entries[1:]]
        for paragraph, section in zip(paragraphs, entries, strict=False):
            run = paragraph.add_run(section.numbered_title)
            run.bold = section.level == 1
            paragraph.paragraph_format.left_indent = Cm(0.6 * (section.level - 1))
            paragraph.paragraph_format.space_after = Pt(2)
        run = paragraphs[-1].add_run()
        run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="end"/>'))
        settings = self.doc.settings.element
        if settings.find(qn("w:updateFields")) is None:
            settings.append(parse_xml(f'<w:updateFields {nsdecls("w")} w:val="true"/>'))

    def write(self, document: ReportDocument) -> bytes:
        values = {
            "organisation": document.organisation,
            "rapport": document.title,
            "enhet": document.unit_name,
            "period": document.period_label,
            "sammanställd": document.generated_label,  # Stockholm time, as on the cover
        }
        for section in self.doc.sections:
            for part in (
                section.header,
                section.footer,
                section.first_page_header,
                section.first_page_footer,
            ):
                for paragraph in part.paragraphs:
                    _fill_placeholders(paragraph, values)
        properties = self.doc.core_properties
        properties.title = document.full_title
        properties.subject = document.period_label
        properties.author = document.organisation
        properties.language = "sv-SE"
        properties.keywords = document.title
        properties.created = document.generated_at
        properties.modified = document.generated_at
        properties.last_modified_by = document.organisation
        properties.comments = ""
        self.cover(document)
        self.toc(document)
        for content in document.sections:
            self.section(content)
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def _widths(table: Table) -> list[float]:
    """Column widths in cm, from the table's shares of the text width."""
    return [TEXT_WIDTH_CM * share / 100 for share in table.widths]


class _RichParser(HTMLParser):
    """The comment subset of HTML (p, br, ul/ol/li, strong, em, a) as Word paragraphs."""

    def __init__(self, writer: _Writer) -> None:
        super().__init__(convert_charrefs=True)
        self.writer = writer
        self.paragraph = None
        self.lists: list[str] = []
        self.bold = self.italic = 0
        self.href = ""

    def _ensure(self):
        if self.paragraph is None:
            self.paragraph = self.writer.doc.add_paragraph()
        return self.paragraph

    def handle_starttag(self, tag, attrs):
        if tag == "p":
            self.paragraph = self.writer.doc.add_paragraph()
        elif tag in ("ul", "ol"):
            self.lists.append(tag)
        elif tag == "li":
            style = "List Bullet" if not self.lists or self.lists[-1] == "ul" else None
            self.paragraph = self.writer.add(style or self.writer.list_number)
        elif tag == "br":
            self._ensure().add_run().add_break()
        elif tag == "strong":
            self.bold += 1
        elif tag == "em":
            self.italic += 1
        elif tag == "a":
            self.href = dict(attrs).get("href") or ""

    def handle_endtag(self, tag):
        if tag in ("p", "li"):
            self.paragraph = None
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag == "strong":
            self.bold = max(0, self.bold - 1)
        elif tag == "em":
            self.italic = max(0, self.italic - 1)
        elif tag == "a":
            if self.href:
                self._ensure().add_run(f" ({self.href})")
            self.href = ""

    def handle_data(self, data):
        if not data.strip() and self.paragraph is None:
            return
        run = self._ensure().add_run(data)
        run.bold = bool(self.bold) or None
        run.italic = bool(self.italic) or None


def to_docx(document: ReportDocument, *, organisation=None) -> bytes:
    data = _Writer(_template(organisation)).write(document)
    return set_core_times(data, document.generated_at)
