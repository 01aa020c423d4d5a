"""What the kolada app adds to the indicator pages (``indicators.definition_panels``)."""

from __future__ import annotations

from typing import Any

from uppsikt.accounts.access import Perm, units_with
from uppsikt.indicators.models import IndicatorDefinition

from .models import KoladaKpi
from .sync import syncable_organisations


def definition_kpi(definition: IndicatorDefinition, user: Any) -> dict[str, Any] | None:
    """The Kolada KPI a definition is linked to ("Kolada: N79179 …"), when it is, and for
    those who may sync an organisation, the link to its sync page (where the values come
    from)."""
    code = definition.source_code.strip()
    if definition.source_kind != IndicatorDefinition.SourceKind.KOLADA or not code:
        return None
    signed_in = user is not None and user.is_authenticated
    return {
        "kolada_code": code,
        "kolada_kpi": KoladaKpi.objects.filter(code__iexact=code).first(),
        "sync_organisations": syncable_organisations(user) if signed_in else [],
    }


def catalogue_link(subject: Any, user: Any) -> dict[str, Any] | None:
    """A link to the catalogue on the definition list, for those who may link a KPI."""
    if user is None or not user.is_authenticated or not units_with(user, Perm.PLAN):
        return None
    return {}
