"""The report as HTML: a standalone file (with its print style inlined) and the page body."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.template.loader import render_to_string

from ..document import ReportDocument

STATIC = Path(__file__).resolve().parent.parent / "static" / "reports"


@cache
def print_css() -> str:
    """The shared report style, then the print style."""
    return "\n".join(
        (STATIC / name).read_text(encoding="utf-8") for name in ("shared.css", "print.css")
    )


def document_html(document: ReportDocument, *, css: str = "") -> str:
    """The full printable document (cover, contents, chapters) as one HTML text."""
    return render_to_string("reports/standalone.html", {"document": document, "css": css})


def to_standalone_html(document: ReportDocument) -> bytes:
    """A single HTML file that opens anywhere: the print style is inside it."""
    return document_html(document, css=print_css()).encode("utf-8")
