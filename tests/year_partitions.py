"""The measurement table's year partitions in a PostgreSQL test database.

A transactional test that imports new years commits their partitions, and the flush after
it empties tables but keeps them. A later test on the same worker would then find those
years "stored", and an import it expects to take the new-years path (``columnar``, the
bulk load) would take the row-by-row one instead: which tests ran before decided the
outcome. Tests that need new years start with ``drop_year_partitions()`` (through the
``no_year_partitions`` fixture); inside a test's transaction the drop is rolled back with it.
"""

from django.db import connection

_YEAR_PARTITIONS = (
    "SELECT c.relname, (SELECT count(*) FROM pg_index i WHERE i.indrelid = c.oid), "
    "(SELECT array_agg(conname::text ORDER BY conname) FROM pg_constraint "
    "WHERE conrelid = c.oid) "
    "FROM pg_inherits h JOIN pg_class c ON c.oid = h.inhrelid "
    "WHERE h.inhparent = 'indicators_measurement'::regclass AND c.relname ~ '_y[0-9]+$' "
    "ORDER BY 1"
)


def year_partitions() -> list[tuple[str, int, list[str]]]:
    """Each year partition: its name, number of indexes and constraints' names."""
    with connection.cursor() as cursor:
        cursor.execute(_YEAR_PARTITIONS)
        return cursor.fetchall()


def drop_year_partitions() -> None:
    """Detach and drop every year partition (PostgreSQL; nothing to do on SQLite)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for name, _indexes, _constraints in year_partitions():
            cursor.execute(f"ALTER TABLE indicators_measurement DETACH PARTITION {name}")
            cursor.execute(f"DROP TABLE {name}")
