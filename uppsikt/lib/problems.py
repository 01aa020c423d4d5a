"""One problem found in input: where it is, why (in Swedish), and a machine-readable code.

Every validator (data files, budget and internal-control imports) collects these so that a
single run names every problem at once; the web shows ``where`` and ``message``, the API
also ``code`` and ``line``.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    where: str  # a path in a data file ("plans[0].goals[2]"), "rad 7, kolumn C", a row's label
    message: str
    code: str = "invalid"
    line: int | None = None  # the line of the input the problem belongs to, when there is one

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message
