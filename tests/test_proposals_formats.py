"""The hand-written plans in other styles, typeset as DOCX and PDF with the reading tests'
builder and read back by the readers, give the same proposal as their blocks: the proposal
depends on the blocks only, and the readers give them back. And a kommun's plan as plain
text."""

import pytest

from tests.plan_documents import docx_from, pdf_from
from tests.proposals_documents import KOMMUN, control_plan, kommun_plan, malvarde_plan
from uppsikt.proposals.propose import Proposal, propose
from uppsikt.proposals.reading.reader import read


def essentials(proposal: Proposal) -> list:
    """What a person would check: each object's kind and text, in order."""
    keys = ("level", "text", "name", "label", "figures", "rule", "responsible")
    return [
        (
            node.kind,
            node.fields.get("number", "").rstrip(".)"),  # "a)" may be typeset as "a."
            {key: node.fields.get(key) for key in keys if node.fields.get(key)},
        )
        for node in proposal.walk()
        if node.kind != "section"
    ]


@pytest.mark.parametrize("make", [kommun_plan, malvarde_plan, control_plan])
@pytest.mark.parametrize(("suffix", "build"), [("docx", docx_from), ("pdf", pdf_from)])
def test_a_typeset_plan_is_proposed_as_its_blocks(make, suffix, build):
    expected = propose(make(), KOMMUN)
    read_back = read(build(make().blocks), f"plan.{suffix}")
    assert essentials(propose(read_back, KOMMUN)) == essentials(expected)


KOMMUN_TEXT = """\
Nämndplan 2024 för barn- och utbildningsnämnden

1 Medborgare

Nämndmål 1: Andelen elever som når målen i alla ämnen ska öka.

Mått:
a) Andelen elever i åk 9 som når målen i alla ämnen ska öka jämfört med föregående år.
b) Minst 85 procent av eleverna ska vara behöriga till gymnasiet.

Nämndmål 2: Eleverna ska känna sig trygga i skolan.

Mått:
a) Andelen elever som känner sig trygga ska vara högre än rikets.

2 Ekonomi

Nämndmål 3: Nämnden ska ha en ekonomi i balans.

Nyckeltal
Nämndens resultat i balans vid årets slut.
"""


def test_a_kommuns_plan_as_plain_text():
    proposal = propose(read(KOMMUN_TEXT.encode(), "plan.txt"), KOMMUN)
    goals = proposal.of_kind("goal")
    assert [(g.fields["level"], g.fields["number"], len(g.children)) for g in goals] == [
        ("namndmal", "1", 2), ("namndmal", "2", 1), ("namndmal", "3", 1),
    ]  # fmt: skip
    rules = [i.fields["rule"]["kind"] for g in goals for i in g.children]
    assert rules == ["change", "threshold", "reference", "balance"]
    assert [p.fields["name"] for p in proposal.of_kind("perspective")] == ["Medborgare", "Ekonomi"]
    # The title line is the first section's heading and the plan's title; nothing unplaced.
    first = proposal.nodes[0]
    assert first.fields["heading"] == proposal.title
    assert proposal.title == "Nämndplan 2024 för barn- och utbildningsnämnden"
    assert proposal.unplaced == []
