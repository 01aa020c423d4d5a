"""The budget row tree as plain data: what each row's value is, and which trees are valid.

Sums are computed, never typed. Row kinds (``BudgetRow.Kind``):

- ``rad`` (line): holds its own figures. Its children, if any, are ``varav`` rows.
- ``varav``: a breakdown of its parent; holds its own figures and never counts in a sum.
  Per series, the varav rows together may not exceed the parent in the parent's sign
  direction (for a cost of −258, varav rows of −255 are fine, −260 is not).
- ``grupp`` (group): no own figures; its value is the sum of its ``rad``/``grupp`` children.
- ``rubrik`` (heading): a label only, e.g. "Övrigt inom regionstyrelsens driftansvar:".
- ``summa`` (subtotal): the sum of the ``rad``/``grupp`` rows before it on the same level,
  back to the previous ``summa`` or ``rubrik`` (or the start of the level).
- ``totalt`` (total): the sum of every ``rad``/``grupp`` row before it on the same level.

A sum over rows none of which has a figure for a series has no value for that series.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from .money import format_number

LINE, VARAV, GROUP, HEADING, SUM, TOTAL = "rad", "varav", "grupp", "rubrik", "summa", "totalt"
KINDS = (LINE, VARAV, GROUP, HEADING, SUM, TOTAL)
COUNTED = (LINE, GROUP)  # the kinds that sums add up
OWN_FIGURES = (LINE, VARAV)  # the kinds that hold typed figures
COMPUTED = (GROUP, SUM, TOTAL)
ALLOWED_CHILDREN = {
    LINE: (VARAV, HEADING),
    VARAV: (VARAV, HEADING),
    GROUP: (LINE, GROUP, HEADING, SUM, TOTAL),
    HEADING: (),
    SUM: (),
    TOTAL: (),
}
TOP_LEVEL = (LINE, GROUP, HEADING, SUM, TOTAL)


@dataclass(eq=False)  # nodes are compared and hashed by identity
class Node:
    """One row: ``figures`` maps a series key to kronor; ``values`` is filled by ``evaluate``."""

    kind: str
    label: str = ""
    figures: dict[Any, Decimal] = field(default_factory=dict)
    children: list["Node"] = field(default_factory=list)
    key: Any = None
    values: dict[Any, Decimal] = field(default_factory=dict)
    # For computed rows: the rows whose values were added, to check displayed rounding.
    parts: list["Node"] = field(default_factory=list)


def _add(total: dict[Any, Decimal], values: dict[Any, Decimal]) -> None:
    for series, amount in values.items():
        total[series] = total.get(series, Decimal(0)) + amount


def evaluate(nodes: list[Node]) -> dict[Any, Decimal]:
    """Fill ``values`` and ``parts`` of every node; return the level's total (``totalt``)."""
    section: dict[Any, Decimal] = {}
    section_parts: list[Node] = []
    everything: dict[Any, Decimal] = {}
    all_parts: list[Node] = []
    for node in nodes:
        level_total = evaluate(node.children)
        if node.kind in OWN_FIGURES:
            node.values = dict(node.figures)
        elif node.kind == GROUP:
            node.values = level_total
            node.parts = [child for child in node.children if child.kind in COUNTED]
        elif node.kind == HEADING:
            node.values = {}
            section, section_parts = {}, []
        elif node.kind == SUM:
            node.values, node.parts = section, section_parts
            section, section_parts = {}, []
        elif node.kind == TOTAL:
            node.values, node.parts = dict(everything), list(all_parts)
        if node.kind in COUNTED:
            _add(section, node.values)
            _add(everything, node.values)
            section_parts.append(node)
            all_parts.append(node)
    return everything


def walk(nodes: Iterable[Node], depth: int = 0) -> Iterator[tuple[Node, int]]:
    """Every node in document order with its depth."""
    for node in nodes:
        yield node, depth
        yield from walk(node.children, depth + 1)


def varav_exceeds(parent: Decimal, breakdown: Decimal) -> bool:
    """Whether varav rows adding up to ``breakdown`` say more than the row's ``parent``.

    Magnitudes are compared in the row's sign direction, so for costs written as negative
    figures −255 fits in −258 and −260 does not; a part of opposite sign never exceeds.
    For a row of 0 the breakdown must add up to 0.
    """
    if parent > 0:
        return breakdown > parent
    if parent < 0:
        return breakdown < parent
    return breakdown != 0


Describe = Callable[[Node, str], str]


def check(
    nodes: list[Node], path: str = "rows", describe: Describe | None = None
) -> list[tuple[str, str]]:
    """Every structural problem as (where, Swedish reason); an empty list means valid.

    ``where`` is the node's path in the file (``rows[2].rows[0]``) unless ``describe``
    (node, path) names it otherwise, e.g. by the row's label.
    """
    problems: list[tuple[str, str]] = []
    _check_level(nodes, path, None, problems, describe or (lambda _node, where: where))
    return problems


def _check_level(
    nodes: list[Node],
    path: str,
    parent: Node | None,
    problems: list[tuple[str, str]],
    describe: Describe,
) -> None:
    allowed = TOP_LEVEL if parent is None else ALLOWED_CHILDREN[parent.kind]
    for index, node in enumerate(nodes):
        where = describe(node, f"{path}[{index}]")
        if node.kind not in KINDS:
            problems.append((where, _("okänd radtyp ”%(kind)s”") % {"kind": node.kind}))
            continue
        if node.kind not in allowed:
            problems.append((where, _not_allowed(node.kind, parent)))
        if node.figures and node.kind not in OWN_FIGURES:
            problems.append(
                (
                    where,
                    _("en rad av typen %(kind)s räknas fram och får inte ha egna belopp")
                    % {"kind": node.kind},
                )
            )
        if node.kind == GROUP and not node.children:
            problems.append((where, _("en grupp måste ha minst en rad")))
        _check_level(node.children, f"{path}[{index}].rows", node, problems, describe)
        if node.kind in OWN_FIGURES:
            _check_varav(node, where, problems)


def _not_allowed(kind: str, parent: Node | None) -> str:
    if parent is None:
        return _("en rad av typen %(kind)s kan inte stå överst; den måste ligga under en rad") % {
            "kind": kind
        }
    return _("en rad av typen %(kind)s kan inte ligga under en rad av typen %(parent)s") % {
        "kind": kind,
        "parent": parent.kind,
    }


def _check_varav(node: Node, where: str, problems: list[tuple[str, str]]) -> None:
    breakdown: dict[Any, Decimal] = {}
    for child in node.children:
        if child.kind == VARAV:
            _add(breakdown, child.figures)
    for series, amount in breakdown.items():
        own = node.figures.get(series)
        if own is None:
            problems.append(
                (
                    where,
                    _("raden saknar belopp för %(series)s men varav-raderna har belopp")
                    % {"series": series},
                )
            )
        elif varav_exceeds(own, breakdown=amount):
            problems.append(
                (
                    where,
                    _(
                        "varav-raderna summerar till %(parts)s kr för %(series)s, mer än "
                        "radens %(own)s kr"
                    )
                    % {
                        "parts": format_number(amount),
                        "series": series,
                        "own": format_number(own),
                    },
                )
            )
