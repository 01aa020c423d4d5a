"""The REST API's internal control (plans, risks, assessments, åtgärder, their follow-up and
avvikelser) and the bulk upload of measurements through the importers' core."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uppsikt.audit.models import AuditEvent
from uppsikt.control.models import ControlPlan, RiskAssessment
from uppsikt.followup.models import FollowUp
from uppsikt.indicators.models import ImportBatch, Measurement, MeasurementRevision
from uppsikt.organisations.models import Unit
from uppsikt.periods.actions import close_period

from .api_client import Caller

pytestmark = pytest.mark.django_db


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def add_namnd(world) -> Unit:
    return Unit.objects.create(
        organisation=world.org, parent=world.unit.parent, slug="namnd", name="Nämnd", kind="namnd"
    )


def post_region_wide_risk(caller: Caller, world) -> dict:
    response = caller.send(
        "post",
        "/risks",
        {
            "unit": world.unit.pk,
            "year": 2023,
            "area": "HR",
            "text": "Risken att bisysslor förekommer.",
            "is_region_wide": True,
        },
    )
    assert response.status_code == 201, response.content
    return response.json()


# -- reading ---------------------------------------------------------------------------------


def test_risks_and_plans_are_read_as_on_the_web(as_role, two_regions_with_control):
    c = two_regions_with_control.control
    public, inside, outside = as_role(None), as_role("lasare_inne"), as_role("lasare_ute")
    assert ids(public.get("/risks")) == [c.risk.pk]  # the 2024 plan is not published
    assert set(ids(inside.get("/risks"))) == {c.risk.pk, c.draft_risk.pk}
    assert ids(outside.get("/risks")) == [c.risk.pk]
    assert public.get(f"/risks/{c.draft_risk.pk}").status_code == 404
    assert inside.get(f"/risks/{c.draft_risk.pk}").status_code == 200
    assert ids(public.get("/control-plans")) == [c.plan.pk]
    assert public.get(f"/control-plans/{c.draft_risk.control_plan_id}").status_code == 404
    risk = public.get(f"/risks/{c.risk.pk}").json()
    assert risk["area"] == "Ekonomi" and risk["unit_id"] == two_regions_with_control.unit.pk
    assert [m["text"] for m in risk["measures"]] == ["Stickprov på attester varje tertial."]
    assert risk["assessments"] == [
        {
            "year": 2023,
            "likelihood": 2,
            "consequence": 3,
            "score": 6,
            "level": "medel",
            "decision": "ej_accepterad",
            "motivation": "",
            "is_example": False,
            "assessed_at": risk["assessments"][0]["assessed_at"],
        }
    ]


def test_risks_filter_by_year_area_owner_and_a_units_whole_plan(as_role, two_regions_with_control):
    reader = as_role("lasare_inne")
    assert ids(reader.get("/risks", year=2024)) == [two_regions_with_control.control.draft_risk.pk]
    assert ids(reader.get("/risks", area="Ekonomi")) == [two_regions_with_control.control.risk.pk]
    assert ids(reader.get("/risks", unit=two_regions_with_control.other_unit.pk)) == []
    namnd = add_namnd(two_regions_with_control)
    shared = post_region_wide_risk(as_role("planerare_inne"), two_regions_with_control)
    # A nämnd's plan holds the region's region-wide risks, resolved when asked.
    assert ids(reader.get("/risks", for_unit=namnd.pk, year=2023)) == [shared["id"]]
    # Without a year: the unit's plans of every year.
    assert ids(reader.get("/risks", for_unit=namnd.pk)) == [shared["id"]]
    unknown = reader.get("/risks", for_unit=999999)
    assert unknown.status_code == 404
    assert unknown.json()["errors"][0]["field"] == "for_unit"


# -- writing ---------------------------------------------------------------------------------


def test_a_planner_adds_a_risk_assesses_it_and_adds_an_atgard(as_role, two_regions_with_control):
    planner = as_role("planerare_inne")
    created = planner.send(
        "post",
        "/risks",
        {
            "unit": two_regions_with_control.unit.pk,
            "year": 2023,
            "area": "IT",
            "text": "Risken att behörigheter inte tas bort.",
            "requirements": ["e", "c"],
        },
    )
    assert created.status_code == 201, created.content
    risk = created.json()
    assert (risk["area"], risk["requirements"], risk["assessments"]) == ("IT", ["c", "e"], [])
    refused = planner.send(
        "post",
        f"/risks/{risk['id']}/assessments",
        {"likelihood": 4, "consequence": 4, "decision": "ej_accepterad"},
    )
    assert refused.status_code == 409  # the risk has no åtgärd yet
    assert "minst en åtgärd" in refused.json()["errors"][0]["message"]
    assert not RiskAssessment.objects.filter(risk_id=risk["id"]).exists()
    measure = planner.send(
        "post",
        f"/risks/{risk['id']}/measures",
        {"text": "Kvartalsvis genomgång av behörigheter.", "reported_in": ["delarsrapport"]},
    )
    assert measure.status_code == 201
    assert measure.json()["reported_in"] == ["delarsrapport"]
    assessed = planner.send(
        "post",
        f"/risks/{risk['id']}/assessments",
        {"likelihood": 4, "consequence": 4, "decision": "ej_accepterad", "motivation": "Hög."},
    )
    assert assessed.status_code == 200
    assert assessed.json()["assessments"][0]["score"] == 16
    assert assessed.json()["assessments"][0]["level"] == "hog"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"control.risk.create", "control.measure.create"} <= actions
    one_step = planner.send("post", f"/risks/{risk['id']}/assessments", {"likelihood": 3})
    assert one_step.status_code == 422  # both steps or neither, as the schema says
    off_scale = planner.send(
        "post", f"/risks/{risk['id']}/assessments", {"likelihood": 5, "consequence": 1}
    )
    assert off_scale.status_code == 409  # the organisation's scale has four steps
    assert off_scale.json()["errors"][0]["field"] == "likelihood"


def test_writes_need_plan_on_the_unit_and_a_refused_risk_leaves_no_plan_behind(
    as_role, two_regions_with_control
):
    body = {
        "unit": two_regions_with_control.unit.pk,
        "year": 2025,
        "area": "HR",
        "text": "Risken med mera.",
    }
    assert as_role(None).send("post", "/risks", body).status_code == 401
    assert as_role("lasare_inne").send("post", "/risks", body).status_code == 403
    assert as_role("planerare_ute").send("post", "/risks", body).status_code == 403
    namnd = add_namnd(two_regions_with_control)
    admin, root = as_role("administrator_inne"), as_role("rot")  # tokens are audited too
    plans, events = ControlPlan.objects.count(), AuditEvent.objects.count()
    # Region-wide risks belong in the styrelse's plan: refused, and the nämnd's plan that
    # would have been created for it is not.
    refused = admin.send("post", "/risks", {**body, "unit": namnd.pk, "is_region_wide": True})
    assert refused.status_code == 403  # no role on the nämnd
    wrong = root.send("post", "/risks", {**body, "unit": namnd.pk, "is_region_wide": True})
    assert wrong.status_code == 409
    assert (ControlPlan.objects.count(), AuditEvent.objects.count()) == (plans, events)
    bad = root.send("post", "/risks", {**body, "requirements": ["f"]})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "requirements.0"


# -- follow-up of åtgärder -------------------------------------------------------------------


def test_followups_of_atgarder_are_read_written_and_carry_their_avvikelser(
    as_role, two_regions_with_control
):
    c = two_regions_with_control.control
    public, inside = as_role(None), as_role("lasare_inne")
    assert public.get(f"/followups/{c.followup.pk}").status_code == 404  # open period
    entry = inside.get(f"/followups/{c.followup.pk}").json()
    assert entry["object_type"] == "control.measure"
    assert [d["found"] for d in entry["deviations"]] == ["En attest saknades."]
    planner = as_role("planerare_inne")
    written = planner.send(
        "post",
        "/followups",
        {
            "period": c.period.pk,
            "object_type": "control.measure",
            "object_id": c.measure.pk,
            "status": "genomford",
            "comment": "Alla stickprov gjorda.",
        },
    )
    assert written.status_code == 200, written.content
    assert written.json()["status_label"] == "Genomförd"
    deviation = as_role("rapportor_inne").send(
        "post",
        f"/followups/{c.followup.pk}/deviations",
        {"found": "Två attester i fel ordning.", "handling": "Rutinen förtydligas."},
    )
    assert deviation.status_code == 201, deviation.content
    assert [d["found"] for d in deviation.json()["deviations"]] == [
        "En attest saknades.",
        "Två attester i fel ordning.",
    ]
    assert (
        as_role("lasare_inne")
        .send("post", f"/followups/{c.followup.pk}/deviations", {"found": "X"})
        .status_code
        == 403
    )
    activity = two_regions_with_control.followup
    not_measure = planner.send("post", f"/followups/{activity.pk}/deviations", {"found": "X"})
    assert not_measure.status_code == 404  # an activity's follow-up has no avvikelser
    assert not_measure.json()["errors"][0]["code"] == "not_a_measure"
    # Internal control publishes a period's follow-ups of åtgärder when the period closes.
    close_period(c.period, actor=two_regions_with_control.user("rot"))
    published = public.get(f"/followups/{c.followup.pk}")
    assert published.status_code == 200 and len(published.json()["deviations"]) == 2
    close_period(two_regions_with_control.period, actor=two_regions_with_control.user("rot"))
    assert public.get(f"/followups/{activity.pk}").status_code == 404  # not an åtgärd's


def test_a_region_wide_atgard_is_followed_up_by_each_namnd_and_by_no_one_else(
    as_role, two_regions_with_control
):
    c = two_regions_with_control.control
    namnd = add_namnd(two_regions_with_control)
    root = as_role("rot")
    risk = post_region_wide_risk(root, two_regions_with_control)
    measure = root.send("post", f"/risks/{risk['id']}/measures", {"text": "Uppföljning."}).json()
    body = {
        "period": c.period.pk,
        "object_type": "control.measure",
        "object_id": measure["id"],
        "status": "pagar",
    }
    by_board = root.send("post", "/followups", body)
    by_namnd = root.send("post", "/followups", {**body, "unit": namnd.pk})
    assert (by_board.status_code, by_namnd.status_code) == (201, 201)
    assert by_board.json()["id"] != by_namnd.json()["id"]
    assert by_namnd.json()["unit_id"] == namnd.pk
    # The styrelse's own åtgärd is followed up by the styrelse only; no other period's year.
    entries = FollowUp.objects.count()
    other = root.send("post", "/followups", {**body, "object_id": c.measure.pk, "unit": namnd.pk})
    assert other.status_code == 409
    assert other.json()["errors"][0]["field"] == "unit"
    later = root.send("post", "/followups", {**body, "period": two_regions_with_control.period.pk})
    assert later.status_code == 409 and later.json()["errors"][0]["field"] == "period"
    assert FollowUp.objects.count() == entries


def test_an_unpublished_atgard_does_not_exist_for_writers_elsewhere(
    as_role, two_regions_with_control
):
    body = {
        "period": two_regions_with_control.period.pk,
        "object_type": "control.measure",
        "object_id": two_regions_with_control.control.draft_measure.pk,
        "status": "pagar",
    }
    refused = as_role("planerare_ute").send("post", "/followups", body)
    assert refused.status_code == 404 and refused.json()["errors"][0]["code"] == "unknown"
    assert as_role("planerare_inne").send("post", "/followups", body).status_code == 201


# -- bulk measurements ----------------------------------------------------------------------


def row(value="70,5", **fields) -> dict:
    return {
        "indicator": "andel-nojda",
        "organisation": "0099",
        "period": "2021",
        "value": value,
        **fields,
    }


def test_bulk_upload_imports_every_row_in_one_batch_with_one_audit_event(
    as_role, two_regions_with_control
):
    planner = as_role("planerare_inne")
    events = AuditEvent.objects.count()
    response = planner.send(
        "post",
        "/measurements/bulk",
        {
            "rows": [
                row("70.5", period="2019"),
                row(71.25, period="2020"),
                row("1 071,5", period="2021"),
                row(3, period="2024", status="preliminär"),
            ],
            "source": "API-test",
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["imported"], body["rows"], body["created"], body["errors"]) == (True, 4, 4, [])
    values = dict(
        Measurement.objects.filter(period__in=["2019", "2020", "2021", "2024"]).values_list(
            "period", "value"
        )
    )
    assert values == {
        "2019": Decimal("70.5"),
        "2020": Decimal("71.25"),
        "2021": Decimal("1071.5"),
        "2024": Decimal("3"),
    }
    assert AuditEvent.objects.count() == events + 1
    assert AuditEvent.objects.latest("sequence").action == "measurements.import"
    same = {"rows": [row("70.5", period="2019")], "source": "API-test"}
    again = planner.send("post", "/measurements/bulk", same)
    assert (again.json()["created"], again.json()["unchanged"]) == (0, 1)
    corrected = planner.send(
        "post", "/measurements/bulk", {**same, "rows": [row("69,9", period="2019")]}
    )
    assert corrected.json()["changed"] == 1
    revision = MeasurementRevision.objects.get(measurement__period="2019")
    assert revision.value == Decimal("70.5")


def test_bulk_upload_with_a_bad_row_names_every_one_and_changes_nothing(
    as_role, two_regions_with_control
):
    planner = as_role("planerare_inne")
    before = (Measurement.objects.count(), AuditEvent.objects.count(), ImportBatch.objects.count())
    response = planner.send(
        "post",
        "/measurements/bulk",
        {
            "rows": [
                row(period="2019"),
                row(indicator="finns-inte"),
                row(value="sju"),
                row(period="2019"),
                row(organisation="0098", period="2020"),
                row(period="2023T4"),
            ]
        },
    )
    # Checked by the import, as a file: a row for an organisation the planner may not write
    # makes it 403 (without one, 409), with every bad row named.
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "invalid_rows"
    assert body["message"] == "5 av 6 rader har fel. Ingenting lästes in."
    found = [(e["index"], e["field"], e["code"]) for e in body["errors"]]
    assert found == [
        (1, "rows.1.indicator", "unknown_indicator"),
        (2, "rows.2.value", "bad_number"),
        (3, "rows.3", "duplicate"),
        (4, "rows.4.organisation", "forbidden"),
        (5, "rows.5.period", "bad_period"),
    ]
    assert all(e["message"] for e in body["errors"])
    assert "Region Annan" in body["errors"][3]["message"]
    after = (Measurement.objects.count(), AuditEvent.objects.count(), ImportBatch.objects.count())
    assert after == before


def test_bulk_upload_skips_bad_rows_when_asked_and_checks_only_on_a_dry_run(
    as_role, two_regions_with_control
):
    planner = as_role("planerare_inne")
    rows = [row(period="2019"), row(value=""), row(period="2020")]
    dry = planner.send("post", "/measurements/bulk", {"rows": rows, "dry_run": True})
    assert dry.status_code == 200
    assert (dry.json()["imported"], dry.json()["errors"][0]["code"]) == (False, "missing")
    assert not Measurement.objects.filter(period__in=["2019", "2020"]).exists()
    skipped = planner.send("post", "/measurements/bulk", {"rows": rows, "skip_bad_rows": True})
    assert skipped.status_code == 200
    body = skipped.json()
    assert (body["imported"], body["created"], body["skipped"]) == (True, 2, 1)
    assert [e["field"] for e in body["errors"]] == ["rows.1.value"]


def test_bulk_upload_needs_plan_somewhere_and_a_token(as_role, two_regions_with_control):
    assert as_role(None).send("post", "/measurements/bulk", {"rows": [row()]}).status_code == 401
    refused = as_role("lasare_inne").send("post", "/measurements/bulk", {"rows": [row()]})
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    empty = as_role("planerare_inne").send("post", "/measurements/bulk", {"rows": []})
    assert empty.status_code == 422
    unknown = as_role("planerare_inne").send("post", "/measurements/bulk", {"rows": [{"x": 1}]})
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "rows.0.x"


GOOD = st.builds(
    lambda year, value: row(str(value).replace(".", ","), period=str(year)),
    st.integers(2000, 2030),
    st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False),
)
BAD_ROWS = [
    row(indicator="okand"),
    row(organisation="9999"),
    row(value="1,2,3"),
    row(period="20x1"),
    row(gender="X"),
    row(status="kanske"),
    row(value=None),
]
BAD = st.sampled_from(BAD_ROWS)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=st.lists(st.one_of(GOOD, BAD), min_size=1, max_size=8))
def test_bulk_upload_is_all_or_nothing_and_names_exactly_the_bad_rows(
    as_role, two_regions_with_control, rows
):
    planner = as_role("planerare_inne")
    before = set(Measurement.objects.values_list("pk", "value"))
    response = planner.send("post", "/measurements/bulk", {"rows": rows})
    seen, bad = set(), set()
    for index, item in enumerate(rows):
        key = item["period"]
        if item in BAD_ROWS:
            bad.add(index)
        elif key in seen:
            bad.add(index)  # a repeated key
        else:
            seen.add(key)
    if bad:
        assert response.status_code == 409, response.content
        assert {e["index"] for e in response.json()["errors"]} == bad
        assert set(Measurement.objects.values_list("pk", "value")) == before
    else:
        assert response.status_code == 200, response.content
        assert response.json()["rows"] == len(rows)
    Measurement.objects.exclude(pk__in=[pk for pk, _v in before]).delete()


def test_every_api_schema_has_its_own_name():
    """ninja names OpenAPI components by class name: two ``AssessmentOut`` in two modules
    would silently describe one resource with the other's fields."""
    import importlib
    import inspect
    import pkgutil

    from ninja import Schema

    import uppsikt.api

    names: dict[str, str] = {}
    for info in pkgutil.iter_modules(uppsikt.api.__path__):
        module = importlib.import_module(f"uppsikt.api.{info.name}")
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Schema) and cls.__module__ == module.__name__:
                first = names.setdefault(name, module.__name__)
                assert first == module.__name__, f"{name} in {first} and {module.__name__}"
    assert {"RiskAssessmentOut", "AssessmentOut", "FollowUpOut"} <= set(names)
