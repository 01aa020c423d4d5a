"""The budget page's sums are the budget app's: for any table of lines (some itemised by
varav rows) and a Summa, the page shows each line's figure and the Summa as the exact sum of
the lines, rounded once, in the table's unit, and never counts a varav row. (The file's
figures are written in the table's unit, as the budget files are.)"""

from __future__ import annotations

from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.core.cache import caches
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uppsikt.budget.load import load_budget_data
from uppsikt.budget.money import format_for_file, format_money, from_unit

from .builders import load_minimal

pytestmark = pytest.mark.django_db


class Tables(HTMLParser):
    """Each ``r-table``'s caption and rows: (header cell class, header text, cell texts),
    without the references to rounding notes (``<sup>``)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self._in: str | None = None
        self._text: list[str] = []
        self._class = ""
        self._sup = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "sup":
            self._sup = True
        if tag == "table" and "r-table" in (attributes.get("class") or ""):
            self.tables.append({"caption": "", "rows": []})
        elif self.tables and tag in ("caption", "th", "td"):
            self._in, self._text, self._class = tag, [], attributes.get("class") or ""
        elif self.tables and tag == "tr":
            self.tables[-1]["rows"].append(["", "", []])

    def handle_data(self, data):
        if self._in and not self._sup:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "sup":
            self._sup = False
        if tag != self._in:
            return
        text = " ".join("".join(self._text).split())
        table = self.tables[-1]
        if tag == "caption":
            table["caption"] = text
        elif tag == "th" and "r-depth" in self._class:
            table["rows"][-1][0], table["rows"][-1][1] = self._class, text
        elif tag == "td":
            table["rows"][-1][2].append(text)
        self._in = None


def shown(text: str) -> str:
    return " ".join(text.split())


amounts = st.decimals(
    min_value=Decimal("-5000000000"), max_value=Decimal("-1"), places=2, allow_nan=False
)
lines = st.lists(st.tuples(amounts, st.booleans()), min_size=1, max_size=6)


@pytest.fixture
def numbers_minimal_plan():
    load_minimal()


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lines=lines, unit=st.sampled_from(["mnkr", "tkr", "kr"]), decimals=st.integers(0, 1))
def test_every_line_and_the_summa_as_the_budget_app_computes_them(
    client, numbers_minimal_plan, lines, unit, decimals
):
    with transaction.atomic():
        rows = []
        for index, (amount, itemised) in enumerate(lines):
            row = {"label": f"Rad {index}", "figures": [format_for_file(amount)]}
            if itemised:
                part = (amount / 3).quantize(Decimal("0.01"))
                row["rows"] = [
                    {
                        "label": f"Del av rad {index}",
                        "kind": "varav",
                        "figures": [format_for_file(part)],
                    }
                ]
            rows.append(row)
        rows.append({"label": "Summa", "kind": "summa"})
        load_budget_data(
            {
                "format": "uppsikt-budget/1",
                "organisation": "0099",
                "tables": [
                    {
                        "unit": "styrelsen",
                        "year": 2023,
                        "kind": "drift",
                        "number": "P",
                        "title": "Egenskapstabell",
                        "display_unit": unit,
                        "decimals": decimals,
                        "series": [{"kind": "budget", "year": 2023}],
                        "rows": rows,
                    }
                ],
            }
        )
        caches["pages"].clear()
        html = client.get(reverse("public:budget", args=["0099"])).content.decode()
        transaction.set_rollback(True)
    parser = Tables()
    parser.feed(html)
    (table,) = [t for t in parser.tables if not t["caption"].startswith("Diagrammets")]
    body = [row for row in table["rows"] if row[1]]
    expected = []
    for index, (amount, itemised) in enumerate(lines):
        expected.append(("r-depth-0", f"Rad {index}", from_unit(amount, unit)))
        if itemised:
            part = (amount / 3).quantize(Decimal("0.01"))
            expected.append(("r-depth-1", f"varav Del av rad {index}", from_unit(part, unit)))
    total = sum(from_unit(amount, unit) for amount, _itemised in lines)
    expected.append(("r-depth-0", "Summa", total))
    assert [(css, label) for css, label, _cells in body] == [
        (css, label) for css, label, _amount in expected
    ]
    for (_css, label, cells), (_c, _l, amount) in zip(body, expected, strict=True):
        assert cells == [shown(format_money(amount, unit, decimals))], label
