"""A CSV file of new years read by Arrow and copied straight into new partitions (PostgreSQL).

When every year of a file is new (no partition of its own yet, no row in the default
partition), none of its rows can match a stored one, so they need no comparison: they only
need to be valid, to have distinct keys and to land in ``Measurement``. This path does that
with the file's text passing through the database once:

1. Arrow's CSV reader (columnar, in C++) reads the file; each looked-up column comes back
   dictionary-encoded, so its distinct texts are the dictionary;
2. each distinct text is judged once by the same verdicts as ``pgcsv`` (``verdicts.py``:
   the same rules, Swedish messages and right to each organisation); values that are plain
   numbers (``verdicts.PLAIN_NUMBER``) are read by PostgreSQL's own ``numeric`` input as
   ``pgcsv`` reads them, any other distinct value by ``rows.read_value``;
3. the typed columns (definition and organisation ids, canonical period, kön, status,
   source) are taken from the judged dictionaries by their indices, with no text per row;
4. in the merge's transaction (``core.merge_staged``), each year's rows are written as CSV
   in ``Measurement``'s own columns and ``COPY``'d into a fresh table, whose key is built
   after loading and which is then attached as the year's partition (``partitions``). A
   repeated key fails the key's build.

Whatever this path does not take — a text judged a problem, a kön an indicator is not
divided by, a year with stored values, a repeated key, lines Arrow does not read as one row
each — it leaves to ``pgcsv``'s raw-row path, which names every problem or merges with the
stored values; nothing of this attempt remains (its transaction is rolled back).
"""

from __future__ import annotations

from datetime import datetime

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.csv as pa_csv  # type: ignore[import-untyped]
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.utils.translation import gettext as _

from uppsikt.lib.progress import Progress
from uppsikt.lib.typing import Actor

from . import fingerprints, partitions, sideload
from .core import ImportReport, merge_staged
from .csvfile import Opened
from .staging import Merged, NotSimple, hold_keys
from .validation import _Validator
from .verdicts import LOOKED_UP, PLAIN_NUMBER, for_fingerprint, number, verdict

# From this many rows on, a second connection loads part of the years (``sideload``).
BESIDE_FROM = 200_000
_BLOCK = 1 << 22  # bytes of the file Arrow reads as one block (blocks are read in parallel)
_COLUMNS = ("definition_id", "organisation_id", "period", "gender", "value", "status", "source")


def import_new_years(
    body: bytes,
    opened: Opened,
    validator: _Validator,
    digest: str,
    report: ImportReport,
    actor: Actor,
    progress: Progress,
) -> bool:
    """Import the file's rows (``body``, after the header) if every one is valid and every
    year new; returns whether it did (``report`` then has the counts and the batch)."""
    table = _read(body, opened)
    if table is None:
        return False
    rows = _typed(table, opened, validator)
    if rows is None:
        return False
    with connection.cursor() as cursor:
        if partitions.new_years(cursor, rows.years) != rows.years:
            return False
    report.rows = rows.count
    progress(rows.count, rows.count, _("Sparar mätvärdena"))
    fingerprint = fingerprints.Fingerprint(
        digest, rows.verdicts, rows.count, rows.definitions, rows.years
    )
    try:
        batch = merge_staged(rows, report, actor, report.filename, report.format, fingerprint)
    except (NotSimple, IntegrityError, ValidationError):
        report.created = report.changed = report.unchanged = report.withdrawn = 0
        return False
    finally:
        if rows.side is not None:
            rows.side.close(attached=report.created > 0)
    report.imported = True
    report.batch_id = batch.pk
    return True


def _read(body: bytes, opened: Opened) -> pa.Table | None:
    """The file's used columns (``c<index>``), looked-up ones dictionary-encoded; ``None``
    when Arrow does not read every line as one row of the header's width."""
    indexes = {
        name: opened.fields[name][0] for name in (*LOOKED_UP, "value") if name in opened.fields
    }
    types = {
        f"c{index}": pa.string() if name == "value" else pa.dictionary(pa.int32(), pa.string())
        for name, index in indexes.items()
    }
    try:
        table = pa_csv.read_csv(
            pa.py_buffer(body),
            read_options=pa_csv.ReadOptions(
                column_names=[f"c{index}" for index in range(opened.width)], block_size=_BLOCK
            ),
            parse_options=pa_csv.ParseOptions(
                delimiter=opened.delimiter,
                quote_char=False,
                double_quote=False,
                escape_char=False,
                newlines_in_values=False,
                ignore_empty_lines=False,
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=types,
                include_columns=list(types),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                null_values=[],
            ),
        )
    except pa.ArrowInvalid:
        return None
    if table.num_rows == 0 or any(column.null_count for column in table.columns):
        return None
    return table.unify_dictionaries()


class _Rows:
    """The file's rows in ``Measurement``'s typed columns, sorted by year and key, and what
    the merge needs to know of them; ``merge`` and ``definition_ids`` are what
    ``core.merge_staged`` calls."""

    def __init__(self, table: pa.Table, years: dict[int, int]) -> None:
        self.table = table
        self.count = table.num_rows
        self.by_year = years  # year → its number of rows (they follow each other)
        self.years = sorted(years)
        self.verdicts: dict[str, list] = {}
        self.definitions: list[int] = []
        self.organisations: list[int] = []
        # A second connection loads part of the years of a large file (``sideload``).
        self.side = sideload.Side() if self.count >= BESIDE_FROM and len(years) > 1 else None

    def definition_ids(self) -> list[int]:
        return self.definitions

    def merge(self, now: datetime) -> Merged:
        """Load every year as a new partition; call in the merge's transaction."""
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL maintenance_work_mem = '{sideload.MAINTENANCE_WORK_MEM}'")
            hold_keys(cursor, self.definitions, self.organisations)
            if partitions.new_years(cursor, self.years) != self.years:
                raise NotSimple  # a year got values since the check
            if self.side is None:
                loaded = sum(self._load(cursor, year, self.table, now) for year in self.years)
            else:
                loaded = self._load_beside(cursor, self.side, now)
        if loaded != self.count:
            raise NotSimple
        return Merged(created=loaded)

    def _slice(self, table: pa.Table, year: int) -> pa.Table:
        start = sum(self.by_year[earlier] for earlier in self.years if earlier < year)
        return table.slice(start, self.by_year[year])

    def _load(self, cursor, year: int, table: pa.Table, now: datetime) -> int:
        partitions.create_table(cursor, year)
        loaded = sideload.copy_year(
            cursor.cursor, partitions.name(year), self._slice(table, year), now
        )
        # In key order, the key's build reads its rows already sorted.
        partitions.attach(cursor, year)
        return loaded

    def _load_beside(self, cursor, side: sideload.Side, now: datetime) -> int:
        """The years shared between this connection and the second one, which also
        reserves every row's id."""
        side.open()
        sideload.sweep()
        table = self.table
        first = side.reserve_ids(self.count)
        if first is not None:
            ones = pa.repeat(pa.scalar(1, pa.int64()), self.count)
            table = table.append_column("id", pc.add(pc.cumulative_sum(ones), first - 1))
        shares: tuple[list[int], list[int]] = ([], [])  # this connection's, the second's
        for year in sorted(self.years, key=lambda y: -self.by_year[y]):
            min(shares, key=lambda share: sum(self.by_year[y] for y in share)).append(year)
        mine, theirs = shares
        side.start({year: self._slice(table, year) for year in theirs}, now)
        try:
            loaded = sum(self._load(cursor, year, table, now) for year in sorted(mine))
        finally:
            loaded_beside = side.join()
        side.attach(cursor)
        return loaded + loaded_beside


def _typed(table: pa.Table, opened: Opened, validator: _Validator) -> _Rows | None:
    """The rows in typed columns, sorted by year and key, if every distinct text is valid
    and every kön allowed; else ``None``."""
    judged: dict[str, list] = {}
    codes: dict[str, pa.Array] = {}
    for name in LOOKED_UP:
        if name in opened.fields:
            column = table.column(f"c{opened.fields[name][0]}").combine_chunks()
            judged[name] = [verdict(validator, name, raw) for raw in column.dictionary.to_pylist()]
            if any(found[3] is not None for found in judged[name]):
                return None
            codes[name] = column.indices
        else:  # one "no value" for every row
            judged[name] = [verdict(validator, name, None)]
            codes[name] = pa.repeat(pa.scalar(0, pa.int32()), table.num_rows)
    results = {name: [found[1] for found in judged[name]] for name in LOOKED_UP}
    by_gender = pa.array([bool(found[2]) for found in judged["indicator"]]).take(codes["indicator"])
    gender = pa.array(results["gender"], pa.string()).take(codes["gender"])
    if pc.any(pc.and_(pc.not_equal(gender, "T"), pc.invert(by_gender))).as_py():
        return None
    value = _values(table.column(f"c{opened.fields['value'][0]}").combine_chunks())
    if value is None:
        return None
    years = [int(period[:4]) for period in results["period"]]
    order = pc.sort_indices(_sort_key(results, codes, years))
    typed = {"value": value.take(order)}
    kinds = {"indicator": pa.int64(), "organisation": pa.int64()}
    for name, column in zip(LOOKED_UP, _COLUMNS[:4] + _COLUMNS[5:], strict=True):
        found = pa.array(results[name], kinds.get(name, pa.string()))
        typed[column] = found.take(codes[name].take(order))
    year = pa.array(years, pa.int16()).take(codes["period"])
    counts = pc.value_counts(year).to_pylist()
    rows = _Rows(
        pa.table([typed[name] for name in _COLUMNS], names=list(_COLUMNS)),
        {item["values"]: item["counts"] for item in counts},
    )
    rows.verdicts = for_fingerprint(validator, {n: judged[n] for n in judged if n in opened.fields})
    rows.definitions = sorted(set(results["indicator"]))
    rows.organisations = sorted(set(results["organisation"]))
    return rows


def _sort_key(results: dict[str, list], codes: dict[str, pa.Array], years: list[int]) -> pa.Array:
    """One unsigned number a row that orders the rows by year, then by the key's columns as
    the key's index orders them; or the year alone if the key's ranks do not fit in it."""
    distinct = sorted(set(years))
    key = pa.array([distinct.index(year) for year in years], pa.uint64()).take(codes["period"])
    size = len(distinct)
    for name in ("indicator", "organisation", "period", "gender"):
        entries = results[name]
        size *= len(entries)
        if size >= 1 << 63:
            return pa.array(years, pa.int16()).take(codes["period"])
        ranks = {entry: rank for rank, entry in enumerate(sorted(set(entries)))}
        rank = pa.array([ranks[entry] for entry in entries], pa.uint64()).take(codes[name])
        key = pc.add(pc.multiply(key, len(entries)), rank)
    return key


def _values(raw: pa.Array) -> pa.Array | None:
    """The value column as PostgreSQL's ``numeric`` reads it; ``None`` if some value is not
    a number within the limits."""
    plain = pc.match_substring_regex(raw, PLAIN_NUMBER)
    values = pc.replace_substring(raw, ",", ".")
    if pc.all(plain).as_py():
        return values
    odd = pc.unique(raw.filter(pc.invert(plain)))
    read = [number(text) for text in odd.to_pylist()]
    if any(found[3] is not None for found in read):
        return None
    texts = pa.array([format(found[1], "f") for found in read], pa.string())
    return pc.if_else(plain, values, texts.take(pc.index_in(raw, value_set=odd)))
