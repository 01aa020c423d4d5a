"""Kolada's KPI catalogue kept here (``KoladaKpi``), so that it can be searched offline.

``refresh_catalogue`` reads every page of ``/kpi`` first and only then writes, in one
transaction with one audit event: a KPI new to the catalogue is added, a changed one
updated, and one Kolada no longer lists is kept (definitions may still name it) with
``removed_at`` set, cleared again if it comes back. A failed reading changes nothing.
"""

from __future__ import annotations

from dataclasses import asdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, require_somewhere
from uppsikt.accounts.commandline import or_command_line
from uppsikt.audit.trail import record
from uppsikt.lib.typing import Actor

from .client import KoladaClient, Kpi
from .models import CatalogueRefresh, KoladaKpi

FIELDS = (
    "title",
    "description",
    "operating_area",
    "divided_by_gender",
    "municipality_type",
)


def _fields(kpi: Kpi) -> dict:
    data = asdict(kpi)
    data["title"] = data["title"][:400]
    data["operating_area"] = data["operating_area"][:400]
    return {name: data[name] for name in FIELDS}


def refresh_catalogue(client: KoladaClient, *, actor: Actor | None = None) -> CatalogueRefresh:
    """Read the whole catalogue and bring ``KoladaKpi`` up to date; returns the counts.

    Raises ``KoladaError`` (nothing changed) when Kolada cannot be read. Whoever may change
    indicator definitions (``Perm.PLAN`` somewhere) may refresh it.
    """
    actor = or_command_line(actor)
    require_somewhere(actor, Perm.PLAN)
    read: dict[str, dict] = {}
    for kpi in client.kpis():
        read[kpi.code[:20]] = _fields(kpi)
    now = timezone.now()
    with transaction.atomic():
        known = {k.code: k for k in KoladaKpi.objects.select_for_update()}
        created = changed = 0
        changes = []
        for code, fields in read.items():
            current = known.get(code)
            if current is None:
                changes.append(KoladaKpi(code=code, fetched_at=now, **fields))
                created += 1
            elif current.removed_at or any(getattr(current, n) != v for n, v in fields.items()):
                for name, value in fields.items():
                    setattr(current, name, value)
                current.removed_at = None
                current.fetched_at = now
                current.save()
                changed += 1
        KoladaKpi.objects.bulk_create(changes, batch_size=1000)
        gone = [code for code, kpi in known.items() if code not in read and not kpi.removed_at]
        KoladaKpi.objects.filter(code__in=gone).update(removed_at=now)
        KoladaKpi.objects.filter(code__in=read).update(fetched_at=now)
        refresh = CatalogueRefresh.objects.create(
            fetched_at=now,
            started_by=actor if getattr(actor, "pk", None) else None,
            created=created,
            changed=changed,
            unchanged=len(read) - created - changed,
            removed=len(gone),
            requests=client.requests,
        )
        record(
            actor=actor,
            action="kolada.catalogue",
            obj=refresh,
            after={
                "nya": created,
                "ändrade": changed,
                "oförändrade": refresh.unchanged,
                "borttagna": len(gone),
            },
            reason=_("KPI-katalogen hämtades från %(url)s") % {"url": client.base_url},
        )
    return refresh
