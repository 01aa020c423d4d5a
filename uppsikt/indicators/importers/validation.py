"""Who may write values of which organisation, and the check of every row of an import
(``_Validator``): each field judged once per distinct text, with the problem named in Swedish
and by a machine-readable code. Used by the import core (``core.py``) and the PostgreSQL CSV
path (``pgcsv.py``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from uppsikt.accounts.access import EVERYWHERE, Perm, units_with
from uppsikt.lib.typing import Actor
from uppsikt.organisations.models import Organisation, Unit

from ..models import DerivedIndicator, IndicatorDefinition
from ..periods import PeriodError, format_period, parse_period
from .rows import (
    FIELDS,
    GENDERS,
    STATUSES,
    RowError,
    SourceRow,
    _text,
    read_code,
    read_value,
)


def derived_refusal(name: str) -> str:
    """Why a derived indicator's value is not read in or entered by hand (``derived.py``)."""
    return _(
        "”%(name)s” är en beräknad indikator: dess värden räknas fram ur indatan och "
        "läses inte in eller anges för hand."
    ) % {"name": name}


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
        withdrawn = get("withdrawn") is True
        # A value per kön stored before the indicator stopped being reported per kön may
        # still be withdrawn: only new values must be totals.
        if gender not in (None, "T") and definition and not definition[1] and not withdrawn:
            problems.append(
                ("gender", "not_by_gender", _("Indikatorn redovisas inte per kön; använd T."))
            )
        raw_value = get("value")
        value = None
        blank = raw_value is None or (isinstance(raw_value, str) and not raw_value.strip())
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
