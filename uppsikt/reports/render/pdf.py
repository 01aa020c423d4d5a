"""The report as a tagged, accessible PDF (PDF/UA-1) through WeasyPrint.

The printable HTML (``render.html``) carries the structure: headings become bookmarks and
the PDF outline, ``lang="sv"`` the document language, ``<title>`` the title in the
metadata; the table of contents gets its page numbers from ``target-counter``; table
header rows repeat on every page. What WeasyPrint leaves out of the structure tree
(``/Scope`` of header cells; decorative symbols as artifacts) ``pdf_tags.finish_tags`` adds,
so the file passes a PDF/UA-1 checker (docs/reports.md, "PDF/UA"). Fonts: Noto Sans (Debian
``fonts-noto-core``), then DejaVu Sans.
"""

from __future__ import annotations

from functools import cache

from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from ..document import ReportDocument
from .html import document_html, print_css
from .pdf_tags import finish_tags


def _margin_css() -> str:
    """The page-number line, in Swedish: "Sida 3 av 24"."""
    page = _("Sida")
    of = pgettext("sidnumrering: sida 3 av 24", "av")
    return (
        "@page { @bottom-right { content: "
        f'"{page} " counter(page) " {of} " counter(pages); '
        "font-size: 7.5pt; color: #4f5a6b; } }"
    )


@cache
def _stylesheets(language: str) -> tuple:
    """The parsed print style, once per language (the margin words are translated)."""
    from weasyprint import CSS

    return (CSS(string=print_css()), CSS(string=_margin_css()))


def to_pdf(document: ReportDocument, *, finisher=finish_tags) -> bytes:
    """The document as a PDF/UA-1 file. ``finisher=None`` leaves WeasyPrint's tags as they
    are (the tests compare the two)."""
    from weasyprint import HTML

    html = HTML(string=document_html(document), base_url=None)
    return html.write_pdf(
        finisher=finisher,
        stylesheets=list(_stylesheets(get_language() or "sv")),
        pdf_variant="pdf/ua-1",
        pdf_identifier=None,
        custom_metadata=True,
    )
