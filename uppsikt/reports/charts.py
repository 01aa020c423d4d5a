"""Horizontal bar charts: geometry computed once, drawn as SVG (HTML, PDF) or PNG (DOCX).

The chart is for sighted readers; the same figures are always in the data table beside it
(``document.Chart.table``), and the SVG's title and description say so. Bars of a category
are grouped, one per series; negative values extend left from the zero line, so a budget
of costs written as negative figures reads as it is printed.
"""

from __future__ import annotations

import html
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

from uppsikt.lib.charts import linear_scale

WIDTH = 640
LABEL_WIDTH = 200  # the category labels' column, left of the bars
BAR = 14
GAP = 12
TOP = 8
LEGEND = 26  # height of one legend line
FONT_SIZE = 11
LINE_HEIGHT = FONT_SIZE + 3
MAX_LINES = 3  # a longer category label ends in "…"; the data table has it in full
PAD = 4  # between a bar's end and its value, and between texts

SERIES_COLOURS = ("#1f4e79", "#8fb0d4", "#2f6f4f", "#b07a12")
TONE_COLOURS = {"good": "#2f6f4f", "partial": "#b07a12", "bad": "#b3261e", "neutral": "#6b7280"}
INK, MUTED, LINE = "#1d2433", "#4f5a6b", "#9aa4b2"

FONT_FILES = (
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    title: str


@dataclass
class Label:
    x: float
    y: float  # the baseline
    text: str
    anchor: str = "start"  # start | end
    colour: str = INK
    bold: bool = False

    @property
    def box(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) the text covers, measured with the chart's font."""
        width = text_width(self.text)
        left = self.x - width if self.anchor == "end" else self.x
        return (left, self.y - FONT_SIZE, left + width, self.y + 3)


@dataclass
class BarChart:
    width: int
    height: int
    bars: list[Bar] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    axis: tuple[float, float, float, float] = (0, 0, 0, 0)  # x1, y1, x2, y2
    legend: list[tuple[str, str, float, float]] = field(default_factory=list)  # colour, text, x, y


def text_width(text: str) -> float:
    """The text's width in the chart's font (Noto Sans, as the SVG and PNG are drawn)."""
    return _font(FONT_SIZE).getlength(text)


def _fit(word: str, width: float) -> tuple[str, str]:
    """The longest head of ``word`` that fits ``width``, and the rest."""
    cut = len(word)
    while cut > 1 and text_width(word[:cut]) > width:
        cut -= 1
    return word[:cut], word[cut:]


def wrap_label(text: str, width: float = LABEL_WIDTH - 2 * PAD) -> list[str]:
    """A category label in lines that fit ``width``, at most ``MAX_LINES``; words longer
    than a line are cut, and a label that needs more lines ends in "…"."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if text_width(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while text_width(current) > width:
            head, current = _fit(current, width)
            lines.append(head)
    if current:
        lines.append(current)
    if len(lines) > MAX_LINES:
        last = lines[MAX_LINES - 1]
        while last and text_width(last + "…") > width:
            last = last[:-1].rstrip()
        lines = [*lines[: MAX_LINES - 1], last + "…"]
    return lines or [""]


def _legend(chart: BarChart, series: list[str]) -> float:
    """The series' legend above the bars, wrapped to the width; where the bars start."""
    top: float = TOP
    x: float = LABEL_WIDTH
    for i, name in enumerate(series):
        width = 17 + text_width(name)
        if x > LABEL_WIDTH and x + width > WIDTH:
            x, top = LABEL_WIDTH, top + LEGEND - 8
        chart.legend.append((SERIES_COLOURS[i % len(SERIES_COLOURS)], name, x, top))
        x += width + 18
    return top + LEGEND


def bar_chart(
    categories: list[str],
    series: list[str],
    values: Sequence[Sequence[Decimal | int | None]],
    fmt,
    *,
    tones: list[str] | None = None,
) -> BarChart | None:
    """Grouped horizontal bars: ``values[category][series]``, shown with ``fmt(value)``.

    ``tones`` colours each category by a status tone (or a colour, #rrggbb) instead of
    by series (one series).
    Returns None when there is no value to draw. Texts never overlap: a category's row is
    as tall as its wrapped label, and the bars leave room for the widest value beside them.
    """
    present = [Decimal(v) for row in values for v in row if v is not None]
    if not present or not categories:
        return None
    value_room = max(text_width(fmt(v)) for v in present) + 2 * PAD
    has_positive = any(v > 0 for v in present)
    # A negative value is written left of its bar when positive bars take the right side.
    left_values = has_positive and any(v < 0 for v in present)
    x0 = LABEL_WIDTH + (value_room if left_values else 0)
    x1 = WIDTH - value_room
    scale = linear_scale(present, top=x1, bottom=x0, nice=False)  # left to right
    zero = scale.at(Decimal(0))
    chart = BarChart(WIDTH, 0)
    top = _legend(chart, series) if len(series) > 1 else TOP
    y = top
    x: float
    for i, (category, row) in enumerate(zip(categories, values, strict=True)):
        lines = wrap_label(category)
        bars_height = len(series) * BAR
        height = max(bars_height, len(lines) * LINE_HEIGHT)
        bars_top = y + (height - bars_height) / 2
        middle = y + height / 2
        for n, line in enumerate(lines):
            offset = (n - (len(lines) - 1) / 2) * LINE_HEIGHT
            chart.labels.append(
                Label(LABEL_WIDTH - PAD, round(middle + offset + 4, 1), line, "end")
            )
        for j, value in enumerate(row):
            if value is None:
                continue
            value = Decimal(value)
            end = scale.at(value)
            colour = (
                TONE_COLOURS.get(tones[i], tones[i])
                if tones
                else SERIES_COLOURS[j % len(SERIES_COLOURS)]
            )
            bar_y = round(bars_top + j * BAR, 1)
            text = fmt(value)
            # A bar is at least 0.8 wide so a tiny value still shows, always touching zero.
            width = round(max(abs(end - zero), 0.8), 1)
            x = zero if value >= 0 else zero - width
            chart.bars.append(
                Bar(round(x, 1), bar_y, width, BAR - 2, colour, f"{category}, {series[j]}: {text}")
            )
            if value >= 0 or not has_positive:
                label_x, anchor = max(end, zero) + PAD, "start"
            else:
                label_x, anchor = end - PAD, "end"
            chart.labels.append(Label(round(label_x, 1), bar_y + BAR - 4, text, anchor, MUTED))
        y += height + GAP
    chart.height = int(y - GAP + TOP)
    chart.axis = (round(zero, 1), top - 4, round(zero, 1), chart.height - TOP + 2)
    return chart


def _attr(value: object) -> str:
    return html.escape(str(value), quote=True)


def to_svg(chart: BarChart, *, title: str, description: str, ident: str) -> str:
    """The chart as an inline SVG element (presentation attributes, no style attributes)."""
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" '
        f'viewBox="0 0 {chart.width} {chart.height}" width="{chart.width}" '
        f'height="{chart.height}" role="img" aria-labelledby="{ident}-t {ident}-d" '
        f'font-family="Noto Sans, DejaVu Sans, sans-serif" font-size="{FONT_SIZE}">',
        f'<title id="{ident}-t">{_attr(title)}</title>',
        f'<desc id="{ident}-d">{_attr(description)}</desc>',
    ]
    for colour, text, x, y in chart.legend:
        out.append(
            f'<rect x="{x:.1f}" y="{y}" width="12" height="12" fill="{colour}" aria-hidden="true"/>'
        )
        out.append(f'<text x="{x + 17:.1f}" y="{y + 10}" fill="{INK}">{_attr(text)}</text>')
    for bar in chart.bars:
        out.append(
            f'<rect x="{bar.x}" y="{bar.y}" width="{bar.width}" height="{bar.height}" '
            f'fill="{bar.colour}"><title>{_attr(bar.title)}</title></rect>'
        )
    x1, y1, x2, y2 = chart.axis
    out.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{LINE}"/>')
    for label in chart.labels:
        weight = ' font-weight="bold"' if label.bold else ""
        out.append(
            f'<text x="{label.x}" y="{label.y}" text-anchor="{label.anchor}" '
            f'fill="{label.colour}"{weight}>{_attr(label.text)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


@cache
def _font(size: int):
    from PIL import ImageFont

    for path in FONT_FILES:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def to_png(chart: BarChart, scale: int = 2) -> bytes:
    """The same chart drawn with Pillow, for documents that cannot hold SVG (DOCX)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (chart.width * scale, chart.height * scale), "white")
    draw = ImageDraw.Draw(image)
    font = _font(FONT_SIZE * scale)

    def s(value: float) -> float:
        return value * scale

    for colour, text, x, y in chart.legend:
        draw.rectangle([s(x), s(y), s(x + 12), s(y + 12)], fill=colour)
        draw.text((s(x + 17), s(y + 10)), text, fill=INK, font=font, anchor="ls")
    for bar in chart.bars:
        draw.rectangle(
            [s(bar.x), s(bar.y), s(bar.x + bar.width), s(bar.y + bar.height)], fill=bar.colour
        )
    x1, y1, x2, y2 = chart.axis
    draw.line([s(x1), s(y1), s(x2), s(y2)], fill=LINE, width=scale)
    for label in chart.labels:
        anchor = "rs" if label.anchor == "end" else "ls"
        draw.text((s(label.x), s(label.y)), label.text, fill=label.colour, font=font, anchor=anchor)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False)
    return out.getvalue()
