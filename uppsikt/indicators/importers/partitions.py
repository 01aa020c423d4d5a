# ruff: noqa: S608 -- every name put into the SQL is a constant or a year (an int) of this module.
"""PostgreSQL's year partitions of ``Measurement``, and the bulk load of a year that has none.

On PostgreSQL the measurements are partitioned by year (range on ``period``, migration
0008): ``indicators_measurement_y2023`` holds 2023, 2023T1–T3 and 2023-01…12, and the
default partition whatever year has no partition of its own. The natural key is the one
B-tree index of each partition.

A year with no partition and no rows in the default partition can be loaded without
touching any index: the import's new rows of such years go into fresh tables (by one
``INSERT … SELECT`` routed into a scratch partitioned table), each gets its indexes built
in one sorted pass after loading, and is then attached to ``Measurement`` as that year's
partition. A ``CHECK`` constraint on the year, added while the table is empty, lets
``ATTACH`` skip its validation scan. Everything runs inside the import's transaction, so a
refused or failed import leaves no partition behind. One import at a time creates
partitions (``new_years``); another one of new years waits for it to end.
"""

from __future__ import annotations

from django.db import connection

from ..models import Measurement

TABLE = Measurement._meta.db_table
BULK = f"{TABLE}_bulk"
# One transaction at a time creates partitions (``new_years``); held until it ends.
_HOLD = "SELECT pg_advisory_xact_lock(hashtext('uppsikt.partitions'))"
# The parent's indexes, built on a bulk-loaded partition after loading (PostgreSQL then
# attaches them to the parent's own).
# (The key as a constraint, not a plain unique index: only a constraint's index stands
# for the parent's ``measurement_unique``; with a plain one ATTACH would build another.)
INDEXES = (
    "ALTER TABLE {table} ADD CONSTRAINT {table}_key "
    "UNIQUE (definition_id, organisation_id, period, gender)",
    "CREATE INDEX ON {table} USING brin (id)",
    "CREATE INDEX ON {table} (entered_by_id) WHERE entered_by_id IS NOT NULL",
)


def name(year: int) -> str:
    return f"{TABLE}_y{year:04d}"


def bounds(year: int) -> str:
    upper = f"'{year + 1:04d}'" if year < 9999 else "MAXVALUE"
    return f"FROM ('{year:04d}') TO ({upper})"


def _check(year: int) -> str:
    condition = f"period >= '{year:04d}'"
    if year < 9999:
        condition += f" AND period < '{year + 1:04d}'"
    return condition


def partitioned() -> bool:
    return connection.vendor == "postgresql"


def new_years(cursor, years: list[int]) -> list[int]:
    """Of ``years``, those with no partition yet and no rows in the default partition.

    When some year has no partition, this first waits for any other transaction that asked
    the same (``_HOLD``), and holds that turn until its own transaction ends: so the years
    it names stay new until then, and only one import at a time creates partitions. Two
    that did so at once each read the default partition, then waited for the other's
    ``ATTACH`` (which locks it) or its table of the same name: a deadlock. The one that
    waited sees what the other committed (a year it stored is no longer new).
    """
    candidates = _unattached(cursor, years)
    if not candidates:
        return []
    cursor.execute(_HOLD)
    candidates = _unattached(cursor, candidates)  # what committed while this one waited
    if not candidates:
        return []
    cursor.execute(f"SELECT DISTINCT left(period, 4)::integer FROM {TABLE}_default")
    in_default = {row[0] for row in cursor.fetchall()}
    return sorted(year for year in candidates if year not in in_default)


def _unattached(cursor, years: list[int]) -> list[int]:
    """Of ``years``, those with no partition of their own."""
    cursor.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = %s::regclass",
        [TABLE],
    )
    existing = {row[0] for row in cursor.fetchall()}
    return [year for year in years if name(year) not in existing]


def create_table(cursor, year: int, table: str | None = None) -> None:
    """A new, empty table for ``year`` (named ``table``, by default the year's partition's
    name) shaped like ``Measurement`` (its defaults, and the ``CHECK`` that lets ``attach``
    skip its scan), not yet a partition of anything."""
    table = table or name(year)
    cursor.execute(
        f"CREATE TABLE {table} (LIKE {TABLE} INCLUDING DEFAULTS, "
        f"CONSTRAINT {table}_year CHECK ({_check(year)}))"
    )


def build_indexes(cursor, table: str) -> None:
    """The partition's indexes on a loaded table, each built in one pass."""
    for index in INDEXES:
        cursor.execute(index.format(table=table))


def attach(cursor, year: int, indexed: bool = False) -> None:
    """Build the indexes of ``year``'s loaded table (unless ``indexed``) and attach it to
    ``Measurement`` as that year's partition."""
    if not indexed:
        build_indexes(cursor, name(year))
    cursor.execute(f"ALTER TABLE {TABLE} ATTACH PARTITION {name(year)} FOR VALUES {bounds(year)}")
    # ATTACH checks the parent's one foreign key (who entered a value by hand) in one
    # pass; given to the table before loading it would queue a trigger event a row.
    # (No ANALYZE: building the indexes counted the rows, and autovacuum analyzes the
    # new partition soon after; it cost a tenth of the load.)


def load_in_bulk(cursor, staging: str, years: list[int], stamp) -> int:
    """Insert the staged values of ``years`` (new years, ``new_years``) as new partitions.

    Returns the number of rows loaded. Call inside the import's transaction.
    """
    cursor.execute(f"DROP TABLE IF EXISTS {BULK}")
    cursor.execute(
        f"CREATE TABLE {BULK} (LIKE {TABLE} INCLUDING DEFAULTS) PARTITION BY RANGE (period)"
    )
    for year in years:
        create_table(cursor, year)
        cursor.execute(
            f"ALTER TABLE {BULK} ATTACH PARTITION {name(year)} FOR VALUES {bounds(year)}"
        )
    cursor.execute(
        f"INSERT INTO {BULK} (definition_id, organisation_id, period, gender, value, status, "
        "source, updated_at, withdrawn) "
        "SELECT definition_id, organisation_id, period, gender, value, status, source, %s, "
        f"false FROM {staging} WHERE NOT withdrawn AND left(period, 4)::integer = ANY(%s)",
        [stamp, years],
    )
    loaded = cursor.rowcount
    for year in years:
        cursor.execute(f"ALTER TABLE {BULK} DETACH PARTITION {name(year)}")
        attach(cursor, year)
    cursor.execute(f"DROP TABLE {BULK}")
    return loaded
