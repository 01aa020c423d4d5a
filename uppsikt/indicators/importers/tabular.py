"""What CSV and XLSX share: finding the fields among a header row's column names."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from django.utils.translation import gettext as _

from .rows import COLUMN_NAMES, REQUIRED, FileRejected, RowError

# Names people use for each field (compared lower case, accents kept, then without accents).
ALIASES = {
    "indicator": ("indikator", "kpi", "nyckeltal", "indikator-id", "indikatorid", "id"),
    "organisation": (
        "organisation",
        "organisationskod",
        "kod",
        "kommun",
        "kommunkod",
        "region",
        "municipality",
    ),
    "period": ("period", "år", "year"),
    "gender": ("kön", "gender"),
    "value": ("värde", "value", "utfall"),
    "status": ("status",),
    "source": ("källa", "source"),
}


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_LOOKUP = {_plain(alias): name for name, aliases in ALIASES.items() for alias in aliases}


def map_header(header: Sequence[object]) -> dict[str, tuple[int, str]]:
    """field → (column index, column name as written). Raises ``FileRejected``."""
    found: dict[str, tuple[int, str]] = {}
    errors = []
    for index, cell in enumerate(header):
        label = "" if cell is None else str(cell).strip().lstrip("\ufeff")
        name = _LOOKUP.get(_plain(label))
        if name is None:
            continue
        if name in found:
            errors.append(
                RowError(
                    1,
                    label,
                    "duplicate_column",
                    _("Kolumnen för %(field)s finns två gånger.") % {"field": COLUMN_NAMES[name]},
                )
            )
        found[name] = (index, label)
    for name in REQUIRED:
        if name not in found:
            errors.append(
                RowError(
                    1,
                    COLUMN_NAMES[name],
                    "missing_column",
                    _("Rubrikraden saknar kolumnen ”%(column)s”.") % {"column": COLUMN_NAMES[name]},
                )
            )
    if errors:
        raise FileRejected(errors)
    return found
