"""From ledger to budget rows: the mapping table applied to an SIE file.

**Matching.** A rule (``MappingRule``) takes the balances of an account range booked on one
object (``dimension`` + ``object_code``, e.g. kostnadsställe 2100), or, without object, the
account totals (the lines with ``{}``). SIE type 3 and 4 files carry both, so a rule on an
object and a rule without one never see the same line.

**One line, one row — or a row and its varav rows.** A ledger line may feed a row and the
varav rows beneath it (the same money, itemised), but never two rows that are both counted
in a sum: that would count it twice, and the file is rejected naming the line and both rows.

**Signs.** SIE writes debit positive: costs positive, revenue negative, investments
positive. A driftbudget writes costs negative, so its rules change the sign (``flip_sign``);
an investeringsbudget writes investments positive and keeps it.

**What becomes which figure** (fiscal year 0 of the file, which must be a calendar year):

- ``#PSALDO`` (each month's change) → ``utfall`` per month, accumulated from January: the
  figure for 2023-07 is January–July. The months run to #OMFATTN, or to the last month with
  a balance. A mapped row without balances in a month had no outcome that month: 0.
- ``#RES`` (the year's result per account) is checked against the twelve months of #PSALDO
  when the file covers the whole year; a file with #RES but no #PSALDO gives the year's
  ``utfall`` (per December) through the rules without object.
- ``#PBUDGET`` (each month's budget) → summed over the year, as ``budget``, or as an
  årsprognos made at a period the importer names (``prognos``), or not used.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from .models import BudgetRow, MappingRule
from .money import format_number
from .series import FigureKind, Series, SeriesError
from .sie import Balance, Objects, SieFile
from .validation import Problem

Key = tuple[int, Series]  # (row pk, series)
# BAS account classes a table of each kind follows: the result accounts (3 revenue, 4–7
# costs, 8 financial items) for a driftbudget, the asset accounts for investments.
ACCOUNT_CLASSES = {"drift": {3, 4, 5, 6, 7, 8}, "investering": {1}}


@dataclass
class LedgerFigures:
    changes: dict[Key, Decimal] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    summary: dict = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)  # imported anyway, worth a look


def parse_account_range(text: object) -> tuple[int, int]:
    """``"4000-4999"`` (or ``4010``) as (first, last); raises ``ValueError`` in Swedish."""
    first, _sep, last = str(text).replace("–", "-").partition("-")
    first, last = first.strip(), (last.strip() or first.strip())
    if not (first.isdigit() and last.isdigit() and int(first) <= int(last)):
        raise ValueError(_("ska vara ett konto eller ett intervall, t.ex. 4000-4999"))
    return int(first), int(last)


def _ancestors(row: BudgetRow, rows: dict[int, BudgetRow]) -> set[int]:
    out = set()
    parent = rows.get(row.parent_id) if row.parent_id is not None else None
    while parent is not None:
        out.add(parent.pk)
        parent = rows.get(parent.parent_id) if parent.parent_id is not None else None
    return out


def _on_one_chain(pks: list[int], ancestors: dict[int, set[int]]) -> bool:
    """Whether the rows lie on one line from a row down through its varav rows."""
    ordered = sorted(pks, key=lambda pk: len(ancestors[pk]))
    return all(ordered[i] in ancestors[ordered[i + 1]] for i in range(len(ordered) - 1))


def _describe(rule: MappingRule) -> str:
    accounts = (
        str(rule.account_from)
        if rule.account_from == rule.account_to
        else f"{rule.account_from}–{rule.account_to}"
    )
    if rule.dimension is None:
        return _("konto %(accounts)s (totalsaldo)") % {"accounts": accounts}
    return _("konto %(accounts)s på objekt %(dim)s:%(code)s") % {
        "accounts": accounts,
        "dim": rule.dimension,
        "code": rule.object_code,
    }


def rule_conflicts(rules: list[MappingRule], rows: dict[int, BudgetRow]) -> list[Problem]:
    """Rules that would count the same money in two rows that are both summed.

    Two rules overlap when their account ranges do and they read the same lines (the same
    object, or both the account totals); a rule on an object and one on the totals read the
    same money in two forms, so they overlap too.
    """
    ancestors = {pk: _ancestors(row, rows) for pk, row in rows.items()}
    problems = []
    for i, first in enumerate(rules):
        for second in rules[i + 1 :]:
            if first.row_id == second.row_id:
                continue
            if first.account_to < second.account_from or second.account_to < first.account_from:
                continue
            same_lines = (first.dimension, first.object_code) == (
                second.dimension,
                second.object_code,
            )
            mixed = (first.dimension is None) != (second.dimension is None)
            if not (same_lines or mixed):
                continue
            if _on_one_chain([first.row_id, second.row_id], ancestors):
                continue
            problems.append(
                Problem(
                    _("mappningen"),
                    _(
                        "%(a)s → %(row_a)s och %(b)s → %(row_b)s räknar samma belopp på två "
                        "rader som båda ingår i summorna"
                    )
                    % {
                        "a": _describe(first),
                        "row_a": rows[first.row_id].label,
                        "b": _describe(second),
                        "row_b": rows[second.row_id].label,
                    },
                )
            )
    return problems


class _Matcher:
    """Finds the rules a ledger line belongs to, checking each (account, objects) once."""

    def __init__(self, rules: list[MappingRule], rows: dict[int, BudgetRow]):
        self.rows = rows
        self.by_objects: dict[Objects, list[MappingRule]] = defaultdict(list)
        for rule in rules:
            key = () if rule.dimension is None else ((rule.dimension, rule.object_code),)
            self.by_objects[key].append(rule)
        self.ancestors = {pk: _ancestors(row, rows) for pk, row in rows.items()}
        self.cache: dict[tuple[int, Objects], list[tuple[int, int]] | str] = {}
        self.expected: dict[tuple[int, int], bool] = {}

    def expected_here(self, balance: Balance) -> bool:
        """Whether an unmatched line is money the table should have had: an object in a
        dimension the rules use, on an account they cover (a kostnadsställe missing from
        the mapping). Account totals and other dimensions are other views of the ledger."""
        if len(balance.objects) != 1:
            return False
        key = (balance.account, balance.objects[0][0])
        if key not in self.expected:
            self.expected[key] = any(
                rule.dimension == key[1] and rule.account_from <= key[0] <= rule.account_to
                for rules in self.by_objects.values()
                for rule in rules
            )
        return self.expected[key]

    def targets(self, balance: Balance) -> list[tuple[int, int]] | str:
        """[(row pk, sign)], or a Swedish reason why the line cannot be mapped."""
        key = (balance.account, balance.objects)
        if key not in self.cache:
            self.cache[key] = self._targets(*key)
        return self.cache[key]

    def _targets(self, account: int, objects: Objects) -> list[tuple[int, int]] | str:
        found: dict[int, int] = {}
        for rule in self.by_objects.get(objects, ()):
            if rule.matches(account, objects):
                found.setdefault(rule.row_id, -1 if rule.flip_sign else 1)
        if len(found) > 1 and not _on_one_chain(list(found), self.ancestors):
            labels = sorted(self.rows[pk].label for pk in found)
            return _("beloppet hamnar på flera rader som båda ingår i summorna: %(rows)s") % {
                "rows": "; ".join(labels)
            }
        return list(found.items())


def _line_place(balance: Balance) -> str:
    return _("rad %(n)s") % {"n": balance.line} if balance.line else ""


def ledger_figures(
    sie: SieFile,
    rules: list[MappingRule],
    rows: dict[int, BudgetRow],
    *,
    outcome: bool = True,
    budgets_as: str = "",
    forecast_period: str = "",
    table_kind: str = "",
) -> LedgerFigures:
    """The figures the ledger gives the mapped rows (see the module's description).

    Warnings (imported anyway): accounts with money that no rule covers, in the account
    classes the table follows (``table_kind`` drift: result accounts, classes 3–8;
    investering: assets, class 1; always the classes the rules use), and mapped rows
    with no outcome booked at all."""
    result = LedgerFigures()
    span = sie.fiscal_years.get(0)
    if span is None:
        result.problems.append(Problem("", _("filen saknar räkenskapsår 0 (#RAR 0)")))
        return result
    start, end = span
    if (start.month, start.day, end.month, end.day) != (1, 1, 12, 31) or start.year != end.year:
        result.problems.append(
            Problem(
                "",
                _(
                    "räkenskapsåret %(start)s–%(end)s är inte ett kalenderår; Uppsikt följer "
                    "upp budgetar per kalenderår"
                )
                % {"start": start, "end": end},
            )
        )
        return result
    if not rules:
        result.problems.append(
            Problem(
                "", _("tabellen har ingen mappning från konton till rader; lägg in regler först")
            )
        )
        return result
    result.problems.extend(rule_conflicts(rules, rows))
    year = start.year
    matcher = _Matcher(rules, rows)
    mapped_rows = sorted({rule.row_id for rule in rules})
    unmapped: dict[tuple[int, Objects], Decimal] = defaultdict(Decimal)
    counts = {"psaldo": 0, "pbudget": 0, "res": 0, "mappade": 0}
    # Accounts no rule covers, in an account class the rules use (class 4 for costs, say):
    # account → view (0: the account totals, else the dimension) → amount.
    classes = {a // 1000 for rule in rules for a in (rule.account_from, rule.account_to)}
    classes |= ACCOUNT_CLASSES.get(table_kind, set())
    covered = _Covered(rules)
    uncovered: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))

    def sums(balances: list[Balance], by_month: bool) -> dict[int, dict[str, Decimal]]:
        out: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        for balance in balances:
            if balance.year_index != 0:
                continue
            targets = matcher.targets(balance)
            if isinstance(targets, str):
                result.problems.append(Problem(_line_place(balance), targets))
                continue
            if not targets:
                if matcher.expected_here(balance):
                    unmapped[(balance.account, balance.objects)] += balance.amount
                elif balance.account not in covered and balance.account // 1000 in classes:
                    view = balance.objects[0][0] if balance.objects else 0
                    uncovered[balance.account][view] += balance.amount
                continue
            counts["mappade"] += 1
            for pk, sign in targets:
                out[pk][balance.period if by_month else ""] += sign * balance.amount
        return out

    year_balances = [b for b in sie.period_balances if b.year_index == 0]
    year_results = [b for b in sie.results if b.year_index == 0]
    counts["psaldo"], counts["res"] = len(year_balances), len(year_results)
    if outcome:
        if year_balances:
            months = _months(sie, year_balances, year)
            movements = sums(year_balances, by_month=True)
            for pk in mapped_rows:
                running = Decimal(0)
                for month in months:
                    running += movements.get(pk, {}).get(month, Decimal(0))
                    result.changes[(pk, Series(year, FigureKind.UTFALL, month))] = running
            if months and months[-1] == f"{year}-12":
                result.problems.extend(_check_results(year_balances, year_results))
            result.summary["utfall_till"] = months[-1] if months else ""
        elif year_results:
            totals = sums(year_results, by_month=False)
            total_rules = {rule.row_id for rule in rules if rule.dimension is None}
            for pk in mapped_rows:
                if pk in total_rules:
                    amount = totals.get(pk, {}).get("", Decimal(0))
                    result.changes[(pk, Series(year, FigureKind.UTFALL, f"{year}-12"))] = amount
            result.summary["utfall_till"] = f"{year}-12"
        else:
            result.problems.append(
                Problem(
                    "", _("filen har inga periodsaldon (#PSALDO) eller resultat (#RES) för år 0")
                )
            )
    if budgets_as:
        year_budgets = [b for b in sie.period_budgets if b.year_index == 0]
        counts["pbudget"] = len(year_budgets)
        if not year_budgets:
            result.problems.append(
                Problem("", _("filen har inga budgetposter (#PBUDGET) för år 0"))
            )
        else:
            try:
                if budgets_as == FigureKind.PROGNOS:
                    series = Series.build(FigureKind.PROGNOS, year, forecast_period)
                else:
                    series = Series(year, FigureKind.BUDGET)
            except SeriesError as exc:
                result.problems.append(Problem("", str(exc)))
                return result
            totals = sums(year_budgets, by_month=False)
            for pk in mapped_rows:
                result.changes[(pk, series)] = totals.get(pk, {}).get("", Decimal(0))
    result.warnings.extend(_uncovered_warnings(uncovered))
    if outcome and year_balances:
        for pk in mapped_rows:
            outcomes = [
                amount
                for (row, series), amount in result.changes.items()
                if row == pk and series.kind == FigureKind.UTFALL
            ]
            if outcomes and not any(outcomes):
                result.warnings.append(
                    Problem(
                        rows[pk].label,
                        _("inga bokförda belopp på raden; utfallet blir 0 varje månad"),
                    )
                )
    result.summary.update(
        {
            "år": year,
            "rader_i_filen": sie.line_count,
            **counts,
            "ej_mappade": [
                {"konto": account, "objekt": _objects_text(objects), "belopp": str(amount)}
                for (account, objects), amount in sorted(
                    unmapped.items(), key=lambda item: (-abs(item[1]), item[0])
                )[:20]
            ],
            "ej_mappade_antal": len(unmapped),
            "ej_mappat_belopp": str(sum(unmapped.values(), Decimal(0))),
        }
    )
    return result


class _Covered:
    """``account in covered``: whether any rule's account range holds the account."""

    def __init__(self, rules: list[MappingRule]):
        self.ranges = [(rule.account_from, rule.account_to) for rule in rules]
        self.cache: dict[int, bool] = {}

    def __contains__(self, account: int) -> bool:
        if account not in self.cache:
            self.cache[account] = any(a <= account <= b for a, b in self.ranges)
        return self.cache[account]


def _uncovered_warnings(uncovered: dict[int, dict[int, Decimal]]) -> list[Problem]:
    """One warning per account no rule covers that has money in the file, the largest first
    (at most 20, then a count). The amount is the account total when the file has one, else
    the sum over one dimension's objects (the same money is in each view)."""
    amounts = {}
    for account, views in uncovered.items():
        amount = views[0] if 0 in views else views[min(views)]
        if amount:
            amounts[account] = amount
    ordered = sorted(amounts.items(), key=lambda item: (-abs(item[1]), item[0]))
    out = [
        Problem(
            _("konto %(account)s") % {"account": account},
            _(
                "%(amount)s kr i bokföringen, men ingen mappningsregel tar kontot till en rad; "
                "beloppet läses inte in"
            )
            % {"amount": format_number(amount, 2)},
        )
        for account, amount in ordered[:20]
    ]
    if len(ordered) > 20:
        out.append(
            Problem(
                "",
                _("ytterligare %(n)s konton utan mappningsregel har belopp i filen")
                % {"n": len(ordered) - 20},
            )
        )
    return out


def _objects_text(objects: Objects) -> str:
    return ", ".join(f"{dim}:{code}" for dim, code in objects)


def _months(sie: SieFile, balances: list[Balance], year: int) -> list[str]:
    """January to the last month the outcome covers: #OMFATTN, else the last with a balance."""
    if sie.covers_to and sie.covers_to.year == year:
        last = sie.covers_to.month
    else:
        last = max(int(b.period[5:]) for b in balances)
    return [f"{year}-{month:02d}" for month in range(1, last + 1)]


def _check_results(balances: list[Balance], results: list[Balance]) -> list[Problem]:
    """#RES must equal the sum of the year's #PSALDO account totals (lines with ``{}``)."""
    totals: dict[int, Decimal] = defaultdict(Decimal)
    has_totals: set[int] = set()
    for balance in balances:
        if not balance.objects:
            totals[balance.account] += balance.amount
            has_totals.add(balance.account)
    problems = []
    for result in results:
        if result.account in has_totals and totals[result.account] != result.amount:
            problems.append(
                Problem(
                    _line_place(result),
                    _(
                        "#RES anger %(res)s kr för konto %(account)s, men årets periodsaldon "
                        "(#PSALDO) summerar till %(sum)s kr"
                    )
                    % {
                        "res": format_number(result.amount, 2),
                        "account": result.account,
                        "sum": format_number(totals[result.account], 2),
                    },
                )
            )
    return problems
