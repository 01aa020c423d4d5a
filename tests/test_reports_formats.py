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


# --- example notes travel with their table ------------------------------------------------

NOTE = "Kolumner märkta (exempel) innehåller exempeldata, inte regionens siffror."


def test_a_budget_with_example_figures_says_so_under_its_tables_in_every_format():
    from docx import Document
    from openpyxl import load_workbook
    from pypdf import PdfReader

    from uppsikt.budget.models import Figure
    from uppsikt.reports.build import build_document

    from .followup_setup import small_setting

    setting = small_setting()
    Figure.objects.filter(row__table=setting.table, kind="prognos", period="2023-06").update(
        is_example=True
    )
    doc = build_document(setting.unit, setting.period)
    tables = [t for _s, t in doc.tables() if "Driftbudget styrelsen" in t.caption]
    assert len(tables) == 2  # the table and the chart's data table
    assert all(t.example == NOTE for t in tables)
    chart_table, table = tables
    assert chart_table.caption.startswith("Diagrammets värden: Driftbudget styrelsen")
    assert "Prognos 2023 (per 2023-06) (exempel)" in [c.label for c in table.columns]
    assert "budgetbelopp" in doc.examples

    page = words(re.sub(r"<[^>]+>", " ", render(doc, "html").decode()))
    assert page.count(NOTE) == 2
    pdf = PdfReader(io.BytesIO(render(doc, "pdf")))
    assert words(" ".join(p.extract_text() for p in pdf.pages)).count(NOTE) == 2
    paragraphs = [p.text for p in Document(io.BytesIO(render(doc, "docx"))).paragraphs]
    assert paragraphs.count("Exempel: " + NOTE) == 2
    book = load_workbook(io.BytesIO(render(doc, "xlsx")))
    notes = [s["A2"].value for s in book.worksheets if "Driftbudget" in str(s["A1"].value)]
    assert notes == ["Exempel: " + NOTE] * 2

    # Real figures only: no note anywhere.
    Figure.objects.update(is_example=False)
    doc = build_document(setting.unit, setting.period)
    assert not [t for _s, t in doc.tables() if t.example]
    assert NOTE not in render(doc, "html").decode()


# --- charts: long Swedish labels never run into each other ---------------------------------

from decimal import Decimal  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from uppsikt.reports.charts import MAX_LINES, WIDTH, bar_chart  # noqa: E402

swedish_words = st.sampled_from(
    [
        "Regionstyrelsen",
        "och",
        "regionkansliet,",
        "varav",
        "Hälso-",
        "sjukvårdsförvaltningens",
        "läkemedelskostnader",
        "Privata",
        "vårdgivare",
        "(avtal inom LOU, LOL, LOF, LOV *))",
        "Överenskommelse",
        "Folktandvården",
        "Regionövergripandeinformationssäkerhetsarbete",
        "ÅÄÖ",
    ]
)
labels = st.lists(swedish_words, min_size=1, max_size=14).map(" ".join)
amounts = st.decimals(min_value=-(10**7), max_value=10**7, places=1, allow_nan=False)


def overlaps(a, b) -> bool:
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


@settings(max_examples=60, deadline=None)
@given(
    st.lists(labels, min_size=1, max_size=6),
    st.integers(min_value=1, max_value=3),
    st.data(),
)
def test_chart_texts_never_overlap_and_stay_inside(categories, n_series, data):
    values = [
        data.draw(st.lists(st.one_of(st.none(), amounts), min_size=n_series, max_size=n_series))
        for _c in categories
    ]
    series = [f"Prognos 2023 (per 2023-0{i + 1})" for i in range(n_series)]
    chart = bar_chart(categories, series, values, lambda v: f"{v:,} mnkr".replace(",", " "))
    if chart is None:
        return
    boxes = [label.box for label in chart.labels]
    for box in boxes:
        assert box[0] >= -0.5 and box[2] <= WIDTH + 0.5, box
        assert box[1] >= 0 and box[3] <= chart.height + 0.5, box
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not overlaps(a, b), (a, b)
    for bar in chart.bars:  # no text lies on a bar
        rect = (bar.x, bar.y, bar.x + bar.width, bar.y + bar.height)
        for box in boxes:
            assert not overlaps(rect, box), (rect, box)
    lines = [label for label in chart.labels if label.colour != "#4f5a6b"]
    assert all(len(label.text) for label in lines)


def test_a_long_label_wraps_and_ends_in_an_ellipsis_the_table_keeps_it_whole():
    long = "Regionstyrelsens planeringsreserv för " + "oförutsedda kostnader " * 6
    chart = bar_chart([long], ["Budget"], [[Decimal(-50)]], str)
    texts = [label.text for label in chart.labels if label.anchor == "end" and label.x < 200]
    assert 1 < len(texts) <= MAX_LINES and texts[-1].endswith("…")
    assert texts[0].startswith("Regionstyrelsens planeringsreserv")


# --- note markers and editor notes ------------------------------------------------------


def test_a_note_marker_never_fuses_with_its_number_in_the_pdf_text_layer():
    from pypdf import PdfReader

    from uppsikt.reports.document import Cell, Column, Row, Table

    table = Table(
        "4.3 Driftbudget",
        [Column("Belopp i mnkr"), Column("Budget 2023", numeric=True)],
        [Row([Cell("Summa"), Cell("\u22122 711", Decimal(-2711), note=1)])],
        notes=["Avrundningsdifferens 1 mnkr."],
    )
    doc = document()
    doc.sections = [Section("Budget", [table])]
    doc.finish()
    html = words(re.sub(r"<[^>]+>", "", render(doc, "html").decode()))
    assert "\u22122 711 (1)" in html
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(render(doc, "pdf"))).pages)
    assert "2 7111" not in text
    assert re.search(r"\u22122 711\s*\(1\)", text)


def test_a_budget_rows_editor_note_is_for_staff_and_never_in_a_report(client):
    from django.urls import reverse

    from uppsikt.budget.models import BudgetRow
    from uppsikt.reports.build import build_document

    from .builders import user_with_role
    from .followup_setup import small_setting

    setting = small_setting()
    note = "Fotnoten *) finns inte i källtexten."
    BudgetRow.objects.filter(table=setting.table, label="Hälsoval").update(note=note)
    doc = build_document(setting.unit, setting.period)
    for fmt in ("html", "docx", "xlsx"):
        data = render(doc, fmt)
        if fmt != "html":
            data = b"".join(
                zipfile.ZipFile(io.BytesIO(data)).read(n)
                for n in zipfile.ZipFile(io.BytesIO(data)).namelist()
            )
        assert note.encode() not in data, fmt
    url = reverse("budget:table", args=[setting.table.pk])
    assert note not in client.get(url).content.decode()  # the public
    client.force_login(user_with_role("lasare", "lasare", setting.unit))
    assert note in client.get(url).content.decode()
