"""A unit tree as a file: one line per unit, read from CSV or XLSX and written as CSV.

Columns (the header row names them, in any order, case does not matter):

    slug | namn | typ | överordnad | ansvar

- ``slug``: the unit's short name in addresses (``a–z``, digits, hyphens), unique in the
  organisation;
- ``namn``: its name;
- ``typ``: its kind, as its key (``namnd``) or its name (``Nämnd``);
- ``överordnad``: the slug of the unit above it, in the file or already in the organisation;
  empty for a root unit;
- ``ansvar``: optional, its responsibility (ansvar och sakområden).

Nothing here writes. ``read`` turns a file into ``UnitRow``s, naming every problem of a
line (``TreeRefused``); ``check`` judges the rows as a tree against the slugs the
organisation already has: a slug twice in the file or already taken, an unknown parent, a
loop of parents. ``actions.import_units`` creates the units, and ``export_csv`` writes an
organisation's tree in the same format, so an export imports again unchanged.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from uppsikt.lib.celltext import csv_text
from uppsikt.lib.limits import listed, more_problems
from uppsikt.lib.problems import Problem
from uppsikt.lib.tables import FileError, Line, is_blank, read_table
from uppsikt.organisations.models import Unit, slug_validator

# (field, header) in the order the export writes them.
COLUMNS = (
    ("slug", "slug"),
    ("name", "namn"),
    ("kind", "typ"),
    ("parent", "överordnad"),
    ("responsibility", "ansvar"),
)
REQUIRED = ("slug", "name", "kind", "parent")
HEADERS = {header: name for name, header in COLUMNS} | {"overordnad": "parent"}
MAX_SLUG = Unit._meta.get_field("slug").max_length or 80
MAX_NAME = Unit._meta.get_field("name").max_length or 200


@dataclass(frozen=True)
class UnitRow:
    """One line of the file, its cells as text (``kind`` as the key when it is known)."""

    line: int
    slug: str
    name: str
    kind: str
    parent: str = ""  # "" for a root unit
    responsibility: str = ""


class TreeRefused(Exception):
    """The file or the tree was refused; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))

    @property
    def listed(self) -> list[Problem]:
        """The problems to show: the first ones (``lib.limits``), then how many more."""
        shown, more = listed(self.problems)
        return [*shown, Problem("", more_problems(more))] if more else shown


def _at(line: int) -> str:
    return _("rad %(n)s") % {"n": line}


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number typed in Excel, e.g. a slug "2023"
    return "" if is_blank(value) else str(value).strip()


def kind_key(value: str) -> str | None:
    """The unit kind's key for ``value``: a key (``namnd``) or a name (``Nämnd``)."""
    wanted = value.strip().casefold()
    for key, label in Unit.Kind.choices:
        with translation.override("sv"):
            swedish = str(label).casefold()
        if wanted in (key, swedish, str(label).casefold()):
            return key
    return None


def read(content: bytes) -> list[UnitRow]:
    """The rows of a CSV or XLSX file; ``TreeRefused`` names every problem of its lines."""
    try:
        lines = read_table(content)
    except FileError as error:
        raise TreeRefused([Problem(_("filen"), str(error), "unreadable")]) from error
    rows, problems = rows_of(lines)
    if problems:
        raise TreeRefused(problems)
    return rows


def _columns(header: Line, problems: list[Problem]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, value in enumerate(header.cells):
        name = _text(value).casefold()
        if not name:
            continue
        field = HEADERS.get(name)
        if field is None:
            problems.append(
                Problem(
                    _at(header.number),
                    _(
                        "okänd kolumn ”%(name)s”; kolumnerna är slug, namn, typ, överordnad och ansvar"
                    )
                    % {"name": _text(value)},
                    "unknown_column",
                    header.number,
                )
            )
        elif field in columns:
            problems.append(
                Problem(
                    _at(header.number),
                    _("kolumnen ”%(name)s” finns två gånger") % {"name": name},
                    "duplicate_column",
                    header.number,
                )
            )
        else:
            columns[field] = index
    missing = [header for name, header in COLUMNS if name in REQUIRED and name not in columns]
    if missing:
        problems.append(
            Problem(
                _at(header.number),
                _("rubrikraden saknar kolumnen %(names)s")
                % {"names": ", ".join(f"”{name}”" for name in missing)},
                "missing_column",
                header.number,
            )
        )
    return columns


def rows_of(lines: list[Line]) -> tuple[list[UnitRow], list[Problem]]:
    """The header and the lines below it as rows, with every problem of a single line."""
    if not lines:
        return [], [Problem(_("filen"), _("filen är tom"), "empty")]
    problems: list[Problem] = []
    columns = _columns(lines[0], problems)
    if problems:
        return [], problems
    rows = []
    for line in lines[1:]:
        cells = {
            name: _text(line.cells[index]) if index < len(line.cells) else ""
            for name, index in columns.items()
        }
        row = UnitRow(
            line=line.number,
            slug=cells["slug"],
            name=cells["name"],
            kind=kind_key(cells["kind"]) or cells["kind"],
            parent=cells["parent"],
            responsibility=cells.get("responsibility", ""),
        )
        problems.extend(_line_problems(row))
        rows.append(row)
    if not rows and not problems:
        problems.append(Problem(_("filen"), _("filen har inga enheter under rubrikraden"), "empty"))
    return rows, problems


def _line_problems(row: UnitRow) -> list[Problem]:
    found: list[tuple[str, str]] = []
    if not row.slug:
        found.append((_("slug saknas"), "required"))
    elif len(row.slug) > MAX_SLUG:
        found.append((_("slug får vara högst %(n)s tecken") % {"n": MAX_SLUG}, "slug"))
    else:
        try:
            slug_validator(row.slug)
        except ValidationError:
            found.append(
                (
                    _("slug ”%(slug)s”: använd gemena bokstäver a–z, siffror och bindestreck")
                    % {"slug": row.slug},
                    "slug",
                )
            )
    if not row.name:
        found.append((_("namn saknas"), "required"))
    elif len(row.name) > MAX_NAME:
        found.append((_("namnet får vara högst %(n)s tecken") % {"n": MAX_NAME}, "name"))
    if row.kind not in Unit.Kind.values:
        found.append(
            (
                _("okänd typ ”%(kind)s”; typerna är %(kinds)s")
                % {"kind": row.kind, "kinds": ", ".join(str(k.label) for k in Unit.Kind)},
                "unknown_kind",
            )
        )
    return [Problem(_at(row.line), message, code, row.line) for message, code in found]


def check(rows: list[UnitRow], existing: set[str]) -> list[Problem]:
    """Problems of ``rows`` as a tree added to an organisation whose units have the slugs
    ``existing``: duplicates, taken slugs, unknown parents and loops, each at its line."""
    problems: list[Problem] = []
    first: dict[str, UnitRow] = {}
    in_file = {row.slug for row in rows}
    for row in rows:
        if row.slug in first:
            problems.append(
                Problem(
                    _at(row.line),
                    _("slug ”%(slug)s” finns redan på rad %(other)s")
                    % {"slug": row.slug, "other": first[row.slug].line},
                    "duplicate_slug",
                    row.line,
                )
            )
            continue
        first[row.slug] = row
        if row.slug in existing:
            problems.append(
                Problem(
                    _at(row.line),
                    _(
                        "det finns redan en enhet med slug ”%(slug)s” i organisationen; "
                        "befintliga enheter ändras på sidan, inte genom en inläsning"
                    )
                    % {"slug": row.slug},
                    "slug_taken",
                    row.line,
                )
            )
        if row.parent and row.parent not in existing and row.parent not in in_file:
            problems.append(
                Problem(
                    _at(row.line),
                    _(
                        "den överordnade enheten ”%(parent)s” finns varken i filen eller i organisationen"
                    )
                    % {"parent": row.parent},
                    "unknown_parent",
                    row.line,
                )
            )
    problems.extend(_loops(first))
    return sorted(problems, key=lambda problem: problem.line or 0)


def _loops(rows: dict[str, UnitRow]) -> list[Problem]:
    """One problem per loop of parents within the file, at the loop's first line."""
    problems = []
    done: set[str] = set()
    for start in rows:
        path: list[str] = []
        on_path: set[str] = set()
        slug: str | None = start
        while slug is not None and slug in rows and slug not in done:
            if slug in on_path:
                cycle = [rows[s] for s in path[path.index(slug) :]]
                problems.append(_loop_problem(cycle))
                break
            path.append(slug)
            on_path.add(slug)
            slug = rows[slug].parent or None
        done.update(path)
    return problems


def _loop_problem(cycle: list[UnitRow]) -> Problem:
    cycle = sorted(cycle, key=lambda row: row.line)
    first = cycle[0]
    if len(cycle) == 1:
        message = _("enheten ”%(slug)s” är sin egen överordnade") % {"slug": first.slug}
    else:
        message = _(
            "de överordnade enheterna bildar en slinga: %(chain)s; en enhet kan inte ligga "
            "under sig själv"
        ) % {"chain": ", ".join(f"{row.slug} ({_at(row.line)})" for row in cycle)}
    return Problem(_at(first.line), message, "loop", first.line)


def creation_order(rows: list[UnitRow]) -> list[UnitRow]:
    """``rows`` (a checked tree) with every parent before its children, in file order
    otherwise."""
    in_file = {row.slug for row in rows}
    placed: set[str] = set()
    ordered: list[UnitRow] = []
    waiting = list(rows)
    while waiting:
        ready = [r for r in waiting if r.parent not in in_file or r.parent in placed]
        if not ready:
            raise ValueError("creation_order needs a checked tree (no loops)")
        ordered.extend(ready)
        placed.update(row.slug for row in ready)
        waiting = [r for r in waiting if r.slug not in placed]
    return ordered


def export_rows(tree: Iterable[tuple[Unit, int]]) -> list[list[str]]:
    """The header and one row per unit of ``tree`` (``(unit, depth)`` in tree order)."""
    units = [unit for unit, _depth in tree]
    slugs = {unit.pk: unit.slug for unit in units}
    rows = [[header for _name, header in COLUMNS]]
    for unit in units:
        parent = slugs.get(unit.parent_id, "") if unit.parent_id else ""
        rows.append([unit.slug, unit.name, unit.kind, parent, unit.responsibility])
    return rows


def export_csv(tree: Iterable[tuple[Unit, int]]) -> bytes:
    """The tree as CSV: semicolons, UTF-8 with a BOM (Excel opens it right), text that a
    spreadsheet would take for a formula protected (``lib.celltext``)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in export_rows(tree):
        writer.writerow([csv_text(cell) for cell in row])
    return out.getvalue().encode("utf-8-sig")
