"""The one validation and commit core that every import format (and the API) goes through.

Rows come in as ``SourceRow`` (or plain dicts, numbered from 1), fields by their code name::

    {"indicator": "N79179", "organisation": "0018", "period": "2023", "gender": "K",
     "value": "74,1", "status": "preliminär", "source": "Kolada"}

``import_measurements`` then

1. checks that the actor may record measurements at all (``Perm.PLAN`` on some unit);
2. validates every row (unknown indicator or organisation, bad period, gender, number,
   status, no right to the organisation) and writes only the valid ones to a temporary
   staging table, so nothing real changes while it reads;
3. finds rows that repeat the key (indicator, organisation, period, kön) of an earlier row;
4. with any bad row, stops and changes nothing, unless ``skip_bad_rows``;
5. merges the staged rows into ``Measurement`` in one transaction with set-based SQL:
   new keys are inserted, changed values are updated and their earlier value, status and
   source kept as a ``MeasurementRevision`` (what ``record_measurement`` does one by one),
   equal rows are left alone: re-importing a file changes nothing and reports "oförändrade";
   a row with ``"withdrawn": True`` and no value withdraws the stored value of its key (kept
   as a revision, no longer current: ``Measurement.objects`` leaves it out), see
   docs/indicators.md;
6. writes one ``ImportBatch`` and one audit event with the counts, in the same transaction.

Who may write values of which organisation (``Perm.PLAN``): an organisation that has units
in Uppsikt needs the permission on one of its units; an organisation without units (Riket,
other regions and municipalities kept for comparison) needs it on any unit. ``actor=None``
stands for the command line (``accounts.commandline``), which may write everything.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from uppsikt.accounts.commandline import or_command_line
from uppsikt.audit.trail import record
from uppsikt.lib import pagecache
from uppsikt.lib.limits import limits, too_many_rows
from uppsikt.lib.progress import Progress, no_progress
from uppsikt.lib.typing import Actor

from ..models import ImportBatch, Measurement
from ..proposals import repropose_for_definitions
from .fingerprints import Fingerprint
from .rows import COLUMN_NAMES as COLUMN_NAMES
from .rows import FIELDS as FIELDS
from .rows import FileRejected as FileRejected
from .rows import ImportReport, RowError, SourceRow
from .rows import _text as _text
from .rows import read_value as read_value
from .staging import Merging, Staging
from .validation import _Validator

_CHUNK = 5000

# Sent inside the merge's transaction when it created or changed values, with
# ``definition_ids``: derived indicators are recomputed from them once it has committed
# (``tasks.on_values_changed``, connected in ``IndicatorsConfig.ready``).
values_changed = Signal()


# --- The import ----------------------------------------------------------------------------


def _as_rows(items: Iterable[SourceRow | RowError | Mapping]) -> Iterator[SourceRow | RowError]:
    for number, item in enumerate(items, start=1):
        if type(item) is SourceRow or isinstance(item, SourceRow | RowError):
            yield item
        else:  # a plain dict, e.g. from the API: numbered from 1, columns named by field
            yield SourceRow(number, item, {name: name for name in FIELDS})


def import_measurements(
    rows: Iterable[SourceRow | RowError | Mapping],
    *,
    actor: Actor | None,
    filename: str = "",
    format: str = "rader",
    skip_bad_rows: bool = False,
    dry_run: bool = False,
    default_source: str = "",
    total: int | None = None,
    progress: Progress = no_progress,
    computed: bool = False,
) -> ImportReport:
    """Validate every row, then (if allowed) merge them into the measurements.

    ``rows`` may mix ``SourceRow``, plain dicts and ``RowError`` (a problem a reader found,
    such as a short or truncated line). Nothing is written when any row is bad, unless
    ``skip_bad_rows``; nothing at all with ``dry_run``. ``total`` (rows expected, if known)
    only feeds ``progress``. ``computed`` is for ``derived.recompute`` only: it lets the rows
    of derived indicators in, which any other import refuses.

    >>> report = import_measurements(
    ...     [{"indicator": "hme", "organisation": "0018", "period": "2023", "value": "78,2"}],
    ...     actor=user, filename="api")
    >>> (report.imported, report.created)
    (True, 1)
    """
    actor = or_command_line(actor)
    within = limits()
    report = ImportReport(filename=filename, format=format, max_errors=within.errors)
    validator = _Validator(actor, computed=computed)
    progress(0, total or 0, _("Kontrollerar raderna"))
    with Staging() as staging:
        for item in _as_rows(rows):
            if isinstance(item, RowError):
                report.add_error(item)
                report.rows += item.line is not None
                continue
            if report.rows >= within.rows:  # one row too many: nothing more is read
                return _too_many_rows(report, within.rows)
            report.rows += 1
            if item.values.get("value") is None and item.values.get("empty"):
                report.empty += 1  # the source says there is no value: nothing to record
                continue
            checked = validator.check(item, report.rows, default_source)
            if isinstance(checked, list):
                for error in checked:
                    report.add_error(error)
            else:
                staging.add(checked)
            if report.rows % _CHUNK == 0:
                staging.flush()
                progress(report.rows, max(total or 0, report.rows), _("Kontrollerar raderna"))
        staging.flush()
        finish(
            staging,
            report,
            actor=actor,
            skip_bad_rows=skip_bad_rows,
            dry_run=dry_run,
            progress=progress,
        )
    return report


def _too_many_rows(report: ImportReport, limit: int) -> ImportReport:
    """The report of a file refused for its length: that one problem, nothing imported."""
    report.errors = [RowError(None, "", "too_many_rows", too_many_rows(limit).message)]
    report.more_errors = report.more_bad_lines = 0
    return report


def finish(
    staging: Staging,
    report: ImportReport,
    *,
    actor: Actor,
    skip_bad_rows: bool,
    dry_run: bool,
    progress: Progress,
    fingerprint: Fingerprint | None = None,
) -> None:
    """After validation: report repeated keys, then merge unless a bad row forbids it.

    ``report.errors`` holds the bad rows found so far; ``staging`` the valid ones;
    ``fingerprint`` is remembered if every row was merged (``merge_staged``).
    """
    duplicates = staging.duplicates()
    for line, first in duplicates.values():
        report.add_error(
            RowError(
                line,
                "",
                "duplicate",
                _("Samma indikator, organisation, period och kön som rad %(first)s.")
                % {"first": first},
            )
        )
    report.errors.sort(key=lambda e: (e.line or 0, e.column))
    if dry_run or (report.errors and not skip_bad_rows):
        return
    if duplicates:
        staging.discard(duplicates)
    report.skipped = report.bad_lines
    progress(report.rows, report.rows, _("Sparar mätvärdena"))
    try:
        batch = merge_staged(staging, report, actor, report.filename, report.format, fingerprint)
    except ValidationError as error:  # the database changed under the import
        report.errors.append(RowError(None, "", "changed_meanwhile", error.messages[0]))
        report.created = report.changed = report.unchanged = report.withdrawn = 0
        return
    report.imported = True
    report.batch_id = batch.pk


def merge_staged(
    staging: Merging,
    report: ImportReport,
    actor: Actor,
    filename: str,
    format: str,
    fingerprint: Fingerprint | None = None,
) -> ImportBatch:
    """Merge the staged rows, with the batch and its audit event, in one transaction.

    With ``fingerprint`` (a CSV file on PostgreSQL, every distinct text valid), its chunks'
    generations are noted before the merge and, if no row was bad or repeated, its digest
    is remembered after it (``fingerprints``).
    """
    if report.errors or report.skipped:
        # A file with rows left out is not remembered, so its merge must leave the same
        # marks as any other write (the trigger empties the digests it touches): merging
        # with its own chunks would keep an older file's digest on values it changed.
        fingerprint = None
    with transaction.atomic():
        now = timezone.now()
        if fingerprint is not None:
            fingerprint.begin()
        merged = staging.merge(now)
        if fingerprint is not None:
            fingerprint.end_own()
        report.created, report.changed = merged.created, merged.changed
        report.unchanged, report.withdrawn = merged.unchanged, merged.withdrawn
        if report.created or report.changed or report.withdrawn:
            # The rows went in by COPY and raw SQL, which send no model signal: the kept
            # public pages become old when this transaction commits (lib/pagecache.py).
            pagecache.content_changed()
            repropose_for_definitions(staging.definition_ids())
            # Recompute the derived indicators of these once this transaction has committed.
            values_changed.send(
                Measurement,
                definition_ids=staging.definition_ids(),
                rows=report.created + report.changed + report.withdrawn,
            )
        batch = record_batch(report, actor, filename, format)
        if fingerprint is not None:
            fingerprint.remember(batch)
    return batch


def record_batch(report: ImportReport, actor: Actor, filename: str, format: str) -> ImportBatch:
    """The ``ImportBatch`` of an import and its audit event, with the report's counts."""
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            filename=filename[:255],
            format=format,
            imported_by=actor if getattr(actor, "pk", None) else None,
            rows=report.rows,
            created=report.created,
            changed=report.changed,
            unchanged=report.unchanged,
            skipped=report.skipped,
            withdrawn=report.withdrawn,
        )
        counts = {
            "rader": report.rows,
            "nya": report.created,
            "ändrade": report.changed,
            "oförändrade": report.unchanged,
            "överhoppade": report.skipped,
            "borttagna": report.withdrawn,
        }
        record(
            actor=actor,
            action="measurements.import",
            obj=batch,
            after=counts,
            reason=_("Inläsning av %(file)s (%(format)s)") % {"file": filename, "format": format},
        )
    return batch
