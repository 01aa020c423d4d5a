"""Example data for the demo: a ledger (as an SIE file) and monthly forecasts that fit the
real budget tables. Deterministic, and labelled as examples wherever they are shown.

**The ledger** follows the tables' mapping rules. Each ledger source (an object such as
kostnadsställe 2100, or an account range's total for a rule without object) belongs to the
deepest row mapped to it. A row's part not itemised by its varav rows (its budget minus
theirs) is spread over the sources it owns; the year's outcome of a source is that part
times a fixed deviation between −6 and +4 percent, spread over the months (less in July)
and over a few accounts chosen by what the row is (drugs on 4050, salaries on 5010 …).

**The forecasts** move month by month from the budget to the year's outcome:
``prognos(m) = w·budget + (1 − w)·utfall``, ``w = (12 − m) / 12``, rounded to tkr with the
varav rows rounded together, so a forecast never breaks the varav rule.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from uppsikt.lib.celltext import csv_text

from . import tree
from .frame import QUANTA, round_tree
from .mapping import ledger_figures
from .models import BudgetTable, MappingRule
from .money import format_for_file, round_half_up, to_unit
from .rowpaths import index_rows
from .series import FigureKind, Series
from .sie import Balance, Objects, SieFile
from .stored import Loaded, load

ORE = Decimal("0.01")
PROGRAM = "Uppsikt"
# An example chart of accounts (not a real region's).
ACCOUNTS = {
    1010: "Immateriella anläggningstillgångar, anskaffningsvärde",
    1200: "Maskiner och inventarier, anskaffningsvärde",
    3090: "Övriga verksamhetsintäkter",
    4010: "Köpt hälso- och sjukvård",
    4050: "Läkemedel",
    4210: "Tandvårdsersättningar",
    5010: "Löner",
    5410: "Arbetsgivaravgifter",
    6410: "IT-tjänster",
    6990: "Övriga verksamhetskostnader",
}
# Which accounts a source's money goes to, by words in its row's label; shares add up to 1.
PROFILES = (
    (("läkemedel",), {4050: Decimal(1)}),
    (("tandvård", "barn- och unga", "folktandvården"), {4210: Decimal(1)}),
    (("vårdval", "vårdgivare", "digital vård"), {4010: Decimal(1)}),
    (("läkare",), {5010: Decimal("0.75"), 5410: Decimal("0.25")}),
)
DEFAULT_PROFILE = {
    5010: Decimal("0.50"),
    5410: Decimal("0.16"),
    6410: Decimal("0.10"),
    6990: Decimal("0.27"),
    3090: Decimal("-0.03"),
}
MONTH_WEIGHTS = [
    Decimal(w)
    for w in ("1", "1", "1.05", "1", "1", "1", "0.6", "0.95", "1.05", "1.05", "1.05", "1.25")
]


def _unit_interval(*parts: object) -> Decimal:
    """A fixed number in [0, 1) from the parts: the same on every machine and run."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()
    return Decimal(int(digest[:8], 16)) / Decimal(16**8)


def deviation(*parts: object) -> Decimal:
    """Between −6 % and +4 % (outcomes tend to come in under budget)."""
    return (_unit_interval(*parts) * 10 - 6).quantize(Decimal("0.1")) / 100


def split(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """``total`` shared by ``weights`` in öre; the last share takes the rounding rest."""
    whole = sum(weights)
    parts = [(total * w / whole).quantize(ORE, rounding=ROUND_HALF_UP) for w in weights[:-1]]
    return [*parts, total - sum(parts)]


def profile_for(label: str) -> dict[int, Decimal]:
    text = label.casefold()
    for words, profile in PROFILES:
        if any(word in text for word in words):
            return profile
    return DEFAULT_PROFILE


@dataclass
class Source:
    """Where a row's money shows in the ledger: an object, or an account range's total."""

    objects: Objects
    accounts: tuple[int, int]
    rule: MappingRule
    owner: int  # row pk
    name: str


def _sources(loaded: Loaded, rules: list[MappingRule]) -> list[Source]:
    depth = {}
    for node, level in tree.walk(loaded.roots):
        depth[node.key.pk] = level
    by_source: dict[tuple, list[MappingRule]] = defaultdict(list)
    for rule in rules:
        key = (
            ((rule.dimension, rule.object_code),)
            if rule.dimension is not None
            else (rule.account_from, rule.account_to)
        )
        by_source[key].append(rule)
    sources = []
    for source_key, matching in by_source.items():
        rule = max(matching, key=lambda r: (depth[r.row_id], -r.position))
        owner = loaded.rows[rule.row_id]
        objects = source_key if rule.dimension is not None else ()
        sources.append(
            Source(objects, (rule.account_from, rule.account_to), rule, owner.pk, owner.label)
        )
    return sources


def _unitemised(loaded: Loaded, pk: int, series: Series) -> Decimal:
    node = loaded.nodes[pk]
    own = node.figures.get(series, Decimal(0))
    itemised = sum(
        (c.figures.get(series, Decimal(0)) for c in node.children if c.kind == tree.VARAV),
        Decimal(0),
    )
    return own - itemised


def _accounts_for(source: Source) -> dict[int, Decimal]:
    low, high = source.accounts
    if not source.objects:
        return {low: Decimal(1)}
    profile = {a: s for a, s in profile_for(source.name).items() if low <= a <= high}
    return profile or {low: Decimal(1)}


def example_ledger(tables: list[BudgetTable], year: int) -> SieFile:
    """An example SIE ledger for ``year`` that the tables' mapping rules read back."""
    sie = SieFile(
        company_name="Region Örebro län (exempel)",
        program=PROGRAM,
        program_version="1",
        generated=date(year + 1, 1, 15),
        sie_type=4,
        comment="Exempeldata skapad av Uppsikt, inte regionens bokföring",
        fiscal_years={0: (date(year, 1, 1), date(year, 12, 31))},
        covers_to=date(year, 12, 31),
        dimensions={1: "Kostnadsställe"},
    )
    budget = Series(year, FigureKind.BUDGET)
    actual: dict[tuple[int, Objects, str], Decimal] = defaultdict(Decimal)
    planned: dict[tuple[int, Objects, str], Decimal] = defaultdict(Decimal)
    for table in tables:
        loaded = load(table)
        rules = list(table.mapping_rules.all())
        sources = _sources(loaded, rules)
        owned = defaultdict(list)
        for source in sources:
            owned[source.owner].append(source)
        for owner, mine in owned.items():
            part = _unitemised(loaded, owner, budget)
            for source, share in zip(mine, split(part, [Decimal(1)] * len(mine)), strict=True):
                sign = -1 if source.rule.flip_sign else 1  # back to the ledger's sign
                outcome = (
                    share * (1 + deviation(table.number, source.objects, source.accounts))
                ).quantize(ORE)
                for obj in source.objects:
                    sie.objects[obj] = source.name
                for account, weight in _accounts_for(source).items():
                    sie.accounts[account] = ACCOUNTS.get(account, f"Konto {account} (exempel)")
                    months = split(sign * outcome * weight, MONTH_WEIGHTS)
                    plan = split(sign * share * weight, [Decimal(1)] * 12)
                    for month in range(12):
                        period = f"{year}-{month + 1:02d}"
                        actual[(account, source.objects, period)] += months[month]
                        planned[(account, source.objects, period)] += plan[month]
    sie.period_balances = _with_totals(actual)
    sie.period_budgets = _with_totals(planned)
    results: dict[int, Decimal] = defaultdict(Decimal)
    for balance in sie.period_balances:
        if not balance.objects and balance.account >= 3000:
            results[balance.account] += balance.amount
    sie.results = [Balance(0, account, results[account]) for account in sorted(results)]
    return sie


def _with_totals(amounts: dict[tuple[int, Objects, str], Decimal]) -> list[Balance]:
    """Object lines and, as SIE type 3 and 4 require, each account's total line."""
    totals: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    lines = []
    for (account, objects, period), amount in sorted(amounts.items()):
        totals[(account, period)] += amount
        if objects:
            lines.append(Balance(0, account, amount, period, objects))
    lines += [Balance(0, a, amount, p) for (a, p), amount in sorted(totals.items())]
    return sorted(lines, key=lambda b: (b.period, b.account, b.objects))


def example_forecasts(
    table: BudgetTable, ledger: SieFile, year: int
) -> dict[str, dict[int, Decimal]]:
    """Period → row pk → årsprognos (kronor, rounded to tkr), for January to November."""
    loaded = load(table)
    budget = Series(year, FigureKind.BUDGET)
    outcome = _year_outcome(loaded, table, ledger, year)
    forecasts = {}
    for month in range(1, 12):
        weight = Decimal(12 - month) / 12
        exact = {
            pk: weight * node.figures[budget] + (1 - weight) * outcome[pk]
            for pk, node in loaded.nodes.items()
            if node.kind in tree.OWN_FIGURES and budget in node.figures and pk in outcome
        }
        forecasts[f"{year}-{month:02d}"] = round_tree(loaded, exact, QUANTA["tkr"])
    return forecasts


def _year_outcome(
    loaded: Loaded, table: BudgetTable, ledger: SieFile, year: int
) -> dict[int, Decimal]:
    """Row pk → the year's outcome: from the ledger where the row is mapped, else the budget
    with the row's deviation (its varav rows' outcomes plus its own part)."""
    rules = list(table.mapping_rules.all())
    december = Series(year, FigureKind.UTFALL, f"{year}-12")
    mapped = {}
    if rules:
        figures = ledger_figures(ledger, rules, loaded.rows).changes
        mapped = {pk: amount for (pk, series), amount in figures.items() if series == december}
    budget = Series(year, FigureKind.BUDGET)
    out: dict[int, Decimal] = {}

    def visit(node: tree.Node) -> None:
        for child in node.children:
            visit(child)
        pk = node.key.pk
        if pk in mapped:
            out[pk] = mapped[pk]
        elif node.kind in tree.OWN_FIGURES and budget in node.figures:
            varav = [c for c in node.children if c.kind == tree.VARAV and c.key.pk in out]
            rest = _unitemised(loaded, pk, budget) * (1 + deviation(table.number, node.label))
            out[pk] = sum((out[c.key.pk] for c in varav), Decimal(0)) + rest

    for root in loaded.roots:
        visit(root)
    return out


def forecasts_csv(table: BudgetTable, forecasts: dict[str, dict[int, Decimal]]) -> str:
    """The forecasts as an import file (semicolons, amounts in whole tkr, label paths;
    numbers as Excel reads them, ``money.format_for_file``)."""
    index = index_rows(table.rows.all())
    periods = sorted(forecasts)
    lines = [";".join(["kod", "rad", *(f"prognos {period}" for period in periods)])]
    for row in table.rows.all():
        if row.kind not in tree.OWN_FIGURES or row.pk not in forecasts[periods[0]]:
            continue
        values = [
            format_for_file(round_half_up(to_unit(forecasts[p][row.pk], "tkr"))) for p in periods
        ]
        lines.append(";".join([_csv_text(row.code), _csv_text(index.path(row)), *values]))
    return "\r\n".join(lines) + "\r\n"


def _csv_text(text: str) -> str:
    text = csv_text(text)
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ';"\n') else text
