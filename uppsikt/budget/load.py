"""Load a budget file (format ``uppsikt-budget/1``): validate all of it, then write it at once.

The file holds only the rows' own figures, written as in the source (``"-2 061"``, ``"14,4"``)
in the table's display unit; sums are computed. A computed row may carry ``expected_total``,
the figures the source prints, which must equal the computed sums. See docs/budget.md.
"""

from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils.translation import gettext as _

from uppsikt.accounts.commandline import command_line_user
from uppsikt.audit.trail import record
from uppsikt.lib.problems import Problem
from uppsikt.lib.yamlfile import load_yaml
from uppsikt.organisations.models import Unit
from uppsikt.plans.models import Plan

from . import tree
from .mapping import parse_account_range
from .models import BudgetRow, BudgetTable, Figure, MappingRule, Series
from .money import UNITS, MoneyError, format_money, parse_money, round_half_up, to_unit
from .rowpaths import Entry, RowIndex, RowRefError

FORMAT = "uppsikt-budget/1"
TABLE_KEYS = {"unit", "year", "kind", "number", "title", "display_unit", "decimals"}
TABLE_KEYS |= {"series", "rows", "note", "source", "is_example", "mapping"}
ROW_KEYS = {"label", "code", "kind", "figures", "expected_total", "note", "rows"}
SERIES_KEYS = {"kind", "year", "period"}
MAPPING_KEYS = {"accounts", "dimension", "objects", "row", "flip_sign", "note"}


class BudgetLoadError(Exception):
    """The file was rejected; ``problems`` names every path and reason. Nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


def load_budget_file(path: str | Path) -> dict[str, int]:
    try:
        data = load_yaml(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise BudgetLoadError([Problem(str(path), _("filen kan inte läsas"))]) from exc
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        problem = Problem(str(path), _("ogiltig YAML eller inte UTF-8: %(e)s") % {"e": exc})
        raise BudgetLoadError([problem]) from exc
    return load_budget_data(data, source=str(path))


def table_counts(table: BudgetTable) -> dict[str, Any]:
    return {
        "tabell": f"{table.number} {table.title}".strip(),
        "rader": table.rows.count(),
        "belopp": Figure.objects.filter(row__table=table).count(),
    }


def read_budget_data(data: Any) -> list[tuple[dict, list[tree.Node], list[dict]]]:
    """Validate a whole file; each table as (its fields, its rows' tree with sums computed,
    its mapping rules). Raises ``BudgetLoadError`` naming every problem."""
    reader = _Reader()
    tables = reader.read(data)
    if reader.problems:
        raise BudgetLoadError(reader.problems)
    return tables


def load_budget_data(data: Any, *, source: str = "(data)", audit: bool = True) -> dict[str, int]:
    """Validate, then replace the tables with the same unit, year, number and title.

    Each table made is an audit event naming the file and its counts, with the counts of the
    table it replaced as before (``audit=False`` only for test fixtures)."""
    tables = read_budget_data(data)
    counts = {"tabeller": 0, "rader": 0, "belopp": 0}
    made: list[tuple[BudgetTable, list[dict]]] = []
    with transaction.atomic():
        for spec, roots, rules in tables:
            old = BudgetTable.objects.filter(
                unit=spec["unit"], year=spec["year"], number=spec["number"], title=spec["title"]
            )
            before = [{"id": table.pk, **table_counts(table)} for table in old]
            old.delete()
            made.append((write_table(spec, roots, rules, counts), before))
        for table, before in made if audit else []:
            record(
                actor=command_line_user(),
                action="budget.load",
                obj=table,
                before={"ersatta tabeller": before} if before else None,
                after={"fil": source, **table_counts(table)},
                reason=f"uppsikt load_budget {source}",
            )
    return counts


def write_table(
    spec: dict, roots: list[tree.Node], rules: list[dict], counts: dict[str, int]
) -> BudgetTable:
    """Create one validated table (``read_budget_data``) with its rows, their own figures
    and its mapping rules, adding to ``counts``. Computed rows get no figures."""
    table = BudgetTable.objects.create(**spec)
    counts["tabeller"] = counts.get("tabeller", 0) + 1
    for position, (node, _depth) in enumerate(tree.walk(roots)):
        parent = node.key["parent"]
        row = BudgetRow.objects.create(
            table=table,
            parent=parent.key["row"] if parent else None,
            label=node.label,
            code=node.key["code"],
            kind=node.kind,
            note=node.key["note"],
            position=position,
        )
        node.key["row"] = row
        counts["rader"] = counts.get("rader", 0) + 1
        for series, amount in node.figures.items():
            Figure.objects.create(
                row=row, kind=series.kind, year=series.year, period=series.period, amount=amount
            )
            counts["belopp"] = counts.get("belopp", 0) + 1
    for position, rule in enumerate(rules):
        MappingRule.objects.create(
            table=table, row=rule.pop("node").key["row"], position=position, **rule
        )
        counts["mappningsregler"] = counts.get("mappningsregler", 0) + 1
    return table


class _Reader:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def mapping(self, value: Any, path: str, allowed: set[str], required: set[str]) -> bool:
        if not isinstance(value, dict):
            self.fail(path, _("ska vara en mappning (nyckel: värde)"))
            return False
        for key in sorted(set(value) - allowed, key=str):
            self.fail(f"{path}.{key}", _("okänd nyckel"))
        for key in sorted(required - set(value)):
            self.fail(f"{path}.{key}", _("saknas"))
        return True

    def read(self, data: Any) -> list[tuple[dict, list[tree.Node], list[dict]]]:
        if not self.mapping(data, "(filen)", {"format", "organisation", "tables"}, {"format"}):
            return []
        if data.get("format") != FORMAT:
            self.fail("format", _("ska vara %(format)s") % {"format": FORMAT})
        code = str(data.get("organisation", ""))
        units = {u.slug: u for u in Unit.objects.filter(organisation__code=code)}
        if not units:
            self.fail("organisation", _("ingen organisation med koden ”%(c)s”") % {"c": code})
        tables = data.get("tables")
        if not isinstance(tables, list) or not tables:
            self.fail("tables", _("ska vara en lista med minst en tabell"))
            return []
        out = []
        for index, table in enumerate(tables):
            result = self.table(table, f"tables[{index}]", units)
            if result:
                out.append(result)
        return out

    def table(self, data: Any, path: str, units: dict[str, Unit]):
        required = {"unit", "year", "kind", "title", "series", "rows"}
        if not self.mapping(data, path, TABLE_KEYS, required):
            return None
        unit = units.get(data.get("unit"))
        if unit is None and units and "unit" in data:
            self.fail(f"{path}.unit", _("ingen enhet ”%(u)s”") % {"u": data["unit"]})
        year = data.get("year")
        if not isinstance(year, int) or not 1900 <= year <= 2200:
            self.fail(f"{path}.year", _("ska vara ett årtal, t.ex. 2023"))
        if data.get("kind") not in BudgetTable.Kind.values:
            self.fail(f"{path}.kind", _("ska vara drift eller investering"))
        display_unit = data.get("display_unit", "mnkr")
        if display_unit not in UNITS:
            self.fail(f"{path}.display_unit", _("ska vara kr, tkr eller mnkr"))
            display_unit = "kr"
        decimals = data.get("decimals", 0)
        if not isinstance(decimals, int) or not 0 <= decimals <= 2:
            self.fail(f"{path}.decimals", _("ska vara 0, 1 eller 2"))
        if not isinstance(data.get("title"), str) or not data.get("title"):
            self.fail(f"{path}.title", _("ska vara en text"))
        series = self.series(data.get("series"), f"{path}.series")
        rows = data.get("rows")
        if not isinstance(rows, list) or not rows:
            self.fail(f"{path}.rows", _("ska vara en lista med minst en rad"))
            return None
        start = len(self.problems)
        ctx = (series, display_unit, decimals)
        roots = [self.row(r, f"{path}.rows[{i}]", None, ctx) for i, r in enumerate(rows)]
        if len(self.problems) > start or series is None:
            return None
        for where, message in tree.check(roots, f"{path}.rows"):
            self.fail(where, message)
        tree.evaluate(roots)
        for node, _depth in tree.walk(roots):
            self.expected(node, series, display_unit, decimals)
        self.codes(roots, f"{path}.rows")
        rules = self.mapping_rules(
            data.get("mapping", []), f"{path}.mapping", roots, data.get("kind") == "drift"
        )
        spec = {
            "unit": unit,
            "year": year,
            "kind": data.get("kind"),
            "number": str(data.get("number", "")),
            "title": data.get("title"),
            "display_unit": display_unit,
            "decimals": decimals,
            "note": data.get("note", ""),
            "source": data.get("source", ""),
            "is_example": bool(data.get("is_example", False)),
            "plan": Plan.objects.filter(unit=unit, year=year).order_by("-version").first(),
            "columns": [column.key for column in series],
        }
        return spec, roots, rules

    def codes(self, roots: list[tree.Node], path: str) -> None:
        seen: dict[str, str] = {}
        for node, _depth in tree.walk(roots):
            code = node.key["code"]
            if code and code in seen:
                self.fail(
                    f"{node.key['path']}.code",
                    _("koden ”%(code)s” används redan av %(other)s")
                    % {"code": code, "other": seen[code]},
                )
            elif code:
                seen[code] = node.key["path"]

    def mapping_rules(
        self, data: Any, path: str, roots: list[tree.Node], drift: bool
    ) -> list[dict]:
        """Mapping rules (see docs/budget.md); one rule per object listed."""
        if not isinstance(data, list):
            self.fail(path, _("ska vara en lista med regler"))
            return []
        index = RowIndex(
            Entry(node, node.label, node.key["code"], node.key["parent"])
            for node, _depth in tree.walk(roots)
        )
        rules = []
        for i, item in enumerate(data):
            where = f"{path}[{i}]"
            if not self.mapping(item, where, MAPPING_KEYS, {"accounts", "row"}):
                continue
            accounts = self.account_range(item["accounts"], f"{where}.accounts")
            try:
                node = index.find(str(item["row"]))
            except RowRefError as exc:
                self.fail(f"{where}.row", str(exc))
                continue
            if node.kind not in tree.OWN_FIGURES:
                self.fail(f"{where}.row", _("raden räknas fram och kan inte mappas"))
                continue
            dimension = item.get("dimension")
            objects = item.get("objects", [])
            if isinstance(objects, str | int):
                objects = [objects]
            if dimension is not None and (not isinstance(dimension, int) or dimension < 1):
                self.fail(f"{where}.dimension", _("ska vara ett dimensionsnummer, t.ex. 1"))
                continue
            if (dimension is None) != (not objects) or not isinstance(objects, list):
                self.fail(where, _("ange både dimension och objekt, eller ingetdera"))
                continue
            flip = item.get("flip_sign", drift)
            if not isinstance(flip, bool):
                self.fail(f"{where}.flip_sign", _("ska vara true eller false"))
                continue
            if accounts is None:
                continue
            base = {
                "node": node,
                "account_from": accounts[0],
                "account_to": accounts[1],
                "flip_sign": flip,
                "note": str(item.get("note", "")),
            }
            for code in objects or [None]:
                rule = dict(base)
                if code is not None:
                    rule.update(dimension=dimension, object_code=str(code))
                rules.append(rule)
        return rules

    def account_range(self, text: Any, where: str) -> tuple[int, int] | None:
        try:
            return parse_account_range(text)
        except ValueError as exc:
            self.fail(where, str(exc))
            return None

    def series(self, data: Any, path: str) -> list[Series] | None:
        if not isinstance(data, list) or not data:
            self.fail(path, _("ska vara en lista med minst en kolumn"))
            return None
        out: list[Series] = []
        for index, item in enumerate(data):
            where = f"{path}[{index}]"
            if not self.mapping(item, where, SERIES_KEYS, {"kind", "year"}):
                continue
            if item.get("kind") not in Figure.Kind.values:
                self.fail(f"{where}.kind", _("ska vara budget, reviderad, prognos eller utfall"))
                continue
            if not isinstance(item.get("year"), int):
                self.fail(f"{where}.year", _("ska vara ett årtal"))
                continue
            period = str(item.get("period", ""))
            if period and not (len(period) == 7 and period[4] == "-"):
                self.fail(f"{where}.period", _("ska skrivas som år-månad, t.ex. 2022-07"))
            column = Series(item["year"], item["kind"], period)
            if column in out:
                self.fail(where, _("kolumnen finns redan"))
            out.append(column)
        return out if len(out) == len(data) else None

    def amounts(self, data: Any, path: str, series, unit: str) -> dict:
        if not isinstance(data, list) or len(data) != len(series or []):
            self.fail(
                path,
                _("ska vara en lista med ett belopp per kolumn (%(n)s)") % {"n": len(series or [])},
            )
            return {}
        out = {}
        for index, (column, text) in enumerate(zip(series, data, strict=True)):
            if text is None:
                continue
            try:
                out[column] = parse_money(text, unit)
            except MoneyError as exc:
                self.fail(f"{path}[{index}]", str(exc))
        return out

    def row(self, data: Any, path: str, parent: tree.Node | None, ctx) -> tree.Node:
        series, unit, _decimals = ctx
        node = tree.Node(kind=tree.LINE, key={"parent": parent, "note": "", "code": ""})
        if not self.mapping(data, path, ROW_KEYS, {"label"}):
            return node
        default = tree.VARAV if parent and parent.kind in tree.OWN_FIGURES else tree.LINE
        node.kind = data.get("kind", default)
        node.label = data.get("label")
        if not isinstance(node.label, str) or not node.label.strip():
            self.fail(f"{path}.label", _("ska vara en text"))
        node.key["note"] = str(data.get("note", ""))
        node.key["code"] = str(data.get("code", "") or "").strip()
        if "figures" in data:
            node.figures = self.amounts(data["figures"], f"{path}.figures", series, unit)
        if "expected_total" in data:
            if node.kind not in tree.COMPUTED:
                self.fail(f"{path}.expected_total", _("bara summarader har en angiven summa"))
            node.key["expected"] = self.amounts(
                data["expected_total"], f"{path}.expected_total", series, unit
            )
        children = data.get("rows", [])
        if not isinstance(children, list):
            self.fail(f"{path}.rows", _("ska vara en lista"))
            children = []
        node.children = [
            self.row(child, f"{path}.rows[{i}]", node, ctx) for i, child in enumerate(children)
        ]
        node.key["path"] = path
        return node

    def expected(self, node: tree.Node, series, unit: str, decimals: int) -> None:
        for index, column in enumerate(series):
            expected = node.key.get("expected", {}).get(column)
            computed = node.values.get(column)
            shown_computed = (
                None if computed is None else round_half_up(to_unit(computed, unit), decimals)
            )
            if expected is not None and to_unit(expected, unit) != shown_computed:
                shown = "–" if computed is None else format_money(computed, unit, decimals)
                self.fail(
                    f"{node.key['path']}.expected_total[{index}]",
                    _(
                        "den angivna summan %(expected)s %(unit)s för %(series)s stämmer inte "
                        "med raderna, som ger %(computed)s %(unit)s"
                    )
                    % {
                        "expected": format_money(expected, unit, decimals),
                        "computed": shown,
                        "unit": unit,
                        "series": column,
                    },
                )
