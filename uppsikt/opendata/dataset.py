"""What an open dataset is: its name in URLs, its columns, where its rows come from.

A dataset's rows are tuples in the order of its columns, each value one of ``str``, ``int``,
``bool``, ``Decimal``, ``date``, ``datetime`` or ``None``; ``writers.py`` turns them into CSV
and JSON. Rows are produced lazily (a generator), so a large table is never held whole.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise

from uppsikt.organisations.models import Organisation

Value = str | int | bool | Decimal | datetime.date | datetime.datetime | None
Row = tuple[Value, ...]


@dataclass(frozen=True)
class Column:
    name: str  # the CSV header and JSON key: Swedish, lower case, ASCII, never changed
    description: Promise | str


@dataclass(frozen=True)
class Dataset:
    slug: str  # in the URL: /oppna-data/<slug>.csv
    title: Promise | str
    title_en: str  # the catalogue's English title (DCAT-AP-SE asks for both languages)
    description: Promise | str
    description_en: str
    columns: tuple[Column, ...]
    rows: Callable[[Organisation | None], Iterator[Row]]
    # The audited models whose last change is the dataset's (``changes.py``).
    audited: tuple[str, ...]
    keywords: tuple[str, ...] = ()
    themes: tuple[str, ...] = ("GOVE",)  # EU data themes
    # Streamed (never held whole, never kept in the pages cache): for tables of national size.
    streamed: bool = False

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]
