"""Linking a Kolada KPI to an indicator definition, and taking the link away.

A definition is linked to a KPI when its source is Kolada and its source id is the KPI's id
(``IndicatorDefinition.source_kind == "kolada"``, ``source_code == "N79179"``); the sync
brings the values of the linked KPIs, and the measurements import finds the definition by
that id. Every change goes through ``indicators.actions.save_definition``, so it needs the
same right as editing the definition (``plan`` on some unit, and on every unit whose
indicators the definition measures), is validated by the model and audited as
``indicator_definition.create`` or ``.update`` with the KPI named in the reason.

The rules, checked before anything changes (refusals by field, in Swedish, with a code):

- A KPI feeds one definition: linking a KPI that another definition already has (as its
  source id, whatever its source kind, as the import reads it) is refused
  (``already_linked``); the other link must be taken away first. Creating a definition from
  it is refused the same way.
- A definition that has values from another source id (another KPI, or another source's
  id) is refused (``other_series``): its series would mix two measures. Create a new
  definition from the KPI instead.
- A definition that has values, or whose source is something else than Kolada or manual
  entry, or that has another source id (without values), is linked only when the person
  confirms (``confirm``); the refusal says what the link changes.
- Linking a definition to the KPI it already has changes and records nothing except what
  follows the KPI (``by_gender``).

Linking sets ``by_gender`` to whether the KPI is divided by gender. Unlinking clears the
source id and keeps the source kind (the definition still says it comes from Kolada) and
every value; the sync no longer brings it values.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from uppsikt.accounts.access import EVERYWHERE, Perm, require_somewhere, units_with
from uppsikt.indicators.actions import require_definition_change, save_definition
from uppsikt.indicators.authoring import new_definition_of, unique_definition_key
from uppsikt.indicators.models import IndicatorDefinition, IndicatorTarget
from uppsikt.lib.problems import refusal
from uppsikt.lib.typing import Actor

from .models import KoladaKpi

Source = IndicatorDefinition.SourceKind
# Sources a definition may have without a word of warning when a KPI is linked to it.
PLAIN_SOURCES = (Source.KOLADA, Source.MANUELL)


def definitions_of(code: str) -> QuerySet[IndicatorDefinition]:
    """The definitions whose source id is ``code`` (case ignored, as the import reads it)."""
    return IndicatorDefinition.objects.filter(source_code__iexact=code.strip()).order_by("name")


def definitions_to_link(actor: Actor, kpi: KoladaKpi) -> list[IndicatorDefinition]:
    """The definitions ``actor`` may link ``kpi`` to: those not linked to it already that
    they may change (``require_definition_change``: every unit whose indicators a definition
    measures among the units where they hold ``plan``)."""
    allowed = units_with(actor, Perm.PLAN)
    if not allowed:
        return []
    definitions = IndicatorDefinition.objects.exclude(source_code__iexact=kpi.code.strip())
    if allowed is EVERYWHERE:
        return list(definitions.order_by("name"))
    used: dict[int, set[int]] = {}
    for definition_id, unit_id in IndicatorTarget.objects.values_list(
        "definition_id", "indicator__goal__plan__unit_id"
    ):
        used.setdefault(definition_id, set()).add(unit_id)
    return [item for item in definitions.order_by("name") if used.get(item.pk, set()) <= allowed]


def is_linked(definition: IndicatorDefinition, code: str) -> bool:
    return (
        definition.source_kind == Source.KOLADA
        and definition.source_code.strip().upper() == code.strip().upper()
    )


def _source_text(definition: IndicatorDefinition) -> str:
    label = str(definition.get_source_kind_display())
    return f"{label} {definition.source_code}" if definition.source_code else label


def confirmation_for(definition: IndicatorDefinition, kpi: KoladaKpi, values: int) -> str:
    """What linking ``kpi`` to ``definition`` (with ``values`` measurements) changes that
    the person must confirm, in words; "" when nothing needs confirming."""
    if is_linked(definition, kpi.code):
        return ""
    parts = []
    if definition.source_code or definition.source_kind not in PLAIN_SOURCES:
        parts.append(
            _("Källan ändras från %(source)s till Kolada %(code)s.")
            % {"source": _source_text(definition), "code": kpi.code}
        )
    if values:
        parts.append(
            ngettext(
                "Definitionen har %(count)s mätvärde. Det står kvar; synken från Kolada "
                "skriver över värden för samma organisation, period och kön.",
                "Definitionen har %(count)s mätvärden. De står kvar; synken från Kolada "
                "skriver över värden för samma organisation, period och kön.",
                values,
            )
            % {"count": values}
        )
    return " ".join(parts)


def _refuse_taken(kpi: KoladaKpi, field: str, exclude: int | None = None) -> None:
    others = definitions_of(kpi.code)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    other = others.first()
    if other is not None:
        raise refusal(
            field,
            _(
                "KPI: %(code)s är redan kopplad till definitionen ”%(name)s”. En KPI ger "
                "värden till en definition; ta bort den kopplingen först."
            )
            % {"code": kpi.code, "name": other.name},
            "already_linked",
        )


@transaction.atomic
def link_kpi(
    kpi: KoladaKpi, definition: IndicatorDefinition, *, actor: Actor, confirmed: bool = False
) -> IndicatorDefinition:
    """Link ``kpi`` to ``definition`` (its source becomes Kolada, its source id the KPI's,
    ``by_gender`` the KPI's). Refused as the module says, with nothing changed:
    ``PermissionDenied`` without the right to change the definition, ``ValidationError`` by
    field (``definition``, ``confirm``) otherwise."""
    require_definition_change(actor, definition)
    kpi = KoladaKpi.objects.select_for_update().get(pk=kpi.pk)
    definition = IndicatorDefinition.objects.select_for_update().get(pk=definition.pk)
    _refuse_taken(kpi, "definition", exclude=definition.pk)
    values = definition.measurements.count()
    linked = is_linked(definition, kpi.code)
    if values and definition.source_code and not linked:
        raise refusal(
            "definition",
            _(
                "Definition: ”%(name)s” har mätvärden från %(source)s, en annan serie än "
                "%(code)s. Skapa en ny definition från KPI:n i stället, så blandas inte "
                "serierna."
            )
            % {"name": definition.name, "source": _source_text(definition), "code": kpi.code},
            "other_series",
        )
    note = confirmation_for(definition, kpi, values)
    if note and not confirmed:
        raise refusal(
            "confirm",
            _("Bekräftelse: %(note)s Kryssa i rutan för att koppla ändå.") % {"note": note},
            "confirm",
        )
    return save_definition(
        definition,
        actor=actor,
        reason=_("Kolada-KPI %(code)s kopplades till definitionen.") % {"code": kpi.code},
        source_kind=Source.KOLADA,
        source_code=kpi.code,
        by_gender=kpi.divided_by_gender,
    )


@transaction.atomic
def unlink_kpi(
    kpi: KoladaKpi, definition: IndicatorDefinition, *, actor: Actor
) -> IndicatorDefinition:
    """Take ``kpi`` away from ``definition``: its source id is cleared; its source kind and
    values stay. Refused (``definition``, ``not_linked``) when it is not linked to the KPI."""
    require_definition_change(actor, definition)
    definition = IndicatorDefinition.objects.select_for_update().get(pk=definition.pk)
    if definition.source_code.strip().upper() != kpi.code.strip().upper():
        raise refusal(
            "definition",
            _("Definition: ”%(name)s” är inte kopplad till %(code)s.")
            % {"name": definition.name, "code": kpi.code},
            "not_linked",
        )
    return save_definition(
        definition,
        actor=actor,
        reason=_("Kopplingen till Kolada-KPI %(code)s togs bort.") % {"code": kpi.code},
        source_code="",
    )


@transaction.atomic
def create_definition_from_kpi(
    kpi: KoladaKpi, *, actor: Actor, unit: str, polarity: str
) -> IndicatorDefinition:
    """A new definition from ``kpi``: its name the KPI's title, its description the KPI's,
    linked to it, with the ``unit`` and ``polarity`` the person chose. Refused with nothing
    changed: without ``plan`` on some unit (``PermissionDenied``), when another definition
    has the KPI (``already_linked``), or a unit or polarity not among the choices
    (``ValidationError`` by field, each message naming it)."""
    require_somewhere(actor, Perm.PLAN)
    kpi = KoladaKpi.objects.select_for_update().get(pk=kpi.pk)
    _refuse_taken(kpi, NON_FIELD_ERRORS)
    fields = {
        "name": kpi.title[:300],
        "description": kpi.description,
        "unit": unit,
        "polarity": polarity,
        "source_kind": Source.KOLADA,
        "source_code": kpi.code,
        "by_gender": kpi.divided_by_gender,
    }
    checked = new_definition_of(fields)  # every field but the key, refused by field
    fields["name"] = checked.name
    return save_definition(
        None,
        actor=actor,
        reason=_("Ny definition från Kolada-KPI %(code)s.") % {"code": kpi.code},
        key=unique_definition_key(checked.name),
        **fields,
    )
