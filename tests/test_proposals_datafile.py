"""The proposal written as data files: read back by YAML unchanged, valid by interchange's
own schema, each object's source kept as a comment; the read_plan command on SQLite and
PostgreSQL: files that load, Swedish errors, nothing stored."""

import json

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.builders import minimal_data
from tests.plan_documents import SEED, docx_from
from tests.proposals_documents import KOMMUN, control_plan, kommun_plan
from uppsikt.audit.models import AuditEvent
from uppsikt.interchange.load import load_data
from uppsikt.interchange.schema import Checker
from uppsikt.lib.yamlfile import load_yaml
from uppsikt.plans.models import Plan
from uppsikt.proposals.propose import propose
from uppsikt.proposals.propose.context import ContextError, context_for
from uppsikt.proposals.propose.datafile import plan_data, plan_text, source_comment
from uppsikt.proposals.propose.tablefiles import budget_text, control_text, series_of
from uppsikt.proposals.propose.units import match_unit
from uppsikt.proposals.propose.yamltext import Commented, dump
from uppsikt.proposals.reading.blocks import Source

texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff"),
    max_size=80,
) | st.sampled_from(["0018", "-99", "yes", "null", "1,5", "a: b", "# x", "- y", "'", '"q"'])


@given(
    values=st.lists(texts | st.integers() | st.booleans() | st.none(), max_size=6),
    block=st.lists(st.text(alphabet="abc åäö.", min_size=1, max_size=20), min_size=2, max_size=4),
)
def test_what_is_written_reads_back_unchanged(values, block):
    data = {
        "format": "x",
        "items": values,
        "nested": [Commented(["källa: stycke 1"], text=v) for v in values if isinstance(v, str)],
    }
    data["body"] = "\n\n".join(line.strip() or "x" for line in block)
    assert load_yaml(dump(data, ["rubrik"], ["slut"])) == data


def test_sources_are_compressed_to_pages_and_ranges():
    sources = [Source(4, 2), Source(5, 2), Source(6, 3), Source(9, 3)]
    assert source_comment(sources) == "källa: s. 2–3, stycke 4–6, 9"
    assert source_comment([Source(7)]) == "källa: stycke 7"


def kommun_checker() -> Checker:
    checker = Checker()
    checker.units = {"0099": {slug for slug, _name in KOMMUN.units}}
    checker.goal_levels = lambda org, kind: [key for key, _n, _p in KOMMUN.levels]
    return checker


def test_the_plan_file_is_valid_by_interchanges_schema_and_keeps_sources():
    proposal = propose(kommun_plan(), KOMMUN)
    text = plan_text(proposal, "namndplan.docx")
    data = load_yaml(text)
    assert kommun_checker().check(data) == []
    assert data == plan_data(proposal, "namndplan.docx")
    plan = data["plans"][0]
    assert (plan["status"], plan["unit"], plan["year"]) == ("utkast", "bun", 2024)
    goals = plan["blocks"][1]["perspective"]["goals"]
    assert [goal["kind"] for goal in goals] == ["inriktning", "namndmal", "namndmal"]
    assert goals[1]["indicators"][1] == {
        "text": "Minst 85 procent av eleverna ska vara behöriga till gymnasiet."
    }
    assert "# källa: stycke 5–6" in text  # the goal and its list head "Mått"
    assert "# källa: stycke 7" in text
    assert "# målregel: Minst 85" in text
    assert "# ansvarig: Kulturskolan (säkerhet 1,00)" in text


def test_an_invalid_goal_level_would_be_caught_by_the_schema():
    """The check above can fail: a level outside the styrmodell is refused."""
    data = plan_data(propose(kommun_plan(), KOMMUN))
    data["plans"][0]["blocks"][1]["perspective"]["goals"][0]["kind"] = "effektmal"
    assert [p.where for p in kommun_checker().check(data)] == [
        "plans[0].blocks[1].perspective.goals[0].kind"
    ]


def test_budget_series_are_read_from_the_column_names():
    assert series_of("Budget 2024") == {"kind": "budget", "year": 2024}
    assert series_of("Prognos 2023") == {"kind": "prognos", "year": 2023}
    assert series_of("Bokslut 2022") == {"kind": "utfall", "year": 2022}
    assert series_of("Förändring") is None


def test_unplaced_text_is_listed_at_the_end_of_the_plan_file():
    from tests.proposals_documents import H, P, document

    doc = document((P, "Antagen 2024-01-15."), (H, "Inledning", "1", 1))
    text = plan_text(propose(doc, KOMMUN))
    assert text.rstrip().endswith(
        "#   stycke 1 – Text före dokumentets första rubrik: Antagen 2024-01-15."
    )


# -- with the database (SQLite and PostgreSQL) --------------------------------------------
KOMMUN_STYRMODELL = {
    "name": "Styrmodell",
    "levels": [
        {"key": "inriktning", "name": "Inriktningsmål", "plural": "Inriktningsmål"},
        {"key": "verksamhet", "name": "Verksamhetsmål", "plural": "Verksamhetsmål",
         "unit_kinds": ["styrelse"]},
    ],
    "steps": [
        {"key": "uppfyllt", "label": "Uppfyllt", "colour": "#1b5e20", "symbol": "●",
         "counts_as_met": True, "proposal": "uppfyllt"},
        {"key": "delvis", "label": "Delvis", "colour": "#7a4d00", "symbol": "◑",
         "proposal": "delvis_uppfyllt"},
        {"key": "ej", "label": "Ej uppfyllt", "colour": "#b3261e", "symbol": "○",
         "proposal": "ej_uppfyllt"},
    ],
    "perspectives": [{"name": "Medborgare"}],
}  # fmt: skip


@pytest.fixture
def proposals_demo(db, demo_region):
    """The demo (Region Örebro län) for the command's tests."""


@pytest.fixture
def proposals_kommun(db):
    data = minimal_data()
    data["organisations"][0]["styrmodell"] = KOMMUN_STYRMODELL
    data["plans"] = []
    load_data(data, audit=False)


def test_the_context_is_the_styrmodells_levels_for_the_units_kind(proposals_kommun):
    board = context_for("0099", "styrelsen", 2024)
    assert [key for key, _name, _plural in board.levels] == ["inriktning", "verksamhet"]
    assert board.perspectives == ("Medborgare",)
    council = context_for("0099", "fullmaktige", 2024)
    assert [key for key, _name, _plural in council.levels] == ["inriktning"]
    assert ("styrelsen", "Regionstyrelsen") in board.units


def test_an_unknown_organisation_or_unit_is_named_in_swedish(proposals_kommun):
    with pytest.raises(ContextError, match="Ingen organisation har koden ”9999”"):
        context_for("9999", "styrelsen", 2024)
    with pytest.raises(ContextError, match="har ingen enhet ”nej”"):
        context_for("0099", "nej", 2024)


def test_goals_are_read_in_the_organisations_own_words(proposals_kommun, tmp_path):
    document = tmp_path / "plan.txt"
    document.write_text(
        "1 Medborgare\n\nVerksamhetsmål 1: Fler ska använda e-tjänster.\n\nMått\n\n"
        "Andelen ärenden via e-tjänst ska öka jämfört med föregående år.\n",
        encoding="utf-8",
    )
    out = tmp_path / "forslag.yaml"
    call_command("read_plan", str(document), organisation="0099", unit="styrelsen",
                 year=2024, out=str(out))  # fmt: skip
    data = load_yaml(out.read_text(encoding="utf-8"))
    (goal,) = data["plans"][0]["blocks"][0]["perspective"]["goals"]
    assert (goal["kind"], goal["number"], goal["text"]) == (
        "verksamhet", "1", "Fler ska använda e-tjänster.",
    )  # fmt: skip
    assert goal["indicators"] == [
        {"text": "Andelen ärenden via e-tjänst ska öka jämfört med föregående år."}
    ]


def test_matching_uppdrag_to_the_demos_unit_tree(proposals_demo):
    units = context_for("0018", "regionstyrelsen", 2024).units
    match = match_unit("Staben ekonomi ska ta fram en ny budgetprocess.", units)
    assert (match.slug, match.confidence) == ("staben-ekonomi", 1.0)
    match = match_unit("Uppföljningen görs med stöd av regionkansliets staber.", units)
    assert (match.slug, match.confidence) == ("regionkansliet", 0.75)
    assert match_unit("Förvaltningen ska utreda frågan.", units) is None


def test_read_plan_writes_files_that_load_and_stores_nothing(proposals_demo, tmp_path, capsys):
    plans, events = Plan.objects.count(), AuditEvent.objects.count()
    out = tmp_path / "rs.yaml"
    call_command("read_plan", str(SEED), organisation="0018", unit="regionstyrelsen",
                 year=2024, out=str(out), json=str(tmp_path / "rs.json"))  # fmt: skip
    assert (Plan.objects.count(), AuditEvent.objects.count()) == (plans, events)
    stored = json.loads((tmp_path / "rs.json").read_text(encoding="utf-8"))
    assert stored["unit"] == "regionstyrelsen" and stored["unplaced"] == []
    summary = capsys.readouterr().err
    assert "mål 18" in summary and "Ej placerat: 0." in summary and "Summaskillnader: 0." in summary
    plan = load_yaml(out.read_text(encoding="utf-8"))
    budget = load_yaml((tmp_path / "rs-budget.yaml").read_text(encoding="utf-8"))
    # The files are what the loaders take: the plan as a draft, the tables with their sums.
    counts = load_data(plan, audit=False)
    assert counts["plans"] == 1
    assert Plan.objects.get(unit__slug="regionstyrelsen", year=2024).status == "utkast"
    from uppsikt.budget.load import load_budget_data

    assert load_budget_data(budget, audit=False)["tabeller"] == 3


def test_read_plan_writes_to_stdout_and_a_control_file_that_loads(proposals_demo, tmp_path, capsys):
    from tests.proposals_documents import document

    blocks = control_plan().blocks
    path = tmp_path / "ik.docx"
    path.write_bytes(docx_from(document(*[(b.kind, b.text, b.number, b.level, b.rows)
                                          for b in blocks]).blocks))  # fmt: skip
    call_command("read_plan", str(path), organisation="0018", unit="regionstyrelsen", year=2024)
    output = capsys.readouterr().out
    plan_part, control_part = output.split("\n---\n")
    assert load_yaml(plan_part)["format"] == "uppsikt/1"
    control = load_yaml(control_part)
    areas = control["plans"][0]["areas"]
    assert [area["name"] for area in areas] == ["Ekonomi", "HR"]
    assert "# likelihood: 2" in control_part
    from uppsikt.accounts.commandline import command_line_user
    from uppsikt.control.datafile import load_control_data

    counts = load_control_data(control, actor=command_line_user())
    assert counts


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"organisation": "9999"}, "Ingen organisation har koden ”9999”."),
        ({"unit": "finns-inte"}, "har ingen enhet ”finns-inte”"),
        ({"year": 1800}, "ska vara ett årtal, t.ex. 2024"),
        ({"year": "tjugo"}, "ska vara ett årtal, t.ex. 2024"),
        ({"file": "/finns/inte.pdf"}, "Filen /finns/inte.pdf finns inte."),
    ],
)
def test_read_plan_refuses_bad_input_in_swedish(proposals_demo, args, message):
    options = {"organisation": "0018", "unit": "regionstyrelsen", "year": 2024, **args}
    file = options.pop("file", str(SEED))
    with pytest.raises(CommandError, match=message):
        call_command("read_plan", file, **options)


def test_read_plan_refuses_a_file_that_is_no_plan_document(proposals_demo, tmp_path):
    path = tmp_path / "bild.pdf"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    with pytest.raises(CommandError) as caught:
        call_command("read_plan", str(path), organisation="0018", unit="regionstyrelsen",
                     year=2024)  # fmt: skip
    assert "PDF" in str(caught.value) or "text" in str(caught.value)
    assert Plan.objects.filter(year=2024).count() == 0


def test_a_proposal_as_json_for_storage(proposals_kommun):
    proposal = propose(kommun_plan(), KOMMUN)
    assert json.loads(json.dumps(proposal.to_data()))["nodes"][0]["kind"] == "section"
    assert budget_text(proposal) is not None and control_text(proposal) is None


any_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=0, max_size=40
)
vocabulary = st.sampled_from(
    ["Nämndmål 1: Trygg skola.", "Inriktningsmål A – God hälsa.", "Mått", "Indikatorer",
     "Aktiviteter", "Uppdrag: Förvaltningen ska utreda.", "Strategier", "Nämndmål",
     "Strategier för digitalisering", "Andelen ska öka jämfört med föregående år.",
     "fortsättning av raden.", "Belopp i tkr Budget 2024 Prognos 2023", "Skola -100 -90",
     "Summa -100 -80", "Perspektiv: Ekonomi", "Prioriterat område Trygghet",
     "Strategi: Samverkan", "Medborgare", "- Varav:", "Övrigt:"]
)  # fmt: skip
rows = st.lists(st.tuples(any_text, any_text, any_text), min_size=1, max_size=4)
specs = st.one_of(
    st.tuples(
        st.sampled_from(["heading", "paragraph", "paragraph", "list_item"]),
        vocabulary | any_text,
        st.sampled_from(["", "1", "2.1", "a)", "Nämndmål 2:", "3.2.1"]),
        st.integers(0, 4),
    ),
    st.tuples(st.just("table"), any_text, st.just(""), st.just(0), rows),
    st.tuples(
        st.just("table"),
        st.just(""),
        st.just(""),
        st.just(0),
        st.sampled_from(
            [
                (("Verksamhet", "Risk", "Åtgärd"), ("HR", "R", "Å")),
                (("Nämndmål", "Mått", "Målvärde 2024"), ("Mål 1", "M", "5")),
                (("Belopp i tkr", "Budget 2024"), ("Skola", "-1"), ("Summa", "-2")),
                (("Indikator", "Målvärde 2025"), ("I", "x")),
            ]
        ),
    ),
)


@settings(max_examples=200, deadline=None)
@given(specs=st.lists(specs, min_size=1, max_size=25))
def test_any_document_gives_a_valid_plan_file_and_every_block_is_kept(specs):
    """Whatever the blocks, the proposal never fails, its plan file is valid by the schema
    and reads back unchanged, and every block's source is in an object or unplaced."""
    from tests.proposals_documents import document
    from uppsikt.proposals.reading.blocks import Kind

    blocks = [
        (Kind(kind), text, number, level, *rest) for kind, text, number, level, *rest in specs
    ]
    doc = document(*blocks)
    proposal = propose(doc, KOMMUN)
    text = plan_text(proposal, "x.docx")
    data = load_yaml(text)
    assert data == plan_data(proposal, "x.docx")
    assert kommun_checker().check(data) == []
    held = {s for node in proposal.walk() for s in node.sources}
    held |= {item.source for item in proposal.unplaced}
    assert all(b.source in held for b in doc.blocks if b.text.strip() or b.rows)
    for written in (budget_text(proposal), control_text(proposal)):
        assert written is None or isinstance(load_yaml(written), dict)


def test_a_caption_above_a_table_that_is_no_budget_is_kept():
    """Found by the property above: a caption ("Belopp i tkr …") above a målmatris whose
    rows end in figures was neither the table's nor unplaced."""
    from tests.proposals_documents import document
    from uppsikt.proposals.reading.blocks import Kind

    doc = document(
        (Kind.HEADING, "Nämndmål 1: Trygg skola.", "", 0),
        (Kind.PARAGRAPH, "Belopp i tkr Budget 2024 Prognos 2023", "", 0),
        (Kind.TABLE, "", "", 0, (("Nämndmål", "Mått", "Målvärde 2024"), ("Mål 1", "M", "5"))),
    )
    proposal = propose(doc, KOMMUN)
    (item,) = [item for item in proposal.unplaced if item.source.index == 2]
    assert item.text == "Belopp i tkr Budget 2024 Prognos 2023"


def test_read_plan_reports_a_summa_difference_and_keeps_the_printed_sum(
    proposals_kommun, tmp_path, capsys
):
    document = tmp_path / "budget.txt"
    document.write_text(
        "1 Budget\n\nBelopp i tkr Budget 2024 Budget 2023\n\nSkola -1 200 -1 100\n\n"
        "Fritid -300 -250\n\nSumma -1 500 -1 360\n",
        encoding="utf-8",
    )
    out = tmp_path / "b.yaml"
    call_command("read_plan", str(document), organisation="0099", unit="styrelsen",
                 year=2024, out=str(out))  # fmt: skip
    err = capsys.readouterr().err
    assert "Summaskillnader: 1." in err
    assert "Summa, Budget 2023: dokumentet anger -1360, raderna summerar till -1350" in err
    budget = (tmp_path / "b-budget.yaml").read_text(encoding="utf-8")
    assert "# Summa, Budget 2023: dokumentet anger -1360, raderna summerar till -1350" in budget
    (summa,) = [r for r in load_yaml(budget)["tables"][0]["rows"] if r["label"] == "Summa"]
    assert summa["expected_total"] == ["-1500", "-1360"]
    # The budget loader refuses it until a person decides which figure is right.
    from uppsikt.budget.load import BudgetLoadError, load_budget_data

    with pytest.raises(BudgetLoadError):
        load_budget_data(load_yaml(budget), audit=False)
