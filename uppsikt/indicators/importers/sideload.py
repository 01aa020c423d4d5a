"""Loading a year's rows by ``COPY``, and a second connection that loads some years beside
the import's own for a large file (``columnar``).

A database connection is one process on the server: one ``COPY`` or one index build at a
time. A large file of new years is loaded by two: the import's connection loads its share
of the years inside the import's transaction, and a second connection (``Side``, in a
thread of its own) loads the other share at the same time, into tables of names of its own
(``indicators_load_<token>_y2023``), builds their indexes and commits them. No
one reads those tables: they are no partition of ``Measurement``. When both are done, the
import's transaction renames each to its year's partition name and attaches it, so the
values appear when the import commits, as the rest do, or not at all.

If the import then fails or is rolled back, the committed tables stay behind unattached.
The import drops them after its rollback, and every large load first drops any table of
that form whose import is over (``sweep``): while an import runs, its transaction holds an
advisory lock on its token, so a table whose token's lock is free belongs to no one.

The second connection also reserves the ids of every row in one step (``reserve_ids``), so
the ``COPY`` sends them instead of calling the id sequence once a row.
"""

from __future__ import annotations

import threading
import uuid
import zlib
from datetime import datetime
from typing import Any

import psycopg
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.csv as pa_csv  # type: ignore[import-untyped]
from django.db import connection
from psycopg.copy import QueuedLibpqWriter

from . import partitions
from .staging import NotSimple

SEQUENCE = f"{partitions.TABLE}_id_seq"
PREFIX = "indicators_load_"  # short: the indexes' names made from it must fit in 63 bytes
_BATCH = 1 << 16  # rows Arrow writes as CSV at a time
# Memory for building a year's key in one sort (this transaction only).
MAINTENANCE_WORK_MEM = "512MB"
# How long the second connection waits for a lock: the import's own transaction may hold
# it (the id sequence, if it took ids earlier), and the import is waiting for this one.
_SEQUENCE_WAIT = "1s"
_LOCK_WAIT = "10s"


def copy_year(cursor, table: str, rows: pa.Table, now: datetime) -> int:
    """``COPY`` ``rows`` (``Measurement``'s columns, ``id`` among them or not) into the new
    ``table``, created in the same transaction; returns the number of rows copied.
    ``cursor`` is a psycopg cursor.

    ``FREEZE``: the rows are written frozen and their pages marked all-visible, as a
    ``VACUUM`` would leave them, so no vacuum has to pass over millions of new rows later and
    queries read the new partition's keys from its index alone at once. (No one else can
    see a table this transaction created, so nothing is visible early.)"""
    cursor.execute(f"ALTER TABLE {table} ALTER COLUMN updated_at SET DEFAULT %s", [now])
    # The writer sends from a thread of its own while Arrow writes the next batch.
    with cursor.copy(
        f"COPY {table} ({', '.join(rows.column_names)}) FROM STDIN (FORMAT csv, FREEZE)",
        writer=QueuedLibpqWriter(cursor),
    ) as copy:
        pa_csv.write_csv(
            rows,
            _Sink(copy),
            write_options=pa_csv.WriteOptions(include_header=False, batch_size=_BATCH),
        )
    copied = cursor.rowcount
    cursor.execute(f"ALTER TABLE {table} ALTER COLUMN updated_at DROP DEFAULT")
    return copied


class _Sink:
    """What Arrow's CSV writer writes to: the ``COPY`` under way."""

    def __init__(self, copy) -> None:
        self.copy = copy
        self.closed = False

    def write(self, data) -> int:
        self.copy.write(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True


def _lock_key(token: str) -> int:
    return zlib.crc32(f"uppsikt-load-{token}".encode())


class Side:
    """The second connection of a large load: ``open`` (in the import's transaction),
    ``reserve_ids``, ``start`` (a thread loads its years), ``join`` (its tables, committed),
    ``attach`` (in the import's transaction), and after that transaction has ended,
    ``close``."""

    def __init__(self) -> None:
        self.token = uuid.uuid4().hex[:12]
        self.tables: dict[int, str] = {}  # year → committed table, until attached
        self.loaded = 0
        self.error: BaseException | None = None
        self.db: Any = None  # a psycopg connection, once open
        self._thread: threading.Thread | None = None

    def open(self) -> None:
        self.db = connection.get_new_connection(connection.get_connection_params())
        with connection.cursor() as cursor:  # the import's transaction holds the token
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_lock_key(self.token)])

    def close(self, attached: bool) -> None:
        """After the import's transaction: drop the committed tables unless they were
        attached by it (a rename rolled back with the import leaves them as they were)."""
        if self.db is None:
            return
        if self._thread is not None:
            self._thread.join()
        if not attached and self.tables:
            with self.db.cursor() as cursor:
                for table in self.tables.values():
                    cursor.execute(f"DROP TABLE IF EXISTS {table}")
            self.db.commit()
        self.db.close()

    def reserve_ids(self, count: int) -> int | None:
        """The first of ``count`` consecutive ids reserved for this load, or ``None`` when
        the sequence is held by a transaction (then each row takes its id as it is copied)."""
        try:
            with self.db.cursor() as cursor:
                cursor.execute(f"SET LOCAL lock_timeout = '{_SEQUENCE_WAIT}'")
                cursor.execute(f"ALTER SEQUENCE {SEQUENCE} INCREMENT BY {count}")
                cursor.execute(f"SELECT nextval('{SEQUENCE}')")
                last = cursor.fetchone()[0]
                cursor.execute(f"ALTER SEQUENCE {SEQUENCE} INCREMENT BY 1")
            self.db.commit()
        except psycopg.errors.LockNotAvailable:
            self.db.rollback()
            return None
        return last - count + 1

    def start(self, work: dict[int, pa.Table], now: datetime) -> None:
        """Load each year's rows of ``work`` into a table of its own, in a thread."""
        self._thread = threading.Thread(target=self._load, args=(work, now), daemon=True)
        self._thread.start()

    def join(self) -> int:
        """Wait for the thread; the number of rows it loaded. A database error of its own —
        a repeated key, a lock it could not get in time — is ``NotSimple``: the import's
        raw-row path then names the problem or does the work; anything else is raised."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if isinstance(self.error, psycopg.Error):
            raise NotSimple from self.error
        if self.error is not None:
            raise self.error
        return self.loaded

    def _load(self, work: dict[int, pa.Table], now: datetime) -> None:
        try:
            names = {year: f"{PREFIX}{self.token}_y{year:04d}" for year in work}
            with self.db.cursor() as cursor:
                cursor.execute(f"SET LOCAL maintenance_work_mem = '{MAINTENANCE_WORK_MEM}'")
                # Never wait long on a lock the import's own transaction may hold: the
                # import waits for this thread.
                cursor.execute(f"SET LOCAL lock_timeout = '{_LOCK_WAIT}'")
                for year, rows in work.items():
                    partitions.create_table(cursor, year, names[year])
                    self.loaded += copy_year(cursor, names[year], rows, now)
                    partitions.build_indexes(cursor, names[year])
            self.db.commit()
            self.tables = names
        except BaseException as error:  # handed to the import's thread by ``join``
            self.db.rollback()
            self.error = error

    def attach(self, cursor) -> None:
        """In the import's transaction: each committed table becomes its year's partition."""
        for year, table in sorted(self.tables.items()):
            final = partitions.name(year)
            cursor.execute(
                "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "WHERE i.indrelid = %s::regclass",
                [table],
            )
            for (index,) in cursor.fetchall():  # the names the year's own build would give
                cursor.execute(f"ALTER INDEX {index} RENAME TO {index.replace(table, final)}")
            cursor.execute(f"ALTER TABLE {table} RENAME CONSTRAINT {table}_year TO {final}_year")
            cursor.execute(f"ALTER TABLE {table} RENAME TO {final}")
            partitions.attach(cursor, year, indexed=True)


def sweep() -> None:
    """Drop the tables of loads whose import is over (failed, or its process gone)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c WHERE c.relkind = 'r' AND c.relname LIKE %s "
            "AND NOT EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid)",
            [PREFIX.replace("_", r"\_") + "%"],
        )
        for (table,) in cursor.fetchall():
            token = table.removeprefix(PREFIX).rsplit("_y", 1)[0]
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_lock_key(token)])
            if cursor.fetchone()[0]:
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
