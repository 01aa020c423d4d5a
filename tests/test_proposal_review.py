"""Reviewing a plan document's proposal and accepting it as a draft plan.

The review operations are plain functions on the proposal's tree (``proposals.review``),
tested with Hypothesis: a refused operation changes nothing, moving and dropping never lose
an object, splitting then merging gives the text back. The pages are tested on a small
Word document made with the test documents' builder: upload, the proposal beside its
passages, corrections, accepting into a draft plan written through the authoring actions.
"""

from __future__ import annotations

import copy

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from uppsikt.audit.models import AuditEvent
from uppsikt.plans.models import Goal, Plan
from uppsikt.proposals.models import PlanProposal
from uppsikt.proposals.propose.model import Node, Proposal, Unplaced
from uppsikt.proposals.reading.blocks import Block, Kind, Source
from uppsikt.proposals.review import Review, ReviewError

from .builders import load_minimal, user_with_role
from .plan_documents import docx_from

# -- the operations, on generated trees -----------------------------------------------------

WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäö ", min_size=1, max_size=30).map(
    lambda text: text.strip() or "x"
)


@st.composite
def proposals(draw) -> Proposal:
    counter = {"n": 0}

    def node(kind: str, **fields) -> Node:
        counter["n"] += 1
        return Node(kind, f"{kind}-{counter['n']}", fields, [], [Source(counter["n"])])

    nodes = []
    for _section in range(draw(st.integers(1, 3))):
        section = node("section", number="", heading=draw(WORDS), body="", items=[])
        for _goal in range(draw(st.integers(0, 3))):
            goal = node("goal", number="", text=draw(WORDS), level="effektmal", description="")
            goal.children = [
                node("indicator", text=draw(WORDS), rule=None)
                for _indicator in range(draw(st.integers(0, 2)))
            ]
            section.children.append(goal)
        nodes.append(section)
    unplaced = [
        Unplaced(draw(WORDS), Source(900 + i), "okänt") for i in range(draw(st.integers(0, 2)))
    ]
    return Proposal("0099", "styrelsen", 2024, nodes=nodes, unplaced=unplaced)


def all_ids(review: Review) -> set[str]:
    found = {node.id for node in review.proposal.walk()}
    return found | {node.id for item in review.dropped for node in item.node.walk()}


OPERATIONS = st.tuples(
    st.sampled_from(["move", "move_into", "drop", "restore"]),
    st.integers(0, 40),
    st.integers(0, 40),
    st.sampled_from(["up", "down", "sideways"]),
)


@settings(max_examples=80, deadline=None)
@given(proposals(), st.lists(OPERATIONS, max_size=12))
def test_moving_and_dropping_never_lose_an_object(proposal, operations):
    review = Review(proposal, goal_level="effektmal")
    ids = all_ids(review)
    for name, first, second, direction in operations:
        tree_ids = sorted({node.id for node in review.proposal.walk()})
        dropped_ids = [item.node.id for item in review.dropped]
        before = copy.deepcopy(review.to_data())
        try:
            if name == "move" and tree_ids:
                review.move(tree_ids[first % len(tree_ids)], direction)
            elif name == "move_into" and tree_ids:
                target = ["", *tree_ids][second % (len(tree_ids) + 1)]
                review.move_into(tree_ids[first % len(tree_ids)], target)
            elif name == "drop" and tree_ids:
                review.drop(tree_ids[first % len(tree_ids)])
            elif name == "restore" and dropped_ids:
                review.restore(dropped_ids[first % len(dropped_ids)])
        except ReviewError:
            assert review.to_data() == before  # refused: nothing changed
        assert all_ids(review) == ids
        assert Review.from_data(review.to_data()).to_data() == review.to_data()


@settings(max_examples=60, deadline=None)
@given(st.lists(WORDS.map(lambda w: w.capitalize() + "."), min_size=2, max_size=6), st.data())
def test_splitting_then_merging_gives_the_text_back(sentences, data):
    text = " ".join(sentences)
    goal = Node("goal", "goal-1", {"number": "1", "text": text, "level": "effektmal"}, [], [])
    review = Review(Proposal("0099", "styrelsen", 2024, nodes=[goal]))
    after = data.draw(st.integers(1, len(sentences) - 1))
    review.split("goal-1", after)
    first, second = review.proposal.nodes
    assert first.fields["text"] == " ".join(sentences[:after])
    assert second.fields["text"] == " ".join(sentences[after:])
    review.merge(second.id)
    assert [node.fields["text"] for node in review.proposal.nodes] == [text]


def test_refusals_are_named_and_change_nothing():
    goal = Node("goal", "goal-1", {"number": "1", "text": "Ett mål.", "level": "effektmal"})
    section = Node("section", "section-1", {"number": "1", "heading": "Mål", "body": ""})
    section.children = [goal]
    review = Review(Proposal("0099", "styrelsen", 2024, nodes=[section]))
    before = review.to_data()
    cases = [
        (lambda: review.merge("goal-1"), "Bara ett objekt"),
        (lambda: review.change_kind("goal-1", "section"), "den sorten"),
        (lambda: review.move_into("section-1", "goal-1"), "in i sig självt"),
        (lambda: review.edit("goal-1", {"text": "  "}), "inte vara tom"),
        (lambda: review.edit("goal-1", {"okänt": "x"}), "finns inte"),
        (lambda: review.split("goal-1", 1), "Välj en mening"),
        (lambda: review.node("goal-9"), "finns inte i förslaget"),
    ]
    for operation, words in cases:
        with pytest.raises(ReviewError, match=words):
            operation()
        assert review.to_data() == before


def test_a_kind_change_carries_the_text_over():
    goal = Node("goal", "goal-1", {"number": "2", "text": "Alla ska ha en fast läkare."})
    review = Review(Proposal("0099", "styrelsen", 2024, nodes=[goal]), goal_level="effektmal")
    review.change_kind("goal-1", "assignment")
    (node,) = review.proposal.nodes
    assert (node.kind, node.fields["text"], node.fields["number"]) == (
        "assignment",
        "Alla ska ha en fast läkare.",
        "2",
    )
    review.change_kind(node.id, "goal")
    assert review.proposal.nodes[0].fields["level"] == "effektmal"


# -- the pages ------------------------------------------------------------------------------


def small_plan_docx() -> bytes:
    blocks = [
        Block(Kind.HEADING, Source(1), "Inledning", number="1", level=1),
        Block(Kind.PARAGRAPH, Source(2), "Planen gäller styrelsens verksamhet under året."),
        Block(Kind.HEADING, Source(3), "Perspektiv: Invånare och samhälle", number="2", level=1),
        Block(Kind.PARAGRAPH, Source(4), "Effektmål 1. Länets invånare har en god hälsa."),
        Block(Kind.PARAGRAPH, Source(5), "Indikatorer"),
        Block(Kind.LIST_ITEM, Source(6), "Andelen rökare ska minska jämfört med föregående år."),
        Block(Kind.PARAGRAPH, Source(7), "Effektmål 2. Fler invånare rör på sig varje vecka."),
        Block(Kind.PARAGRAPH, Source(8), "Indikatorer"),
        Block(Kind.LIST_ITEM, Source(9), "Minst 50 procent av invånarna motionerar."),
    ]
    return docx_from(blocks)


@pytest.fixture
def proposal_planner(db, client):
    load_minimal(goal_count=1)
    user = user_with_role("plan-las", "planerare")
    client.force_login(user)
    return user


def upload(client, content: bytes, name: str = "plan.docx", year: int = 2024):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from uppsikt.organisations.models import Unit

    unit = Unit.objects.get(slug="styrelsen")
    return client.post(
        reverse("proposals:upload"),
        {"enhet": unit.pk, "ar": year, "fil": SimpleUploadedFile(name, content)},
    )


def test_a_planner_uploads_corrects_and_accepts_a_plan_document(client, proposal_planner):
    response = upload(client, small_plan_docx())
    proposal = PlanProposal.objects.get()
    assert response.status_code == 302 and response.url == proposal.get_absolute_url()
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Länets invånare har en god hälsa." in page
    assert "Andelen rökare ska minska jämfört med föregående år." in page
    goals = [node for node in _review(proposal).proposal.walk() if node.kind == "goal"]
    assert [goal.fields["text"] for goal in goals] == [
        "Länets invånare har en god hälsa.",
        "Fler invånare rör på sig varje vecka.",
    ]
    # Two corrections: a goal's text, and the other goal's first indicator dropped.
    first, second = goals
    response = client.post(
        reverse("proposals:node", args=[proposal.pk, first.id]),
        {
            "version": proposal.row_version,
            "f_number": "1",
            "f_text": "Länets invånare har en god och jämlik hälsa.",
            "f_description": "",
            "f_note": "",
        },
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    client.post(
        reverse("proposals:change", args=[proposal.pk]),
        {"version": proposal.row_version, "op": "drop", "node": second.children[0].id},
    )
    proposal.refresh_from_db()
    assert len(_review(proposal).dropped) == 1
    response = client.post(
        reverse("proposals:accept", args=[proposal.pk]), {"version": proposal.row_version}
    )
    plan = Plan.objects.get(year=2024)
    assert response.status_code == 302 and response.url == reverse("plans:edit", args=[plan.pk])
    assert plan.status == Plan.Status.UTKAST and plan.source == "plan.docx"
    texts = sorted(Goal.objects.filter(plan=plan).values_list("text", flat=True))
    assert texts == [
        "Fler invånare rör på sig varje vecka.",
        "Länets invånare har en god och jämlik hälsa.",
    ]
    indicators = Goal.objects.get(plan=plan, text__startswith="Fler").indicators.count()
    assert indicators == 0
    proposal.refresh_from_db()
    assert proposal.state == PlanProposal.State.ACCEPTED and proposal.plan == plan
    document_url = reverse("proposals:document", args=[proposal.pk])
    assert (
        f'<a href="{document_url}">plan.docx</a>'
        in client.get(plan.get_absolute_url()).content.decode()
    )
    assert client.get(document_url).getvalue() == small_plan_docx_bytes(proposal)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"proposal.upload", "proposal.edit", "proposal.accept", "plan.create"} <= actions
    # Accepted: no more changes.
    response = client.post(
        reverse("proposals:change", args=[proposal.pk]),
        {"version": proposal.row_version, "op": "drop", "node": first.id},
    )
    proposal.refresh_from_db()
    assert proposal.state == PlanProposal.State.ACCEPTED
    assert "kan inte längre ändras" in client.get(response.url).content.decode()


@pytest.mark.parametrize(
    ("content", "name", "words"),
    [
        (b"", "tom.docx", "är tom"),
        (b"PK\x03\x04" + b"\x00" * 60, "zip.docx", "inte ett Word-dokument"),
        (b"%PDF-1.4\n%%EOF", "trasig.pdf", "skadad"),
        (bytes(range(256)) * 8, "binar.docx", "varken en PDF"),
    ],
)
def test_a_document_that_cannot_be_read_is_refused_and_nothing_kept(
    client, proposal_planner, content, name, words
):
    response = upload(client, content, name)
    assert response.status_code == 200
    assert words in response.content.decode()
    assert PlanProposal.objects.count() == 0
    assert not AuditEvent.objects.filter(action="proposal.upload").exists()


def test_a_stale_page_is_refused(client, proposal_planner):
    upload(client, small_plan_docx())
    proposal = PlanProposal.objects.get()
    node = _review(proposal).proposal.nodes[0]
    client.post(
        reverse("proposals:change", args=[proposal.pk]),
        {"version": proposal.row_version, "op": "move", "node": node.id, "direction": "down"},
    )
    data = copy.deepcopy(PlanProposal.objects.get().data)
    response = client.post(
        reverse("proposals:change", args=[proposal.pk]),
        {"version": proposal.row_version, "op": "drop", "node": node.id},
        follow=True,
    )
    assert PlanProposal.objects.get().data == data
    assert "ändrats" in response.content.decode()


def test_others_cannot_see_or_change_a_proposal(client, proposal_planner):
    upload(client, small_plan_docx())
    proposal = PlanProposal.objects.get()
    reader = user_with_role("las-bara", "lasare")
    client.force_login(reader)
    assert client.get(proposal.get_absolute_url()).status_code == 404
    response = client.post(reverse("proposals:accept", args=[proposal.pk]), {"version": 1})
    assert response.status_code == 404
    assert PlanProposal.objects.get().state == PlanProposal.State.READY


def small_plan_docx_bytes(proposal: PlanProposal) -> bytes:
    with proposal.document.open("rb") as handle:
        return handle.read()


def _review(proposal: PlanProposal) -> Review:
    return Review.from_data(proposal.data)
