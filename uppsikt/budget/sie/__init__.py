"""SIE, the Swedish accounting exchange format (types 1–4, PC8): a reader and a writer.

See ``reader.py`` for what is checked and ``docs/budget.md`` for how the balances become
budget figures.
"""

from .model import Balance, Objects, SieFile
from .reader import SieError, read_sie
from .writer import SieWriteError, write_sie

__all__ = [
    "Balance",
    "Objects",
    "SieError",
    "SieFile",
    "SieWriteError",
    "read_sie",
    "write_sie",
]
