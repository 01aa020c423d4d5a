"""The periods in which a definition has a current total value, kept per chunk.

A page that offers a definition's periods (the comparison view's period picker) would
otherwise read every value of the definition, in every year's partition, to find a
handful of distinct periods. Each chunk (``ValueChunk``: one definition, one year) keeps
its periods in ``total_periods`` once they have been read; NULL means unknown. Whoever
writes a value forgets them: the trigger on ``Measurement`` (migration 0010) for every
write, and an import that merged without the trigger, for its chunks (``importers.
fingerprints``). Both also count one more ``generation``.

Filling in what is unknown is a page's side effect, so it must never keep a writer waiting
or store a list read before a write committed: it stores a chunk's periods only where the
chunk is still at the generation read before the values were, and (on PostgreSQL) skips a
chunk a writer holds. At worst it stores nothing and the next page reads again.
"""

from __future__ import annotations

from django.db import DatabaseError, connection, transaction

from .models import Measurement, ValueChunk
from .periods import parse_period

SEPARATOR = ","
CHUNKS = ValueChunk._meta.db_table


def periods_with_totals(definition_id: int) -> list[str]:
    """The periods with a current total value of the definition, in time order."""
    with connection.cursor() as cursor:
        # Plain SQL: the ORM took longer to compose this than the database to answer it.
        cursor.execute(
            f"SELECT year, generation, total_periods FROM {CHUNKS} "  # noqa: S608 -- a constant
            "WHERE definition_id = %s",
            [definition_id],
        )
        chunks = cursor.fetchall()
    found: set[str] = set()
    unknown: dict[int, int] = {}
    for year, generation, periods in chunks:
        if periods is None:
            unknown[year] = generation
        elif periods:
            found.update(periods.split(SEPARATOR))
    if unknown:
        read = read_periods(definition_id, sorted(unknown))
        found.update(period for periods in read.values() for period in periods)
        _remember(definition_id, {year: (unknown[year], read.get(year, [])) for year in unknown})
    return sorted(found, key=parse_period)


def read_periods(definition_id: int, years: list[int]) -> dict[int, list[str]]:
    """The periods with a current total value in ``years``, by year, from the values."""
    values = Measurement.objects.filter(
        definition_id=definition_id,
        gender=Measurement.Gender.TOTALT,
        period__gte=str(years[0]),
        period__lt=str(years[-1] + 1),
    ).order_by()
    wanted = set(years)
    by_year: dict[int, list[str]] = {}
    for period in sorted(set(values.values_list("period", flat=True)), key=parse_period):
        if int(period[:4]) in wanted:
            by_year.setdefault(int(period[:4]), []).append(period)
    return by_year


def _remember(definition_id: int, read: dict[int, tuple[int, list[str]]]) -> None:
    """Store each year's periods where its chunk is still unknown at the generation read."""
    years = sorted(read)
    generations = [read[year][0] for year in years]
    texts = [SEPARATOR.join(read[year][1]) for year in years]
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"UPDATE {CHUNKS} c SET total_periods = s.p "  # noqa: S608 -- a constant
                    "FROM unnest(%s::integer[], %s::bigint[], %s::text[]) AS s(y, g, p) "
                    f"WHERE c.id IN (SELECT id FROM {CHUNKS} WHERE definition_id = %s "
                    "AND year = ANY(%s::integer[]) AND total_periods IS NULL "
                    "FOR UPDATE SKIP LOCKED) "
                    "AND c.year = s.y AND c.generation = s.g AND c.total_periods IS NULL",
                    [years, generations, texts, definition_id, years],
                )
            else:
                cursor.executemany(
                    f"UPDATE {CHUNKS} SET total_periods = %s "  # noqa: S608 -- a constant
                    "WHERE definition_id = %s AND year = %s AND generation = %s "
                    "AND total_periods IS NULL",
                    [
                        (t, definition_id, y, g)
                        for y, g, t in zip(years, generations, texts, strict=True)
                    ],
                )
    except DatabaseError:
        # SQLite busy with a writer past its timeout: the periods are still right, only
        # not kept; the next page reads them again.
        return
