"""What every format of a report says about itself: local times, numbering, example notes.

The documents are built by hand from the document model, so each format is checked on the
same content: HTML and PDF (pypdf), DOCX (python-docx and the package's core.xml), XLSX
(openpyxl and core.xml).
"""

import datetime
import io
import re
import zipfile

import pytest

from uppsikt.reports.build import render
from uppsikt.reports.document import ReportDocument, Section, Text

pytestmark = pytest.mark.django_db

# 08:30 UTC on a summer day is 10:30 in Stockholm (UTC+2).
SUMMER = datetime.datetime(2023, 8, 25, 8, 30, 15, tzinfo=datetime.UTC)
# 16:05 UTC in winter is 17:05 in Stockholm (UTC+1).
WINTER = datetime.datetime(2024, 1, 12, 16, 5, 0, tzinfo=datetime.UTC)


def document(generated_at=SUMMER, **extra) -> ReportDocument:
    return ReportDocument(
        title="Delårsrapport 2023",
        unit_name="Regionstyrelsen",
        organisation="Region Örebro län",
        period_label="Per 31 juli 2023",
        state_label="Utkast",
        generated_at=generated_at,
        sections=[Section("Inledning", [Text("Text.")])],
        **extra,
    ).finish()


def core_times(package: bytes) -> list[str]:
    core = zipfile.ZipFile(io.BytesIO(package)).read("docProps/core.xml").decode()
    return re.findall(r"<dcterms:(?:created|modified)\b[^>]*>([^<]*)<", core)


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize(
    ("moment", "label", "iso", "pdf"),
    [
        (SUMMER, "25 augusti 2023 10:30", "2023-08-25T10:30:15+02:00", "D:20230825103015+02'00"),
        (WINTER, "12 januari 2024 17:05", "2024-01-12T17:05:00+01:00", "D:20240112170500+01'00"),
    ],
)
def test_every_format_states_the_time_it_was_made_in_stockholm_time(moment, label, iso, pdf):
    from docx import Document
    from openpyxl import load_workbook
    from pypdf import PdfReader

    doc = document(moment)
    html = render(doc, "html").decode()
    assert f'name="dcterms.created" content="{iso}"' in html
    assert label in words(re.sub(r"<[^>]+>", " ", html))

    reader = PdfReader(io.BytesIO(render(doc, "pdf")))
    assert reader.metadata["/CreationDate"].startswith(pdf)
    assert label in words(reader.pages[0].extract_text())

    data = render(doc, "docx")
    assert core_times(data) == [iso, iso]
    cover = " ".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert label in cover

    data = render(doc, "xlsx")
    assert core_times(data) == [iso, iso]
    about = load_workbook(io.BytesIO(data)).worksheets[0]
    assert ["Sammanställd", label] in [list(r[:2]) for r in about.iter_rows(values_only=True)]
