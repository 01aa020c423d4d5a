"""Reports written for their period (issue 14.10), on the demo's delårsrapport 2023.

The plan's notes for its budget year are not repeated as if current; what a chapter leaves
out is stated; the contents are numbered without gaps; no page carries a lone line; goals of
one kind sit at one heading level. Checked on the document model and in the rendered HTML,
DOCX (python-docx) and PDF (pypdf).
"""

import io
import re
from collections import defaultdict
from html import unescape

import pytest
from django.core.management import call_command
from django.db import transaction

from uppsikt.budget.load import load_budget_file
from uppsikt.indicators.demo import load_demo_indicators
from uppsikt.organisations.models import Unit
from uppsikt.periods.models import ReportingPeriod
from uppsikt.reports.build import build_document, render
from uppsikt.reports.demo import load_demo_followup
from uppsikt.reports.document import ReportDocument, Section, Text

from .builders import ROOT, load_demo
from .test_reports_demo import _numbers_are_consecutive, words

pytestmark = pytest.mark.django_db

GOAL_HEADING = r"(Effektmål|Mål)( \d+)?: |Effektmål utan rubrik"
PLAN_NOTE = "Prognosen är från delårsrapporten per juli 2022."
NOTE_HEADING = "Planens anmärkning till tabellen (skriven för budgetåret 2023)"


@pytest.fixture(scope="module")
def delarsrapport(django_db_setup, django_db_blocker):
    """Regionstyrelsen's report (PDF, DOCX, HTML) and Regionkansliet's own (HTML)."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        load_demo_indicators("2023")
        load_budget_file(ROOT / "demo" / "budget-2023.yaml")
        call_command(
            "load_control", str(ROOT / "demo" / "internkontroll-2023.yaml"), stdout=io.StringIO()
        )
        call_command("demo_control", stdout=io.StringIO())
        call_command("demo_users", stdout=io.StringIO())
        call_command("demo_budget", stdout=io.StringIO())  # the example forecasts for 2023
        load_demo_followup()
        period = ReportingPeriod.objects.get(organisation__code="0018", slug="2023-delarsrapport")
        board = Unit.objects.get(slug="regionstyrelsen")
        office = Unit.objects.get(slug="regionkansliet")
        document = build_document(board, period)
        own = build_document(office, period)
        files = {
            fmt: render(document, fmt, organisation=board.organisation)
            for fmt in ("pdf", "docx", "html")
        }
        files["office_html"] = render(own, "html")
        transaction.set_rollback(True)
    return {"document": document, "office": own, **files}


def _text(html: bytes) -> str:
    return words(unescape(re.sub(r"<[^>]+>", " ", html.decode())))


def _pdf_pages(data: bytes) -> list[list[str]]:
    from pypdf import PdfReader

    return [
        [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        for page in PdfReader(io.BytesIO(data)).pages
    ]


def _sections(document: ReportDocument) -> dict[str, Section]:
    return {section.title: section for section in document.walk()}


# -- the plan's text for its budget year --------------------------------------------------


def test_the_plans_budget_note_stands_under_a_heading_for_its_year(delarsrapport):
    from docx import Document

    noted = 0
    for section in delarsrapport["document"].walk():
        for index, block in enumerate(section.blocks):
            if isinstance(block, Text) and block.text.startswith(("Prognosen är", "Budget för")):
                before = section.blocks[index - 1]
                assert before.style == "subheading" and before.text == NOTE_HEADING, section.title
                noted += 1
    assert noted == 3  # driftbudget, investeringsbudget, Regionkansliet's fördelning

    html = _text(delarsrapport["html"])
    assert html.count(NOTE_HEADING) == 3
    assert html.index(NOTE_HEADING + " " + PLAN_NOTE) >= 0
    paragraphs = [p.text for p in Document(io.BytesIO(delarsrapport["docx"])).paragraphs]
    where = next(i for i, text in enumerate(paragraphs) if text.startswith(PLAN_NOTE))
    assert paragraphs[where - 1] == NOTE_HEADING
    pdf = words(" ".join(" ".join(page) for page in _pdf_pages(delarsrapport["pdf"])))
    assert (NOTE_HEADING + " " + PLAN_NOTE) in pdf


# -- what a chapter leaves out --------------------------------------------------------------


def test_each_chapter_states_what_of_the_plan_it_leaves_out(delarsrapport):
    from docx import Document

    sections = _sections(delarsrapport["document"])
    process = " ".join(
        b.text for b in sections["Perspektiv: Process"].blocks if isinstance(b, Text)
    )
    assert (
        "Strategierna ”Hållbar regional utveckling” och ”Storregionalt och internationellt "
        "samarbete” i planen följs inte upp i Delårsrapport 2023"
    ) in process
    resource = " ".join(
        b.text for b in sections["Perspektiv: Resurs"].blocks if isinstance(b, Text)
    )
    assert "Avsnittet ”Fokus på högre effektivitet” i planen följs inte upp" in resource
    # Every strategy of the plan is either a section of the report or named as left out.
    shown = {s.title for s in delarsrapport["document"].walk()}
    stated = " ".join(
        b.text for s in delarsrapport["document"].walk() for b in s.blocks if isinstance(b, Text)
    )
    for name in (
        "Kvalitet och utveckling",
        "Digitalisering",
        "Hållbar utveckling",
        "Hållbar regional utveckling",
        "Storregionalt och internationellt samarbete",
        "Beredskap och säkerhet",
    ):
        assert f"Strategi: {name}" in shown or f"”{name}”" in stated, name
    # The budget's columns of the plan the follow-up does not show are named.
    budget = sections["Driftbudget regionstyrelsen"]
    assert any(
        isinstance(b, Text)
        and b.text.startswith("Planens kolumner prognos 2022 (per 2022-07)")
        and "visas inte" in b.text
        for b in budget.blocks
    ), [getattr(b, "text", "") for b in budget.blocks]
    for text in (
        _text(delarsrapport["html"]),
        " ".join(p.text for p in Document(io.BytesIO(delarsrapport["docx"])).paragraphs),
    ):
        assert "Strategierna ”Hållbar regional utveckling”" in text
        assert "Strategin ”Digitalisering” i planen följs inte upp" in text  # Regionkansliet


# -- contents numbering ---------------------------------------------------------------------


def _toc_numbers(html: bytes) -> list[str]:
    return re.findall(
        r'r-toc__item[^>]*><a href="#[^"]+"><span class="r-num">([\d.]+)</span>', html.decode()
    )


def test_the_contents_are_numbered_without_gaps(delarsrapport):
    for document, html in (
        (delarsrapport["document"], delarsrapport["html"]),
        (delarsrapport["office"], delarsrapport["office_html"]),
    ):
        toc = [f"{s.number} {s.title}" for s in document.toc()]
        _numbers_are_consecutive(toc)
        numbers = _toc_numbers(html)
        assert numbers == [s.number for s in document.toc()]
        _numbers_are_consecutive([f"{n} x" for n in numbers])
        # Every numbered section down to the contents' depth is listed.
        assert len(numbers) == len([s for s in document.walk() if s.level <= document.toc_depth])
    # Regionkansliet's own report: its overall goal sits between the summary and the areas.
    office = [f"{s.number} {s.title}" for s in delarsrapport["office"].toc()]
    assert office[3:6] == [
        "3.1 Måluppfyllelse i sammandrag",
        "3.2 Mål",
        "3.3 Prioriterat område Digitalisering",
    ]


# -- no lone lines ------------------------------------------------------------------------


def test_no_pdf_page_carries_a_lone_line(delarsrapport):
    document = delarsrapport["document"]
    running = {document.title} | {f"{document.title} {s.numbered_title}" for s in document.sections}
    pages = _pdf_pages(delarsrapport["pdf"])
    assert len(pages) > 30
    for number, lines in enumerate(pages[1:], 2):  # the cover is a page of its own
        body = [
            line
            for line in lines
            if line not in running and not re.search(r"Sida \d+ av \d+$", line)
        ]
        assert len(body) >= 3, (number, body)


def test_the_print_style_keeps_lines_and_headings_together():
    css = re.sub(
        r"/\*.*?\*/",
        "",
        (ROOT / "uppsikt/reports/static/reports/print.css").read_text(),
        flags=re.S,
    )
    rules: dict[str, str] = defaultdict(str)  # every rule's declarations for a selector
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        for selector in selectors.split(","):
            rules[selector.strip()] += body
    for selector in ("p", "li", "dd", "caption"):
        for prop in ("orphans", "widows"):
            found = re.search(rf"{prop}\s*:\s*(\d+)", rules.get(selector, ""))
            assert found and int(found.group(1)) >= 2, (selector, prop)
    for selector in (".r-h", ".r-subheading", ".r-table caption", ".r-rich__label"):
        assert re.search(r"break-after\s*:\s*avoid", rules[selector]), selector
    assert re.search(r"break-before\s*:\s*avoid", rules[".r-example"])


def test_the_docx_has_widow_control_and_keeps_headings_with_the_next_paragraph(delarsrapport):
    from docx import Document

    doc = Document(io.BytesIO(delarsrapport["docx"]))

    def effective(paragraph, name):
        value = getattr(paragraph.paragraph_format, name)
        style = paragraph.style
        while value is None and style is not None:
            value = getattr(style.paragraph_format, name)
            style = style.base_style
        return bool(value)

    headings = [p for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert len(headings) > 50
    assert all(effective(p, "keep_with_next") for p in headings)
    assert all(effective(p, "widow_control") for p in doc.paragraphs if p.text.strip())
    captions = [p for p in doc.paragraphs if p.style.name == "Caption"]
    assert captions and all(effective(p, "keep_with_next") for p in captions)


# -- goals of one kind at one level ---------------------------------------------------------


def test_goals_of_one_kind_sit_at_one_heading_level(delarsrapport):
    from docx import Document

    levels = defaultdict(set)
    for section in delarsrapport["document"].walk():
        if section.kind.startswith("goal:"):
            levels[section.kind].add(section.level)
    assert set(levels) == {"goal:effektmal", "goal:mal"}
    assert all(len(found) == 1 for found in levels.values()), dict(levels)

    html = delarsrapport["html"].decode()
    tags = defaultdict(set)
    for tag, title in re.findall(
        r"<(h\d)[^>]*><span class=\"r-num\">[\d.]+</span> (.*?)</h\d>", html
    ):
        if re.match(GOAL_HEADING, unescape(title)):
            tags[unescape(title).split(" ")[0].rstrip(":")].add(tag)
    assert tags["Effektmål"] == {"h5"} and tags["Mål"] == {"h5"}, dict(tags)

    styles = defaultdict(set)
    for paragraph in Document(io.BytesIO(delarsrapport["docx"])).paragraphs:
        if paragraph.style.name.startswith("Heading"):
            title = paragraph.text.split(" ", 1)[1]
            if re.match(GOAL_HEADING, title):
                styles[title.split(" ")[0].rstrip(":")].add(paragraph.style.name)
    assert all(len(found) == 1 for found in styles.values()) and len(styles) == 2, dict(styles)
