# ruff: noqa: S608 -- every name put into the SQL is a constant of this module or a model's table.
"""A temporary staging table for imports, and the set-based merge into ``Measurement``.

Valid rows are written to a TEMP table (``COPY`` on PostgreSQL, batched inserts on SQLite;
the CSV fast path ``pgcsv`` fills it with one ``INSERT … SELECT``) outside any transaction:
a temporary table belongs to this connection only, so staging changes nothing anyone else
can see, and progress can be committed meanwhile. Repeated keys are found with one hashed
pass over the staged rows. The merge is a handful of statements, run by the caller inside
one transaction, the same on both databases:

1. hold the staged rows' definitions and organisations (``FOR KEY SHARE``) and refuse the
   merge if one of them went away,
2. on PostgreSQL, load the values of years that have no partition yet in bulk
   (``partitions``),
3. for the other years, count in one join what is new, changed, withdrawn or back (a
   re-import of an unchanged file stops here, having written nothing),
4. keep the current value of every changed or withdrawn measurement as a revision,
5. update the changed, withdrawn and returning measurements,
6. insert the new ones,
so a file of millions of rows costs a handful of queries, not one per row. On PostgreSQL
``work_mem`` is raised for these transactions only (``SET LOCAL``), so the hashes of
millions of keys stay in memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from uppsikt.organisations.models import Organisation

from ..models import IndicatorDefinition, Measurement, MeasurementRevision
from . import partitions

TABLE = "indicators_import_staging"
COLUMNS = (
    "seq",
    "line",
    "definition_id",
    "organisation_id",
    "period",
    "gender",
    "value",
    "status",
    "withdrawn",
    "source",
)
# For hashing millions of staged keys in memory rather than in batches on disk.
WORK_MEM = "256MB"
# For keeping the session's TEMP staging tables in memory (see ``_more_temp_buffers``).
TEMP_BUFFERS = "256MB"
# From this many staged rows on, the merge joins by hashes only (see ``Staging._memory``).
HASH_FROM = 100_000
_KEY = ("definition_id", "period", "organisation_id", "gender")
# The key as ``Measurement``'s unique constraint has it.
_INDEXED = ("definition_id", "organisation_id", "period", "gender")


def _joined(left: str, right: str) -> str:
    return " AND ".join(f"{left}.{column} = {right}.{column}" for column in _KEY)


_SAME = "m.value = s.value AND m.status = s.status AND m.source = s.source"


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_line(row: tuple) -> str:
    """One row in COPY's text format (only the free-text source can hold special characters)."""
    *head, value, status, withdrawn, source = row
    return (
        "\t".join(map(str, head))
        + ("\t\\N\t" if value is None else f"\t{value}\t")
        + status
        + ("\tt\t" if withdrawn else "\tf\t")
        + source.translate(_ESCAPES)
        + "\n"
    )


def _more_temp_buffers() -> None:
    """Let this session keep its TEMP tables in memory (PostgreSQL allows only 8 MB by default).

    Temporary tables live in the session's own buffers, not the shared ones; past the
    default every pass over a staging table of a few million rows goes through the disk
    (at 3 million rows the import took twice as long). PostgreSQL accepts the setting only
    before the session's first temporary table, so on a connection that already had one
    this quietly does nothing. Buffers are taken as used, up to the limit.
    """
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET temp_buffers = '{TEMP_BUFFERS}'")
    except DatabaseError:
        pass


class Staging:
    """``with Staging() as staging: staging.add(row); staging.flush(); staging.merge(now)``."""

    def __init__(self, batch_size: int = 5000) -> None:
        self.batch_size = batch_size
        self.pending: list[tuple] = []
        self.count = 0
        self.postgres = connection.vendor == "postgresql"
        self.definitions: list[int] | None = None
        self.years: list[int] = []
        self.withdrawals = True  # whether some staged row is a withdrawal (PostgreSQL: known)
        self.bulk_years: list[int] = []  # loaded as new partitions by the last merge
        # Where the merge reads the rows: the staging table, or (``read_from``) a query.
        self.relation = TABLE
        self.known: tuple[list[int], list[int], list[int]] | None = None

    def read_from(self, query: str | None, count: int, known: tuple | None) -> None:
        """Merge the rows of ``query`` (the staging table's columns but ``seq`` and ``line``)
        instead of the staged ones, on PostgreSQL: ``count`` rows, whose definitions,
        organisations and years are ``known`` and of which none is a withdrawal.

        Only two cases are merged so: every year new (loaded in bulk; a repeated key fails
        the key's build with ``IntegrityError``) or nothing new or changed (nothing
        written); ``merge`` raises ``NotSimple`` for anything else, so the caller rolls
        back and stages the rows. ``read_from(None, …)`` goes back to the staging table.
        """
        self.relation = TABLE if query is None else f"({query}) s"
        self.count, self.known, self.withdrawals = count, known, query is None

    def __enter__(self) -> Staging:
        numeric = "numeric(16, 4)" if self.postgres else "decimal"
        if self.postgres:
            _more_temp_buffers()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {TABLE} (seq integer NOT NULL, line integer, "
                "definition_id bigint NOT NULL, organisation_id bigint NOT NULL, "
                "period varchar(7) NOT NULL, gender varchar(1) NOT NULL, "
                f"value {numeric}, status varchar(10) NOT NULL, "
                "withdrawn boolean NOT NULL DEFAULT false, source varchar(200) NOT NULL)"
            )
        return self

    def __exit__(self, *exc) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")

    def add(self, row: tuple) -> None:
        self.pending.append(row)
        if len(self.pending) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        rows, self.pending = self.pending, []
        self.count += len(rows)
        with connection.cursor() as cursor:
            if self.postgres:
                raw = cursor.cursor  # psycopg's own cursor, for COPY
                with raw.copy(f"COPY {TABLE} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                    # COPY's text format, built in one go: adapting row by row costs more
                    # than reading and checking the row did.
                    copy.write("".join(map(_copy_line, rows)))
            else:
                marks = ", ".join(["%s"] * len(COLUMNS))
                cursor.executemany(
                    f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) VALUES ({marks})",
                    [(*row[:6], None if row[6] is None else str(row[6]), *row[7:]) for row in rows],
                )

    def _memory(self, cursor) -> None:
        """Room for hashing every staged key in memory (PostgreSQL; this transaction only).

        For a large file the merge's joins must be hashes: over the year partitions the
        planner otherwise sorts the staged rows for a merge join or probes every partition's
        index once a row (each twice as slow as the hash at 600 000 rows). A small file
        keeps the planner's choice (a few index probes beat hashing a large table).
        """
        if self.postgres:
            cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
            if self.count >= HASH_FROM:
                cursor.execute("SET LOCAL enable_nestloop = off")
                cursor.execute("SET LOCAL enable_mergejoin = off")

    def duplicates(self) -> dict[int, tuple[int, int]]:
        """Rows repeating an earlier row's key: seq → (line, the earlier row's line)."""
        keys = ", ".join(_KEY)
        if not self.postgres:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT s.seq, s.line, first.line FROM {TABLE} s "
                    f"JOIN (SELECT {keys}, MIN(seq) AS seq FROM {TABLE} GROUP BY {keys} "
                    f"HAVING COUNT(*) > 1) d ON {_joined('s', 'd')} "
                    f"JOIN {TABLE} first ON first.seq = d.seq "
                    "WHERE s.seq > d.seq ORDER BY s.seq"
                )
                return {seq: (line, first) for seq, line, first in cursor.fetchall()}
        repeated = f"{TABLE}_repeated"
        with transaction.atomic(), connection.cursor() as cursor:
            self._memory(cursor)
            # One pass over the staged rows; only when a key repeats, a second to name them.
            cursor.execute(f"DROP TABLE IF EXISTS {repeated}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {repeated} AS SELECT {keys}, MIN(seq) AS seq "
                f"FROM {TABLE} GROUP BY {keys} HAVING COUNT(*) > 1"
            )
            found = {}
            if cursor.rowcount:
                cursor.execute(
                    f"SELECT s.seq, s.line, first.line FROM {TABLE} s "
                    f"JOIN {repeated} d ON {_joined('s', 'd')} "
                    f"JOIN {TABLE} first ON first.seq = d.seq "
                    "WHERE s.seq > d.seq ORDER BY s.seq"
                )
                found = {seq: (line, first) for seq, line, first in cursor.fetchall()}
            cursor.execute(f"DROP TABLE {repeated}")
            return found

    def discard(self, seqs) -> None:
        seqs = list(seqs)
        with connection.cursor() as cursor:
            for start in range(0, len(seqs), 500):
                part = seqs[start : start + 500]
                cursor.execute(
                    f"DELETE FROM {TABLE} WHERE seq IN ({', '.join(['%s'] * len(part))})", part
                )
        self.count -= len(seqs)

    def keys(self, cursor) -> tuple[list[int], list[int]]:
        """The distinct definitions and organisations of the staged rows, in one pass
        (on PostgreSQL also their years, kept in ``self.years``)."""
        definitions, organisations, self.years = [], [], []
        if self.relation != TABLE and self.known is not None:
            definitions, organisations, self.years = (list(ids) for ids in self.known)
        elif self.postgres:
            self.withdrawals = False
            cursor.execute(
                "SELECT definition_id, organisation_id, year, "
                f"GROUPING(definition_id, organisation_id) FROM "
                "(SELECT definition_id, organisation_id, "
                "CASE WHEN NOT withdrawn THEN left(period, 4)::integer END AS year "
                f"FROM {TABLE}) s "
                "GROUP BY GROUPING SETS ((definition_id), (organisation_id), (year))"
            )
            for definition, organisation, year, grouping in cursor.fetchall():
                # GROUPING(): 2 = grouped by the organisation, 1 = by the definition.
                if grouping == 1:
                    definitions.append(definition)
                elif grouping == 2:
                    organisations.append(organisation)
                elif year is not None:  # a year with values, not only withdrawals
                    self.years.append(year)
                else:
                    self.withdrawals = True
        else:
            cursor.execute(f"SELECT DISTINCT definition_id FROM {TABLE}")
            definitions = [row[0] for row in cursor.fetchall()]
            cursor.execute(f"SELECT DISTINCT organisation_id FROM {TABLE}")
            organisations = [row[0] for row in cursor.fetchall()]
        self.definitions = definitions
        return definitions, organisations

    def definition_ids(self) -> list[int]:
        """The indicators the staged rows are values of (as found by the last merge)."""
        if self.definitions is None:
            with connection.cursor() as cursor:
                definitions, _organisations = self.keys(cursor)
            return definitions
        return self.definitions

    def _hold_keys(self, cursor) -> None:
        hold_keys(cursor, *self.keys(cursor))

    def merge(self, now: datetime) -> Merged:
        """Merge the staged rows (see the module); call in a transaction."""
        stamp = connection.ops.adapt_datetimefield_value(now)
        merged = Merged()
        with connection.cursor() as cursor:
            self._memory(cursor)
            if self.postgres and self.relation == TABLE:
                # Autovacuum never looks at temporary tables: without statistics the planner
                # guesses a few rows and joins millions of them in nested loops.
                cursor.execute(f"ANALYZE {TABLE}")
            self._hold_keys(cursor)
            rest = "TRUE"
            if self.postgres:
                bulk = partitions.new_years(cursor, self.years)
                if self.relation != TABLE and bulk and bulk != sorted(self.years):
                    raise NotSimple
                bulk = self._load_in_bulk(cursor, bulk, stamp, merged)
                if bulk:
                    if merged.created != self.count and self.relation != TABLE:
                        raise NotSimple  # some row did not pass (the kön check)
                    rest = "left(s.period, 4)::integer <> ALL(%s)"
                    self.bulk_years = bulk
            if rest == "TRUE" or self.withdrawals or set(self.years) - set(self.bulk_years):
                self._merge_rest(cursor, rest, stamp, merged)
        merged.unchanged = self.count - merged.created - merged.changed - merged.withdrawn
        return merged

    def _load_in_bulk(self, cursor, years: list[int], stamp, merged: Merged) -> list[int]:
        """Load ``years`` as new partitions; the years loaded (none: merge them with the rest).

        A value of one of them stored since ``new_years`` looked (by hand, into the default
        partition) makes the ``ATTACH`` refuse with ``IntegrityError``. Read from the file's
        own staging table, those years are then merged row by row like any other; read from
        a query, the caller's ``IntegrityError`` handling takes the whole import the row way.
        """
        if not years:
            return []
        try:
            with transaction.atomic():
                merged.created = partitions.load_in_bulk(cursor, self.relation, years, stamp)
        except IntegrityError:
            if self.relation != TABLE:
                raise
            return []
        return years

    def _merge_rest(self, cursor, rest: str, stamp, merged: Merged) -> None:
        """The staged rows (of years with stored values) against the stored ones: one join
        counts what is new, changed, withdrawn or back; only those are written."""
        measurement = Measurement._meta.db_table
        revision = MeasurementRevision._meta.db_table
        years = [self.bulk_years] if rest != "TRUE" else []
        # Read from a query (``read_from``): also whether every row matched a stored one,
        # each a different one (no key repeated).
        once = ", COUNT(m.id), COUNT(DISTINCT m.id)" if self.relation != TABLE else ""
        relation = f"{TABLE} s" if self.relation == TABLE else self.relation
        cursor.execute(
            "SELECT COUNT(*) FILTER (WHERE m.id IS NULL AND NOT s.withdrawn), "
            f"COUNT(*) FILTER (WHERE NOT m.withdrawn AND NOT s.withdrawn AND NOT ({_SAME})), "
            "COUNT(*) FILTER (WHERE NOT m.withdrawn AND s.withdrawn), "
            f"COUNT(*) FILTER (WHERE m.withdrawn AND NOT s.withdrawn){once} "
            f"FROM {relation} LEFT JOIN {measurement} m ON {_joined('m', 's')} WHERE {rest}",
            years,
        )
        new, changed, withdrawn, back, *matched = cursor.fetchone()
        if matched and (new or changed or withdrawn or back or matched != [self.count] * 2):
            raise NotSimple
        merged.created += new + back
        merged.changed, merged.withdrawn = changed, withdrawn
        if changed or withdrawn:
            # The value in force before a change or a withdrawal is kept as a revision.
            cursor.execute(
                f"INSERT INTO {revision} (measurement_id, value, status, source, valid_until) "
                f"SELECT m.id, m.value, m.status, m.source, %s FROM {measurement} m "
                f"JOIN {TABLE} s ON {_joined('m', 's')} "
                f"WHERE NOT m.withdrawn AND (s.withdrawn OR NOT ({_SAME})) AND {rest}",
                [stamp, *years],
            )
        if changed or withdrawn or back:
            # A withdrawn row keeps its last value (also its newest revision); a value sent
            # again for a withdrawn key makes it current again.
            keep = "CASE WHEN s.withdrawn THEN m.{0} ELSE s.{0} END"
            cursor.execute(
                f"UPDATE {measurement} AS m SET value = {keep.format('value')}, "
                f"status = {keep.format('status')}, source = {keep.format('source')}, "
                f"withdrawn = s.withdrawn, updated_at = %s FROM {TABLE} s "
                f"WHERE {_joined('m', 's')} AND (m.withdrawn <> s.withdrawn "
                f"OR (NOT s.withdrawn AND NOT ({_SAME}))) AND {rest}",
                [stamp, *years],
            )
        if new:
            # The keys already stored were updated above; each other key is looked up in the
            # key's index as it is inserted (a join against the stored rows would sort or
            # hash them all, whatever the few staged rows).
            cursor.execute(
                f"INSERT INTO {measurement} (definition_id, organisation_id, period, gender, "
                "value, status, source, updated_at, withdrawn) "
                "SELECT s.definition_id, s.organisation_id, s.period, s.gender, s.value, "
                f"s.status, s.source, %s, false FROM {TABLE} s WHERE NOT s.withdrawn AND "
                f"{rest} ON CONFLICT ({', '.join(_INDEXED)}) DO NOTHING",
                [stamp, *years],
            )


def hold_keys(cursor, definition_ids: list[int], organisation_ids: list[int]) -> None:
    """Hold an import's definitions and organisations against deletion until its merge
    commits (``Measurement`` does not enforce these keys itself, see its model), and refuse
    the merge if one of them went away since the rows were checked."""
    lock = " FOR KEY SHARE" if connection.vendor == "postgresql" else ""
    found = 0
    definitions = IndicatorDefinition._meta.db_table
    organisations = Organisation._meta.db_table
    for table, ids in ((definitions, definition_ids), (organisations, organisation_ids)):
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            cursor.execute(
                f"SELECT id FROM {table} WHERE id IN ({', '.join(['%s'] * len(part))})" + lock,
                part,
            )
            found += len(cursor.fetchall())
    if found != len(definition_ids) + len(organisation_ids):
        raise ValidationError(
            _(
                "En indikator eller organisation togs bort medan filen lästes in; "
                "ingenting lästes in. Försök igen."
            )
        )


class Merging(Protocol):
    """What ``core.merge_staged`` merges: ``Staging``, or the rows of ``columnar``."""

    def merge(self, now: datetime) -> Merged: ...

    def definition_ids(self) -> list[int]: ...


class NotSimple(Exception):
    """The rows read from a query (``Staging.read_from``) need the staged merge."""


@dataclass
class Merged:
    """What a merge did: counts of staged rows."""

    created: int = 0  # new values, and values sent again for a withdrawn key
    changed: int = 0  # a different value, status or source: the earlier one is a revision
    withdrawn: int = 0  # the source withdrew a current value: it is a revision now
    unchanged: int = 0  # the same as stored, or a withdrawal of nothing current
