"""One document model for a report, rendered four ways (HTML, PDF, DOCX, XLSX).

A report is a tree of ``Section``s, each with a title and a list of blocks. Blocks are
plain data: the renderers (``render/``) decide how each kind looks, so a section builder
never writes HTML, Word or Excel itself::

    Section("Budget", blocks=[Text("Beloppen är i mnkr."), Table(...), Chart(...)])

Numbers are kept twice in a ``Cell``: as the Swedish text shown in HTML, PDF and DOCX
(formatted by ``budget.money`` / ``indicators.formatting``) and as the exact value written
to XLSX as a number.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

# Every status is shown as a word and a symbol, never by colour alone. The tone only adds
# colour: good / partial / bad / neutral.
SYMBOLS: dict[str, tuple[str, str]] = {
    "uppfyllt": ("●", "good"),
    "delvis_uppfyllt": ("◐", "partial"),
    "ej_uppfyllt": ("○", "bad"),
    "ej_bedombar": ("–", "neutral"),
    "genomford": ("●", "good"),
    "pagar": ("◐", "partial"),
    "ej_paborjad": ("○", "neutral"),
    "forsenad": ("▲", "bad"),
    "ej_genomford": ("✕", "bad"),
    "enligt_budget": ("●", "good"),
    "risk": ("▲", "partial"),
    "avvikelse": ("✕", "bad"),
}
NOT_ASSESSED = ("·", "neutral")
# (symbol, colour "#rrggbb"): a status of a scale the organisation defined itself
# (``governance``'s assessment steps), which ``SYMBOLS`` cannot know. Renderers draw the
# symbol in the colour; the word is written beside it as always.
Shown = tuple[str, str]


def symbol_for(key: str | None) -> tuple[str, str]:
    """(symbol, tone) for a status key; a missing status is "·" (neutral)."""
    return SYMBOLS.get(key or "", NOT_ASSESSED)


@dataclass
class Text:
    """A paragraph of plain text."""

    text: str
    style: str = "body"  # body | lead | muted | small
    kind = "text"


@dataclass
class RichText:
    """Formatted text: a stored comment, the small HTML subset of ``followup.text``, cleaned
    again here as HTML (never re-read as plain text, which would escape ``&amp;`` twice)."""

    html: str
    label: str = ""  # e.g. "Kommentar", shown before the text
    kind = "richtext"

    @property
    def safe_html(self) -> str:
        from uppsikt.followup.text import clean_html

        return clean_html(self.html)


@dataclass
class Bullets:
    items: list[str]
    kind = "bullets"


@dataclass
class Facts:
    """Label–value pairs (ansvarig, skriven av …)."""

    rows: list[tuple[str, str]]
    kind = "facts"


@dataclass
class Status:
    """A status with its label, word and symbol: "Bedömning: ◐ Delvis uppfyllt (beslutad)"."""

    label: str
    key: str | None
    text: str
    detail: str = ""
    shown: Shown | None = None  # the organisation's own symbol and colour for ``key``
    kind = "status"

    @property
    def symbol(self) -> str:
        return self.shown[0] if self.shown else symbol_for(self.key)[0]

    @property
    def tone(self) -> str:
        return "custom" if self.shown else symbol_for(self.key)[1]

    @property
    def colour(self) -> str:
        return self.shown[1] if self.shown else ""


@dataclass
class Example:
    """A note that what is shown here is example data, not real."""

    text: str
    kind = "example"


@dataclass
class Cell:
    text: str
    value: Decimal | int | None = None  # for XLSX; None writes the text
    note: int | None = None  # a numbered note under the table (e.g. rounding)
    status: str | None = None  # a status key: renderers show its symbol before the text
    shown: Shown | None = None  # the organisation's own symbol and colour for ``status``

    @property
    def symbol(self) -> str:
        if self.shown:
            return self.shown[0]
        return symbol_for(self.status)[0] if self.status else ""

    @property
    def tone(self) -> str:
        if self.shown:
            return "custom"
        return symbol_for(self.status)[1] if self.status else ""

    @property
    def colour(self) -> str:
        return self.shown[1] if self.shown else ""


@dataclass
class Column:
    label: str
    numeric: bool = False


@dataclass
class Row:
    """A table row; its first cell is the row's header."""

    cells: list[Cell]
    depth: int = 0
    emphasis: bool = False  # a sum or total
    heading: bool = False  # a label-only row ("Övrigt inom …:")
    hidden_prefix: str = ""  # words for screen readers only, e.g. "varav"


@dataclass
class Table:
    caption: str
    columns: list[Column]
    rows: list[Row]
    sheet: str = ""  # XLSX sheet name (short)
    notes: list[str] = field(default_factory=list)
    number_format: str = "#,##0;-#,##0"  # XLSX format of numeric cells (lib.workbook)
    unit_label: str = ""  # "Belopp i mnkr"
    # Set when the table shows example data: every format prints it with the table (HTML
    # and PDF under it, DOCX under it, XLSX on the table's own sheet).
    example: str = ""
    kind = "table"

    @property
    def example_block(self) -> Example:
        return Example(self.example)

    @property
    def widths(self) -> list[int]:
        """Column widths in percent (multiples of 5, adding up to 100).

        Shared by how much text each column holds (numbers kept narrow), but never narrower
        than its longest word, so renderers can lay tables out without measuring them.
        """
        weights, floors = [], []
        for index, column in enumerate(self.columns):
            texts = [column.label] + [
                (row.cells[index].symbol + " " + row.cells[index].text).strip()
                for row in self.rows
                if index < len(row.cells)
            ]
            longest = max(len(text) for text in texts)
            word = max((len(w) for text in texts for w in text.split()), default=1)
            weights.append(max(6.0, min(longest, 12.0 if column.numeric else 55.0)))
            # about 5.2 pt per character of 8 pt text, 12 pt padding, on a 476 pt line
            floors.append(min(50, -(-(word * 5.2 + 12) * 100 // 476 // 5) * 5))
        total = sum(weights)
        shares = [
            max(floor, round(100 * w / total / 5) * 5)
            for w, floor in zip(weights, floors, strict=True)
        ]
        while sum(shares) > 100:
            spare = [i for i, share in enumerate(shares) if share - 5 >= floors[i]]
            if not spare:
                break
            widest = max(spare, key=lambda i: shares[i])
            shares[widest] -= 5
        shares[shares.index(max(shares))] += 100 - sum(shares)
        return [int(share) for share in shares]

    @property
    def has_numbers(self) -> bool:
        return any(column.numeric for column in self.columns[1:])

    @property
    def body(self) -> list[tuple[Row, Cell, list[tuple[Cell, Column]]]]:
        """For templates: each row, its header cell, and its other cells with their columns."""
        return [
            (row, row.cells[0], list(zip(row.cells[1:], self.columns[1:], strict=False)))
            for row in self.rows
        ]


@dataclass
class Chart:
    """A bar chart (``charts.BarChart``) with its data table beside it."""

    title: str
    chart: Any
    table: Table
    ident: str = ""  # a unique id in the document, set by ``ReportDocument.finish``
    kind = "chart"

    @property
    def svg(self) -> str:
        from .charts import to_svg

        return to_svg(self.chart, title=self.title, description=self.description, ident=self.ident)

    @property
    def description(self) -> str:
        return str(
            _("Diagram: %(title)s. Samma värden finns i tabellen %(table)s.")
            % {"title": self.title, "table": self.table.caption}
        )


@dataclass
class Entry:
    """One followed-up object shown compactly (an uppdrag, an aktivitet)."""

    title: str
    status: Status
    comment: RichText | None = None
    facts: list[tuple[str, str]] = field(default_factory=list)
    example: bool = False
    kind = "entry"


Block = Text | RichText | Bullets | Facts | Status | Example | Table | Chart | Entry


@dataclass
class Section:
    title: str
    blocks: list[Any] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    in_toc: bool = True  # not used: the contents list every section down to ``toc_depth``
    number: str = ""
    anchor: str = ""
    level: int = 1
    # What the section is, where renderers or checks need to know: "goal:effektmal" for a
    # goal of that kind (goals of one kind sit at one heading level, ``content.goals``).
    kind: str = ""

    def walk(self) -> Iterator[Section]:
        yield self
        for child in self.children:
            yield from child.walk()

    @property
    def numbered_title(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title

    @property
    def tag(self) -> str:
        """The HTML heading: the page or cover title is h1, chapters h2 and so on."""
        return f"h{min(self.level + 1, 6)}"


@dataclass
class ReportDocument:
    title: str  # "Delårsrapport 2023"
    unit_name: str  # "Regionstyrelsen"
    organisation: str  # "Region Örebro län"
    period_label: str  # "Per 31 juli 2023"
    state_label: str  # the unit report's state
    generated_at: datetime.datetime
    sections: list[Section] = field(default_factory=list)
    has_examples: bool = False
    examples: list[str] = field(default_factory=list)  # what example data is shown
    lang: str = "sv"
    toc_depth: int = 2
    # The organisation's profile (``Organisation.colour``, its logo as a data: URI); empty:
    # the default look. Drawn on the cover; not part of what a report says (``snapshot``).
    brand_colour: str = ""
    logo: str = ""

    @property
    def brand_text_colour(self) -> str:
        return "#ffffff"

    @property
    def brand_css(self) -> str:
        """The cover's colours as a style rule ("" without a valid colour: the default)."""
        from uppsikt.lib.contrast import is_hex_colour

        if not is_hex_colour(self.brand_colour):
            return ""
        colour, text = self.brand_colour, self.brand_text_colour
        return (
            f".r-cover .r-cover__org.brand-colour {{ background: {colour}; color: {text}; }} "
            f".r-cover .r-cover__facts.brand-border {{ border-top-color: {colour}; }}"
        )

    @property
    def logo_alt(self) -> str:
        from django.utils.translation import gettext as _

        return _("Logotyp för %(name)s") % {"name": self.organisation}

    @property
    def logo_bytes(self) -> bytes:
        """The logo's image (PNG or JPEG), or b"" for none."""
        import base64

        if not self.logo.startswith("data:image/") or ";base64," not in self.logo:
            return b""
        return base64.b64decode(self.logo.split(";base64,", 1)[1])

    @property
    def full_title(self) -> str:
        return f"{self.title} – {self.unit_name}"

    @property
    def generated_label(self) -> str:
        """When the report was compiled, in Stockholm time: "26 november 2026 05:09"."""
        from .stamps import label

        return label(self.generated_at)

    @property
    def generated_iso(self) -> str:
        """The same moment for metadata: "2026-11-26T05:09:42+01:00"."""
        from .stamps import iso

        return iso(self.generated_at)

    def finish(self) -> ReportDocument:
        """Number the sections (1, 1.1 …), give them anchors and levels."""

        def visit(sections: list[Section], prefix: str, level: int) -> None:
            for index, section in enumerate(sections, 1):
                section.number = f"{prefix}{index}"
                section.anchor = "avsnitt-" + section.number.replace(".", "-")
                section.level = level
                visit(section.children, f"{section.number}.", level + 1)

        visit(self.sections, "", 1)
        charts = [b for s in self.walk() for b in s.blocks if isinstance(b, Chart)]
        for index, chart in enumerate(charts, 1):
            chart.ident = f"diagram-{index}"
        return self

    def walk(self) -> Iterator[Section]:
        for section in self.sections:
            yield from section.walk()

    def toc(self) -> list[Section]:
        """Every section down to ``toc_depth``: leaving one out would leave a gap in the
        contents' numbering (2.1, 2.3), and Word's TOC field lists it anyway."""
        return [s for s in self.walk() if s.level <= self.toc_depth]

    def tables(self) -> Iterator[tuple[Section, Table]]:
        """Every table in document order, a chart's data table included."""
        for section in self.walk():
            for block in section.blocks:
                if isinstance(block, Table):
                    yield section, block
                elif isinstance(block, Chart):
                    yield section, block.table
