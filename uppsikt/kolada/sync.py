"""Bringing the values of the KPIs linked to indicator definitions from Kolada.

A sync of an organisation reads, for every KPI linked to a definition (``source_kind``
"kolada", ``source_code`` the KPI id: all such definitions, since definitions belong to no
organisation and any plan may use them), the values of

- the organisation itself and Riket (0000),
- its comparison organisations, by its ``SyncSettings.comparison`` (default: all of the
  same kind; or the kommuner of its län; all regions and kommuner; or none),

leaving out organisations that have units in Uppsikt where the actor may not write values
(their own sync brings them). Only organisations in Uppsikt's register are asked for
(``uppsikt load_organisations`` adds all 312).

It is incremental: it asks Kolada for what changed since the day the organisation's last
successful sync started (``from_date``); a KPI that run did not have, a first run, a run
after the settings changed, or one started with ``full`` reads everything. All pages are
read before anything is written; then the values go through the indicator import
(``indicators.importers.import_measurements``: the same validation, revisions of changed
values, one ``ImportBatch`` and its audit event), source "Kolada", preliminary where
Kolada says so. A value Kolada has as ``null`` or marks ``isdeleted`` withdraws the stored
value (kept in its history) where there is one, and is counted as empty where there is
none. A definition not reported by kön takes only Kolada's total (T).

Any failure (Kolada unreachable after its retries, a malformed answer, a refused row)
marks the ``SyncRun`` failed with the Swedish reason and writes no value.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from uppsikt.accounts.access import EVERYWHERE, Perm, units_with
from uppsikt.accounts.commandline import or_command_line
from uppsikt.audit.trail import record
from uppsikt.indicators.importers import ImportReport, import_measurements
from uppsikt.indicators.importers.kolada import value_fields
from uppsikt.indicators.importers.rows import GENDERS
from uppsikt.indicators.importers.validation import forbidden_organisations
from uppsikt.indicators.models import IndicatorDefinition, Measurement
from uppsikt.lib.progress import Progress, no_progress
from uppsikt.lib.typing import Actor
from uppsikt.organisations.models import Organisation

from .client import KoladaClient, KoladaError
from .models import SyncRun, SyncSettings

JOB_KIND = "kolada_sync"
SOURCE = "Kolada"
RIKET = "0000"


class SyncFailed(ValidationError):
    """A sync that stopped: its run is marked failed with this (Swedish) message."""


# --- Who, and what ---------------------------------------------------------------------------


def may_sync(user, organisation: Organisation) -> bool:
    """``Perm.PLAN`` on some unit of the organisation (an administrator holds it too)."""
    allowed = units_with(user, Perm.PLAN)
    if allowed is EVERYWHERE:
        return True
    return bool(allowed) and organisation.units.filter(pk__in=allowed).exists()


def syncable_organisations(user) -> list[Organisation]:
    """The organisations (with units in Uppsikt) whose sync page ``user`` may open."""
    allowed = units_with(user, Perm.PLAN)
    if not allowed:
        return []
    found = Organisation.objects.filter(units__isnull=False)
    if allowed is not EVERYWHERE:
        found = found.filter(units__pk__in=allowed)
    return list(found.distinct().order_by("name"))


def require_sync_right(user, organisation: Organisation) -> None:
    if not may_sync(user, organisation):
        raise PermissionDenied(
            _("Du har inte behörighet att synka Kolada-värden för %(name)s.")
            % {"name": organisation}
        )


def settings_for(organisation: Organisation) -> SyncSettings:
    """The organisation's settings, or the defaults (unsaved) when it has none."""
    found = SyncSettings.objects.filter(organisation=organisation).first()
    return found or SyncSettings(organisation=organisation)


def comparison_organisations(organisation: Organisation, comparison: str) -> QuerySet:
    kinds = Organisation.Kind
    found = Organisation.objects.all()
    if comparison == SyncSettings.Comparison.SAME_KIND and organisation.kind in (
        kinds.REGION,
        kinds.KOMMUN,
    ):
        return found.filter(kind=organisation.kind)
    if comparison == SyncSettings.Comparison.COUNTY and organisation.county_code:
        return found.filter(kind=kinds.KOMMUN, county_code=organisation.county_code)
    if comparison == SyncSettings.Comparison.ALL:
        return found.filter(kind__in=[kinds.REGION, kinds.KOMMUN])
    return found.none()


def sync_organisations(organisation: Organisation) -> list[Organisation]:
    """The organisation, Riket and its comparison organisations, by code."""
    comparison = settings_for(organisation).comparison
    chosen = {o.pk: o for o in comparison_organisations(organisation, comparison)}
    chosen[organisation.pk] = organisation
    for riket in Organisation.objects.filter(code=RIKET):
        chosen[riket.pk] = riket
    return sorted(chosen.values(), key=lambda o: o.code)


def linked_definitions() -> list[IndicatorDefinition]:
    return list(
        IndicatorDefinition.objects.filter(source_kind=IndicatorDefinition.SourceKind.KOLADA)
        .exclude(source_code="")
        .order_by("key")
    )


def last_success(organisation: Organisation) -> SyncRun | None:
    return (
        SyncRun.objects.filter(organisation=organisation, status=SyncRun.Status.DONE)
        .order_by("-started_at")
        .first()
    )


@dataclass
class SyncPlan:
    organisations: list[Organisation]
    left_out: list[Organisation]  # with units of their own where the actor may not write
    definitions: list[IndicatorDefinition]
    since: datetime.date | None  # changes since this day, for ``known`` KPIs
    known: list[str] = field(default_factory=list)  # read since ``since``
    fresh: list[str] = field(default_factory=list)  # read in full

    @property
    def kpis(self) -> list[str]:
        return sorted({*self.known, *self.fresh})

    @property
    def codes(self) -> list[str]:
        return [o.code for o in self.organisations]


def plan_sync(
    organisation: Organisation, *, actor: Actor | None = None, full: bool = False
) -> SyncPlan:
    """What a sync of ``organisation`` by ``actor`` asks Kolada for (see the module)."""
    forbidden = forbidden_organisations(or_command_line(actor))
    chosen = sync_organisations(organisation)
    definitions = linked_definitions()
    kpis = sorted({d.source_code.strip().upper() for d in definitions})
    plan = SyncPlan(
        organisations=[o for o in chosen if o.pk not in forbidden],
        left_out=[o for o in chosen if o.pk in forbidden],
        definitions=definitions,
        since=None,
        fresh=kpis,
    )
    last = None if full else last_success(organisation)
    if (
        last is not None
        and not SyncSettings.objects.filter(
            organisation=organisation, updated_at__gt=last.started_at
        ).exists()
    ):
        plan.since = timezone.localdate(last.started_at)
        synced = set(last.kpis)
        plan.known = [k for k in kpis if k in synced]
        plan.fresh = [k for k in kpis if k not in synced]
    return plan


# --- From Kolada's values to import rows ---------------------------------------------------


def _fetch(client: KoladaClient, plan: SyncPlan, progress: Progress) -> list[dict]:
    """Every entry Kolada has for the plan: the known KPIs since ``since``, the rest in full."""
    groups = [(plan.known, plan.since), (plan.fresh, None)]
    groups = [(kpis, since) for kpis, since in groups if kpis and plan.codes]
    total = sum(len(client.value_paths(kpis, plan.codes)) for kpis, _since in groups)
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        progress(done, total, _("Hämtar värden från Kolada"))

    progress(0, total, _("Hämtar värden från Kolada"))
    entries: list[dict] = []
    for kpis, since in groups:
        entries.extend(client.values(kpis, plan.codes, from_date=since, on_request=tick))
    return entries


class _Stored:
    """Which (definition, organisation code, period, kön) have a value here, read once when
    the first withdrawal needs it."""

    def __init__(self, plan: SyncPlan) -> None:
        self.plan = plan
        self.keys: set[tuple[int, str, str, str]] | None = None

    def __contains__(self, key: tuple[int, str, str, str]) -> bool:
        if self.keys is None:
            rows = Measurement.objects.filter(
                definition__in=self.plan.definitions,
                organisation__in=self.plan.organisations,
            ).values_list("definition_id", "organisation__code", "period", "gender")
            self.keys = set(rows)
        return key in self.keys


def import_rows(entries: Iterable[dict], plan: SyncPlan) -> tuple[list[dict], int]:
    """The import rows for Kolada's ``entries`` (one per definition linked to each value's
    KPI), and how many values Kolada sent."""
    by_code: dict[str, list[IndicatorDefinition]] = defaultdict(list)
    for definition in plan.definitions:
        by_code[definition.source_code.strip().upper()].append(definition)
    stored = _Stored(plan)
    rows: list[dict] = []
    read = 0
    for entry in entries:
        definitions = by_code.get(str(entry["kpi"]).strip().upper(), [])
        for item in entry["values"]:
            read += 1
            fields = value_fields(entry, item)
            gender = GENDERS.get(str(fields["gender"] or "").strip().lower())
            for definition in definitions:
                if gender != "T" and not definition.by_gender:
                    continue  # a definition not by kön takes Kolada's total only
                row = {**fields, "indicator": definition.key, "source": SOURCE}
                if item.get("isdeleted") or fields["value"] is None:
                    key = (definition.pk, str(entry["municipality"]), str(entry["period"]))
                    row = _no_value(row, (*key, gender or "") in stored)
                rows.append(row)
    return rows, read


def _no_value(row: dict, stored: bool) -> dict:
    """Kolada has no value (null, or deleted): withdraw the stored one, or count it empty."""
    if stored:
        keep = ("indicator", "organisation", "period", "gender", "source")
        return {**{name: row[name] for name in keep}, "withdrawn": True}
    return {**row, "value": None, "empty": True, "withdrawn": False}


# --- Running it ------------------------------------------------------------------------------


def _fail(run: SyncRun, message: str, client: KoladaClient | None, read: int = 0) -> None:
    run.status = SyncRun.Status.FAILED
    run.error = message
    run.finished_at = timezone.now()
    run.requests = client.requests if client else run.requests
    run.values_read = read
    run.save()


def _refusal(report: ImportReport) -> str:
    first = "; ".join(str(error) for error in report.errors[:3])
    return _("Importen avvisade %(count)s värden, så ingenting sparades: %(first)s") % {
        "count": report.error_count,
        "first": first,
    }


def _new_run(organisation: Organisation, plan: SyncPlan, actor: Actor) -> SyncRun:
    with transaction.atomic():
        SyncRun.objects.filter(organisation=organisation, status=SyncRun.Status.RUNNING).update(
            status=SyncRun.Status.FAILED,
            finished_at=timezone.now(),
            error=_("Avbröts: en senare synk startade innan den här blev klar."),
        )
        return SyncRun.objects.create(
            organisation=organisation,
            kpis=plan.kpis,
            since=plan.since,
            started_at=timezone.now(),
            started_by=actor if getattr(actor, "pk", None) else None,
        )


@dataclass
class SyncOutcome:
    run: SyncRun
    report: ImportReport | None  # None when Kolada had nothing new
    left_out: list[Organisation]

    def to_data(self) -> dict:
        """JSON-ready, for the job's page."""
        run, report = self.run, self.report
        counts = {"created": 0, "changed": 0, "unchanged": 0, "empty": 0, "withdrawn": 0}
        if report is not None:
            counts = {name: getattr(report, name, 0) for name in counts}
        return {
            "run": run.pk,
            "organisation": run.organisation.code,
            "kpis": len(run.kpis),
            "since": run.since.isoformat() if run.since else "",
            "requests": run.requests,
            "values_read": run.values_read,
            "left_out": [str(o) for o in self.left_out],
            **counts,
        }


def run_sync(
    organisation: Organisation,
    *,
    actor: Actor | None = None,
    full: bool = False,
    client: KoladaClient | None = None,
    progress: Progress = no_progress,
) -> SyncOutcome:
    """Sync ``organisation`` now (see the module). Raises ``PermissionDenied`` before
    anything, and ``SyncFailed`` after marking the run failed."""
    actor = or_command_line(actor)
    require_sync_right(actor, organisation)
    plan = plan_sync(organisation, actor=actor, full=full)
    run = _new_run(organisation, plan, actor)
    kolada = client or KoladaClient()
    read = 0
    try:
        rows, read = import_rows(_fetch(kolada, plan, progress), plan)
        report = _import(rows, organisation, actor, progress) if rows else None
    except KoladaError as error:
        _fail(run, error.message, kolada)
        raise SyncFailed(error.message, code=error.code) from error
    except (PermissionDenied, ValidationError) as error:
        message = "; ".join(getattr(error, "messages", [])) or str(error)
        _fail(run, message, kolada, read)
        raise SyncFailed(message, code="refused") from error
    finally:
        if client is None:
            kolada.close()
    if report is not None and not report.imported:
        _fail(run, _refusal(report), kolada, read)
        raise SyncFailed(run.error, code="refused_rows")
    run.status = SyncRun.Status.DONE
    run.finished_at = timezone.now()
    run.requests = kolada.requests
    run.values_read = read
    run.batch_id = report.batch_id if report else None
    run.save()
    return SyncOutcome(run, report, plan.left_out)


def _import(
    rows: list[dict], organisation: Organisation, actor: Actor, progress: Progress
) -> ImportReport:
    return import_measurements(
        rows,
        actor=actor,
        filename=_("Kolada-synk %(code)s %(day)s")
        % {"code": organisation.code, "day": timezone.localdate().isoformat()},
        format="kolada",
        default_source=SOURCE,
        total=len(rows),
        progress=progress,
    )


# --- Settings and starting -------------------------------------------------------------------


def update_settings(
    organisation: Organisation, *, actor: Actor, comparison: str, scheduled: bool
) -> SyncSettings:
    """Change what the organisation's sync brings and whether it runs on schedule."""
    require_sync_right(actor, organisation)
    if comparison not in SyncSettings.Comparison.values:
        raise ValidationError(
            {"comparison": _("Välj vilka organisationer värdena ska jämföras med.")},
            code="bad_comparison",
        )
    with transaction.atomic():
        current = settings_for(organisation)
        before = {"comparison": current.comparison, "scheduled": current.scheduled}
        current.comparison, current.scheduled = comparison, scheduled
        current.save()
        record(
            actor=actor,
            action="kolada.settings",
            obj=current,
            before=before,
            after={"comparison": comparison, "scheduled": scheduled},
            unit=organisation.units.filter(parent__isnull=True).first(),
        )
    return current


def scheduled_organisations() -> QuerySet:
    return Organisation.objects.filter(kolada_settings__scheduled=True).order_by("code")
