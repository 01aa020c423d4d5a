"""Budget tables (driftbudget, investeringsbudget) and what is kept about changes to them."""

from ..series import Series
from .changes import BudgetImport, Reallocation
from .mapping import MappingRule
from .tables import BudgetRow, BudgetTable, BudgetTableQuerySet, Figure, period_validator

__all__ = [
    "BudgetImport",
    "BudgetRow",
    "BudgetTable",
    "BudgetTableQuerySet",
    "Figure",
    "MappingRule",
    "Reallocation",
    "Series",
    "period_validator",
]
