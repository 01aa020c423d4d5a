"""The demo's delårsrapport 2023 for Regionstyrelsen in all four formats, read back with real tools.

The demo is loaded once for the module (through the real loaders and the follow-up demo,
which writes through the actions) and the four files are made from it; the data is then
rolled back, and the tests open the files: pypdf for the PDF, python-docx and headless
LibreOffice for the DOCX, openpyxl for the XLSX.
"""

import io
import re
import shutil
import subprocess
from decimal import Decimal
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from uppsikt.budget.load import load_budget_file
from uppsikt.followup.models import UnitReport
from uppsikt.followup.queries import entries_for
from uppsikt.followup.scope import in_scope, units_with_scope
from uppsikt.followup.statuses import status_label
from uppsikt.indicators.demo import load_demo_indicators
from uppsikt.indicators.followup import assessments_for
from uppsikt.organisations.models import Unit
from uppsikt.periods.models import ReportingPeriod
from uppsikt.reports.build import build_document, render
from uppsikt.reports.content.goals import goal_title
from uppsikt.reports.demo import load_demo_followup
from uppsikt.reports.document import Entry, RichText, Status

from .builders import ROOT, load_demo

# The tests read files made once for the module; the mark makes pytest-django set up the
# test database the module fixture writes to (and rolls back).
pytestmark = pytest.mark.django_db


# The staber beneath Regionkansliet follow up their decided aktivitetsplaner (example data),
# each a chapter of Regionstyrelsen's report after Regionkansliet's, in the unit tree's order.
STABER = [
    "Regiondirektörens stab",
    "Staben hållbar utveckling",
    "Staben digitalisering",
    "Staben hälso- och sjukvård",
    "Staben ekonomi",
    "Staben HR",
    "Staben kommunikation",
    "Staben administration, juridik och säkerhet",
]
LAST = 7 + len(STABER)  # the number of the last chapter, "Om rapporten"


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _carried_into_year_end(period) -> dict:
    """Who is responsible in the delårsrapport, and who would be in the
    verksamhetsberättelse before anyone assigns anything there (issue 6.2)."""
    from uppsikt.followup.actions.entries import carried_responsibles
    from uppsikt.followup.models import FollowUp

    year_end = ReportingPeriod.objects.get(
        organisation__code="0018", slug="2023-verksamhetsberattelse"
    )
    office = Unit.objects.get(slug="regionkansliet")
    in_year_end = {item.key for item in in_scope(office, year_end)}
    before = {
        (row.content_type_id, row.object_id, row.unit_id): row.responsible.username
        for row in FollowUp.objects.filter(period=period, unit=office, responsible__isnull=False)
    }
    carried = carried_responsibles(year_end, [office.pk])
    names = dict(get_user_model().objects.values_list("pk", "username"))
    return {
        "before": {key: who for key, who in before.items() if key in in_year_end},
        "after": {key: names[pk] for key, pk in carried.items() if key in in_year_end},
    }


@pytest.fixture(scope="module")
def rendered_demo_report(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        load_demo_indicators("2023")
        load_budget_file(ROOT / "demo" / "budget-2023.yaml")
        call_command(
            "load_control", str(ROOT / "demo" / "internkontroll-2023.yaml"), stdout=io.StringIO()
        )
        call_command("demo_control", stdout=io.StringIO())
        call_command("demo_users", stdout=io.StringIO())
        load_demo_followup()
        board = Unit.objects.get(slug="regionstyrelsen")
        office = Unit.objects.get(slug="regionkansliet")
        period = ReportingPeriod.objects.get(organisation__code="0018", slug="2023-delarsrapport")
        document = build_document(board, period)
        expected = []
        measures = [
            (item.title, status_label(item.target, entry.status), entry.comment, entry.is_example)
            for item in in_scope(board, period)
            if item.label == "control.measure"
            for entry in [entries_for(period, [board])[item.key]]
        ]
        for unit in (board, office):
            items = in_scope(unit, period)
            entries = entries_for(period, [unit])
            goals = [item.target for item in items if item.label == "plans.goal"]
            assessments = assessments_for(goals, period)
            for item in items:
                if item.label == "plans.goal":
                    assessment = assessments[item.target.pk]
                    expected.append(
                        (
                            goal_title(item.target),
                            assessment.get_decided_status_display(),
                            entries[item.key].comment,
                        )
                    )
        stamps = demo_timestamps()
        carried = _carried_into_year_end(period)
        reports = {r.unit_id: r.state for r in UnitReport.objects.filter(period=period)}
        scoped = {
            unit.name: ([item.label for item in items], reports.get(unit.pk))
            for unit, _depth, items in units_with_scope(period)
        }
        files = {
            fmt: render(document, fmt, organisation=board.organisation)
            for fmt in ("pdf", "docx", "xlsx", "html")
        }
        transaction.set_rollback(True)
    return {
        "document": document,
        "goals": expected,
        "measures": measures,
        "stamps": stamps,
        "carried": carried,
        "scoped": scoped,
        **files,
    }


def demo_timestamps() -> list[tuple[str, object]]:
    """Every date the demo's follow-up data carries: periods, entries, reports, decisions."""
    from uppsikt.control.models import ControlAssessment, Deviation, RiskAssessment
    from uppsikt.followup.models import FollowUp, UnitReport
    from uppsikt.indicators.models import Assessment

    stamps = [(f"period {p.slug}", p.ends_on) for p in ReportingPeriod.objects.all()]
    stamps += [(f"uppföljning {f.pk}", f.written_at) for f in FollowUp.objects.all()]
    for report in UnitReport.objects.all():
        stamps += [(f"inlämnad {report.unit}", report.submitted_at)]
        stamps += [(f"granskad {report.unit}", report.reviewed_at)] * bool(report.reviewed_at)
    stamps += [(f"avvikelse {d.pk}", d.written_at) for d in Deviation.objects.all()]
    stamps += [(f"isk {a.pk}", a.decided_at) for a in ControlAssessment.objects.all()]
    stamps += [
        (f"risk {r.pk} {r.year}", r.assessed_at) for r in RiskAssessment.objects.filter(year=2023)
    ]
    stamps += [
        (f"målbedömning {a.goal_id} {a.period}", a.decided_at)
        for a in Assessment.objects.filter(decided_at__isnull=False)
    ]
    return stamps


def test_the_verksamhetsberattelse_keeps_the_delarsrapports_responsible_people(
    rendered_demo_report,
):
    before, after = (
        rendered_demo_report["carried"]["before"],
        rendered_demo_report["carried"]["after"],
    )
    assert "rapportor" in before.values()
    assert after == before


def test_the_demo_follow_up_is_dated_in_the_plan_year_not_today(rendered_demo_report):
    import datetime

    from django.utils import timezone

    assert len(rendered_demo_report["stamps"]) > 100
    for what, stamp in rendered_demo_report["stamps"]:
        day = timezone.localdate(stamp) if isinstance(stamp, datetime.datetime) else stamp
        assert datetime.date(2023, 1, 1) <= day <= datetime.date(2024, 3, 31), (what, stamp)
    html = words(re.sub(r"<[^>]+>", " ", rendered_demo_report["html"].decode()))
    assert re.search(r"Inlämnad \d+ augusti 2023 av", html)
    assert re.search(r"Senast skriven \d+ augusti 2023,", html)


def test_the_report_holds_every_goal_with_its_assessment_and_comment(rendered_demo_report):
    sections = {section.title: section for section in rendered_demo_report["document"].walk()}
    assert len(rendered_demo_report["goals"]) == 18  # 12 of Regionstyrelsen, 6 of Regionkansliet
    for title, status, comment in rendered_demo_report["goals"]:
        section = sections[title]
        statuses = [b for b in section.blocks if isinstance(b, Status)]
        comments = [b.html for b in section.blocks if isinstance(b, RichText)]
        # A kön flag of the goal's indicators is written beside the decision (";" …).
        assert statuses[0].text == status, title
        assert statuses[0].detail.split("; ")[0] == "beslutad", title
        assert comments == [comment], title


def test_the_report_holds_every_atgard_of_the_internkontrollplan_as_followed_up(
    rendered_demo_report,
):
    # demo_control's example follow-ups of the 16 åtgärder, kept by demo_followup, all klar.
    assert len(rendered_demo_report["measures"]) == 16
    assert all(
        e and c.startswith("<p>Exempel:") for _t, _s, c, e in rendered_demo_report["measures"]
    )
    control = next(
        s
        for s in rendered_demo_report["document"].sections
        if s.title == "Intern styrning och kontroll"
    )
    entries = {b.title: b for s in control.walk() for b in s.blocks if isinstance(b, Entry)}
    assert len(entries) == 16
    for title, status, comment, _example in rendered_demo_report["measures"]:
        assert entries[title].status.text == status, title
        assert entries[title].comment.html == comment, title
        assert entries[title].example, title
    assert "riskbedömningar" in rendered_demo_report["document"].examples


def test_regionstyrelsens_report_includes_regionkansliet_and_is_labelled_as_example(
    rendered_demo_report,
):
    document = rendered_demo_report["document"]
    assert [s.title for s in document.sections] == [
        "Inledning",
        "Vision och värdegrund",
        "Mål, strategier och uppdrag",
        "Budget och ekonomi",
        "Intern styrning och kontroll",
        "Regionkansliet",
        *STABER,
        "Om rapporten",
    ]
    assert document.has_examples
    assert "uppföljningarnas statusar och kommentarer" in document.examples


def test_the_staber_follow_up_their_decided_aktivitetsplaner(rendered_demo_report):
    """The staber's plans are decided (example data), so the delårsrapport lists each stab
    with its goal; the demo's example entries are reviewed with Regionkansliet's."""
    scoped = rendered_demo_report["scoped"]
    for name in STABER:
        assert scoped[name] == (["plans.goal"], UnitReport.State.GODKAND), name
    sections = {s.title: s for s in rendered_demo_report["document"].sections}
    for name in STABER:
        followed = [
            section
            for section in sections[name].walk()
            if any(isinstance(block, Status) for block in section.blocks)
        ]
        assert len(followed) == 1, name
        comments = [b.html for b in followed[0].blocks if isinstance(b, RichText)]
        assert len(comments) == 1 and comments[0].startswith("<p>Exempel: "), name


def test_the_pdf_is_tagged_swedish_with_an_outline_and_a_text_layer(rendered_demo_report):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(rendered_demo_report["pdf"]))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "sv"
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 - a pypdf BooleanObject
    assert "/StructTreeRoot" in root
    assert reader.metadata.title == "Delårsrapport 2023 – Regionstyrelsen"
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline[:3] == ["Innehåll", "1 Inledning", "2 Vision och värdegrund"]
    assert "5 Intern styrning och kontroll" in outline
    assert "6 Regionkansliet" in outline
    pages = [words(page.extract_text()) for page in reader.pages]
    text = " ".join(pages)
    for title, status, _comment in rendered_demo_report["goals"]:
        at = text.rfind(words(title))  # the goal's own section, after the summary table
        assert at >= 0, title
        assert "Bedömning: " in text[at : at + len(title) + 40]
        assert status in text[at : at + len(title) + 80], title
    assert "Region Örebro län" in pages[0] and "Delårsrapport 2023" in pages[0]
    assert f"Sida 2 av {len(pages)}" in pages[1]
    # The table of contents gives the page each chapter starts on.
    toc = re.search(rf"{LAST} Om rapporten[ .]*(\d+)", " ".join(pages[1:3]))
    start = int(toc.group(1))
    assert pages[start - 1].split("Sida")[0].find(f"{LAST} Om rapporten") >= 0
    assert "7 Regiondirektörens stab" in outline
    # Every åtgärd of the internkontrollplan with its status and comment.
    control = text[text.rfind("5.1 Uppföljning per risk och åtgärd") :]
    for title, status, comment, _example in rendered_demo_report["measures"]:
        at = control.find(words(title))
        assert at >= 0, title
        after = control[at + len(words(title)) :][:300]
        assert "Status: " in after and status in after, title
        assert words(re.sub(r"<[^>]+>", " ", comment)) in after, title


def test_the_docx_opens_in_python_docx_with_headings_and_repeating_table_headers(
    rendered_demo_report,
):
    from docx import Document
    from docx.oxml.ns import qn

    document = Document(io.BytesIO(rendered_demo_report["docx"]))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "1 Inledning",
        "2 Vision och värdegrund",
        "3 Mål, strategier och uppdrag",
        "4 Budget och ekonomi",
        "5 Intern styrning och kontroll",
        "6 Regionkansliet",
        *(f"{number} {name}" for number, name in enumerate(STABER, start=7)),
        f"{LAST} Om rapporten",
    ]
    text = words(" ".join(p.text for p in document.paragraphs))
    for title, _status, _comment in rendered_demo_report["goals"]:
        assert words(title).split(": ", 1)[-1] in text
    assert document.core_properties.title == "Delårsrapport 2023 – Regionstyrelsen"
    assert document.core_properties.language == "sv-SE"
    first_rows = [table.rows[0]._tr for table in document.tables]
    assert first_rows and all(
        row.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None for row in first_rows
    )
    footer = document.sections[0].footer.paragraphs[0].text
    assert footer.startswith("Region Örebro län")


def test_the_docx_converts_with_headless_libreoffice(rendered_demo_report, tmp_path):
    from pypdf import PdfReader

    if shutil.which("soffice") is None:
        pytest.fail(
            "This test needs LibreOffice: apt-get install libreoffice-writer-nogui "
            "(.ci/run installs it).",
            pytrace=False,
        )

    source = tmp_path / "rapport.docx"
    source.write_bytes(rendered_demo_report["docx"])
    result = subprocess.run(  # noqa: S603 - a fixed command on a file we wrote
        [
            shutil.which("soffice"),
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    converted = PdfReader(tmp_path / "rapport.pdf")
    assert len(converted.pages) > 10
    assert "Delårsrapport 2023" in converted.pages[0].extract_text()


def test_the_xlsx_has_every_table_and_the_budget_as_numbers(rendered_demo_report):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(rendered_demo_report["xlsx"]))
    tables = [table for _section, table in rendered_demo_report["document"].tables()]
    assert len(book.sheetnames) == len(tables) + 1  # one per table, after the index
    sheet = book["4.3 Driftbudget regionstyrelsen"]
    header = [cell.value for cell in sheet[3]]
    assert header[:4] == [
        "Belopp i mnkr",
        "Budget 2023",
        "Prognos 2022 (per 2022-07)",
        "Budget 2022",
    ]
    rows = {row[0]: row[1:] for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]}
    assert rows["Regionstyrelsen och regionkansliet, varav"][:3] == (-435, -311, -349)
    assert rows["Summa:"][:4] == (-2754, -2503, -2569, 66)  # computed, with the avvikelse
    assert rows["Totalt regionstyrelsens driftansvar"][0] == -3007
    investments = book["4.4 Investeringsbudget"]
    values = {
        row[0]: row[1] for row in investments.iter_rows(min_row=4, values_only=True) if row[0]
    }
    assert Decimal(str(values["Immateriella anläggningstillgångar"])) == Decimal("14.4")
    assert isinstance(values["Summa"], float | int)


def test_the_html_file_stands_alone_in_swedish(rendered_demo_report):
    html = rendered_demo_report["html"].decode()
    assert html.startswith("<!doctype html>")
    assert '<html lang="sv">' in html
    assert "<title>Delårsrapport 2023 – Regionstyrelsen</title>" in html
    assert "<style>" in html and "<script" not in html and "style=" not in html


def _numbers_are_consecutive(titles: list[str]) -> None:
    """Numbered headings in document order: 1, 1.1, 1.2, 2, 2.1, 2.1.1 … without a gap,
    a repeat or a jump of more than one level."""
    previous: list[int] = []
    for title in titles:
        match = re.match(r"(\d+(?:\.\d+)*) ", title)
        if not match:
            continue
        number = [int(part) for part in match.group(1).split(".")]
        if len(number) > len(previous):
            expected = [*previous, 1]
        else:
            expected = [*previous[: len(number) - 1], previous[len(number) - 1] + 1]
        assert number == expected, (title, previous)
        previous = number


def _html_headings(page: str) -> list[str]:
    return [
        words(unescape(re.sub(r"<[^>]+>", "", text)))
        for text in re.findall(r"<h[2-6][^>]*>(.*?)</h[2-6]>", page, re.S)
    ]


def test_headings_are_numbered_without_gaps_or_repeats_in_every_format(rendered_demo_report):
    from docx import Document
    from pypdf import PdfReader

    html = _html_headings(rendered_demo_report["html"].decode())
    assert "4.2 Investeringsbudget" in html and "6.3.1 Fördelning driftbudget" in html
    _numbers_are_consecutive(html)
    # No chapter repeats its parent's title ("6.2 Mål och prioriterade områden" once).
    for section in rendered_demo_report["document"].walk():
        assert all(child.title != section.title for child in section.children), section.title

    def flat(items):
        for item in items:
            if isinstance(item, list):
                yield from flat(item)
            else:
                yield item.title

    outline = list(flat(PdfReader(io.BytesIO(rendered_demo_report["pdf"])).outline))
    _numbers_are_consecutive(outline)
    assert [t for t in outline if re.match(r"\d", t)] == [t for t in html if re.match(r"\d", t)]

    document = Document(io.BytesIO(rendered_demo_report["docx"]))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    _numbers_are_consecutive(headings)
    assert headings == [t for t in html if re.match(r"\d", t)]

    # Captions do not start with the plan's own table numbers ("4.3 Driftbudget …"), which
    # read like section numbers out of order.
    captions = re.findall(r"<caption>(.*?)</caption>", rendered_demo_report["html"].decode(), re.S)
    assert captions and not [c for c in captions if re.match(r"\s*\d+(\.\d+)+ ", c)]
    assert "Driftbudget regionstyrelsen (belopp i mnkr, tabell 4.3 i planen)" in captions


def test_the_follow_up_tables_example_note_is_in_every_format(rendered_demo_report):
    from docx import Document
    from openpyxl import load_workbook
    from pypdf import PdfReader

    note = "Statusarna är exempeldata."
    html = rendered_demo_report["html"].decode()
    table = html.index("<caption>Åtgärderna och deras status (Regionstyrelsen)")
    assert note in words(re.sub(r"<[^>]+>", " ", html[table : table + 20000])).split("5.1 ")[0]

    pdf = words(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(rendered_demo_report["pdf"])).pages)
    )
    assert pdf.count(note) >= 4  # uppdrag and åtgärder tables, and the åtgärder chart's table

    paragraphs = [p.text for p in Document(io.BytesIO(rendered_demo_report["docx"])).paragraphs]
    assert paragraphs.count("Exempel: " + note) >= 4

    book = load_workbook(io.BytesIO(rendered_demo_report["xlsx"]))
    for title in ("IK åtgärder Regionstyrelsen", "IK status Regionstyrelsen"):
        assert book[title]["A2"].value == "Exempel: " + note
    assert book["Mål Regionstyrelsen"]["A2"].value == "Exempel: Bedömningarna är exempeldata."


def test_editor_notes_on_the_source_are_not_report_content(rendered_demo_report):
    """The transcription's remarks ("Fotnoten *) finns inte i källtexten", "(Effektmålets
    rubrik saknas i källdokumentet)") are for staff on the plan and budget pages only."""
    import zipfile

    from pypdf import PdfReader

    texts = {"html": rendered_demo_report["html"].decode()}
    for fmt in ("docx", "xlsx"):
        package = zipfile.ZipFile(io.BytesIO(rendered_demo_report[fmt]))
        texts[fmt] = "".join(package.read(n).decode("utf-8", "replace") for n in package.namelist())
    texts["pdf"] = " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(rendered_demo_report["pdf"])).pages
    )
    for fmt, text in texts.items():
        assert "källtexten" not in text, fmt
        assert "källdokumentet" not in text, fmt
    assert "Effektmål utan rubrik" in texts["html"]
