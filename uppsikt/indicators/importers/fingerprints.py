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

Keeping it exact under concurrent writes: the import first takes (upserts, emptied) the
rows of all its chunks inside its transaction, then merges, then puts its digest on them.
A writer touching one of those chunks meanwhile waits in its trigger for the import to
commit and then empties the chunk; a writer that committed first is seen by the merge.
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
    """What an import of all its rows will remember: ``hold`` before the merge, ``remember``
    after it, in the merge's transaction (``core.merge_staged``)."""

    def __init__(
        self, digest: str, verdicts: dict, rows: int, definitions: list[int], years: list[int]
    ) -> None:
        self.digest, self.verdicts, self.rows = digest, verdicts, rows
        self.definitions, self.years = sorted(definitions), sorted(years)

    def hold(self) -> None:
        """Take the chunks' rows (emptied), so that writers wait for this import."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {CHUNKS} (definition_id, year, digest) "
                "SELECT d, y, '' FROM unnest(%s::bigint[]) d CROSS JOIN unnest(%s::integer[]) y "
                "ORDER BY 1, 2 ON CONFLICT (definition_id, year) DO UPDATE SET digest = ''",
                [self.definitions, self.years],
            )

    def remember(self, batch: ImportBatch) -> None:
        """Put the digest on the chunks and keep the file's fingerprint."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {CHUNKS} SET digest = %s WHERE definition_id = ANY(%s::bigint[]) "
                "AND year = ANY(%s::integer[])",
                [self.digest, self.definitions, self.years],
            )
            chunks = cursor.rowcount
        ImportFingerprint.objects.update_or_create(
            digest=self.digest,
            defaults={
                "rows": self.rows,
                "chunks": chunks,
                "verdicts": self.verdicts,
                "batch": batch,
            },
        )
