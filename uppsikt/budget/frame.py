"""Next year's frame: a budget raised by the löne- och prisuppräkning, as a draft table.

Every row with its own figures gets its base figure (this year's budget, or the revised
budget) times (1 + rate), rounded to a chosen unit (öre, kronor, tkr or mnkr). Rows are rounded
half up one by one; the varav rows under a row are rounded together so that they add up to
their own rounded sum (largest remainder), which keeps them within their row as before.
Sums are computed from the rounded rows, so every displayed sum agrees with its rows.

>>> scale(Decimal("-435000000"), Decimal("4.3"), Decimal("1000000"))
Decimal('-454000000')
"""

from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from . import tree
from .series import FigureKind, Series
from .stored import Loaded

QUANTA = {
    "ore": Decimal("0.01"),
    "kr": Decimal(1),
    "tkr": Decimal(1_000),
    "mnkr": Decimal(1_000_000),
}


def factor(rate_percent: Decimal) -> Decimal:
    return 1 + rate_percent / 100


def round_to(value: Decimal, quantum: Decimal) -> Decimal:
    """Half up (away from zero), to a multiple of ``quantum``."""
    return (value / quantum).quantize(Decimal(1), rounding=ROUND_HALF_UP) * quantum


def scale(amount: Decimal, rate_percent: Decimal, quantum: Decimal) -> Decimal:
    return round_to(amount * factor(rate_percent), quantum)


def apportion(values: list[Decimal], quantum: Decimal, total: Decimal) -> list[Decimal]:
    """Round ``values`` to multiples of ``quantum`` so that they add up to ``total`` (itself
    a multiple of ``quantum``): each is rounded down, then the units still missing go to the
    largest remainders (or, when there are too many, come off the smallest).

    >>> apportion([Decimal("0.4")] * 3, Decimal(1), Decimal(1))
    [Decimal('1'), Decimal('0'), Decimal('0')]
    """
    if not values:
        return []
    units = [value / quantum for value in values]
    floors = [u.to_integral_value(rounding=ROUND_FLOOR) for u in units]
    missing = int(total / quantum - sum(floors))
    # Most deserving first: largest remainder, then reading order.
    order = sorted(range(len(values)), key=lambda i: (-(units[i] - floors[i]), i))
    result = list(floors)
    step = 1 if missing >= 0 else -1
    sequence = order if missing >= 0 else list(reversed(order))
    for n in range(abs(missing)):
        result[sequence[n % len(sequence)]] += step
    return [r * quantum for r in result]


def base_series(loaded: Loaded, year: int) -> Series | None:
    """The figures a frame builds on: the revised budget of ``year`` if any, else its budget."""
    present = {series for _pk, series in loaded.figures}
    for kind in (FigureKind.REVIDERAD, FigureKind.BUDGET):
        series = Series(year, kind)
        if series in present:
            return series
    return None


def draft_figures(
    loaded: Loaded, base: Series, rate_percent: Decimal, quantum: Decimal
) -> dict[int, Decimal]:
    """Row pk → next year's figure, for every row with a figure in ``base``."""
    exact = {
        pk: node.figures[base] * factor(rate_percent)
        for pk, node in loaded.nodes.items()
        if node.kind in tree.OWN_FIGURES and base in node.figures
    }
    return round_tree(loaded, exact, quantum)


def round_tree(loaded: Loaded, exact: dict[int, Decimal], quantum: Decimal) -> dict[int, Decimal]:
    """Round exact figures (row pk → kronor) to ``quantum``: rows one by one, half up; the
    varav rows under a row together, so that they add up to their own rounded sum and never
    say more than the rounded row."""
    out: dict[int, Decimal] = {}

    def level(nodes: list[tree.Node], parent_value: Decimal | None) -> None:
        varav = [n for n in nodes if n.kind == tree.VARAV and n.key.pk in exact]
        if varav:
            target = round_to(sum((exact[n.key.pk] for n in varav), Decimal(0)), quantum)
            if parent_value is not None and tree.varav_exceeds(parent_value, target):
                target = parent_value
            parts = apportion([exact[n.key.pk] for n in varav], quantum, target)
            for node, value in zip(varav, parts, strict=True):
                out[node.key.pk] = value
        for node in nodes:
            pk = node.key.pk
            if pk in exact and pk not in out:
                out[pk] = round_to(exact[pk], quantum)
            level(node.children, out.get(pk))

    level(loaded.roots, None)
    return out
