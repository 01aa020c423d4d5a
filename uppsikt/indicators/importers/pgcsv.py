# ruff: noqa: S608 -- every name put into the SQL is a constant of this module or a model's table.
"""The PostgreSQL fast path for CSV files: validation by sets, not row by row.

The file's raw text goes into a TEMP table by ``COPY`` (one row per line, with its line
number), and each row is checked by joins instead of Python code per row:

* the indicator, organisation, period, kön, status and source columns repeat a handful of
  values, so each *distinct* raw value is judged once by the very functions the row-by-row
  path uses (``core._Validator``: same rules, same Swedish messages, the same permission
  check per organisation) and the verdicts go into small lookup tables;
* the value column is judged in SQL only for plain numbers (``74`` or ``-74,1``: the same
  pattern as ``rows._PLAIN_NUMBER``, read the same way); every other distinct text
  (``1 183``, ``−2,5``, ``74.1``, blanks …) is judged by ``core.read_value``;
* one ``INSERT … SELECT`` joining the lookups puts the valid rows into the usual staging
  table (``staging.Staging``), and only when some row was left out does a second query
  name every problem of every bad row. Repeated keys, skip-bad-rows, the merge, the batch,
  the audit event and the proposals refresh are the shared ``core.finish``.
* when every distinct text is valid, the merge first reads straight from the raw rows
  joined to their verdicts, with no typed staging copy (``_without_staging``): a file of
  new years only is loaded in bulk, an unchanged re-import is one join; anything else (a
  repeated key, a row failing the kön check, a change among stored years) rolls that
  attempt back and the rows are staged as above.

The report (rows, every ``RowError`` with line, column, code and message) and the stored
rows are the same as the row-by-row path's; ``tests/test_indicators_import_pg.py`` checks
that on generated good and bad files. Files whose lines are not simply one row each (quoted
fields, blank lines, mixed line endings, a ``\\.`` line, rows with more or fewer fields than
the header) go the row-by-row way: ``import_csv`` returns ``None`` for them.
"""

from __future__ import annotations

import codecs
import re

import psycopg
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from uppsikt.accounts.commandline import or_command_line
from uppsikt.lib.limits import limits, too_many_rows
from uppsikt.lib.progress import Progress
from uppsikt.lib.typing import Actor

from . import fingerprints
from .core import (
    COLUMN_NAMES,
    FIELDS,
    FileRejected,
    ImportReport,
    RowError,
    _Validator,
    finish,
    merge_staged,
    record_batch,
)
from .csvfile import open_csv
from .staging import TABLE as STAGING
from .staging import WORK_MEM, NotSimple, Staging
from .verdicts import LOOKED_UP, PLAIN_NUMBER, for_fingerprint, number, verdict
from .verdicts import same as same_verdicts

RAW = "indicators_import_raw"
LOOKUP = "indicators_import_lookup_"  # + field
# What str.strip() removes (str.isspace), as UTF-8 bytes: a row of nothing else is skipped.
_SPACE = (
    rb"(?:[\t\x0b\x0c\x1c-\x1f ]|\xc2[\x85\xa0]|\xe1\x9a\x80|\xe2\x80[\x80-\x8a\xa8\xa9\xaf]"
    rb"|\xe2\x81\x9f|\xe3\x80\x80)"
)
# The first bytes of the characters in ``_SPACE``.
_SPACE_STARTS = rb"\t\x0b\x0c\x1c-\x1f \xc2\xe1\xe2\xe3"


def _simple(body: bytes, delimiter: str) -> bool:
    """Whether every line of ``body`` is one row that ``COPY … csv`` reads as Python does."""
    if b'"' in body or b"\\." in body or b"\x00" in body:
        return False
    carriage = body.count(b"\r")
    if carriage and not (carriage == body.count(b"\r\n") == body.count(b"\n")):
        return False
    # A blank line starts with a newline, a space's first byte or the delimiter: only when
    # some line does, the full (and much slower) pattern looks for one.
    starts = b"[\r\n" + re.escape(delimiter.encode()) + _SPACE_STARTS + b"]"
    if re.match(starts, body) is None and re.search(b"\n" + starts, body) is None:
        return True
    blank = re.compile(rb"(?m)^(?:" + _SPACE + b"|" + re.escape(delimiter.encode()) + rb")*\r?$")
    return blank.search(body[:-1] if body.endswith(b"\n") else body) is None


def _copy_raw(body: bytes, width: int, delimiter: str) -> int:
    """The file's lines, as text, into the raw table (``RAW``) by ``COPY``; its row count."""
    columns = [f"c{index}" for index in range(width)]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {RAW}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {RAW} (line integer GENERATED ALWAYS AS IDENTITY "
            f"(START WITH 2), {', '.join(c + ' text' for c in columns)})"
        )
        quoted = {"\t": "E'\\t'"}.get(delimiter, f"'{delimiter}'")
        with cursor.cursor.copy(
            f"COPY {RAW} ({', '.join(columns)}) FROM STDIN (FORMAT csv, "
            f"DELIMITER {quoted}, FORCE_NOT_NULL ({', '.join(columns)}))"
        ) as copy:
            for start in range(0, len(body), 1 << 20):
                copy.write(body[start : start + (1 << 20)])
        return cursor.cursor.rowcount


def _utf8(data: bytes, encoding: str) -> bytes:
    """The file's bytes as UTF-8 without a byte-order mark."""
    if encoding == "utf-8-sig":
        return data.removeprefix(codecs.BOM_UTF8)
    return data.decode(encoding).encode()


def _within_limits(body: bytes):
    """The import's limits; a file of more rows than they allow is refused whole."""
    within = limits()
    if body.count(b"\n") + (not body.endswith(b"\n")) > within.rows:  # a row a line here
        raise FileRejected(
            [RowError(None, "", "too_many_rows", too_many_rows(within.rows).message)]
        )
    return within


def import_csv(
    data: bytes,
    *,
    actor: Actor | None,
    filename: str,
    skip_bad_rows: bool,
    dry_run: bool,
    progress: Progress,
) -> ImportReport | None:
    """Import a CSV file on PostgreSQL, or ``None`` when it must go row by row.

    Raises ``FileRejected`` (unreadable file or header) and ``PermissionDenied`` as the
    row-by-row path does.
    """
    if connection.vendor != "postgresql":
        return None
    opened = open_csv(data)
    data = _utf8(data, opened.encoding)
    newline = data.find(b"\n")
    head = data[:newline].removesuffix(b"\r")
    if newline < 0 or b'"' in head or b"\r" in head:
        return None
    body = data[newline + 1 :]
    digest = fingerprints.file_digest(data)
    known = None if dry_run else fingerprints.matching(digest)
    if not body or (known is None and not _simple(body, opened.delimiter)):
        return None
    actor = or_command_line(actor)
    within = _within_limits(body)
    report = ImportReport(filename=filename, format="csv", max_errors=within.errors)
    validator = _Validator(actor)
    if known is not None and same_verdicts(validator, known.verdicts):
        return _unchanged(report, known, actor, progress)
    progress(0, opened.total, _("Kontrollerar raderna"))
    # Arrow is loaded by the first CSV import on PostgreSQL, not by every process at start.
    from . import columnar

    if not dry_run and columnar.import_new_years(
        body, opened, validator, digest, report, actor, progress
    ):
        return report
    with Staging() as staging:
        try:
            report.rows = _copy_raw(body, opened.width, opened.delimiter)
        except psycopg.Error:
            return None  # COPY reads the lines differently (e.g. a short row): row by row
        try:
            checks = _judge(validator, opened.fields)
            progress(report.rows, report.rows, _("Kontrollerar raderna"))
            with connection.cursor() as cursor:
                valid = checks.known(cursor)
            fingerprint = None
            if valid is not None:
                fingerprint = fingerprints.Fingerprint(
                    digest, checks.verdicts, report.rows, valid[0], valid[2]
                )
            done = not dry_run and _without_staging(
                staging, report, checks, actor, progress, valid, fingerprint
            )
            if not done:
                _stage(staging, report, checks)
        finally:
            _drop()
        if not done:
            finish(
                staging,
                report,
                actor=actor,
                skip_bad_rows=skip_bad_rows,
                dry_run=dry_run,
                progress=progress,
                fingerprint=fingerprint,
            )
    return report


def _unchanged(report: ImportReport, known, actor: Actor, progress: Progress) -> ImportReport:
    """The report, batch and audit event of a file known unchanged by its fingerprint."""
    report.rows = report.unchanged = known.rows
    progress(report.rows, report.rows, _("Sparar mätvärdena"))
    batch = record_batch(report, actor, report.filename, report.format)
    report.imported = True
    report.batch_id = batch.pk
    return report


def _drop() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {RAW}")
        for name in (*LOOKED_UP, "value"):
            cursor.execute(f"DROP TABLE IF EXISTS {LOOKUP}{name}")


def _lookup(cursor, name: str, rows: list[tuple]) -> None:
    """A lookup table: raw text → (result, flag, code, message); code is NULL when valid."""
    cursor.execute(f"DROP TABLE IF EXISTS {LOOKUP}{name}")
    kind = {"value": "numeric(16, 4)", "indicator": "bigint", "organisation": "bigint"}
    cursor.execute(
        f"CREATE TEMPORARY TABLE {LOOKUP}{name} (raw text PRIMARY KEY, "
        f"result {kind.get(name, 'text')}, flag boolean, code text, message text)"
    )
    if rows:
        with cursor.cursor.copy(
            f"COPY {LOOKUP}{name} (raw, result, flag, code, message) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(row)
    cursor.execute(f"ANALYZE {LOOKUP}{name}")


def _judge(validator: _Validator, fields) -> _Checks:
    """Judge every column's distinct texts (lookup tables); the checks that join them."""
    column = {name: f"r.c{index}" for name, (index, _label) in fields.items()}
    present = [name for name in LOOKED_UP if name in column]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        verdicts = _judge_distinct_texts(cursor, validator, column, present)
    checks = _Checks(validator, column, present, fields)
    # For the file's fingerprint: every verdict, as JSON (a column the file lacks: "none").
    checks.verdicts = for_fingerprint(validator, verdicts)
    return checks


def _stage(staging: Staging, report: ImportReport, checks: _Checks) -> None:
    """Stage the valid rows, add every problem of the others to ``report.errors``."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        # Every lookup is small and every row is joined to each: hashes, never nested
        # loops (the planner cannot know how few rows the value check leaves out).
        cursor.execute("SET LOCAL enable_nestloop = off")
        cursor.execute(
            f"INSERT INTO {STAGING} (seq, line, definition_id, organisation_id, period, gender, "
            f"value, status, source, withdrawn) SELECT r.line, {checks.rows()}"
        )
        staging.count = cursor.rowcount
        if staging.count == report.rows:
            return
        _report_left_out(cursor, report, checks)


def _without_staging(
    staging: Staging,
    report: ImportReport,
    checks: _Checks,
    actor: Actor,
    progress: Progress,
    known: tuple | None,
    fingerprint: fingerprints.Fingerprint | None,
) -> bool:
    """Merge straight from the raw rows joined to their verdicts, if that is simple: no
    distinct text was judged a problem, and either every year is new (loaded in bulk) or
    nothing is new or changed (an unchanged re-import: nothing written). Whether some row
    fails the kön check or repeats a key shows in the merge itself, which then rolls back
    (``NotSimple``, or the key's build: ``IntegrityError``), and the rows are staged the
    usual way, which names them. ``known``: ``_Checks.known``. Returns whether the file was
    imported so."""
    if known is None:
        return False
    staging.read_from(f"SELECT {checks.rows()}", report.rows, known)
    progress(report.rows, report.rows, _("Sparar mätvärdena"))
    try:
        batch = merge_staged(staging, report, actor, report.filename, report.format, fingerprint)
    except (NotSimple, IntegrityError, ValidationError):
        staging.read_from(None, 0, None)
        report.created = report.changed = report.unchanged = report.withdrawn = 0
        return False
    report.imported = True
    report.batch_id = batch.pk
    return True


def _judge_distinct_texts(cursor, validator: _Validator, column: dict, present: list) -> dict:
    """One scan for every column's distinct texts, each judged once into its lookup table;
    the value column only where it is not a plain number (so the pattern is tested once a
    row, here and nowhere else)."""
    odd_value = f"CASE WHEN {column['value']} ~ %s THEN NULL ELSE {column['value']} END"
    picked = [column[name] for name in present] + [odd_value]
    names = [f"k{index}" for index in range(len(picked))]
    inner = ", ".join(
        f"{expression} AS {name}" for expression, name in zip(picked, names, strict=True)
    )
    cursor.execute(
        f"SELECT {', '.join(names)}, GROUPING({', '.join(names)}) "
        f"FROM (SELECT {inner} FROM {RAW} r) r "
        f"GROUP BY GROUPING SETS ({', '.join(f'({name})' for name in names)})",
        [PLAIN_NUMBER],
    )
    distinct: dict[int, list] = {index: [] for index in range(len(picked))}
    width = len(picked)
    for *values, grouping in cursor.fetchall():
        # GROUPING() has a 1 bit for each column not grouped by, the first one highest.
        index = next(i for i in range(width) if not grouping & (1 << (width - 1 - i)))
        distinct[index].append(values[index])
    verdicts = {}
    for index, name in enumerate(present):
        verdicts[name] = [verdict(validator, name, raw) for raw in distinct[index]]
        _lookup(cursor, name, verdicts[name])
    odd = [raw for raw in distinct[width - 1] if raw is not None]
    _lookup(cursor, "value", [number(raw) for raw in odd])
    return verdicts


class _Checks:
    """The SQL that joins each raw row to its verdicts: ``joins``, the condition of a valid
    row (``fine``), and the kön check that needs the indicator (``by_gender_ok``)."""

    def __init__(self, validator: _Validator, column: dict, present: list, fields):
        self.validator, self.column, self.present = validator, column, present
        self.verdicts: dict[str, list] = {}
        self.label = {name: label for name, (_index, label) in fields.items()}
        self.joins = " ".join(
            f"JOIN {LOOKUP}{name} {name} ON {name}.raw = {column[name]}" for name in present
        )
        self.joins += f" LEFT JOIN {LOOKUP}value value ON value.raw = {column['value']}"
        self.gender = self.result("gender")
        self.by_gender_ok = f"({self.gender} = 'T' OR indicator.flag)"
        self.gender_valid = "gender.code IS NULL" if "gender" in column else "TRUE"
        self.fine = " AND ".join(
            [f"{name}.code IS NULL" for name in present] + ["value.code IS NULL", self.by_gender_ok]
        )

    def rows(self) -> str:
        """``line, definition_id, …, source`` of every valid row (after ``SELECT``)."""
        return (
            "r.line, indicator.result AS definition_id, organisation.result AS "
            f"organisation_id, period.result AS period, {self.gender} AS gender, "
            f"CASE WHEN value.raw IS NULL THEN replace({self.column['value']}, ',', '.')"
            "::numeric(16, 4) ELSE value.result END AS value, "
            f"{self.result('status')} AS status, {self.result('source')} AS source, "
            f"false AS withdrawn FROM {RAW} r {self.joins} WHERE {self.fine}"
        )

    def known(self, cursor) -> tuple | None:
        """The valid rows' definitions, organisations and years, if every distinct text
        was judged valid (then they are the lookups' own); else ``None``."""
        lookups = [*self.present, "value"]
        cursor.execute(
            " UNION ALL ".join(
                f"SELECT 1 FROM {LOOKUP}{name} WHERE code IS NOT NULL" for name in lookups
            )
            + " LIMIT 1"
        )
        if cursor.fetchone():
            return None
        found = []
        for name, picked in (("indicator", "result"), ("organisation", "result")):
            cursor.execute(f"SELECT DISTINCT {picked} FROM {LOOKUP}{name}")
            found.append(sorted(row[0] for row in cursor.fetchall()))
        cursor.execute(f"SELECT DISTINCT left(result, 4)::integer FROM {LOOKUP}period")
        found.append(sorted(row[0] for row in cursor.fetchall()))
        return tuple(found)

    def result(self, name: str) -> str:
        """The column's judged value; for a column the file does not have, the verdict on
        "no value" (never a problem)."""
        if name in self.column:
            return f"{name}.result"
        judged = verdict(self.validator, name, None)
        assert judged[3] is None
        return "'" + str(judged[1] or "").replace("'", "''") + "'"


def _report_left_out(cursor, report: ImportReport, checks: _Checks) -> None:
    """Some row was left out: name every problem of every such row."""
    present, label = checks.present, checks.label
    found_by = [f"{name}.code, {name}.message" for name in present]
    # A server-side cursor: a file of a million bad rows is read a batch at a time, and
    # ``report`` keeps only the first problems (``lib.limits``), counting the rest.
    bad = connection.connection.cursor(name="indicators_import_bad_rows")
    bad.execute(
        f"SELECT r.line, {', '.join(found_by)}, value.code, value.message, "
        f"indicator.code IS NULL AND {checks.gender_valid} AND NOT {checks.by_gender_ok} "
        f"FROM {RAW} r {checks.joins} WHERE NOT ({checks.fine}) ORDER BY r.line"
    )
    fields_checked = [*present, "value"]
    not_by_gender = _("Indikatorn redovisas inte per kön; använd T.")
    with bad:
        _name_problems(bad, report, fields_checked, label, not_by_gender)


def _name_problems(bad, report: ImportReport, fields_checked, label, not_by_gender) -> None:
    for line, *found in bad:
        problems = {}
        for index, name in enumerate(fields_checked):
            code, message = found[2 * index : 2 * index + 2]
            if code is not None:
                problems[name] = (code, message)
        if found[-1] and "gender" not in problems:
            problems["gender"] = ("not_by_gender", not_by_gender)
        for name in FIELDS:
            if name in problems:
                code, message = problems[name]
                where = label.get(name) or COLUMN_NAMES[name]
                report.add_error(RowError(line, where, code, message))
