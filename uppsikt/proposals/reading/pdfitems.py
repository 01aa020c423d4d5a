"""What a PDF page is read into before it is made blocks: lines (with their font size,
weight and place) and tables."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PdfLine:
    text: str
    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    column: int = 0
    first_width: float = 0.0  # the width of its first word


@dataclass
class PdfTable:
    page: int
    top: float
    rows: list[list[str]]
    bottom: float = 0.0
    x0: float = 0.0
    x1: float = 0.0
    column: int = 0


@dataclass
class PdfPage:
    number: int
    width: float
    height: float
    items: list[PdfLine | PdfTable] = field(default_factory=list)
