"""What an SIE file holds, as far as budgets need it: the chart of accounts, dimensions and
objects, fiscal years, and the balances (#PSALDO, #PBUDGET, #RES). The reader makes one of
these from a file and the writer makes a file from one.

Amounts are ``Decimal`` kronor with the ledger's sign: debit positive, credit negative (so
costs are positive and revenue negative).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

Objects = tuple[tuple[int, str], ...]  # ((dimension, object code), …); () is the account total


@dataclass(frozen=True)
class Balance:
    """One #PSALDO, #PBUDGET (a period's change, ``period`` "2023-01") or #RES (the year's
    result, no period) line."""

    year_index: int  # 0 this fiscal year, -1 the one before …
    account: int
    amount: Decimal
    period: str = ""
    objects: Objects = ()
    line: int = 0  # where it was read; 0 when made in code

    def same_as(self, other: "Balance") -> bool:
        """Equal apart from the line it was read from."""
        return (self.year_index, self.account, self.amount, self.period, self.objects) == (
            other.year_index,
            other.account,
            other.amount,
            other.period,
            other.objects,
        )


@dataclass
class SieFile:
    company_name: str = ""
    program: str = ""
    program_version: str = ""
    generated: date | None = None
    sie_type: int = 1
    format: str = "PC8"
    org_number: str = ""
    currency: str = "SEK"
    comment: str = ""  # #PROSA
    fiscal_years: dict[int, tuple[date, date]] = field(default_factory=dict)
    covers_to: date | None = None  # #OMFATTN: the balances run up to this date
    accounts: dict[int, str] = field(default_factory=dict)
    dimensions: dict[int, str] = field(default_factory=dict)
    objects: dict[tuple[int, str], str] = field(default_factory=dict)
    period_balances: list[Balance] = field(default_factory=list)  # #PSALDO
    period_budgets: list[Balance] = field(default_factory=list)  # #PBUDGET
    results: list[Balance] = field(default_factory=list)  # #RES
    line_count: int = 0
    checksum_verified: bool = False

    def year_of(self, year_index: int) -> int | None:
        """The calendar year a fiscal year starts in (``year_of(0)`` → 2023)."""
        span = self.fiscal_years.get(year_index)
        return span[0].year if span else None
