"""Sweden's official organisation codes: Riket, the 21 regions and the 290 municipalities.

The facts are kept in ``reference/`` (copied from the project's shared reference data):
``regioner.csv`` (kod, namn, länskod; Riket is 0000, a region is 00 + länskod as in Kolada)
and ``kommuner.csv`` (kommunkod, namn, länskod, region).
"""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from .models import Organisation

REFERENCE = Path(__file__).resolve().parent / "reference"


@dataclass(frozen=True)
class Official:
    code: str
    name: str
    kind: str
    county_code: str


def official_organisations() -> list[Official]:
    """Riket, the regions and the municipalities, in code order."""
    result = []
    with (REFERENCE / "regioner.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            kind = Organisation.Kind.RIKET if row["kod"] == "0000" else Organisation.Kind.REGION
            result.append(Official(row["kod"], row["namn"], kind, row["lanskod"]))
    with (REFERENCE / "kommuner.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            result.append(
                Official(row["kommunkod"], row["namn"], Organisation.Kind.KOMMUN, row["lanskod"])
            )
    return sorted(result, key=lambda official: official.code)


@transaction.atomic
def load_official_organisations(kinds=None) -> int:
    """Create every official organisation not yet in the database; returns how many.

    ``kinds`` (e.g. ``{"riket", "region"}``) limits which are created; None creates all.
    Organisations already there (by code) are left as they are: their names may have been
    set deliberately, and plans hang on them.
    """
    existing = set(Organisation.objects.values_list("code", flat=True))
    new = [
        Organisation(code=o.code, name=o.name, kind=o.kind, county_code=o.county_code)
        for o in official_organisations()
        if o.code not in existing and (kinds is None or o.kind in kinds)
    ]
    Organisation.objects.bulk_create(new)
    return len(new)
