"""Derived indicators: values computed from other indicators' values (``DerivedIndicator``).

The rules live here as plain functions: checking a formula (``formula_problems``: the right
number of inputs for its kind, every input exists, no reference to itself directly or through
another derived indicator, units that fit, a factor and decimals the values can hold),
describing it in plain Swedish (``describe_formula``), computing values exactly
(``compute``: exact Decimal arithmetic, rounded half up to the formula's decimals) and recomputing every
derived indicator whose inputs changed, in dependency order (``recompute_after``).

* A value exists for an organisation, period and kön only where every input has one; a ratio
  whose denominator is zero, or a result too large to store (twelve whole digits), has none.
* The value is preliminary when any of its inputs' values is, and example data (source
  ``exempeldata``, labelled so on every page) when any of them is.
* Units: a sum or a difference adds values of one unit, so every input must have the derived
  indicator's own unit; a ratio's unit is the derived indicator's, chosen by whoever defines
  it (``antal`` for "per 1 000 invånare", ``procent`` with the factor 100). No input and not
  the result may be "ingen enhet".
* A derived indicator's values are never imported or entered by hand: the import refuses
  their rows (code ``derived_indicator``), and so do the entry by hand and
  ``record_measurement``. Defining a formula for an indicator that already has values from
  another source (not computed, not example data) is refused (``has_values``): those values
  would be overwritten; make a new definition for the computed series instead.
* Recomputing writes through the ordinary import (``import_measurements``, source
  ``beräknat``, format ``beräkning``), so revisions, the audit trail and the proposals refresh
  are those of any value. It writes as Uppsikt itself (the command line's account), whoever
  changed the inputs: the change of the inputs is audited under that person, the computation
  under ``kommandorad`` (a rapportör entering a value by hand may not import, yet the derived
  value must follow). Values whose inputs went away are withdrawn by the import's withdrawal
  rows, keeping their history.
* The import stages its rows in one TEMP table of a fixed name, so a recompute cannot run
  inside an import: ``recompute_after`` runs once the current transaction has committed
  (``transaction.on_commit``; at once outside a transaction). A failed recompute is logged and
  leaves the input change in place; the next change of an input recomputes everything again.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_DOWN, ROUND_HALF_UP, Context, Decimal, DivisionByZero, InvalidOperation
from functools import partial
from graphlib import TopologicalSorter
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from uppsikt.lib.numbers import format_exact
from uppsikt.lib.problems import coded
from uppsikt.organisations.models import Organisation

from .importers.core import import_measurements
from .importers.validation import derived_refusal
from .models import (
    EXAMPLE_SOURCE,
    DerivedIndicator,
    DerivedInput,
    IndicatorDefinition,
    Measurement,
)

logger = logging.getLogger(__name__)

COMPUTED_SOURCE = "beräknat"
COMPUTED_FORMAT = "beräkning"
MAX_DECIMALS = 4  # Measurement.value keeps four decimals
MAX_INPUTS = 20
TOO_LARGE = Decimal(10) ** 12  # Measurement.value: twelve whole digits
MAX_FACTOR = Decimal(10) ** 8  # DerivedIndicator.factor: 12 digits, 4 of them decimals
KIND = DerivedIndicator.Kind
PRELIMINARY = Measurement.DataStatus.PRELIMINAR
FINAL = Measurement.DataStatus.SLUTLIG

Key = tuple[int, str, str]  # organisation id, period, kön
_state = threading.local()


# --- Computing ------------------------------------------------------------------------------


# Values have at most 16 digits and factors 12, so sums, differences and products are exact
# at this precision. A quotient is cut off (towards zero) far beyond the decimals kept; the
# exact value then lies between the cut-off one and the next step up, so rounding the cut-off
# value half up gives what rounding the exact one would: a half is only ever a true half.
_EXACT = Context(prec=60, rounding=ROUND_DOWN, traps=[InvalidOperation, DivisionByZero])


def compute_one(
    kind: str, values: Sequence[Decimal], factor: Decimal, decimals: int
) -> Decimal | None:
    """The derived value of the inputs' ``values`` (by position), rounded half up (away from
    zero) to ``decimals``; None when there is none: a ratio whose denominator is zero, or a
    result too large to store."""
    if kind == KIND.RATIO:
        if values[1] == 0:
            return None
        exact = _EXACT.divide(_EXACT.multiply(values[0], factor), values[1])
    elif kind == KIND.DIFFERENCE:
        exact = _EXACT.subtract(values[0], values[1])
    else:
        exact = Decimal(0)
        for value in values:
            exact = _EXACT.add(exact, value)
    result = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP, context=_EXACT)
    return None if abs(result) >= TOO_LARGE else result


def compute(
    kind: str, inputs: Sequence[Mapping[Any, Decimal]], factor: Decimal, decimals: int
) -> dict[Any, Decimal]:
    """The derived values by key, from each input's values by key (in position order): only
    keys every input has, and only where ``compute_one`` gives a value."""
    if not inputs:
        return {}
    found = {}
    for key in set(inputs[0]).intersection(*inputs[1:]):
        value = compute_one(kind, [values[key] for values in inputs], factor, decimals)
        if value is not None:
            found[key] = value
    return found


# --- Describing ------------------------------------------------------------------------------


def expression(kind: str, inputs: Sequence[Any], factor: Decimal) -> list[tuple[bool, Any]]:
    """The right-hand side of a formula in reading order: ``(True, input)`` for each input
    (as given: a name, a definition …) and ``(False, text)`` for the operators between."""
    operators: dict[str, str] = {KIND.RATIO: " / ", KIND.DIFFERENCE: " − "}
    operator = operators.get(kind, " + ")
    parts: list[tuple[bool, Any]] = []
    for index, item in enumerate(inputs):
        if index:
            parts.append((False, operator))
        parts.append((True, item))
    if kind == KIND.RATIO and factor != 1:
        parts.append((False, f" × {format_exact(factor)}"))
    return parts


def describe_formula(name: str, kind: str, inputs: Sequence[str], factor: Decimal) -> str:
    """The formula in plain Swedish, e.g. "Antal vårdplatser per 1 000 invånare = Antal
    vårdplatser / Folkmängd × 1 000"."""
    return f"{name} = " + "".join(str(part) for _is, part in expression(kind, inputs, factor))


def describe(derivation: DerivedIndicator) -> str:
    """A stored formula in plain Swedish (``describe_formula``)."""
    inputs = [item.definition.name for item in input_rows(derivation)]
    return describe_formula(derivation.definition.name, derivation.kind, inputs, derivation.factor)


def input_rows(derivation: DerivedIndicator) -> list[DerivedInput]:
    """The formula's inputs in position order, with their definitions."""
    return list(derivation.inputs.select_related("definition").order_by("position"))


def formula_data(derivation: DerivedIndicator | None) -> dict[str, Any] | None:
    """A formula as data (for the audit trail, the data file and the API): inputs by key."""
    if derivation is None:
        return None
    keys = [item.definition.key for item in input_rows(derivation)]
    return as_data(derivation.kind, keys, derivation.factor, derivation.decimals)


def as_data(kind: str, keys: Sequence[str], factor: Decimal, decimals: int) -> dict[str, Any]:
    """``{"kind", "inputs", "factor", "decimals"}``; the factor as exact text ("1000", "0.5")."""
    return {
        "kind": kind,
        "inputs": list(keys),
        "factor": f"{Decimal(factor).normalize():f}",
        "decimals": decimals,
    }


def lock_formulas() -> None:
    """Hold every formula change until this transaction ends (PostgreSQL; SQLite writes one
    at a time anyway), so two formulas defined at once cannot close a cycle between them."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('uppsikt.derived'))")


# --- The dependency graph --------------------------------------------------------------------


def graph() -> dict[int, list[int]]:
    """Every derived definition's inputs (definition ids, by position)."""
    found: dict[int, list[int]] = {}
    rows = DerivedInput.objects.order_by("derived_id", "position").values_list(
        "derived__definition_id", "definition_id"
    )
    for derived, source in rows:
        found.setdefault(derived, []).append(source)
    return found


def cycle_through(
    node: int, inputs: Iterable[int], edges: Mapping[int, Iterable[int]]
) -> list[int] | None:
    """The path by which ``node`` would depend on itself if its inputs were ``inputs``, given
    the other derived indicators' ``edges`` (derived → inputs; ``node``'s own are replaced),
    as ``[node, …, node]``; None when there is no such cycle."""
    parents: dict[int, int] = {}
    queue: deque[int] = deque()
    for first in inputs:
        if first == node:
            return [node, node]
        if first not in parents:
            parents[first] = node
            queue.append(first)
    while queue:
        current = queue.popleft()
        for following in () if current == node else edges.get(current, ()):
            if following == node:
                chain = [current]
                while chain[-1] != node:
                    chain.append(parents[chain[-1]])
                return [*reversed(chain), node]
            if following not in parents:
                parents[following] = current
                queue.append(following)
    return None


def recompute_order(changed: Iterable[int], edges: Mapping[int, Sequence[int]]) -> list[int]:
    """The derived definitions that depend on ``changed`` (directly or through others, and
    those of ``changed`` that are derived themselves), inputs before what uses them."""
    users: dict[int, list[int]] = {}
    for derived, sources in edges.items():
        for source in sources:
            users.setdefault(source, []).append(derived)
    affected = {node for node in changed if node in edges}
    queue = deque(changed)
    while queue:
        for user in users.get(queue.popleft(), ()):
            if user not in affected:
                affected.add(user)
                queue.append(user)
    order = TopologicalSorter({d: [s for s in edges[d] if s in affected] for d in affected})
    return list(order.static_order())


def derived_ids(definition_ids: Iterable[int] | None = None) -> set[int]:
    """Which of ``definition_ids`` (or of all definitions) are derived."""
    rows = DerivedIndicator.objects.all()
    if definition_ids is not None:
        rows = rows.filter(definition_id__in=list(definition_ids))
    return set(rows.values_list("definition_id", flat=True))


def not_by_hand(definition: IndicatorDefinition) -> ValidationError:
    """The refusal of a value given for a derived indicator (by hand, ``record_measurement``)."""
    return coded(derived_refusal(definition.name), "derived_indicator")


# --- Checking a formula ----------------------------------------------------------------------


def formula_problems(
    definition: IndicatorDefinition,
    kind: str,
    inputs: Sequence[IndicatorDefinition | None],
    factor: Any,
    decimals: Any,
) -> dict[str, list[ValidationError]]:
    """Every problem of the formula, by field, in Swedish with a code (empty: none).

    ``inputs`` are the input definitions by position, None for one that does not exist.
    """
    problems: dict[str, list[ValidationError]] = {}

    def add(field: str, message: str, code: str) -> None:
        problems.setdefault(field, []).append(coded(message, code))

    if kind not in KIND.values:
        add("kind", _("Välj kvot, summa eller skillnad."), "bad_kind")
    _input_problems(definition, kind, inputs, add)
    _number_problems(kind, factor, decimals, add)
    if definition.unit == IndicatorDefinition.Unit.INGEN:
        add("definition", _("En indikator utan enhet kan inte beräknas."), "no_unit")
    if definition.pk and (
        Measurement.objects.filter(definition=definition)
        .exclude(source__in=(COMPUTED_SOURCE, EXAMPLE_SOURCE))
        .exists()
    ):
        add(
            "definition",
            _(
                "”%(name)s” har redan mätvärden från en annan källa; de skulle skrivas över. "
                "Skapa en ny indikator för det beräknade värdet."
            )
            % {"name": definition.name},
            "has_values",
        )
    return problems


def _input_problems(definition, kind, inputs, add) -> None:
    if kind in (KIND.RATIO, KIND.DIFFERENCE) and len(inputs) != 2:
        message = _("En %(kind)s räknas av exakt två indikatorer.")
        add("inputs", message % {"kind": KIND(kind).label.lower()}, "input_count")
    elif kind == KIND.SUM and not 2 <= len(inputs) <= MAX_INPUTS:
        message = _("En summa räknas av två till %(max)s indikatorer.")
        add("inputs", message % {"max": MAX_INPUTS}, "input_count")
    if any(item is None for item in inputs):
        add("inputs", _("En av indikatorerna finns inte."), "unknown_input")
    present = [item for item in inputs if item is not None]
    if any(item.pk == definition.pk for item in present if definition.pk):
        add("inputs", _("En indikator kan inte beräknas av sig själv."), "self_reference")
    elif definition.pk and (path := cycle_through(definition.pk, [i.pk for i in present], graph())):
        names = dict(IndicatorDefinition.objects.filter(pk__in=path).values_list("pk", "name"))
        add(
            "inputs",
            _("Beräkningen blir cirkulär: %(path)s.")
            % {"path": " → ".join(names[p] for p in path)},
            "cycle",
        )
    if any(item.unit == IndicatorDefinition.Unit.INGEN for item in present):
        add("inputs", _("En indikator utan enhet har inga värden att räkna med."), "no_unit")
    elif kind in (KIND.SUM, KIND.DIFFERENCE):
        other = [item.name for item in present if item.unit != definition.unit]
        if other:
            add(
                "inputs",
                _(
                    "En summa eller skillnad räknas av indikatorer med samma enhet som "
                    "resultatet (%(unit)s); %(names)s har en annan."
                )
                % {"unit": definition.get_unit_display(), "names": ", ".join(other)},
                "unit_mismatch",
            )


def _number_problems(kind, factor, decimals, add) -> None:
    try:
        number = Decimal(str(factor))
    except (InvalidOperation, ValueError):
        number = Decimal("NaN")
    if kind == KIND.RATIO:
        fits = (
            number.is_finite()
            and 0 < number < MAX_FACTOR
            and number == number.quantize(Decimal("0.0001"))
        )
        if not fits:
            add(
                "factor",
                _("Faktorn är ett positivt tal under 100 000 000 med högst fyra decimaler."),
                "bad_factor",
            )
    elif number != 1:
        add("factor", _("Bara en kvot har en faktor; ange 1."), "factor_not_ratio")
    if not isinstance(decimals, int) or not 0 <= decimals <= MAX_DECIMALS:
        add("decimals", _("Ange 0–4 decimaler."), "bad_decimals")


# --- Recomputing -----------------------------------------------------------------------------


def recomputing() -> bool:
    """Whether a recompute is under way in this thread (its own imports follow no further)."""
    return bool(getattr(_state, "running", False))


def recompute_after(
    definition_ids: Iterable[int], organisation_ids: Iterable[int] | None = None
) -> None:
    """Values of ``definition_ids`` changed (only of ``organisation_ids``, when given):
    recompute every derived indicator that depends on them, for those organisations, once
    the current transaction has committed (at once outside a transaction)."""
    if recomputing():
        return  # a recompute's own import: the recompute under way covers what follows
    order = recompute_order(set(definition_ids), graph())
    if order:
        # robust: a failure is logged (by Django) and does not undo or hide the committed change.
        organisations = None if organisation_ids is None else sorted(set(organisation_ids))
        transaction.on_commit(partial(recompute, order, organisations), robust=True)


def recompute(order: Sequence[int], organisations: Sequence[int] | None = None) -> list:
    """Recompute the derived definitions ``order`` in that order (inputs first), for
    ``organisations`` only when given; returns the import reports of what was written."""
    derivations = {
        d.definition_id: d
        for d in DerivedIndicator.objects.filter(definition_id__in=order).select_related(
            "definition"
        )
    }
    reports = []
    _state.running = True
    try:
        for definition_id in order:
            if (derivation := derivations.get(definition_id)) is None:
                continue  # removed meanwhile
            rows, withdrawn = changes(derivation, organisations)
            name = _("Beräkning av %(name)s") % {"name": derivation.definition.name}
            for batch in (rows, withdrawn):
                if batch:
                    report = import_measurements(
                        batch, actor=None, filename=name, format=COMPUTED_FORMAT, computed=True
                    )
                    if not report.imported:
                        logger.error("Derived %s not written: %s", definition_id, report.errors)
                    reports.append(report)
    finally:
        _state.running = False
    return reports


def _values(
    definition_ids: Sequence[int], genders: set[str] | None, organisations: Sequence[int] | None
):
    """Stored values of ``definition_ids`` (of ``organisations``, when given): (definition,
    organisation, period, kön, value, status, source) rows."""
    rows = Measurement.objects.filter(definition_id__in=list(definition_ids))
    if organisations is not None:
        rows = rows.filter(organisation_id__in=organisations)
    if genders is not None:
        rows = rows.filter(gender__in=genders)
    return rows.order_by().values_list(
        "definition_id", "organisation_id", "period", "gender", "value", "status", "source"
    )


def desired_values(
    derivation: DerivedIndicator, organisations: Sequence[int] | None = None
) -> dict[Key, tuple[Decimal, str, str]]:
    """What the derived indicator's values should be: (value, status, source) by key. The
    source is ``beräknat``, or ``exempeldata`` where an input's value is example data, so a
    value computed from the demo's figures is labelled as example data like them."""
    sources = [item.definition_id for item in input_rows(derivation)]
    genders = None if derivation.definition.by_gender else {"T"}
    by_input: dict[int, dict[Key, Decimal]] = {source: {} for source in sources}
    preliminary: set[Key] = set()
    example: set[Key] = set()
    for source, organisation, period, gender, value, status, origin in _values(
        sources, genders, organisations
    ):
        key = (organisation, period, gender)
        by_input[source][key] = value
        if status == PRELIMINARY:
            preliminary.add(key)
        if origin == EXAMPLE_SOURCE:
            example.add(key)
    computed = compute(
        derivation.kind,
        [by_input[source] for source in sources],
        derivation.factor,
        derivation.decimals,
    )
    return {
        key: (
            value,
            PRELIMINARY if key in preliminary else FINAL,
            EXAMPLE_SOURCE if key in example else COMPUTED_SOURCE,
        )
        for key, value in computed.items()
    }


def changes(
    derivation: DerivedIndicator, organisations: Sequence[int] | None = None
) -> tuple[list[dict], list[dict]]:
    """Import rows that bring the stored values to ``desired_values``: the new and changed
    values, and the withdrawals of stored values that no longer have their inputs."""
    desired = desired_values(derivation, organisations)
    stored = {
        (organisation, period, gender): (value, status, source)
        for _d, organisation, period, gender, value, status, source in _values(
            [derivation.definition_id], None, organisations
        )
    }
    codes = dict(
        Organisation.objects.filter(
            pk__in={key[0] for key in desired} | {key[0] for key in stored}
        ).values_list("pk", "code")
    )
    key_name = derivation.definition.key

    def row(key: Key) -> dict[str, Any]:
        return {
            "indicator": key_name,
            "organisation": codes[key[0]],
            "period": key[1],
            "gender": key[2],
        }

    rows = [
        {**row(key), "value": value, "status": status, "source": source}
        for key, (value, status, source) in sorted(desired.items())
        if stored.get(key) != (value, status, source)
    ]
    withdrawn = [{**row(key), "withdrawn": True} for key in sorted(stored) if key not in desired]
    return rows, withdrawn
