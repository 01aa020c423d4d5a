"""Plan documents for the reading tests, made with the project's own tools from the seed.

``seed_structure()`` lays the seed's text (Regionstyrelsens verksamhetsplan med budget
2023, the text of a PDF) out as a document: its sections, paragraphs, lists and tables,
as the plain-text reader finds them, with the internal-control plan (whose columns the
text export interleaves beyond recovery) written out as the table it is in the original.
``pdf_from(blocks)`` typesets it with WeasyPrint (A4, sized and numbered headings, lists,
ruled and unruled tables, a running header and a "Sida N av M" footer, Swedish
hyphenation at line ends); ``docx_from(blocks)`` writes it with python-docx (heading
styles, bulleted and lettered lists by numbering definitions, tables). The readers must
recover from the layout what the builder laid out; nothing else is passed to them.
"""

from __future__ import annotations

import html
import io
from pathlib import Path

from uppsikt.proposals.reading.blocks import Block, Kind, Source
from uppsikt.proposals.reading.text import read_text

SEED = Path("/work/shared/seeds/orebro-regionstyrelsen-verksamhetsplan-budget-2023.txt")
if not SEED.exists():  # the repository's copy, when the shared folder is elsewhere
    SEED = Path(__file__).resolve().parents[1] / "demo" / "seeds" / SEED.name
RUNNING_TITLE = "Regionstyrelsens verksamheter, Verksamhetsplan med budget 2023"

# The internal-control plan (section 6.1 of the seed): verksamhet, risk, åtgärd.
CONTROL_ROWS = (
    ("Verksamhet", "Risk", "Åtgärd"),
    (
        "HR",
        "Risken att systematiskt arbetsmiljöarbete (SAM) inte bedrivs i enlighet med "
        "föreskrifter och Region Örebro läns riktlinjer och rutiner.",
        "Regionövergripande åtgärd: Varje chef ska säkerställa att arbetsmiljöarbete sker "
        "enligt fördelade arbetsmiljöuppgifter genom att årligen följa upp "
        "arbetsmiljöarbetet, planera för åtgärder och rapportera/redovisa till den som "
        "fördelat arbetsmiljöuppgifterna.",
    ),
    (
        "HR",
        "Risken att lönehantering och löneutbetalningsprocessen inte är helt "
        "tillfredsställande och ändamålsenlig.",
        "Regionövergripande åtgärd: Genomgång och kvalitetssäkring av processerna inom "
        "lönehanteringsområdet.",
    ),
    (
        "Ekonomi",
        "Risken att redovisningen inte är rättvisande.",
        "Regionövergripande åtgärd: Information och utbildningsinsatser riktat till "
        "ekonomer och ekonomiadministratörer.",
    ),
    (
        "Kommunikation",
        "Risken för otillåten informationspåverkan, exempelvis spridning av falska nyheter "
        "eller felaktig fakta med Region Örebro län som avsändare eller via regionens "
        "kanaler.",
        "Interna informationsinsatser. Externa kommunikationsinsatser, även via andra "
        "myndigheter. Utbildning av medarbetare.",
    ),
    (
        "Digitalisering",
        "Risken att organisationen inte har tillräcklig hög digital mognad för att arbeta "
        "enligt digitalt först.",
        "Att erbjuda verksamheterna stöd i den digitala omställningen och att tydliggöra "
        "verksamheternas ansvar att arbeta med digital omställning och nya arbetssätt.",
    ),
    (
        "Staben hälso- och sjukvård",
        "Risken att överlämnad verksamhet till en privat utförare enligt KL 3 kap 16 § inte "
        "följer mål och riktlinjer enligt Krav- och kvalitetsboken.",
        "Kontroll och uppföljning av privata utförares efterlevnad av krav och att korrekt "
        "ekonomisk ersättning erläggs.",
    ),
)


def seed_structure(repeat: int = 1) -> list[Block]:
    """The seed's blocks as laid out in the test documents (``repeat`` times over, for a
    long document)."""
    blocks = read_text(SEED.read_bytes()).blocks
    start = next(i for i, b in enumerate(blocks) if b.text.startswith("Åtgärd: Hur verksamheten"))
    end = next(i for i, b in enumerate(blocks) if i > start and b.kind == Kind.HEADING and b.number)
    control = Block(Kind.TABLE, Source(0), rows=CONTROL_ROWS)
    laid = [*blocks[: start + 1], control, *blocks[end:]]
    laid = [b for b in laid if b.kind != Kind.HEADING or b.number or b.level <= 4]
    return laid * repeat


# -- PDF --------------------------------------------------------------------------------
CSS = """
@page { size: A4; margin: 25mm 22mm 25mm 22mm;
  @top-center { content: "%(title)s"; font-size: 8pt; color: #444; }
  @bottom-right { content: "Sida " counter(page) " av " counter(pages); font-size: 8pt; } }
body { font-family: "DejaVu Serif", serif; font-size: 10.5pt; line-height: 1.35; }
p, li { text-align: justify; hyphens: auto; margin: 0 0 7pt 0; }
h1 { font-size: 18pt; margin: 14pt 0 8pt; } h2 { font-size: 14pt; margin: 12pt 0 6pt; }
h3 { font-size: 12pt; margin: 10pt 0 5pt; }
h4 { font-size: 10.5pt; font-weight: bold; margin: 8pt 0 4pt; }
ul, ol { margin: 0 0 7pt 0; padding-left: 18pt; }
ol.lettered { list-style-type: lower-alpha; }
table { border-collapse: collapse; margin: 6pt 0 10pt; width: 100%%; font-size: 9.5pt; }
table.ruled td, table.ruled th { border: 0.6pt solid #333; padding: 2pt 4pt; vertical-align: top; }
table.unruled td, table.unruled th { padding: 2pt 4pt; }
td.figure, th.figure { text-align: right; white-space: nowrap; }
th { text-align: left; }
"""


def html_from(blocks: list[Block], extra_css: str = "") -> str:
    parts: list[str] = []
    tables = 0
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if block.kind == Kind.LIST_ITEM:
            run = [block]
            while i + 1 < len(blocks) and blocks[i + 1].kind == Kind.LIST_ITEM:
                i += 1
                run.append(blocks[i])
            parts.append(_html_list(run))
        elif block.kind == Kind.TABLE:
            tables += 1
            parts.append(_html_table(block, ruled=tables != 2))
        elif block.kind == Kind.HEADING:
            level = min(block.level, 4) if block.number else 4
            text = f"{block.number} {block.text}".strip()
            parts.append(f"<h{level}>{html.escape(text)}</h{level}>")
        else:
            text = html.escape(block.text)
            if block.number:
                text = f"<strong>{html.escape(block.number)} {text}</strong>"
            parts.append(f"<p>{text}</p>")
        i += 1
    css = CSS % {"title": RUNNING_TITLE} + extra_css
    return (
        f'<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>{RUNNING_TITLE}'
        f"</title><style>{css}</style></head><body>{''.join(parts)}</body></html>"
    )


def _html_list(items: list[Block]) -> str:
    lettered = all(item.number.endswith(")") for item in items)
    start = ord(items[0].number[0].lower()) - ord("a") + 1 if lettered else 1
    tag, cls = ("ol", f' class="lettered" start="{start}"') if lettered else ("ul", "")
    body = "".join(f"<li>{html.escape(item.text)}</li>" for item in items)
    return f"<{tag}{cls}>{body}</{tag}>"


def _is_figure(cell: str) -> bool:
    return bool(cell) and cell.replace(" ", "").replace(",", "").lstrip("-").isdigit()


def _html_table(block: Block, *, ruled: bool) -> str:
    rows = []
    for n, row in enumerate(block.rows):
        tag = "th" if n == 0 else "td"
        cells = "".join(
            f"<{tag}{' class=figure' if _is_figure(c) or (n == 0 and j) else ''}>"
            f"{html.escape(c)}</{tag}>"
            for j, c in enumerate(row)
        )
        rows.append(f"<tr>{cells}</tr>")
    head, body = rows[0], "".join(rows[1:])
    kind = "ruled" if ruled else "unruled"
    return f'<table class="{kind}"><thead>{head}</thead><tbody>{body}</tbody></table>'


def pdf_from(blocks: list[Block], extra_css: str = "") -> bytes:
    return pdf_from_html(html_from(blocks, extra_css))


def pdf_from_html(markup: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=markup).write_pdf()


# -- DOCX -------------------------------------------------------------------------------
def docx_from(blocks: list[Block]) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = RUNNING_TITLE
    lettered = _lettered_numbering(document)
    previous: Block | None = None
    for block in blocks:
        if block.kind == Kind.HEADING:
            level = min(block.level, 4) if block.number else 4
            document.add_heading(f"{block.number} {block.text}".strip(), level)
        elif block.kind == Kind.LIST_ITEM:
            if block.number.endswith(")"):
                paragraph = document.add_paragraph(block.text)
                restart = previous is None or previous.kind != Kind.LIST_ITEM
                _number(paragraph, lettered(restart))
            else:
                document.add_paragraph(block.text, style="List Bullet")
        elif block.kind == Kind.TABLE:
            width = len(block.rows[0])
            table = document.add_table(rows=len(block.rows), cols=width)
            table.style = "Table Grid"
            for r, row in enumerate(block.rows):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
        else:
            paragraph = document.add_paragraph()
            text = f"{block.number} {block.text}".strip()
            paragraph.add_run(text).bold = bool(block.number)
        previous = block
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _lettered_numbering(document):  # type: ignore[no-untyped-def]
    """A numbering definition for lettered lists ("a)", "b)"); returns a function giving
    a numId, a new one (counting from "a" again) when ``restart``."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    numbering = document.part.numbering_part.element
    abstract_id = "90"
    numbering.insert(
        0,
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>'
            '<w:lvlText w:val="%1)"/><w:lvlJc w:val="left"/></w:lvl></w:abstractNum>'
        ),
    )
    state = {"next": 900, "current": None}

    def num_id(restart: bool) -> str:
        if restart or state["current"] is None:
            state["next"] += 1
            numbering.append(
                parse_xml(
                    f'<w:num {nsdecls("w")} w:numId="{state["next"]}">'
                    f'<w:abstractNumId w:val="{abstract_id}"/></w:num>'
                )
            )
            state["current"] = str(state["next"])
        return str(state["current"])

    return num_id


def _number(paragraph, num_id: str) -> None:  # type: ignore[no-untyped-def]
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    properties = paragraph._p.get_or_add_pPr()
    properties.append(
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'
        )
    )
