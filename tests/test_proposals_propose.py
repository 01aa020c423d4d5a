"""From blocks to a proposed plan: documents in several styles, every block placed or listed
as unplaced, sums checked and differences reported, a document without structure."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.proposals_documents import (
    KOMMUN,
    H,
    L,
    P,
    T,
    control_plan,
    document,
    kommun_plan,
    malvarde_plan,
)
from uppsikt.proposals.propose import Proposal, propose
from uppsikt.proposals.propose.patterns import normalise


def by_kind(proposal: Proposal, kind: str) -> list:
    return proposal.of_kind(kind)


def words(text: str) -> set[str]:
    return set(normalise(text).split())


def covered(proposal: Proposal, doc) -> list:
    """The blocks with a word in no proposed object holding their source, nor unplaced."""
    missing = []
    for block in doc.blocks:
        texts = [block.text, *(cell for row in block.rows for cell in row)]
        wanted = set().union(*(words(text) for text in texts))
        holders = [node for node in proposal.walk() if block.source in node.sources]
        held: set[str] = set()
        for node in holders:
            for text in node.texts():
                held |= words(text)
            for child in node.walk():  # a table's rows and their cells
                for value in child.fields.get("cells", []):
                    held |= words(value)
        for item in proposal.unplaced:
            if item.source == block.source:
                held |= words(item.text)
        if not wanted <= held | _figures(holders):
            missing.append(block)
    return missing


def _figures(holders) -> set[str]:
    """A table's figures, which the proposal holds as numbers, in every written form."""
    from uppsikt.lib.numbers import format_exact

    out: set[str] = set()
    for node in holders:
        for child in node.walk():
            out |= words(child.fields.get("label", ""))
            for column in child.fields.get("columns", []):
                out |= words(column)
            for value in child.fields.get("figures", []):
                if value is not None:
                    written = format_exact(Decimal(value)).replace("\u00a0", " ")
                    out |= words(written) | words(written.replace("\u2212", "-"))
                    digits = written.lstrip("\u2212").split()
                    out |= {"(" + digits[0], digits[-1] + ")"}
    return out


def test_a_kommuns_plan_with_namndmal_and_lettered_matt_lists():
    doc = kommun_plan()
    proposal = propose(doc, KOMMUN)
    goals = by_kind(proposal, "goal")
    assert [(g.fields["level"], g.fields["number"]) for g in goals] == [
        ("inriktning", "1"), ("namndmal", "1"), ("namndmal", "2"), ("namndmal", "3"),
    ]  # fmt: skip
    assert goals[2].fields["description"] == "Målet följs upp i elevenkäten varje vår."
    first = [i for g in goals if g.fields["level"] == "namndmal" for i in g.children]
    assert [i.fields["number"] for i in first[:4]] == ["a)", "b)", "a)", "b)"]
    assert [i.fields["rule"] for i in first] == [
        {"kind": "change", "direction": "increase"},
        {"kind": "threshold", "minimum": "85", "maximum": None},
        {"kind": "reference", "reference": "0000", "comparison": "higher"},
        {"kind": "change", "direction": "decrease"},
        {"kind": "balance"},
    ]
    perspectives = by_kind(proposal, "perspective")
    assert [p.fields["name"] for p in perspectives] == ["Medborgare", "Ekonomi"]
    # The paragraph after a lettered list ends it and is the perspective's text.
    assert perspectives[0].fields["description"] == "Trygghetsarbetet leds av rektorerna."
    (assignment,) = by_kind(proposal, "assignment")
    assert assignment.fields["responsible"] == {
        "slug": "kulturskolan", "name": "Kulturskolan", "confidence": 1.0,
    }  # fmt: skip
    assert [a.fields["text"] for a in by_kind(proposal, "activity")] == [
        "Ny resursfördelningsmodell införs.", "Lokalförsörjningsplanen revideras.",
    ]  # fmt: skip
    assert covered(proposal, doc) == []


def test_a_budget_table_in_tkr_with_its_printed_sum_checked():
    proposal = propose(kommun_plan(), KOMMUN)
    (table,) = by_kind(proposal, "budget_table")
    assert table.fields["unit"] == "tkr"
    assert table.fields["columns"] == ["Budget 2024", "Budget 2023"]
    assert table.fields["number"] == "4" and table.fields["title"] == "Budget"
    rows = {row.fields["label"]: row.fields for row in table.children}
    assert rows["Förskola"]["figures"] == ["-180250", "-175000"]
    assert rows["Gymnasieskola"]["figures"] == ["-150000", "-151200.5"]
    assert rows["Summa"]["kind"] == "summa"
    checks = {c.column: (Decimal(c.printed), Decimal(c.computed)) for c in proposal.sum_checks}
    assert checks == {
        "Budget 2024": (Decimal("-742550"), Decimal("-742550")),
        "Budget 2023": (Decimal("-724300.5"), Decimal("-724300.5")),
    }
    assert proposal.sum_differences() == []


def test_a_summa_that_differs_is_reported_never_replaced():
    doc = document(
        (H, "Budget", "1", 1),
        (P, "Belopp i mnkr Budget 2024 Prognos 2023"),
        (P, "Hälsoval, varav -1 200 -1 100"),
        (P, "- Vårdcentraler -800 -700"),
        (P, "Tandvård -300 -250"),
        (P, "Summa -1 500 -1 360"),
        (P, "Övrigt:"),
        (P, "Reserv -50 -50"),
        (P, "Totalt -1 555 -1 400"),
    )
    proposal = propose(doc, KOMMUN)
    (table,) = by_kind(proposal, "budget_table")
    parent = table.children[0]
    assert (
        parent.fields["label"] == "Hälsoval, varav" and parent.children[0].fields["kind"] == "varav"
    )
    differences = {(c.label, c.column): (c.printed, c.computed) for c in proposal.sum_differences()}
    assert differences == {
        ("Summa", "Prognos 2023"): ("-1360", "-1350"),
        ("Totalt", "Budget 2024"): ("-1555", "-1550"),
    }
    summa = next(row for row in table.children if row.fields["label"] == "Summa")
    assert summa.fields["figures"] == ["-1500", "-1360"]  # as printed
    assert [row.fields["kind"] for row in table.children] == [
        "rad", "rad", "summa", "rubrik", "rad", "totalt",
    ]  # fmt: skip


def test_indicators_from_a_malvarde_table_get_target_values():
    doc = malvarde_plan()
    proposal = propose(doc, KOMMUN)
    first, second = by_kind(proposal, "goal")
    assert first.fields["number"] == "A"
    rules = [indicator.fields["rule"] for indicator in first.children]
    assert rules[0] == {"kind": "target", "comparison": "at_least",
                        "targets": {"2024": "65", "2025": "68"}}  # fmt: skip
    assert rules[1]["targets"] == {"2024": "85", "2025": "90"}
    assert rules[2] is None  # no target, no recognisable sentence: a person decides
    assert [i.fields["rule"] for i in second.children] == [
        {"kind": "threshold", "minimum": None, "maximum": "6"}
    ]
    assert covered(proposal, doc) == []


def test_an_internal_control_table_by_the_control_apps_columns():
    proposal = propose(control_plan(), KOMMUN)
    (table,) = by_kind(proposal, "control_table")
    first, second = table.children
    assert first.fields == {"text": "Risken att fakturor attesteras felaktigt.",
                            "area": "Ekonomi", "likelihood": "2", "consequence": "3"}  # fmt: skip
    assert [m.fields for m in first.children] == [
        {"text": "Stickprov på attester.", "responsible": "Ekonomichef"},
        {"text": "Utbildning i attestregler.", "responsible": "Controller"},
    ]
    assert second.fields["area"] == "HR"


def test_a_second_indicator_list_under_one_goal_is_a_goal_whose_heading_is_missing():
    doc = document(
        (H, "Mål", "1", 1),
        (P, "Nämndmål 1. Trygg skola."),
        (H, "Mått", "", 3),
        (P, "Tryggheten ska öka jämfört med föregående år."),
        (H, "Mått", "", 3),
        (P, "Frånvaron ska minska."),
    )
    proposal = propose(doc, KOMMUN)
    goals = by_kind(proposal, "goal")
    assert [g.fields["text"] for g in goals] == [
        "Trygg skola.", "(Nämndmålets rubrik saknas i källdokumentet)",
    ]  # fmt: skip
    assert [len(g.children) for g in goals] == [1, 1]


def test_an_indicator_without_a_goal_is_unplaced_with_its_source():
    doc = document((H, "Uppföljning", "1", 1), (P, "Indikatorer"), (P, "Kostnaden ska minska."))
    proposal = propose(doc, KOMMUN)
    assert [(u.text, u.source.index) for u in proposal.unplaced] == [
        ("Indikatorer", 2), ("Kostnaden ska minska.", 3),
    ]  # fmt: skip


def test_a_document_without_recognisable_structure_says_so_and_lists_all_text():
    doc = document(
        (P, "Hej och välkommen till vårt nyhetsbrev."),
        (P, "Här kommer veckans nyheter från förvaltningen."),
        (L, "Fika på fredag.", "", 1),
    )
    proposal = propose(doc, KOMMUN)
    assert proposal.nodes == []
    assert "ingen struktur som känns igen" in proposal.messages[0]
    assert [u.text for u in proposal.unplaced] == [b.text for b in doc.blocks]


def test_text_before_the_first_heading_is_unplaced():
    doc = document((P, "Antagen av nämnden 2024-01-15."), (H, "Inledning", "1", 1))
    proposal = propose(doc, KOMMUN)
    assert [u.source.index for u in proposal.unplaced] == [1]


def test_the_proposal_is_json_and_reads_back_the_same():
    import json

    proposal = propose(kommun_plan(), KOMMUN)
    data = json.loads(json.dumps(proposal.to_data()))
    assert Proposal.from_data(data).to_data() == proposal.to_data()
    ids = [node.id for node in proposal.walk()]
    assert len(ids) == len(set(ids))
    assert all(node.sources for node in proposal.walk())


block_texts = st.sampled_from(
    [
        "Nämndmål 1: Fler elever ska nå målen.", "Inriktningsmål 2 – God hälsa.", "Mått",
        "Indikatorer", "Aktiviteter", "Uppdrag: Förvaltningen ska utreda.", "Nämndmål",
        "Strategier för digitalisering", "Andelen ska öka jämfört med föregående år.",
        "En vanlig mening i löptexten.", "fortsättning av raden ovan.", "Belopp i tkr Budget 2024",
        "Skola -100", "Summa -100", "Perspektiv: Ekonomi", "Prioriterat område Trygghet",
        "Strategi: Samverkan", "Målvärde:", "Medborgare",
    ]
)  # fmt: skip
block_specs = st.tuples(
    st.sampled_from([H, P, P, P, L]),
    block_texts,
    st.sampled_from(["", "", "1", "2.1", "a)", "3.2.1"]),
    st.integers(0, 3),
)


@settings(max_examples=150, deadline=None)
@given(specs=st.lists(block_specs, min_size=1, max_size=30))
def test_every_blocks_text_is_in_a_proposed_object_or_unplaced(specs):
    doc = document(*specs)
    proposal = propose(doc, KOMMUN)
    assert covered(proposal, doc) == []


@pytest.mark.parametrize("kind", ["goal", "indicator", "strategy", "assignment", "activity"])
def test_every_proposed_object_of_the_kommun_plan_names_its_source(kind):
    doc = kommun_plan()
    proposal = propose(doc, KOMMUN)
    indexes = {block.source.index for block in doc.blocks}
    for node in by_kind(proposal, kind):
        assert node.sources and {s.index for s in node.sources} <= indexes


def test_a_malmatris_table_gives_goals_their_matt_and_target_values():
    from tests.proposals_documents import malmatris_plan

    doc = malmatris_plan()
    proposal = propose(doc, KOMMUN)
    goals = by_kind(proposal, "goal")
    assert [(g.fields["level"], g.fields["number"], g.fields["text"]) for g in goals] == [
        ("namndmal", "1", "Invånarna ska känna sig trygga."),
        ("namndmal", "", "Fler ska röra sig ute på kvällen."),
    ]
    assert [[i.fields["rule"] for i in g.children] for g in goals] == [
        [{"kind": "target", "comparison": "at_least", "targets": {"2024": "75"}},
         {"kind": "change", "direction": "decrease"}],
        [{"kind": "target", "comparison": "at_least", "targets": {"2024": "60"}}],
    ]  # fmt: skip
    (area,) = by_kind(proposal, "focus_area")
    (strategy,) = by_kind(proposal, "strategy")
    assert strategy.fields["name"] == "Trygghet" and strategy.labels == ["Strategier"]
    assert strategy.fields["statements"] == ["Att samverka med polisen.", "Att belysa gångvägar."]
    assert strategy.fields["description"] == "Arbetet leds av kommunstyrelsen."
    assert goals[0] in area.children and strategy in area.children
    assert covered(proposal, doc) == []


def test_a_caption_above_a_table_block_gives_the_tables_unit():
    """DOCX and PDF often put "Belopp i tkr" above the table rather than in it."""
    doc = document(
        (H, "Driftbudget", "3", 1),
        (P, "Belopp i tkr"),
        (T, "", "", 0, (("Verksamhet", "Budget 2024"), ("Skola", "−1 200"), ("Summa", "−1 200"))),
    )
    proposal = propose(doc, KOMMUN)
    (table,) = by_kind(proposal, "budget_table")
    assert table.fields["unit"] == "tkr"
    assert [s.index for s in table.sources] == [2, 3]
    assert proposal.unplaced == [] and proposal.sum_differences() == []
    assert covered(proposal, doc) == []


def test_uppdrag_under_a_head_naming_a_unit_are_that_units():
    doc = document(
        (H, "Ekonomi", "2", 1),
        (H, "Nämndens uppdrag till förvaltningen", "", 2),
        (L, "Ta fram en plan för lokalerna.", "", 1),
        (L, "Kulturskolan ska utreda avgifterna.", "", 1),
    )
    proposal = propose(doc, KOMMUN)
    first, second = by_kind(proposal, "assignment")
    assert first.fields["responsible"]["slug"] == "forvaltningen"
    assert second.fields["responsible"]["slug"] == "kulturskolan"  # its own text names one
    assert [p.fields["name"] for p in by_kind(proposal, "perspective")] == ["Ekonomi"]
    assert by_kind(proposal, "section") == []


def test_a_region_wide_atgard_is_flagged_as_the_control_apps_column():
    doc = document(
        (H, "Internkontrollplan", "6", 1),
        (
            T,
            "",
            "",
            0,
            (
                ("Verksamhet", "Risk", "Åtgärd"),
                ("HR", "Risken att löner blir fel.", "Regionövergripande åtgärd: Avstämning."),
                ("", "", "Utbildning."),
            ),
        ),
    )
    proposal = propose(doc, KOMMUN)
    (risk,) = by_kind(proposal, "risk")
    assert risk.fields["region_wide"] is True
    assert [m.fields["text"] for m in risk.children] == ["Avstämning.", "Utbildning."]
    assert risk.children[0].labels == ["Regionövergripande åtgärd:"]
    assert covered(proposal, doc) == []


def test_goal_numbers_from_a_numbered_heading_or_a_numbered_list():
    doc = document(
        (H, "Nämndmål: Trygg skola", "2.1", 2),
        (H, "Nämndmål", "", 2),
        (L, "Fler elever ska nå målen.", "1.", 1),
        (L, "Färre elever ska vara frånvarande.", "2)", 1),
    )
    goals = by_kind(propose(doc, KOMMUN), "goal")
    assert [(g.fields["number"], g.fields["text"]) for g in goals] == [
        ("2.1", "Trygg skola"),
        ("1", "Fler elever ska nå målen."),
        ("2", "Färre elever ska vara frånvarande."),
    ]


def test_a_nyckeltal_table_with_mal_columns():
    doc = document(
        (H, "Ekonomi", "3", 1),
        (P, "Nämndmål 4: Kostnaderna ska hållas inom ramen."),
        (
            T,
            "",
            "",
            0,
            (
                ("Nyckeltal", "Utfall 2022", "Mål 2024", "Målnivå 2025"),
                ("Kostnad per elev (kr)", "98 500", "97 000", "96 000,5"),
            ),
        ),
    )
    (goal,) = by_kind(propose(doc, KOMMUN), "goal")
    (indicator,) = goal.children
    assert indicator.fields["rule"]["targets"] == {"2024": "97000", "2025": "96000.5"}
    assert indicator.fields["cells"] == ["98 500", "97 000", "96 000,5"]


def test_a_unit_without_goal_levels_gets_no_goals_and_is_told_so():
    from dataclasses import replace

    doc = document((H, "Mål", "1", 1), (P, "Nämndmål 1: Trygg skola."), (P, "Mått"))
    proposal = propose(doc, replace(KOMMUN, levels=()))
    assert by_kind(proposal, "goal") == []
    assert "inga målnivåer" in proposal.messages[0]
    assert covered(proposal, doc) == []


def test_a_lower_case_paragraph_continues_only_an_unfinished_sentence():
    doc = document(
        (H, "Mål", "1", 1),
        (P, "Nämndmål 1: Invånarna ska ha god tillgång till"),
        (P, "kultur och fritid."),
        (P, "att verksamheten ska vara tillgänglig."),
    )
    (goal,) = by_kind(propose(doc, KOMMUN), "goal")
    assert goal.fields["text"] == "Invånarna ska ha god tillgång till kultur och fritid."
    assert goal.fields["description"] == "att verksamheten ska vara tillgänglig."
