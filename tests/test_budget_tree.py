"""Computed sums and varav rules on random row trees (uppsikt.budget.tree)."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from uppsikt.budget import tree
from uppsikt.budget.tree import GROUP, HEADING, LINE, SUM, TOTAL, VARAV, Node

S, T = "budget 2023", "prognos 2022"
amounts = st.decimals(min_value=-(10**12), max_value=10**12, places=2)


def line(a: Decimal, b: Decimal) -> Node:
    return Node(LINE, figures={S: a, T: b})


lines = st.builds(line, amounts, amounts)
trees = st.recursive(
    lines,
    lambda kids: st.lists(kids, min_size=1, max_size=4).map(lambda c: Node(GROUP, children=c)),
)


def leaves(node: Node) -> list[Node]:
    return [n for n, _ in tree.walk([node]) if n.kind == LINE]


@given(st.lists(trees, min_size=1, max_size=5))
def test_every_computed_value_is_the_sum_of_its_leaves(forest):
    total = Node(TOTAL)
    nodes = [*forest, total]
    assert tree.check(nodes) == []
    tree.evaluate(nodes)
    for column in (S, T):
        everything = sum(leaf.figures[column] for n in forest for leaf in leaves(n))
        assert total.values[column] == everything
        for node, _depth in tree.walk(forest):
            assert node.values[column] == sum(leaf.figures[column] for leaf in leaves(node))


@given(st.lists(st.one_of(lines, st.just(SUM), st.just(HEADING)), min_size=1, max_size=12))
def test_summa_adds_its_section_and_totalt_adds_everything(items):
    nodes = [Node(item) if isinstance(item, str) else item for item in items] + [Node(TOTAL)]
    tree.evaluate(nodes)
    section: list[Node] = []
    for node in nodes[:-1]:
        if node.kind == SUM:
            expected = sum(n.figures[S] for n in section) if section else None
            assert node.values.get(S) == expected
        if node.kind in (SUM, HEADING):
            section = []
        else:
            section.append(node)
    counted = [n for n in nodes if n.kind == LINE]
    assert nodes[-1].values.get(S) == (sum(n.figures[S] for n in counted) if counted else None)


@given(amounts, st.lists(amounts, min_size=1, max_size=6))
def test_varav_rows_may_not_exceed_their_row(own, parts):
    node = Node(LINE, figures={S: own}, children=[Node(VARAV, figures={S: p}) for p in parts])
    problems = tree.check([node])
    breakdown = sum(parts)
    # Independent statement of the rule: magnitude in the row's sign direction.
    exceeds = breakdown != 0 if own == 0 else (breakdown * (1 if own > 0 else -1)) > abs(own)
    assert bool(problems) == exceeds
    if exceeds:
        assert problems[0][0] == "rows[0]"
        assert "varav-raderna summerar till" in problems[0][1]


def test_negative_cost_rows():
    ok = Node(LINE, figures={S: Decimal(-258)}, children=[Node(VARAV, figures={S: Decimal(-255)})])
    too_much = Node(
        LINE, figures={S: Decimal(-258)}, children=[Node(VARAV, figures={S: Decimal(-260)})]
    )
    assert tree.check([ok]) == []
    assert tree.check([too_much])
    assert ok.children[0].kind == VARAV


def test_varav_rows_are_not_counted_in_sums():
    row = Node(LINE, figures={S: Decimal(-10)}, children=[Node(VARAV, figures={S: Decimal(-7)})])
    total = Node(TOTAL)
    tree.evaluate([row, total])
    assert total.values == {S: Decimal(-10)}


def test_structure_problems_are_named():
    problems = tree.check(
        [
            Node(VARAV, figures={S: Decimal(1)}),
            Node(SUM, figures={S: Decimal(1)}),
            Node(GROUP),
            Node("okand"),
        ]
    )
    paths = [path for path, _ in problems]
    assert paths == ["rows[0]", "rows[1]", "rows[2]", "rows[3]"]
