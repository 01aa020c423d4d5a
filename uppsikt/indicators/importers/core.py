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

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from uppsikt.accounts.access import EVERYWHERE, Perm, units_with
from uppsikt.accounts.commandline import or_command_line
from uppsikt.audit.trail import record
from uppsikt.lib.limits import limits, too_many_rows
from uppsikt.lib.numbers import NumberError, parse_number
from uppsikt.lib.progress import Progress, no_progress
from uppsikt.lib.typing import Actor
from uppsikt.organisations.models import Organisation, Unit

from ..models import DerivedIndicator, ImportBatch, IndicatorDefinition, Measurement
from ..periods import PeriodError, format_period, parse_period
from ..proposals import repropose_for_definitions
from .staging import Staging

FIELDS = ("indicator", "organisation", "period", "gender", "value", "status", "source")
REQUIRED = ("indicator", "organisation", "period", "value")
# The column names a file uses (and the downloadable template has), by field.
COLUMN_NAMES = {
    "indicator": "indikator",
    "organisation": "organisation",
    "period": "period",
    "gender": "kön",
    "value": "värde",
    "status": "status",
    "source": "källa",
}
GENDERS = {
    "": "T",
    "t": "T",
    "totalt": "T",
    "k": "K",
    "kvinnor": "K",
    "m": "M",
    "män": "M",
    "man": "M",
}
STATUSES = {
    "": Measurement.DataStatus.SLUTLIG,
    "s": Measurement.DataStatus.SLUTLIG,
    "slutlig": Measurement.DataStatus.SLUTLIG,
    "slutligt": Measurement.DataStatus.SLUTLIG,
    "p": Measurement.DataStatus.PRELIMINAR,
    "prel": Measurement.DataStatus.PRELIMINAR,
    "preliminar": Measurement.DataStatus.PRELIMINAR,
    "preliminär": Measurement.DataStatus.PRELIMINAR,
    "preliminärt": Measurement.DataStatus.PRELIMINAR,
    "preliminary": Measurement.DataStatus.PRELIMINAR,
}
MAX_WHOLE_DIGITS = 12  # Measurement.value: 16 digits, 4 of them decimals
MAX_DECIMALS = 4
_PLAIN_NUMBER = re.compile(r"^-?\d{1,12}(?:,\d{1,4})?$")
_CHUNK = 5000
# Sent inside the merge's transaction when it created or changed values, with
# ``definition_ids``: derived indicators are recomputed from them once it has committed
# (``derived.on_values_changed``, connected in ``IndicatorsConfig.ready``).
values_changed = Signal()


def derived_refusal(name: str) -> str:
    """Why a derived indicator's value is not read in or entered by hand (``derived.py``)."""
    return _(
        "”%(name)s” är en beräknad indikator: dess värden räknas fram ur indatan och "
        "läses inte in eller anges för hand."
    ) % {"name": name}


@dataclass(frozen=True)
class RowError:
    """One bad row (or a file-level problem when ``line`` is None), for people and the API."""

    line: int | None
    column: str
    code: str  # machine-readable: unknown_indicator, bad_number, duplicate …
    message: str  # Swedish, for people

    def to_data(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        where = _("rad %(line)s") % {"line": self.line} if self.line else _("filen")
        if self.column:
            where += ", " + _("kolumn %(column)s") % {"column": self.column}
        return f"{where}: {self.message}"


class FileRejected(Exception):
    """The file cannot be read at all (wrong encoding, not a workbook, no header …)."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


@dataclass
class SourceRow:
    """One row as a format read it: raw values by field, and where each came from."""

    line: int
    values: Mapping[str, object]
    columns: Mapping[str, str] = field(default_factory=dict)  # field → column as in the file

    def column(self, name: str) -> str:
        return self.columns.get(name) or COLUMN_NAMES[name]


@dataclass
class ImportReport:
    filename: str
    format: str
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    imported: bool = False
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    skipped: int = 0  # bad rows left out with skip_bad_rows
    empty: int = 0  # rows the source marks as having no value (Kolada "Missing")
    withdrawn: int = 0  # current values the source withdrew (rows with "withdrawn")
    batch_id: int | None = None
    # Problems are listed up to ``max_errors`` (``lib.limits``); the rest are only counted.
    max_errors: int | None = None
    more_errors: int = 0
    more_bad_lines: int = 0
    _last_line: int | None = field(default=None, repr=False)

    def add_error(self, error: RowError) -> None:
        """Keep ``error`` while fewer than ``max_errors`` are listed, else count it.

        Errors arrive row by row (a row's errors together), so a new line is a new bad row.
        """
        if self.max_errors is None or len(self.errors) < self.max_errors:
            self.errors.append(error)
        else:
            self.more_errors += 1
            self.more_bad_lines += error.line != self._last_line
        self._last_line = error.line

    @property
    def error_count(self) -> int:
        return len(self.errors) + self.more_errors

    @property
    def bad_lines(self) -> int:
        return len({e.line for e in self.errors}) + self.more_bad_lines

    def to_data(self, max_errors: int | None = None) -> dict:
        """JSON-ready, e.g. for a job's result page or the API (errors possibly capped)."""
        errors = self.errors if max_errors is None else self.errors[:max_errors]
        return {
            "filename": self.filename,
            "format": self.format,
            "rows": self.rows,
            "imported": self.imported,
            "created": self.created,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "empty": self.empty,
            "withdrawn": self.withdrawn,
            "error_count": self.error_count,
            "errors": [e.to_data() for e in errors],
            "batch_id": self.batch_id,
        }


# --- Reading single values -------------------------------------------------------------------


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_value(raw: object) -> Decimal:
    """A measured value: Swedish text ("74,1", "1 183", "−2,5") or a number from a workbook.

    Raises ``ValueError`` with a Swedish message.
    """
    if isinstance(raw, str) and _PLAIN_NUMBER.match(raw):
        # The common case, and within the limits by its pattern: no further checks.
        return Decimal(raw.replace(",", "."))
    if isinstance(raw, Decimal):
        number = raw
    else:
        try:
            number = parse_number(raw.strip() if isinstance(raw, str) else raw)
        except NumberError as error:
            raise ValueError(str(error)) from error
    if not number.is_finite():
        raise ValueError(_("Värdet är inte ett tal."))
    exponent = number.as_tuple().exponent
    if (
        isinstance(exponent, int)
        and exponent < -MAX_DECIMALS
        and number != number.quantize(Decimal(1).scaleb(-MAX_DECIMALS))
    ):
        raise ValueError(_("Värdet har fler än fyra decimaler."))
    if abs(number) >= Decimal(10) ** MAX_WHOLE_DIGITS:
        raise ValueError(_("Värdet är för stort (högst tolv siffror före decimalkommat)."))
    return number


def read_code(raw: object) -> str:
    """An organisation code; a workbook that dropped leading zeros (18 → 0018) is forgiven."""
    text = _text(raw)
    if text.isdigit() and len(text) < 4:
        text = text.zfill(4)
    return text


# --- Who may write what ---------------------------------------------------------------------


def forbidden_organisations(actor: Actor) -> set[int]:
    """Ids of organisations whose values ``actor`` may not write (see the module's rule).

    Raises ``PermissionDenied`` when the actor may not record measurements anywhere.
    """
    allowed_units = units_with(actor, Perm.PLAN)
    if allowed_units is EVERYWHERE:
        return set()
    if not allowed_units:
        raise PermissionDenied(_("Du har inte behörighet att läsa in mätvärden."))
    with_units = set(Unit.objects.values_list("organisation_id", flat=True).distinct())
    allowed = set(
        Unit.objects.filter(pk__in=allowed_units).values_list("organisation_id", flat=True)
    )
    return with_units - allowed


# --- Validation ------------------------------------------------------------------------------


Problem = tuple[str, str, str]  # (field, code, message)


class _Validator:
    """Checks rows against the database's definitions and organisations.

    Files repeat the same few indicators, organisations, periods, genders and statuses on
    every row, so each distinct raw text is judged once and remembered: a national file of
    millions of rows costs a handful of dictionary look-ups per row plus its number.
    """

    def __init__(self, actor: Actor, *, computed: bool = False) -> None:
        self.definitions: dict[str, tuple[int, bool] | None] = {}
        # A derived indicator's values are computed, never read in (``derived.py``), except
        # by the recompute itself (``computed``).
        self.derived = (
            set()
            if computed
            else set(DerivedIndicator.objects.values_list("definition_id", flat=True))
        )
        for pk, key, code, by_gender in IndicatorDefinition.objects.values_list(
            "pk", "key", "source_code", "by_gender"
        ):
            self.definitions[key] = (pk, by_gender)
            if code:
                code = code.strip().upper()
                known = self.definitions.get(code)
                # Two definitions with one source id: refuse rather than guess.
                self.definitions[code] = (
                    (pk, by_gender) if known in (None, (pk, by_gender)) else None
                )
        self.organisations = dict(Organisation.objects.values_list("code", "pk"))
        self.names = dict(Organisation.objects.values_list("pk", "name"))
        self.forbidden = forbidden_organisations(actor)
        self.cache: dict[str, dict[object, tuple[object, Problem | None]]] = {
            name: {} for name in ("indicator", "organisation", "period", "gender", "status")
        }

    # Each returns (value, problem or None) for one raw field value.

    def _indicator(self, raw: object):
        text = _text(raw)
        if not text:
            return None, ("indicator", "missing", _("Värde saknas."))
        key = text if text in self.definitions else text.upper()
        if key not in self.definitions:
            return None, (
                "indicator",
                "unknown_indicator",
                _("Okänd indikator ”%(x)s”.") % {"x": text},
            )
        found = self.definitions[key]
        if found is None:
            return None, (
                "indicator",
                "ambiguous_indicator",
                _("Flera indikatorer har id ”%(x)s”; ange indikatorns nyckel.") % {"x": text},
            )
        if found[0] in self.derived:
            name = IndicatorDefinition.objects.get(pk=found[0]).name
            return None, ("indicator", "derived_indicator", derived_refusal(name))
        return found, None

    def _organisation(self, raw: object):
        code = read_code(raw)
        if not code:
            return None, ("organisation", "missing", _("Värde saknas."))
        organisation = self.organisations.get(code)
        if organisation is None:
            return None, (
                "organisation",
                "unknown_organisation",
                _("Okänd organisation ”%(x)s”.") % {"x": code},
            )
        if organisation in self.forbidden:
            return None, (
                "organisation",
                "forbidden",
                _("Du har inte behörighet att ändra värden för %(name)s.")
                % {"name": self.names[organisation]},
            )
        return organisation, None

    def _period(self, raw: object):
        text = _text(raw)
        if not text:
            return None, ("period", "missing", _("Värde saknas."))
        try:
            return format_period(parse_period(text)), None
        except PeriodError:
            return None, (
                "period",
                "bad_period",
                _(
                    "”%(x)s” är ingen period: skriv 2023 (år), 2023T2 (tertial) "
                    "eller 2023-07 (månad)."
                )
                % {"x": text},
            )

    def _gender(self, raw: object):
        text = _text(raw)
        gender = GENDERS.get(text.lower())
        if gender is None:
            return None, (
                "gender",
                "bad_gender",
                _("Okänt kön ”%(x)s”: använd T, K eller M.") % {"x": text},
            )
        return gender, None

    def _status(self, raw: object):
        text = _text(raw)
        status = STATUSES.get(text.lower())
        if status is None:
            return None, (
                "status",
                "bad_status",
                _("Okänd status ”%(x)s”: använd preliminär eller slutlig.") % {"x": text},
            )
        return status, None

    def _field(self, name: str, raw: object):
        cache = self.cache[name]
        try:
            return cache[raw]
        except KeyError:
            pass
        except TypeError:  # an unhashable value from a JSON document
            return getattr(self, "_" + name)(str(raw))
        result = getattr(self, "_" + name)(raw)
        if len(cache) < 100_000:
            cache[raw] = result
        return result

    def check(self, row: SourceRow, seq: int, default_source: str):
        """The staged tuple for ``row``, or the list of its errors."""
        values = row.values
        get = values.get
        field = self._field
        definition, p1 = field("indicator", get("indicator"))
        organisation, p2 = field("organisation", get("organisation"))
        period, p3 = field("period", get("period"))
        gender, p4 = field("gender", get("gender"))
        status, p5 = field("status", get("status"))
        problems = [p for p in (p1, p2, p3, p4, p5) if p is not None]
        if gender is not None and gender != "T" and definition and not definition[1]:
            problems.append(
                ("gender", "not_by_gender", _("Indikatorn redovisas inte per kön; använd T."))
            )
        raw_value = get("value")
        value = None
        blank = raw_value is None or (isinstance(raw_value, str) and not raw_value.strip())
        withdrawn = get("withdrawn") is True
        if withdrawn:
            if not blank:
                problems.append(
                    ("value", "withdrawn_with_value", _("Ett borttaget värde ska sakna värde."))
                )
        elif blank:
            problems.append(("value", "missing", _("Värde saknas.")))
        else:
            try:
                value = read_value(raw_value)
            except ValueError as error:
                problems.append(("value", "bad_number", str(error)))
        source = get("source")
        source = _text(source) if source is not None else ""
        source = source or default_source
        if len(source) > 200:
            problems.append(("source", "too_long", _("Källan är längre än 200 tecken.")))
        if problems:
            order = {name: index for index, name in enumerate(FIELDS)}
            problems.sort(key=lambda p: order[p[0]])
            return [RowError(row.line, row.column(f), code, msg) for f, code, msg in problems]
        return (
            seq,
            row.line,
            definition[0],
            organisation,
            period,
            gender,
            value,
            status,
            withdrawn,
            source,
        )


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
) -> None:
    """After validation: report repeated keys, then merge unless a bad row forbids it.

    ``report.errors`` holds the bad rows found so far; ``staging`` the valid ones.
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
        batch = merge_staged(staging, report, actor, report.filename, report.format)
    except ValidationError as error:  # the database changed under the import
        report.errors.append(RowError(None, "", "changed_meanwhile", error.messages[0]))
        report.created = report.changed = report.unchanged = report.withdrawn = 0
        return
    report.imported = True
    report.batch_id = batch.pk


def merge_staged(
    staging: Staging, report: ImportReport, actor: Actor, filename: str, format: str
) -> ImportBatch:
    """Merge the staged rows, with the batch and its audit event, in one transaction."""
    with transaction.atomic():
        now = timezone.now()
        merged = staging.merge(now)
        report.created, report.changed = merged.created, merged.changed
        report.unchanged, report.withdrawn = merged.unchanged, merged.withdrawn
        if report.created or report.changed or report.withdrawn:
            repropose_for_definitions(staging.definition_ids())
            # Recompute the derived indicators of these once this transaction has committed.
            values_changed.send(Measurement, definition_ids=staging.definition_ids())
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
