"""The organisation's own words and units, read from the database for a proposal."""

from __future__ import annotations

from django.utils.translation import gettext as _

from uppsikt.governance.words import styrmodell_for
from uppsikt.organisations.models import Organisation, Unit

from .structure import Context


class ContextError(ValueError):
    """The organisation or unit does not exist; the message is Swedish."""


def context_for(organisation: str, unit: str, year: int) -> Context:
    """The styrmodell's goal levels for the unit's kind, its perspectives and the units."""
    org = Organisation.objects.filter(code=organisation).first()
    if org is None:
        raise ContextError(_("Ingen organisation har koden ”%(code)s”.") % {"code": organisation})
    found = Unit.objects.filter(organisation=org, slug=unit).first()
    if found is None:
        raise ContextError(
            _("Organisationen %(org)s har ingen enhet ”%(unit)s”.")
            % {"org": org.name, "unit": unit}
        )
    model = styrmodell_for(org.pk)
    levels = tuple((level.key, level.name, level.plural) for level in model.levels_for(found.kind))
    units = tuple(Unit.objects.filter(organisation=org).values_list("slug", "name"))
    return Context(
        organisation=organisation,
        unit=unit,
        year=year,
        levels=levels,
        perspectives=tuple(name for name, _description in model.perspectives),
        units=units,
    )
