"""Reports on a small setting: budget as of the period, access, the CLI, templates, charts."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from uppsikt.audit.models import AuditEvent
from uppsikt.reports import sections, stamps
from uppsikt.reports.actions import remove_report_template, set_report_template
from uppsikt.reports.build import build_document, build_report
from uppsikt.reports.charts import bar_chart, to_png, to_svg
from uppsikt.reports.document import Section, Table, Text
from uppsikt.reports.render.docx import DEFAULT_TEMPLATE, template_problems
from uppsikt.reports.render.xlsx import sheet_name

from .builders import user_with_role
from .followup_setup import complete, small_setting

pytestmark = pytest.mark.django_db


def budget_table(document) -> Table:
    return next(t for _s, t in document.tables() if t.caption.startswith("Driftbudget"))


def test_the_budget_shows_only_what_was_known_when_the_period_ended():
    setting = small_setting()
    table = budget_table(build_document(setting.unit, setting.period))
    labels = [column.label for column in table.columns]
    assert labels == [
        "Belopp i mnkr",
        "Budget 2023",
        "Prognos 2023 (per 2023-06)",  # the October forecast is left out
        "Avvikelse prognos 2023 (per 2023-06) mot budget 2023",
    ]
    rows = {row.cells[0].text: row.cells for row in table.rows}
    assert [c.value for c in rows["Hälsoval"][1:]] == [Decimal(-2061), Decimal(-2050), Decimal(11)]
    assert rows["Hälsoval"][3].text == "+11"
    assert [c.text for c in rows["Summa:"][1:]] == ["−2\xa0319", "−2\xa0312", "+7"]


def test_the_report_of_a_unit_includes_the_units_beneath_it_with_content():
    setting = small_setting()
    complete(setting)
    document = build_document(setting.board, setting.period)
    titles = [section.title for section in document.sections]
    assert titles == ["Inledning", "Vision och värdegrund", "Regionstyrelsen", "Om rapporten"] or (
        titles == ["Inledning", "Regionstyrelsen", "Om rapporten"]
    )
    chapter = next(s for s in document.sections if s.title == "Regionstyrelsen")
    assert [s.title for s in chapter.children] == [
        "Inledning",
        "Mål och uppdrag",
        "Budget och ekonomi",
    ]


def test_only_readers_of_the_unit_get_its_report():
    setting = small_setting()
    with pytest.raises(PermissionDenied):
        build_report(setting.unit, setting.period, "html", user=user_with_role("x", None))
    reader = user_with_role("lasare", "lasare", "styrelsen")
    name, content_type, data = build_report(setting.unit, setting.period, "html", user=reader)
    assert name == "2023-delarsrapport-styrelsen.html" and content_type.startswith("text/html")
    assert "Effektmål nummer 1" in data.decode()


def test_a_report_states_what_is_not_yet_followed_up():
    setting = small_setting()
    document = build_document(setting.unit, setting.period)
    goal = next(s for s in document.walk() if s.title == "Effektmål 1: Effektmål nummer 1")
    assert (goal.blocks[0].text, goal.blocks[0].key) == ("Inte bedömd", None)
    assert not document.has_examples

    from uppsikt.indicators.followup import assessment_for

    assessment_for(document_goal := setting.goals[0], setting.period)  # proposed, not decided
    document = build_document(setting.unit, setting.period)
    goal = next(
        s for s in document.walk() if s.title == f"{document_goal.label}: {document_goal.text}"
    )
    assert (goal.blocks[0].text, goal.blocks[0].detail) == (
        "Ej bedömbar",
        "automatiskt förslag, inte beslutat",
    )


@pytest.fixture
def extra_section():
    saved = dict(sections._SECTIONS)
    yield
    sections._SECTIONS.clear()
    sections._SECTIONS.update(saved)


def test_another_app_adds_its_section_in_its_place(extra_section):
    setting = small_setting()

    def control(ctx, unit):
        return [Section("Intern styrning och kontroll", [Text(f"ISK-bedömning för {unit.name}.")])]

    sections.register("control", control, order=50, label="Intern kontroll")
    titles = [s.title for s in build_document(setting.unit, setting.period).sections]
    assert titles.index("Intern styrning och kontroll") == titles.index("Budget och ekonomi") + 1


def test_the_cli_writes_each_format_and_explains_mistakes_in_swedish(tmp_path):
    small_setting()
    out = tmp_path / "rapport.xlsx"
    err = io.StringIO()
    call_command(
        "report",
        "0099/styrelsen",
        "2023-delarsrapport",
        "--format",
        "xlsx",
        "-o",
        str(out),
        stderr=err,
    )
    assert out.read_bytes()[:2] == b"PK"
    assert "100% Klar" in err.getvalue() and "Skrev" in err.getvalue()
    for args, message in [
        (["styrelsen", "2023-delarsrapport"], "organisationskod/kortnamn"),
        (["0099/styrelse", "2023-delarsrapport"], "Enheten ”styrelse” finns inte i Region Test"),
        (["0099/styrelsen", "2023-delar"], "Det finns: 2023-delarsrapport"),
        (["0099/styrelsen", "2023-delarsrapport", "--format", "odt"], "Okänt format ”odt”"),
        (
            ["0099/styrelsen", "2023-delarsrapport", "--as", "ingen"],
            "ingen användare som heter ingen",
        ),
    ]:
        with pytest.raises(CommandError, match=message):
            call_command("report", *args, "-o", str(tmp_path / "x"), stderr=io.StringIO())


def test_the_cli_acts_with_a_users_permissions_when_asked(tmp_path):
    small_setting()
    user_with_role("frammande", None)
    with pytest.raises(CommandError, match="behörighet"):
        call_command(
            "report", "0099/styrelsen", "2023-delarsrapport", "--as", "frammande",
            "-o", str(tmp_path / "x.html"), "--format", "html", stderr=io.StringIO(),
        )  # fmt: skip


def test_an_organisation_replaces_the_word_template_and_bad_files_are_refused():
    from docx import Document

    setting = small_setting()
    organisation = setting.period.organisation
    admin = user_with_role("admin", "administrator")
    template = Document(DEFAULT_TEMPLATE)
    template.sections[0].header.paragraphs[0].text = "«organisation» – egen profil – «rapport»"
    template.sections[0].footer.add_paragraph("Sammanställd «sammanställd»")
    own = io.BytesIO()
    template.save(own)
    with pytest.raises(PermissionDenied):
        set_report_template(
            organisation,
            actor=user_with_role("p", "planerare"),
            name="mall.docx",
            data=own.getvalue(),
        )
    with pytest.raises(ValidationError) as error:
        set_report_template(organisation, actor=admin, name="mall.docx", data=b"inte en zip")
    assert error.value.message_dict["file"] == ["Filen är inte ett Word-dokument (.docx)."]
    set_report_template(organisation, actor=admin, name="mall.docx", data=own.getvalue())
    before = timezone.now()
    _name, _type, data = build_report(setting.unit, setting.period, "docx")
    after = timezone.now()
    header = Document(io.BytesIO(data)).sections[0].header.paragraphs[0].text
    assert header == "Region Test – egen profil – Delårsrapport 2023"
    footer = Document(io.BytesIO(data)).sections[0].footer.paragraphs[-1].text
    # The compile time in Stockholm time, as on the cover, not UTC.
    assert footer in {"Sammanställd " + stamps.label(t) for t in (before, after)}
    assert AuditEvent.objects.filter(action="report_template.set").exists()
    remove_report_template(organisation, actor=admin)
    _name, _type, data = build_report(setting.unit, setting.period, "docx")
    assert Document(io.BytesIO(data)).sections[0].header.paragraphs[0].text == (
        "Delårsrapport 2023 – Regionstyrelsen"
    )


def test_a_template_without_the_heading_styles_is_refused_by_name():
    from docx import Document
    from docx.oxml.ns import qn

    template = Document(DEFAULT_TEMPLATE)
    styles = template.styles.element
    for style in list(styles.iterchildren(qn("w:style"))):
        name = style.find(qn("w:name"))
        if name is not None and name.get(qn("w:val")) in ("heading 4", "heading 5"):
            styles.remove(style)
    out = io.BytesIO()
    template.save(out)
    assert template_problems(out.getvalue()) == [
        "Mallen saknar formatmallarna Heading 4, Heading 5."
    ]


amounts = st.decimals(min_value=-(10**6), max_value=10**6, places=1, allow_nan=False)


@given(
    st.lists(
        st.lists(st.one_of(st.none(), amounts), min_size=2, max_size=2), min_size=1, max_size=8
    )
)
def test_bars_stay_inside_the_chart_and_start_at_zero(values):
    chart = bar_chart([f"Rad {i}" for i in range(len(values))], ["A", "B"], values, str)
    if all(v is None for row in values for v in row):
        assert chart is None
        return
    zero = chart.axis[0]
    assert 0 <= zero <= chart.width
    for bar in chart.bars:
        assert bar.x >= 0 and bar.x + bar.width <= chart.width + 0.5
        assert abs(bar.x - zero) < 0.2 or abs(bar.x + bar.width - zero) < 0.2
    assert len(chart.bars) == sum(v is not None for row in values for v in row)


def test_a_chart_draws_as_accessible_svg_and_as_png():
    chart = bar_chart(
        ["Hälsoval", "Tandvård"], ["Budget", "Prognos"], [[-2061, -2050], [-258, None]], str
    )
    svg = to_svg(
        chart, title="Budget och prognos", description="Samma värden finns i tabellen.", ident="d1"
    )
    assert 'role="img"' in svg and 'aria-labelledby="d1-t d1-d"' in svg
    assert '<title id="d1-t">Budget och prognos</title>' in svg and "style=" not in svg
    from PIL import Image

    image = Image.open(io.BytesIO(to_png(chart)))
    assert image.size == (chart.width * 2, chart.height * 2)


def test_sheet_names_are_valid_and_unique():
    used: set[str] = set()
    names = [sheet_name(n, used) for n in ["Mål: del 1/2", "Mål: del 1/2", "x" * 40, "[]"]]
    assert names[0] == "Mål  del 1 2" and names[1] == "Mål  del 1 2 (2)"
    assert all(len(n) <= 31 for n in names) and len({n.lower() for n in names}) == 4


def test_an_ampersand_in_a_comment_is_escaped_once_in_the_report():
    # Pasted HTML with tags outside the allowlist is stored without a paragraph; the report
    # used to read that stored HTML as plain text again and wrote "&amp;amp;".
    from uppsikt.followup.actions.entries import save_followup

    setting = small_setting()
    actor = user_with_role("skrivare", "planerare")
    complete(setting, actor)
    first, second = setting.goals
    save_followup(first, setting.period, actor=actor, comment="Ekonomi & HR <b>klart</b>")
    save_followup(second, setting.period, actor=actor, comment="R&D")
    _name, _type, data = build_report(setting.unit, setting.period, "html", user=actor)
    html = data.decode()
    assert "Ekonomi &amp; HR klart" in html and "<p>R&amp;D</p>" in html
    assert "&amp;amp;" not in html
