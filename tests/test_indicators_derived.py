"""Derived indicators (``indicators.derived``): the rules as properties, and the recompute
through the import on whichever database runs the tests (SQLite or PostgreSQL)."""

import math
from decimal import Decimal
from fractions import Fraction
from graphlib import CycleError, TopologicalSorter
from itertools import pairwise

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from uppsikt.audit.models import AuditEvent
from uppsikt.indicators.actions import define_derived, record_measurement, remove_derivation
from uppsikt.indicators.derived import (
    COMPUTED_FORMAT,
    COMPUTED_SOURCE,
    compute,
    compute_one,
    cycle_through,
    describe,
    describe_formula,
    recompute_order,
)
from uppsikt.indicators.importers import import_measurements
from uppsikt.indicators.models import (
    DerivedIndicator,
    ImportBatch,
    IndicatorDefinition,
    Measurement,
    MeasurementRevision,
)
from uppsikt.organisations.models import Organisation

from .builders import load_minimal, user_with_role

NBSP = "\u00a0"

# --- compute, against a Decimal reference ----------------------------------------------------

amounts = st.decimals(
    min_value=Decimal("-99999999"),
    max_value=Decimal("99999999"),
    places=4,
    allow_nan=False,
    allow_infinity=False,
)
keys = st.sampled_from([(1, "2023", "T"), (1, "2024", "T"), (2, "2023", "K"), (2, "2023", "M")])


def reference(kind, values, factor, decimals):
    """The same rule with exact fractions, rounded half away from zero by hand."""
    values = [Fraction(value) for value in values]
    if kind == "kvot":
        if values[1] == 0:
            return None
        exact = values[0] * Fraction(factor) / values[1]
    elif kind == "skillnad":
        exact = values[0] - values[1]
    else:
        exact = sum(values, Fraction(0))
    scaled = abs(exact) * 10**decimals
    whole = math.floor(scaled + Fraction(1, 2))
    result = Decimal(-whole if exact < 0 else whole).scaleb(-decimals)
    return None if abs(result) >= Decimal(10) ** 12 else result


@given(
    kind=st.sampled_from(["kvot", "summa", "skillnad"]),
    inputs=st.lists(st.dictionaries(keys, amounts, max_size=4), min_size=2, max_size=4),
    factor=st.sampled_from([Decimal(1), Decimal(100), Decimal(1000), Decimal("0.5"), Decimal(3)]),
    decimals=st.integers(0, 4),
)
def test_derived_compute_matches_an_exact_reference(kind, inputs, factor, decimals):
    if kind != "summa":
        inputs = inputs[:2]
    found = compute(kind, inputs, factor, decimals)
    everywhere = set(inputs[0]).intersection(*inputs[1:])
    expected = {}
    for key in everywhere:
        value = reference(kind, [values[key] for values in inputs], factor, decimals)
        if value is not None:
            expected[key] = value
    assert found == expected
    # Every key missing from one input has no value; the exponent is the formula's decimals.
    assert set(found) <= everywhere
    assert all(value.as_tuple().exponent == -decimals for value in found.values())


@given(numerator=amounts, decimals=st.integers(0, 4))
def test_derived_zero_denominator_has_no_value(numerator, decimals):
    assert compute_one("kvot", [numerator, Decimal("0.0000")], Decimal(1000), decimals) is None
    assert compute("kvot", [{1: numerator}, {1: Decimal(0)}], Decimal(1), decimals) == {}


def test_derived_rounds_halves_up_and_away_from_zero():
    assert compute_one("kvot", [Decimal(1), Decimal(8)], Decimal(1), 2) == Decimal("0.13")
    assert compute_one("kvot", [Decimal(-1), Decimal(8)], Decimal(1), 2) == Decimal("-0.13")
    # A quotient just below a half stays below, an exact half goes up.
    third = Decimal(3)
    assert compute_one("kvot", [Decimal("0.0014999"), third], Decimal(1), 3) == Decimal("0.000")
    assert compute_one("kvot", [Decimal("0.0015"), third], Decimal(1), 3) == Decimal("0.001")
    assert compute_one("kvot", [Decimal("-0.0015"), third], Decimal(1), 3) == Decimal("-0.001")
    assert compute_one("skillnad", [Decimal("-0.25"), Decimal(0)], Decimal(1), 1) == Decimal("-0.3")
    assert compute_one("summa", [Decimal("0.05"), Decimal("0.1")], Decimal(1), 1) == Decimal("0.2")


# --- cycles and the recompute order ---------------------------------------------------------


@st.composite
def acyclic_graphs(draw):
    """Derived → inputs over nodes 0..n-1, acyclic (as the stored formulas always are)."""
    size = draw(st.integers(2, 8))
    order = draw(st.permutations(range(size)))
    edges = {}
    for index, node in enumerate(order):
        earlier = order[:index]
        if earlier and draw(st.booleans()):
            edges[node] = draw(st.lists(st.sampled_from(earlier), min_size=1, max_size=3))
    return size, edges


@given(data=st.data(), world=acyclic_graphs())
def test_derived_formula_refused_exactly_when_it_closes_a_cycle(data, world):
    size, edges = world
    node = data.draw(st.integers(0, size - 1))
    inputs = data.draw(st.lists(st.integers(0, size - 1), min_size=1, max_size=3))
    path = cycle_through(node, inputs, edges)
    changed = {**edges, node: inputs}
    try:
        tuple(TopologicalSorter(changed).static_order())
        has_cycle = False
    except CycleError:
        has_cycle = True
    assert (path is not None) == has_cycle
    if path is not None:  # a real path: node, its input, …, back to node
        assert path[0] == path[-1] == node
        assert path[1] in inputs
        for derived, source in pairwise(path):
            assert source in changed[derived]


@given(data=st.data(), world=acyclic_graphs())
def test_derived_recompute_order_has_every_dependent_inputs_first(data, world):
    size, edges = world
    changed = set(data.draw(st.lists(st.integers(0, size - 1), max_size=3)))
    order = recompute_order(changed, edges)
    reached = set(changed)
    for _round in range(size):  # every derived whose inputs were reached, until stable
        reached |= {d for d, sources in edges.items() if set(sources) & reached}
    assert set(order) == {d for d in reached if d in edges}
    assert len(order) == len(set(order))
    position = {node: index for index, node in enumerate(order)}
    for derived in order:
        for source in edges[derived]:
            if source in position:
                assert position[source] < position[derived]


# --- the formula in plain Swedish -----------------------------------------------------------

names = st.text(st.characters(categories=["L", "N"]), min_size=1, max_size=12)


def test_derived_describes_the_issue_example():
    text = describe_formula(
        "Antal vårdplatser per 1 000 invånare",
        "kvot",
        ["Antal vårdplatser", "Folkmängd"],
        Decimal("1000.0000"),
    )
    assert text == (
        f"Antal vårdplatser per 1 000 invånare = Antal vårdplatser / Folkmängd × 1{NBSP}000"
    )


@given(
    name=names,
    kind=st.sampled_from(["kvot", "summa", "skillnad"]),
    inputs=st.lists(names, min_size=2, max_size=4),
    factor=st.sampled_from([Decimal(1), Decimal("1.0000"), Decimal(100), Decimal("2.5")]),
)
def test_derived_description_names_every_input_in_order(name, kind, inputs, factor):
    if kind != "summa":
        inputs = inputs[:2]
    text = describe_formula(name, kind, inputs, factor)
    left, right = text.split(" = ", 1)
    assert left == name
    operator = {"kvot": " / ", "skillnad": " − ", "summa": " + "}[kind]
    expression = operator.join(inputs)
    if kind == "kvot" and factor != 1:
        expression += " × " + {"100": "100", "2.5": "2,5"}[f"{factor.normalize():f}"]
    assert right == expression


# --- in the database ------------------------------------------------------------------------

pytestmark = pytest.mark.django_db


@pytest.fixture
def derived_world():
    load_minimal()
    Organisation.objects.create(code="1880", name="Örebro", kind="kommun")

    def make(key, name, unit="antal", **extra):
        return IndicatorDefinition.objects.create(key=key, name=name, unit=unit, **extra)

    world = {
        "beds": make("vardplatser", "Antal vårdplatser"),
        "people": make("folkmangd", "Folkmängd"),
        "per": make("vardplatser-per-1000", "Antal vårdplatser per 1 000 invånare"),
        "women": make("kvinnor", "Kvinnor"),
        "men": make("man", "Män"),
        "total": make("totalt", "Kvinnor och män"),
        "share": make("andel-kvinnor", "Andel kvinnor", "procent"),
        "user": user_with_role("planerare_derived", "planerare", "styrelsen"),
    }
    return world


def rows(key, *items):
    """Import rows of ``key``: (organisation, period, value[, status])."""
    return [
        {
            "indicator": key,
            "organisation": item[0],
            "period": item[1],
            "value": item[2],
            "status": item[3] if len(item) > 3 else "",
        }
        for item in items
    ]


def stored(key):
    return {
        (o, p, g): (v, s)
        for o, p, g, v, s, src in Measurement.objects.filter(definition__key=key).values_list(
            "organisation__code", "period", "gender", "value", "status", "source"
        )
        if src == COMPUTED_SOURCE
    } | {
        ("other", o, p): v
        for o, p, v in Measurement.objects.filter(definition__key=key)
        .exclude(source=COMPUTED_SOURCE)
        .values_list("organisation__code", "period", "value")
    }


@pytest.fixture
def derived_ratio(derived_world, django_capture_on_commit_callbacks):
    w = derived_world
    with django_capture_on_commit_callbacks(execute=True):
        define_derived(
            w["per"],
            kind="kvot",
            inputs=[w["beds"], w["people"]],
            factor=1000,
            decimals=1,
            actor=w["user"],
        )
    return w


def test_derived_values_appear_when_the_inputs_are_imported(
    derived_ratio, django_capture_on_commit_callbacks
):
    w = derived_ratio
    with django_capture_on_commit_callbacks(execute=True):
        import_measurements(
            rows("vardplatser", ("0099", "2023", "812"), ("1880", "2023", "90"))
            + rows("folkmangd", ("0099", "2023", "305 000"), ("0099", "2024", "306 000")),
            actor=w["user"],
        )
    # 812 / 305 000 × 1 000 = 2,662…; Örebro has no folkmängd, 2024 no vårdplatser.
    assert stored("vardplatser-per-1000") == {
        ("0099", "2023", "T"): (Decimal("2.7"), "slutlig"),
    }
    batch = ImportBatch.objects.get(format=COMPUTED_FORMAT)
    assert batch.created == 1
    event = AuditEvent.objects.get(action="measurements.import", object_id=str(batch.pk))
    assert event.actor_name == "kommandorad"
    assert w["per"].derivation.kind == "kvot"
    assert describe(w["per"].derivation).endswith(f"/ Folkmängd × 1{NBSP}000")


def test_derived_value_follows_a_changed_input_with_a_revision(
    derived_ratio, django_capture_on_commit_callbacks
):
    w = derived_ratio
    with django_capture_on_commit_callbacks(execute=True):
        import_measurements(
            rows("vardplatser", ("0099", "2023", "812"))
            + rows("folkmangd", ("0099", "2023", "305000")),
            actor=w["user"],
        )
    with django_capture_on_commit_callbacks(execute=True):
        import_measurements(rows("vardplatser", ("0099", "2023", "900", "p")), actor=w["user"])
    assert stored("vardplatser-per-1000") == {("0099", "2023", "T"): (Decimal("3.0"), "preliminar")}
    revision = MeasurementRevision.objects.get(measurement__definition=w["per"])
    assert (revision.value, revision.status, revision.source) == (
        Decimal("2.7"),
        "slutlig",
        COMPUTED_SOURCE,
    )
    # A value by hand of an input (record_measurement) is followed too, back to final.
    with django_capture_on_commit_callbacks(execute=True):
        record_measurement(
            w["beds"], Organisation.objects.get(code="0099"), "2023", "610", actor=w["user"]
        )
    assert stored("vardplatser-per-1000") == {("0099", "2023", "T"): (Decimal("2.0"), "slutlig")}


def test_derived_zero_denominator_leaves_no_value(
    derived_ratio, django_capture_on_commit_callbacks
):
    w = derived_ratio
    with django_capture_on_commit_callbacks(execute=True):
        import_measurements(
            rows("vardplatser", ("0099", "2023", "5")) + rows("folkmangd", ("0099", "2023", "0")),
            actor=w["user"],
        )
    assert stored("vardplatser-per-1000") == {}


def test_derived_of_a_derived_is_recomputed_in_order(
    derived_world, django_capture_on_commit_callbacks
):
    w = derived_world
    with django_capture_on_commit_callbacks(execute=True):
        define_derived(
            w["total"], kind="summa", inputs=["kvinnor", "man"], decimals=0, actor=w["user"]
        )
        define_derived(
            w["share"],
            kind="kvot",
            inputs=["kvinnor", "totalt"],
            factor="100",
            decimals=2,
            actor=w["user"],
        )
        import_measurements(
            rows("kvinnor", ("0099", "2023", "150 123")) + rows("man", ("0099", "2023", "149 877")),
            actor=w["user"],
        )
    assert stored("totalt") == {("0099", "2023", "T"): (Decimal("300000"), "slutlig")}
    assert stored("andel-kvinnor") == {("0099", "2023", "T"): (Decimal("50.04"), "slutlig")}
    with django_capture_on_commit_callbacks(execute=True):
        import_measurements(rows("man", ("0099", "2023", "99 877", "p")), actor=w["user"])
    assert stored("totalt") == {("0099", "2023", "T"): (Decimal("250000"), "preliminar")}
    assert stored("andel-kvinnor") == {("0099", "2023", "T"): (Decimal("60.05"), "preliminar")}


def test_derived_formula_on_existing_values_computes_them(
    derived_world, django_capture_on_commit_callbacks
):
    w = derived_world
    import_measurements(
        rows("vardplatser", ("0099", "2022", "700"), ("0099", "2023", "812"))
        + rows("folkmangd", ("0099", "2022", "300000"), ("0099", "2023", "305000")),
        actor=w["user"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        define_derived(
            w["per"], kind="kvot", inputs=["vardplatser", "folkmangd"], factor=1000,
            decimals=2, actor=w["user"],
        )  # fmt: skip
    assert stored("vardplatser-per-1000") == {
        ("0099", "2022", "T"): (Decimal("2.33"), "slutlig"),
        ("0099", "2023", "T"): (Decimal("2.66"), "slutlig"),
    }
    event = AuditEvent.objects.get(action="indicator_definition.derive")
    assert event.after == {
        "kind": "kvot",
        "inputs": ["vardplatser", "folkmangd"],
        "factor": "1000",
        "decimals": 2,
    }
    assert event.actor_name == "planerare_derived"
    # Changing the decimals recomputes; the same formula again changes and records nothing.
    with django_capture_on_commit_callbacks(execute=True):
        define_derived(
            w["per"], kind="kvot", inputs=["vardplatser", "folkmangd"], factor=1000,
            decimals=1, actor=w["user"],
        )  # fmt: skip
        define_derived(
            w["per"], kind="kvot", inputs=["vardplatser", "folkmangd"], factor="1000.0",
            decimals=1, actor=w["user"],
        )  # fmt: skip
    assert AuditEvent.objects.filter(action="indicator_definition.derive").count() == 2
    assert stored("vardplatser-per-1000")[("0099", "2023", "T")] == (Decimal("2.7"), "slutlig")


def snapshot_all():
    return (
        sorted(Measurement.objects.values_list("definition__key", "period", "value", "source")),
        sorted(DerivedIndicator.objects.values_list("definition__key", "kind", "factor")),
        AuditEvent.objects.count(),
        ImportBatch.objects.count(),
    )


def refusal_codes(error: ValidationError) -> dict[str, list[str]]:
    return {field: [item.code for item in items] for field, items in error.error_dict.items()}


def test_derived_refusals_change_nothing(derived_ratio, django_capture_on_commit_callbacks):
    w = derived_ratio
    user = w["user"]
    before = snapshot_all()
    cases = [
        # beds from per: per is computed from beds, so beds would depend on itself.
        (w["beds"], {"kind": "kvot", "inputs": ["vardplatser-per-1000", "folkmangd"]}, "cycle"),
        (w["people"], {"kind": "summa", "inputs": ["folkmangd", "vardplatser"]}, "self_reference"),
        (w["people"], {"kind": "summa", "inputs": ["vardplatser", "saknas"]}, "unknown_input"),
        (w["people"], {"kind": "skillnad", "inputs": ["vardplatser"]}, "input_count"),
        (w["share"], {"kind": "summa", "inputs": ["kvinnor", "man"]}, "unit_mismatch"),
        (w["people"], {"kind": "kvot", "inputs": ["kvinnor", "man"], "factor": 0}, "bad_factor"),
        (w["people"], {"kind": "summa", "inputs": ["kvinnor", "man"], "factor": 2}, None),
        (w["people"], {"kind": "summa", "inputs": ["kvinnor", "man"], "decimals": 5}, None),
        (w["people"], {"kind": "produkt", "inputs": ["kvinnor", "man"]}, "bad_kind"),
    ]
    for definition, formula, code in cases:
        with pytest.raises(ValidationError) as refused:
            define_derived(definition, actor=user, **formula)
        codes = [c for found in refusal_codes(refused.value).values() for c in found]
        assert code is None or code in codes, (formula, codes)
        assert snapshot_all() == before
    with pytest.raises(ValidationError) as cycle:
        define_derived(
            w["beds"], actor=user, kind="kvot", inputs=["vardplatser-per-1000", "folkmangd"]
        )
    assert "Antal vårdplatser → Antal vårdplatser per 1 000 invånare → Antal vårdplatser" in str(
        cycle.value
    )


def test_derived_refused_for_an_indicator_with_values_of_its_own(
    derived_world, django_capture_on_commit_callbacks
):
    w = derived_world
    import_measurements(rows("vardplatser-per-1000", ("0099", "2023", "3")), actor=w["user"])
    with pytest.raises(ValidationError) as refused:
        define_derived(w["per"], kind="kvot", inputs=["vardplatser", "folkmangd"], actor=w["user"])
    assert refusal_codes(refused.value) == {"definition": ["has_values"]}
    assert not DerivedIndicator.objects.exists()


def test_derived_values_are_not_imported_or_recorded(derived_ratio):
    w = derived_ratio
    before = snapshot_all()
    report = import_measurements(
        rows("vardplatser-per-1000", ("0099", "2023", "3")), actor=w["user"]
    )
    assert not report.imported
    assert [(e.column, e.code) for e in report.errors] == [("indicator", "derived_indicator")]
    assert "beräknad indikator" in report.errors[0].message
    with pytest.raises(ValidationError) as refused:
        record_measurement(w["per"], Organisation.objects.get(code="0099"), "2023", "3")
    assert refusal_codes(refused.value) == {"value": ["derived_indicator"]}
    assert snapshot_all() == before


def test_derived_formula_removed_keeps_the_values(
    derived_ratio, django_capture_on_commit_callbacks
):
    w = derived_ratio
    with django_capture_on_commit_callbacks(execute=True):
        import_measurements(
            rows("vardplatser", ("0099", "2023", "812"))
            + rows("folkmangd", ("0099", "2023", "305000")),
            actor=w["user"],
        )
    remove_derivation(w["per"], actor=w["user"])
    assert not DerivedIndicator.objects.exists()
    assert stored("vardplatser-per-1000") == {("0099", "2023", "T"): (Decimal("2.7"), "slutlig")}
    event = AuditEvent.objects.get(action="indicator_definition.underive")
    assert event.before["inputs"] == ["vardplatser", "folkmangd"]
    with pytest.raises(ValidationError) as refused:
        remove_derivation(w["per"], actor=w["user"])
    assert refusal_codes(refused.value) == {"definition": ["not_derived"]}
    # From now on it takes values like any indicator.
    assert import_measurements(
        rows("vardplatser-per-1000", ("0099", "2024", "3")), actor=w["user"]
    ).imported


def test_derived_formula_needs_the_right_to_change_the_definition(derived_world):
    from django.core.exceptions import PermissionDenied

    reader = user_with_role("lasare_derived", "lasare", "styrelsen")
    with pytest.raises(PermissionDenied):
        define_derived(
            derived_world["per"], kind="kvot", inputs=["vardplatser", "folkmangd"], actor=reader
        )
    assert not DerivedIndicator.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_derived_recompute_after_a_committed_import():
    """The production path: no surrounding transaction, so the recompute runs when the
    import's merge commits (inside the import's own staging, which it must not disturb)."""
    load_minimal()
    beds = IndicatorDefinition.objects.create(key="vp", name="Vårdplatser", unit="antal")
    people = IndicatorDefinition.objects.create(key="fm", name="Folkmängd", unit="antal")
    per = IndicatorDefinition.objects.create(key="vp-per", name="Per 1 000", unit="antal")
    user = user_with_role("planerare_derived_tx", "planerare", "styrelsen")
    define_derived(per, kind="kvot", inputs=[beds, people], factor=1000, actor=user)
    report = import_measurements(
        rows("vp", ("0099", "2023", "812")) + rows("fm", ("0099", "2023", "305000")),
        actor=user,
    )
    assert report.imported and report.created == 2
    assert stored("vp-per") == {("0099", "2023", "T"): (Decimal("2.7"), "slutlig")}
    with transaction.atomic():
        record_measurement(beds, Organisation.objects.get(code="0099"), "2023", 915, actor=user)
        assert stored("vp-per")[("0099", "2023", "T")][0] == Decimal("2.7")  # not yet
    assert stored("vp-per")[("0099", "2023", "T")][0] == Decimal("3.0")


def test_derived_rows_refused_in_a_file(derived_ratio):
    """A CSV file: on PostgreSQL the set-based fast path (``pgcsv``), on SQLite row by row."""
    from uppsikt.indicators.importers import import_file

    data = (
        "indikator;organisation;period;kön;värde\n"
        "vardplatser-per-1000;0099;2023;T;3\n"
        "vardplatser;0099;2023;T;5\n"
    ).encode()
    before = snapshot_all()
    report = import_file(data=data, filename="varden.csv", actor=derived_ratio["user"])
    assert not report.imported
    assert [(e.column, e.code) for e in report.errors] == [("indikator", "derived_indicator")]
    assert snapshot_all() == before


def test_derived_indicator_takes_no_values_by_hand():
    from uppsikt.accounts.commandline import command_line_user
    from uppsikt.indicators.manual import enter_values, takes_values
    from uppsikt.indicators.models import IndicatorTarget

    from .manual_setup import manual_setting

    setting = manual_setting()
    for key in ("utbildade-antal", "anstallda-antal"):
        IndicatorDefinition.objects.create(key=key, name=key, unit="antal", by_gender=True)
    share = setting.share.definition
    define_derived(
        share,
        kind="kvot",
        inputs=["utbildade-antal", "anstallda-antal"],
        factor=100,
        actor=command_line_user(),
    )
    targets = list(
        IndicatorTarget.objects.select_related("definition", "indicator__goal__plan__unit")
    )
    assert takes_values(targets, setting.period) == [setting.visits]
    before = snapshot_all()
    with pytest.raises(ValidationError) as refused:
        enter_values(setting.share, setting.period, actor=setting.reporter, total="12,5")
    assert refusal_codes(refused.value) == {"total": ["derived_indicator"]}
    assert snapshot_all() == before


def test_derived_follows_its_definition_per_kon(derived_world, django_capture_on_commit_callbacks):
    from uppsikt.indicators.actions import save_definition

    w = derived_world
    for definition in (w["women"], w["men"], w["total"]):
        definition.by_gender = True
        definition.save()
    with django_capture_on_commit_callbacks(execute=True):
        define_derived(w["total"], kind="summa", inputs=["kvinnor", "man"], actor=w["user"])
        import_measurements(
            [
                {
                    "indicator": key,
                    "organisation": "0099",
                    "period": "2023",
                    "gender": g,
                    "value": v,
                }
                for key, v in (("kvinnor", "10"), ("man", "20"))
                for g in ("T", "K")
            ],
            actor=w["user"],
        )
    assert set(stored("totalt")) == {("0099", "2023", "T"), ("0099", "2023", "K")}
    with django_capture_on_commit_callbacks(execute=True):
        save_definition(w["total"], actor=w["user"], by_gender=False)
    # Withdrawing the K value needs the import's withdrawal rows (the storage work); the
    # recompute asks for it and leaves T as it was.
    assert stored("totalt")[("0099", "2023", "T")] == (Decimal("30.0"), "slutlig")
