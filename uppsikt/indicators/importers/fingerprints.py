# ruff: noqa: S608 -- the one table name put into the SQL is this module's constant.
"""Fingerprints of imported CSV files: an unchanged re-import is known without reading it.

When a CSV file's import (``pgcsv``) wrote or confirmed every one of its rows, it leaves

* an ``ImportFingerprint``: the file's digest (SHA-256 of its decoded bytes and a format
  version), its row count and the distinct texts of its looked-up columns (indicator,
  organisation, period, kön, status, source) with the verdicts they got;
* its digest on every chunk (``ValueChunk``: one definition, one year) of the file's
  definitions × years.

A database trigger on ``Measurement`` (migration 0009) empties the digest of every chunk
that any write touches afterwards, whoever writes. So when the same bytes come again, their
fingerprint is found, every chunk still carries its digest and every distinct text gets the
same verdict today (the same definition ids and kön flag, the same organisations, this
actor's right to each of them), the file's rows are exactly the stored values: the import
writes nothing to ``Measurement`` and records its batch and audit event with every row
unchanged, without copying or joining a single row.

Keeping it exact under concurrent writes, without holding locks while the merge writes:
the trigger also counts a ``generation`` per chunk. The import notes the generations of
its chunks before its merge (whatever committed before is seen by the merge), lets its own
merge leave them alone (``uppsikt.own_chunks``, for this transaction's merge only), and
at the end puts its digest only on chunks whose generation is still the one noted (an
``UPDATE … WHERE generation = …`` waits for a writer in progress and then sees its count)
or that still do not exist (an insert that conflicts with a writer's does nothing). A
chunk touched by anyone else since is left without the digest, so the file does not match.
Since the merge wrote without the trigger, ``remember`` also does the rest of what the
trigger does on every chunk of the file: it counts one more generation and forgets the
chunk's periods (``ValueChunk.total_periods``). A file with rows left out is merged with
the trigger instead (``core.merge_staged``).
"""

from __future__ import annotations

import hashlib

from django.db import connection

from ..models import ImportBatch, ImportFingerprint, ValueChunk

# Part of every digest: a change to how a CSV file is read must not match older imports.
VERSION = b"uppsikt-csv-fingerprint-1\n"
CHUNKS = ValueChunk._meta.db_table


def file_digest(data: bytes) -> str:
    """The digest of a file's decoded bytes (header included)."""
    return hashlib.sha256(VERSION + data).hexdigest()


def matching(digest: str) -> ImportFingerprint | None:
    """The fingerprint of an earlier import of these bytes whose every chunk is untouched
    since, or ``None``."""
    found = ImportFingerprint.objects.filter(digest=digest).first()
    if found is None or ValueChunk.objects.filter(digest=digest).count() != found.chunks:
        return None
    return found


class Fingerprint:
    """What an import of all its rows will remember, in the merge's transaction
    (``core.merge_staged``): ``begin`` before the merge, ``end_own`` after it, ``remember``
    last."""

    def __init__(
        self, digest: str, verdicts: dict, rows: int, definitions: list[int], years: list[int]
    ) -> None:
        self.digest, self.verdicts, self.rows = digest, verdicts, rows
        self.definitions, self.years = sorted(definitions), sorted(years)
        self.generations: dict[tuple[int, int], int] = {}

    def begin(self) -> None:
        """Note each chunk's generation, then let the merge's own writes leave them alone."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT definition_id, year, generation FROM {CHUNKS} "
                "WHERE definition_id = ANY(%s::bigint[]) AND year = ANY(%s::integer[])",
                [self.definitions, self.years],
            )
            self.generations = {(d, y): g for d, y, g in cursor.fetchall()}
            cursor.execute("SET LOCAL uppsikt.own_chunks = 'on'")

    def end_own(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL uppsikt.own_chunks = 'off'")

    def remember(self, batch: ImportBatch) -> None:
        """Put the digest on every chunk no one else touched since ``begin`` (a writer in
        progress is waited for) and keep the file's fingerprint."""
        held = sorted(self.generations)
        new = [(d, y) for d in self.definitions for y in self.years if (d, y) not in held]
        with connection.cursor() as cursor:
            # The merge wrote without the trigger: its chunks' periods are forgotten and
            # their generation counted here, on every chunk of the file (``total_periods``).
            cursor.execute(
                f"UPDATE {CHUNKS} c SET digest = CASE WHEN c.generation = s.g THEN %s "
                "ELSE c.digest END, total_periods = NULL, generation = c.generation + 1 "
                "FROM unnest(%s::bigint[], %s::integer[], %s::bigint[]) AS s(d, y, g) "
                "WHERE c.definition_id = s.d AND c.year = s.y",
                [
                    self.digest,
                    [d for d, _y in held],
                    [y for _d, y in held],
                    [self.generations[key] for key in held],
                ],
            )
            cursor.execute(
                f"INSERT INTO {CHUNKS} (definition_id, year, digest, generation) "
                "SELECT d, y, %s, 0 FROM unnest(%s::bigint[], %s::integer[]) AS s(d, y) "
                "ORDER BY 1, 2 ON CONFLICT (definition_id, year) DO NOTHING",
                [self.digest, [d for d, _y in new], [y for _d, y in new]],
            )
        # Every chunk of the file must carry the digest for a match (``matching``): one
        # touched meanwhile keeps it from matching until the next import.
        ImportFingerprint.objects.update_or_create(
            digest=self.digest,
            defaults={
                "rows": self.rows,
                "chunks": len(self.definitions) * len(self.years),
                "verdicts": self.verdicts,
                "batch": batch,
            },
        )
