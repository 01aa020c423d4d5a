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
2. keep the current value of every changed measurement as a revision,
3. update the changed measurements,
4. insert the new ones,
so a file of millions of rows costs a handful of queries, not one per row. On PostgreSQL
``work_mem`` is raised for these transactions only (``SET LOCAL``), so the hashes of
millions of keys stay in memory.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext as _

from uppsikt.organisations.models import Organisation

from ..models import IndicatorDefinition, Measurement, MeasurementRevision

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
    "source",
)
# For hashing millions of staged keys in memory rather than in batches on disk.
WORK_MEM = "256MB"
# For keeping the session's TEMP staging tables in memory (see ``_more_temp_buffers``).
TEMP_BUFFERS = "256MB"
_KEY = ("definition_id", "period", "organisation_id", "gender")


def _joined(left: str, right: str) -> str:
    return " AND ".join(f"{left}.{column} = {right}.{column}" for column in _KEY)


_SAME = "m.value = s.value AND m.status = s.status AND m.source = s.source"


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_line(row: tuple) -> str:
    """One row in COPY's text format (only the free-text source can hold special characters)."""
    *head, source = row
    return "\t".join(map(str, head)) + "\t" + source.translate(_ESCAPES) + "\n"


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
                f"value {numeric} NOT NULL, status varchar(10) NOT NULL, "
                "source varchar(200) NOT NULL)"
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
                    [(*row[:6], str(row[6]), *row[7:]) for row in rows],
                )

    def _memory(self, cursor) -> None:
        """Room for hashing every staged key in memory (PostgreSQL; this transaction only)."""
        if self.postgres:
            cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")

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
        """The distinct definitions and organisations of the staged rows, in one pass."""
        if self.postgres:
            cursor.execute(
                f"SELECT definition_id, organisation_id, GROUPING(definition_id) FROM {TABLE} "
                "GROUP BY GROUPING SETS ((definition_id), (organisation_id))"
            )
            definitions, organisations = [], []
            for definition, organisation, grouping in cursor.fetchall():
                if grouping:
                    organisations.append(organisation)
                else:
                    definitions.append(definition)
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

    def merge(self, now: datetime) -> tuple[int, int, int]:
        """Merge the staged rows; returns (created, changed, unchanged). Call in a transaction."""
        measurement = Measurement._meta.db_table
        revision = MeasurementRevision._meta.db_table
        stamp = connection.ops.adapt_datetimefield_value(now)
        definitions = IndicatorDefinition._meta.db_table
        organisations = Organisation._meta.db_table
        with connection.cursor() as cursor:
            self._memory(cursor)
            if self.postgres:
                # Autovacuum never looks at temporary tables: without statistics the planner
                # guesses a few rows and joins millions of them in nested loops.
                cursor.execute(f"ANALYZE {TABLE}")
            definition_ids, organisation_ids = self.keys(cursor)
            # The keys Measurement does not enforce itself (see its model): hold the
            # definitions and organisations against deletion until the merge commits …
            lock = " FOR KEY SHARE" if self.postgres else ""
            found = 0
            for table, ids in ((definitions, definition_ids), (organisations, organisation_ids)):
                for start in range(0, len(ids), 500):
                    part = ids[start : start + 500]
                    cursor.execute(
                        f"SELECT id FROM {table} WHERE id IN ({', '.join(['%s'] * len(part))})"
                        + lock,
                        part,
                    )
                    found += len(cursor.fetchall())
            # … and refuse the whole merge if one went away since the rows were checked.
            if found != len(definition_ids) + len(organisation_ids):
                raise ValidationError(
                    _(
                        "En indikator eller organisation togs bort medan filen lästes in; "
                        "ingenting lästes in. Försök igen."
                    )
                )
            cursor.execute(
                f"INSERT INTO {revision} (measurement_id, value, status, source, valid_until) "
                f"SELECT m.id, m.value, m.status, m.source, %s FROM {measurement} m "
                f"JOIN {TABLE} s ON {_joined('m', 's')} WHERE NOT ({_SAME})",
                [stamp],
            )
            changed = cursor.rowcount
            if changed:
                cursor.execute(
                    f"UPDATE {measurement} AS m SET value = s.value, status = s.status, "
                    f"source = s.source, updated_at = %s FROM {TABLE} s "
                    f"WHERE {_joined('m', 's')} AND NOT ({_SAME})",
                    [stamp],
                )
            cursor.execute(
                f"INSERT INTO {measurement} (definition_id, organisation_id, period, gender, "
                "value, status, source, updated_at) "
                "SELECT s.definition_id, s.organisation_id, s.period, s.gender, s.value, "
                f"s.status, s.source, %s FROM {TABLE} s WHERE NOT EXISTS "
                f"(SELECT 1 FROM {measurement} m WHERE {_joined('m', 's')})",
                [stamp],
            )
            created = cursor.rowcount
        return created, changed, self.count - created - changed
