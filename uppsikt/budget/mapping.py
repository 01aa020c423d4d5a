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
    year = _calendar_year(sie, result.problems)
    if year is None:
        return result
    if not rules:
        result.problems.append(
            Problem(
                "", _("tabellen har ingen mappning från konton till rader; lägg in regler först")
            )
        )
        return result
    result.problems.extend(rule_conflicts(rules, rows))
    reader = _LedgerReader(rules, rows, result.problems, table_kind)
    year_balances = [b for b in sie.period_balances if b.year_index == 0]
    year_results = [b for b in sie.results if b.year_index == 0]
    counts = {"psaldo": len(year_balances), "pbudget": 0, "res": len(year_results), "mappade": 0}
    if outcome:
        _add_outcome(result, reader, sie, year, year_balances, year_results)
    if budgets_as:
        year_budgets = [b for b in sie.period_budgets if b.year_index == 0]
        counts["pbudget"] = len(year_budgets)
        if not _add_budgets(result, reader, year, year_budgets, budgets_as, forecast_period):
            return result
    result.warnings.extend(_uncovered_warnings(reader.uncovered))
    if outcome and year_balances:
        result.warnings.extend(_rows_without_outcome(result.changes, reader.mapped_rows, rows))
    counts["mappade"] = reader.mapped
    result.summary.update(_summary(sie, year, counts, reader.unmapped))
    return result


def _calendar_year(sie: SieFile, problems: list[Problem]) -> int | None:
    """The calendar year that is the file's fiscal year 0, or None with the problem added."""
    span = sie.fiscal_years.get(0)
    if span is None:
        problems.append(Problem("", _("filen saknar räkenskapsår 0 (#RAR 0)")))
        return None
    start, end = span
    if (start.month, start.day, end.month, end.day) != (1, 1, 12, 31) or start.year != end.year:
        problems.append(
            Problem(
                "",
                _(
                    "räkenskapsåret %(start)s–%(end)s är inte ett kalenderår; Uppsikt följer "
                    "upp budgetar per kalenderår"
                )
                % {"start": start, "end": end},
            )
        )
        return None
    return start.year


class _LedgerReader:
    """Sums ledger lines onto the mapped rows and keeps what it could not place: a line's
    problem (added to ``problems``), money on objects the mapping misses (``unmapped``) and
    accounts no rule covers (``uncovered``)."""

    def __init__(
        self,
        rules: list[MappingRule],
        rows: dict[int, BudgetRow],
        problems: list[Problem],
        table_kind: str,
    ):
        self.matcher = _Matcher(rules, rows)
        self.covered = _Covered(rules)
        self.problems = problems
        self.mapped_rows = sorted({rule.row_id for rule in rules})
        self.total_rows = {rule.row_id for rule in rules if rule.dimension is None}
        # Accounts no rule covers, in an account class the rules use (class 4 for costs,
        # say): account → view (0: the account totals, else the dimension) → amount.
        self.classes = {a // 1000 for rule in rules for a in (rule.account_from, rule.account_to)}
        self.classes |= ACCOUNT_CLASSES.get(table_kind, set())
        self.uncovered: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        self.unmapped: dict[tuple[int, Objects], Decimal] = defaultdict(Decimal)
        self.mapped = 0  # lines that reached a row

    def sums(self, balances: list[Balance], by_month: bool) -> dict[int, dict[str, Decimal]]:
        """Row pk → month (or "" for the year) → the signed sum of the lines."""
        out: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        for balance in balances:
            if balance.year_index != 0:
                continue
            targets = self.matcher.targets(balance)
            if isinstance(targets, str):
                self.problems.append(Problem(_line_place(balance), targets))
                continue
            if not targets:
                self._keep_unplaced(balance)
                continue
            self.mapped += 1
            for pk, sign in targets:
                out[pk][balance.period if by_month else ""] += sign * balance.amount
        return out

    def _keep_unplaced(self, balance: Balance) -> None:
        if self.matcher.expected_here(balance):
            self.unmapped[(balance.account, balance.objects)] += balance.amount
        elif balance.account not in self.covered and balance.account // 1000 in self.classes:
            view = balance.objects[0][0] if balance.objects else 0
            self.uncovered[balance.account][view] += balance.amount


def _add_outcome(
    result: LedgerFigures,
    reader: _LedgerReader,
    sie: SieFile,
    year: int,
    balances: list[Balance],
    results: list[Balance],
) -> None:
    """``utfall`` per month from #PSALDO, accumulated from January; else the year's from #RES
    through the rules without object."""
    if balances:
        months = _months(sie, balances, year)
        movements = reader.sums(balances, by_month=True)
        for pk in reader.mapped_rows:
            running = Decimal(0)
            for month in months:
                running += movements.get(pk, {}).get(month, Decimal(0))
                result.changes[(pk, Series(year, FigureKind.UTFALL, month))] = running
        if months and months[-1] == f"{year}-12":
            result.problems.extend(_check_results(balances, results))
        result.summary["utfall_till"] = months[-1] if months else ""
    elif results:
        totals = reader.sums(results, by_month=False)
        for pk in reader.mapped_rows:
            if pk in reader.total_rows:
                amount = totals.get(pk, {}).get("", Decimal(0))
                result.changes[(pk, Series(year, FigureKind.UTFALL, f"{year}-12"))] = amount
        result.summary["utfall_till"] = f"{year}-12"
    else:
        result.problems.append(
            Problem("", _("filen har inga periodsaldon (#PSALDO) eller resultat (#RES) för år 0"))
        )


def _add_budgets(
    result: LedgerFigures,
    reader: _LedgerReader,
    year: int,
    budgets: list[Balance],
    budgets_as: str,
    forecast_period: str,
) -> bool:
    """The year's #PBUDGET as ``budget`` or as a ``prognos`` made at ``forecast_period``;
    False when that series cannot be (the problem is added and reading stops)."""
    if not budgets:
        result.problems.append(Problem("", _("filen har inga budgetposter (#PBUDGET) för år 0")))
        return True
    try:
        if budgets_as == FigureKind.PROGNOS:
            series = Series.build(FigureKind.PROGNOS, year, forecast_period)
        else:
            series = Series(year, FigureKind.BUDGET)
    except SeriesError as exc:
        result.problems.append(Problem("", str(exc)))
        return False
    totals = reader.sums(budgets, by_month=False)
    for pk in reader.mapped_rows:
        result.changes[(pk, series)] = totals.get(pk, {}).get("", Decimal(0))
    return True


def _rows_without_outcome(
    changes: dict[Key, Decimal], mapped_rows: list[int], rows: dict[int, BudgetRow]
) -> list[Problem]:
    """A warning for each mapped row whose outcome is 0 in every month."""
    warnings = []
    for pk in mapped_rows:
        outcomes = [
            amount
            for (row, series), amount in changes.items()
            if row == pk and series.kind == FigureKind.UTFALL
        ]
        if outcomes and not any(outcomes):
            warnings.append(
                Problem(
                    rows[pk].label,
                    _("inga bokförda belopp på raden; utfallet blir 0 varje månad"),
                )
            )
    return warnings


def _summary(
    sie: SieFile, year: int, counts: dict[str, int], unmapped: dict[tuple[int, Objects], Decimal]
) -> dict:
    """What the import read: counts of lines and the largest amounts the mapping missed."""
    return {
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
