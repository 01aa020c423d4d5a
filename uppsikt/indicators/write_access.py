"""Who may write measurements, and the audited way to record one.

Measurements belong to an organisation, not to a unit. The rule: values of an organisation
with units in Uppsikt need ``Perm.PLAN`` on one of its units; values of organisations without
units here (riket, other regions and municipalities, for comparison) need ``Perm.PLAN`` on
some unit. ``save_measurement`` is ``record_measurement`` with that check and an audit
record, for single values written by people (the API, forms); bulk imports record one event
per import instead.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from uppsikt.accounts.access import EVERYWHERE, Perm, units_with
from uppsikt.audit.trail import record
from uppsikt.organisations.models import Organisation, Unit

from .actions import record_measurement
from .models import IndicatorDefinition, Measurement, period_validator
from .periods import PeriodError, format_period, parse_period


def may_write_measurements(user, organisation: Organisation) -> bool:
    allowed = units_with(user, Perm.PLAN)
    if allowed is EVERYWHERE:
        return True
    if not allowed:
        return False
    own_units = set(Unit.objects.filter(organisation=organisation).values_list("pk", flat=True))
    return not own_units or bool(own_units & allowed)


def require_measurement_write(user, organisation: Organisation) -> None:
    if not may_write_measurements(user, organisation):
        raise PermissionDenied(
            _("Du har inte behörighet att registrera mätvärden för %(organisation)s.")
            % {"organisation": organisation.name}
        )


def _state(measurement: Measurement | None) -> dict | None:
    if measurement is None:
        return None
    return {
        "value": str(measurement.value),
        "status": measurement.status,
        "source": measurement.source,
    }


@transaction.atomic
def save_measurement(
    definition: IndicatorDefinition,
    organisation: Organisation,
    period: str,
    value,
    *,
    actor,
    gender: str = "T",
    status: str = Measurement.DataStatus.SLUTLIG,
    source: str = "",
) -> tuple[Measurement, bool]:
    """Record or correct one value as ``actor``; returns it and whether anything changed.

    >>> save_measurement(definition, orebro, "2023", "74.1", actor=anna)
    (<Measurement: …>, True)
    """
    require_measurement_write(actor, organisation)
    try:
        period = format_period(parse_period(period))
    except PeriodError as error:
        raise ValidationError({"period": [period_validator.message]}) from error
    if gender not in Measurement.Gender.values:
        raise ValidationError({"gender": [_("Kön anges som T, K eller M.")]})
    if status not in Measurement.DataStatus.values:
        raise ValidationError({"status": [_("Status är preliminar eller slutlig.")]})
    existing = (
        Measurement.objects.filter(
            definition=definition, organisation=organisation, period=period, gender=gender
        )
        .select_for_update()
        .first()
    )
    before = _state(existing)
    measurement = record_measurement(
        definition, organisation, period, value, gender=gender, status=status, source=source
    )
    measurement.refresh_from_db()
    after = _state(measurement)
    changed = before != after
    if changed:
        record(
            actor=actor,
            action="measurement.record",
            obj=measurement,
            before=before,
            after=after,
            unit=Unit.objects.filter(organisation=organisation, parent__isnull=True).first(),
        )
    return measurement, changed
