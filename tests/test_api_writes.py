"""API writes added for issue 7.5: budget figures, indicator definitions, organisations and
units, plan texts; and the budget read with every series."""

import datetime
from decimal import Decimal

import pytest

from uppsikt.audit.models import AuditEvent
from uppsikt.budget.models import BudgetImport, Figure
from uppsikt.periods.models import ReportingPeriod

from .api_client import Caller

pytestmark = pytest.mark.django_db


def figures_state():
    return (
        sorted(Figure.objects.values_list("row_id", "kind", "year", "period", "amount")),
        AuditEvent.objects.count(),
        BudgetImport.objects.count(),
    )


# -- budget figures ---------------------------------------------------------------------------


def test_a_forecast_is_posted_through_the_import_core_and_audited(as_role, two_regions_with_roles):
    table = two_regions_with_roles.decided_table
    planner = as_role("planerare_inne")
    body = {
        "series": "prognos-2023-06",
        "rows": [
            {"ref": "Intäkter", "amount": "1250000.10"},
            {"row": table.rows.get(label="Kostnader").pk, "amount": "-1 000 000,25"},
            {"ref": "Summa", "amount": 250000},  # a control total, right after rounding
        ],
    }
    dry = planner.send("post", f"/budget-tables/{table.pk}/figures", {**body, "dry_run": True})
    assert dry.status_code == 200, dry.content
    assert dry.json()["imported"] is False and dry.json()["changed"] == 2
    assert not Figure.objects.filter(kind="prognos").exists()

    done = planner.send("post", f"/budget-tables/{table.pk}/figures", body)
    assert done.status_code == 200, done.content
    assert done.json()["imported"] is True
    stored = dict(
        Figure.objects.filter(kind="prognos", period="2023-06").values_list("row__label", "amount")
    )
    assert stored == {"Intäkter": Decimal("1250000.10"), "Kostnader": Decimal("-1000000.25")}
    event = AuditEvent.objects.filter(action="budget.import").get()
    assert event.after["kolumner"] == ["prognos-2023-06"]
    assert BudgetImport.objects.get().status == BudgetImport.Status.IMPORTED

    # Read back with every series, exact
    read = planner.get(f"/budget-tables/{table.pk}").json()
    assert "prognos-2023-06" in [s["key"] for s in read["series"]]
    values = {row["label"]: row["values"]["prognos-2023-06"] for row in read["rows"]}
    assert values == {"Intäkter": "1250000.10", "Kostnader": "-1000000.25", "Summa": "249999.85"}

    again = planner.send("post", f"/budget-tables/{table.pk}/figures", body)
    assert again.json()["changed"] == 0 and again.json()["unchanged"] == 2


def test_every_bad_row_is_named_with_a_code_and_nothing_changes(as_role, two_regions_with_roles):
    table = two_regions_with_roles.decided_table
    planner = as_role("planerare_inne")
    before = figures_state()
    response = planner.send(
        "post",
        f"/budget-tables/{table.pk}/figures",
        {
            "series": "utfall 2023-07",
            "rows": [
                {"ref": "Intäkter", "amount": "12,5,5"},
                {"ref": "Finns inte", "amount": "1"},
                {"row": 999999, "amount": "1"},
                {"ref": "Intäkter", "amount": "2"},
                {"ref": "Kostnader", "amount": "1.001"},
            ],
        },
    )
    # The rows fit the schema; the import refuses them, as a file (409, every row named).
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["code"] == "invalid_rows"
    found = {(e["index"], e["field"], e["code"]) for e in body["errors"]}
    assert (2, "rows.2.row", "unknown_row") in found
    # Row-id problems are found before the file check; fix them and the rest is listed too.
    response = planner.send(
        "post",
        f"/budget-tables/{table.pk}/figures",
        {
            "series": "utfall 2023-07",
            "rows": [
                {"ref": "Intäkter", "amount": "12,5,5"},
                {"ref": "Finns inte", "amount": "1"},
                {"ref": "Intäkter", "amount": "2"},
                {"ref": "Kostnader", "amount": "1.001"},
            ],
        },
    )
    found = {(e["index"], e["field"], e["code"]) for e in response.json()["errors"]}
    assert found == {
        (0, "rows.0.amount", "bad_number"),
        (1, "rows.1.ref", "unknown_row"),
        (2, "rows.2.ref", "duplicate_row"),
        (3, "rows.3.amount", "bad_number"),
    }
    assert all(e["message"].startswith("rad ") for e in response.json()["errors"])
    assert figures_state() == before


def test_the_decided_budget_and_closed_periods_are_refused_as_on_the_web(
    as_role, two_regions_with_roles
):
    table = two_regions_with_roles.decided_table
    planner = as_role("planerare_inne")
    before = figures_state()
    decided = planner.send(
        "post",
        f"/budget-tables/{table.pk}/figures",
        {"series": "budget-2023", "rows": [{"ref": "Intäkter", "amount": "1"}]},
    )
    assert decided.status_code == 409
    assert [e["code"] for e in decided.json()["errors"]] == ["decided_budget"]
    assert "beslutad" in decided.json()["errors"][0]["message"]
    ReportingPeriod.objects.create(
        organisation=two_regions_with_roles.org,
        year=2023,
        kind="delarsrapport",
        name="Delårsrapport 2023",
        ends_on=datetime.date(2023, 8, 31),
        status=ReportingPeriod.Status.CLOSED,
    )
    before = figures_state()
    closed = planner.send(
        "post",
        f"/budget-tables/{table.pk}/figures",
        {"series": "prognos 2023-08", "rows": [{"ref": "Kostnader", "amount": "-5"}]},
    )
    assert [e["code"] for e in closed.json()["errors"]] == ["closed_period"]
    computed = planner.send(
        "post",
        f"/budget-tables/{table.pk}/figures",
        {"series": "reviderad-2023", "rows": [{"ref": "Summa", "amount": "5"}]},
    )
    assert [e["code"] for e in computed.json()["errors"]] == ["control_total"]
    bad_series = planner.send(
        "post",
        f"/budget-tables/{table.pk}/figures",
        {"series": "prognos 2023", "rows": [{"ref": "Summa", "amount": "5"}]},
    )
    assert bad_series.json()["errors"][0]["field"] == "series"
    assert figures_state() == before


def test_budget_figures_need_the_plan_permission(as_role, two_regions_with_roles):
    table = two_regions_with_roles.decided_table
    body = {"series": "prognos-2023-06", "rows": [{"ref": "Intäkter", "amount": "1"}]}
    callers = {name: as_role(name) for name in ("lasare_inne", "rapportor_inne", "planerare_ute")}
    before = figures_state()
    assert as_role(None).send("post", f"/budget-tables/{table.pk}/figures", body).status_code == 401
    for name, who in callers.items():
        response = who.send("post", f"/budget-tables/{table.pk}/figures", body)
        assert response.status_code == 403, name
    draft = callers["planerare_ute"].send(
        "post", f"/budget-tables/{two_regions_with_roles.draft_table.pk}/figures", body
    )
    assert draft.status_code == 404
    assert figures_state() == before


# -- indicator definitions ----------------------------------------------------------------------


def test_definitions_are_created_and_changed_with_audit(as_role, two_regions_with_roles):
    from uppsikt.indicators.models import IndicatorDefinition

    planner = as_role("planerare_inne")
    created = planner.send(
        "post",
        "/indicator-definitions",
        {"key": "vantetid", "name": "Väntetid", "unit": "dagar", "polarity": "lower_better"},
    )
    assert created.status_code == 201, created.content
    definition = IndicatorDefinition.objects.get(key="vantetid")
    assert definition.polarity == "lower_better"
    changed = planner.send(
        "patch", f"/indicator-definitions/{definition.pk}", {"name": "Väntetid i dagar"}
    )
    assert changed.status_code == 200 and changed.json()["name"] == "Väntetid i dagar"
    actions = list(
        AuditEvent.objects.filter(object_type="indicators.indicatordefinition").values_list(
            "action", flat=True
        )
    )
    assert actions == ["indicator_definition.create", "indicator_definition.update"]
    duplicate = planner.send(
        "post", "/indicator-definitions", {"key": "vantetid", "name": "X", "unit": "dagar"}
    )
    assert duplicate.status_code == 409  # the key is taken
    assert duplicate.json()["errors"][0]["field"] == "key"


def test_definitions_refused_change_nothing(as_role, two_regions_with_roles):
    from uppsikt.indicators.models import IndicatorDefinition

    reader, outside, planner = (
        as_role("lasare_inne"),
        as_role("planerare_ute"),
        as_role("planerare_inne"),
    )
    before = (
        sorted(IndicatorDefinition.objects.values_list("key", "name")),
        AuditEvent.objects.count(),
    )
    body = {"key": "ny", "name": "Ny", "unit": "antal"}
    assert as_role(None).send("post", "/indicator-definitions", {}).status_code == 401
    assert reader.send("post", "/indicator-definitions", body).status_code == 403
    # Authorised before the body is read: a reader learns nothing about the fields.
    assert reader.send("post", "/indicator-definitions", {"x": 1}).status_code == 403
    used = f"/indicator-definitions/{two_regions_with_roles.definition.pk}"
    # The definition measures indicators of styrelsen's plans: a planner elsewhere may not.
    assert outside.send("patch", used, {"name": "Annat"}).status_code == 403
    assert outside.send("patch", used, {"nope": 1}).status_code == 403
    assert planner.send("patch", used, {"unit": "meter"}).status_code == 422
    assert planner.send("patch", "/indicator-definitions/99999", {"x": 1}).status_code == 404
    assert (
        sorted(IndicatorDefinition.objects.values_list("key", "name")),
        AuditEvent.objects.count(),
    ) == before


# -- organisations and units --------------------------------------------------------------------


def test_administrators_create_and_change_units_audited(as_role, two_regions_with_roles):
    from uppsikt.organisations.models import Unit

    admin = as_role("administrator_inne")
    created = admin.send(
        "post",
        "/units",
        {
            "organisation": two_regions_with_roles.org.code,
            "parent": two_regions_with_roles.unit.pk,
            "slug": "ny-enhet",
            "name": "Ny enhet",
            "kind": "enhet",
        },
    )
    assert created.status_code == 201, created.content
    unit = Unit.objects.get(slug="ny-enhet")
    assert unit.parent_id == two_regions_with_roles.unit.pk
    changed = admin.send("patch", f"/units/{unit.pk}", {"name": "Omdöpt", "position": 3})
    assert changed.status_code == 200, changed.content
    assert (changed.json()["name"], changed.json()["position"]) == ("Omdöpt", 3)
    actions = list(
        AuditEvent.objects.filter(object_type="organisations.unit").values_list("action", flat=True)
    )
    assert actions == ["unit.create", "unit.update"]
    again = admin.send(
        "post",
        "/units",
        {
            "organisation": two_regions_with_roles.org.code,
            "parent": two_regions_with_roles.unit.pk,
            "slug": "ny-enhet",
            "name": "Dubblett",
            "kind": "enhet",
        },
    )
    assert again.status_code == 409  # the slug is taken


def test_organisation_and_unit_writes_refused_change_nothing(
    as_role, two_regions_with_roles, django_user_model
):
    from uppsikt.organisations.models import Organisation, Unit

    callers = {n: as_role(n) for n in ("administrator_inne", "administrator_ute", "planerare_inne")}
    root = django_user_model.objects.create_superuser("rot2", password="x" * 20)
    from uppsikt.api.tokens import create_token

    superuser = Caller(
        callers["planerare_inne"].client, create_token(root, actor=root, name="t")[1]
    )
    state = lambda: (  # noqa: E731
        sorted(Organisation.objects.values_list("code", "name", "kind")),
        sorted(Unit.objects.values_list("pk", "name", "kind", "position")),
        AuditEvent.objects.count(),
    )
    before = state()
    body = {"code": "1881", "name": "Ny kommun", "kind": "kommun"}
    assert as_role(None).send("post", "/organisations", {}).status_code == 401
    assert callers["administrator_inne"].send("post", "/organisations", body).status_code == 403
    assert callers["administrator_inne"].send("post", "/organisations", {"x": 1}).status_code == 403
    org_url = f"/organisations/{two_regions_with_roles.org.code}"
    # Administrator of styrelsen, not of the whole organisation (fullmäktige is its root).
    assert callers["administrator_inne"].send("patch", org_url, {"name": "X"}).status_code == 403
    assert (
        callers["planerare_inne"]
        .send("patch", f"/units/{two_regions_with_roles.unit.pk}", {"bad": 1})
        .status_code
        == 403
    )
    assert (
        callers["administrator_ute"]
        .send("patch", f"/units/{two_regions_with_roles.unit.pk}", {"name": "X"})
        .status_code
        == 403
    )
    assert (
        callers["administrator_ute"]
        .send(
            "post",
            "/units",
            {
                "organisation": two_regions_with_roles.org.code,
                "parent": two_regions_with_roles.unit.pk,
                "slug": "x",
                "name": "X",
                "kind": "enhet",
            },
        )
        .status_code
        == 403
    )
    assert (
        callers["administrator_inne"]
        .send(
            "post",
            "/units",
            {
                "organisation": two_regions_with_roles.other_org.code,
                "parent": two_regions_with_roles.unit.pk,
                "slug": "x",
                "name": "X",
                "kind": "enhet",
            },
        )
        .status_code
        == 409  # the parent belongs to another organisation
    )
    assert superuser.send("patch", org_url, {"kind": "planet"}).status_code == 422
    assert state() == before
    made = superuser.send("post", "/organisations", body)
    assert made.status_code == 201, made.content
    renamed = superuser.send("patch", "/organisations/1881", {"name": "Nyare kommun"})
    assert renamed.json()["name"] == "Nyare kommun"


# -- plan texts and goals -------------------------------------------------------------------------


def test_plan_texts_change_in_drafts_only(as_role, two_regions_with_roles):
    from uppsikt.plans.models import Section

    draft = Section.objects.create(
        plan=two_regions_with_roles.draft, heading="Inledning", body="Gammal text."
    )
    decided = Section.objects.create(
        plan=two_regions_with_roles.decided, heading="Inledning", body="Beslutad."
    )
    planner, reader, outside = (
        as_role("planerare_inne"),
        as_role("lasare_inne"),
        as_role("planerare_ute"),
    )
    listed = outside.get(f"/plans/{two_regions_with_roles.decided.pk}/sections")
    assert "Beslutad." in [s["body"] for s in listed.json()]
    assert outside.get(f"/plans/{two_regions_with_roles.draft.pk}/sections").status_code == 404
    before = (
        sorted(Section.objects.values_list("pk", "heading", "body")),
        AuditEvent.objects.count(),
    )
    url = f"/plans/{two_regions_with_roles.draft.pk}/sections/{draft.pk}"
    assert as_role(None).send("patch", url, {"x": 1}).status_code == 401
    assert reader.send("patch", url, {"x": 1}).status_code == 403
    assert outside.send("patch", url, {"body": "X"}).status_code == 404
    refused = planner.send(
        "patch", f"/plans/{two_regions_with_roles.decided.pk}/sections/{decided.pk}", {"body": "Ny"}
    )
    assert (refused.status_code, refused.json()["code"]) == (409, "plan_decided")
    assert (
        planner.send(
            "patch",
            f"/plans/{two_regions_with_roles.decided.pk}/sections/{draft.pk}",
            {"body": "Ny"},
        ).status_code
        == 404
    )
    assert planner.send("patch", url, {"heading": ""}).status_code == 422
    assert (
        sorted(Section.objects.values_list("pk", "heading", "body")),
        AuditEvent.objects.count(),
    ) == before
    changed = planner.send("patch", url, {"body": "Ny text.\n\nAndra stycket."})
    assert changed.status_code == 200, changed.content
    assert Section.objects.get(pk=draft.pk).body == "Ny text.\n\nAndra stycket."
    assert AuditEvent.objects.filter(action="section.update").count() == 1


def test_goal_edits_are_authorised_before_the_body_is_read(as_role, two_regions_with_roles):
    """A reader sending an unknown field learns it may not, not which fields exist."""
    reader = as_role("lasare_inne")
    response = reader.send(
        "patch", f"/goals/{two_regions_with_roles.draft_goal.pk}", {"nonsense": 1}
    )
    assert response.status_code == 403
    decided = as_role("planerare_inne").send(
        "patch", f"/goals/{two_regions_with_roles.goal.pk}", {"x": 1}
    )
    assert decided.status_code == 409
    assert as_role(None).send("post", "/measurements", {}).status_code == 401
    assert reader.send("post", "/measurements", {}).status_code == 403
    assert reader.send("post", "/measurements/bulk", {"rows": "x"}).status_code == 403
    decision = f"/assessments/{two_regions_with_roles.assessment.pk}/decision"
    assert reader.send("post", decision, {"status": "nonsense"}).status_code == 403
    assert (
        reader.send("post", f"/plans/{two_regions_with_roles.decided.pk}/revisions", {}).status_code
        == 403
    )
    figures = f"/budget-tables/{two_regions_with_roles.decided_table.pk}/figures"
    assert reader.send("post", figures, {"rows": []}).status_code == 403
    # Ids out of range are left to the validation (422), never a server error.
    assert reader.send("patch", f"/goals/{2**60}", {}).status_code == 422


def test_the_goal_list_shows_current_versions_unless_asked_for_all(as_role, two_regions_with_roles):
    planner = as_role("planerare_inne")
    revision = planner.send(
        "post", f"/plans/{two_regions_with_roles.decided.pk}/revisions", {"reason": "Nytt"}
    )
    new_plan = revision.json()["id"]
    params = {"unit": two_regions_with_roles.unit.pk, "year": 2023, "limit": 500}
    current = {g["plan_id"] for g in planner.get("/goals", **params).json()["items"]}
    assert current == {two_regions_with_roles.decided.pk}
    every = {g["plan_id"] for g in planner.get("/goals", versions="all", **params).json()["items"]}
    assert every == {two_regions_with_roles.decided.pk, new_plan}
    named = {g["plan_id"] for g in planner.get("/goals", plan=new_plan).json()["items"]}
    assert named == {new_plan}
    # A plan not yet decided (only a draft) is the current version of its year.
    drafts = {
        g["plan_id"]
        for g in planner.get("/goals", year=2024, unit=two_regions_with_roles.unit.pk).json()[
            "items"
        ]
    }
    assert drafts == {two_regions_with_roles.draft.pk}
    assert planner.get("/goals", versions="gamla").status_code == 422


def test_the_public_reads_forecasts_only_once_their_period_is_reviewed(
    as_role, two_regions_with_roles
):
    """The API follows the web's publication rule (budget.publication)."""
    table = two_regions_with_roles.decided_table
    body = {"series": "prognos-2023-06", "rows": [{"ref": "Intäkter", "amount": "1250000"}]}
    posted = as_role("planerare_inne").send("post", f"/budget-tables/{table.pk}/figures", body)
    assert posted.status_code == 200, posted.content

    def keys(name, query=""):
        answer = as_role(name).get(f"/budget-tables/{table.pk}{query}").json()
        return [s["key"] for s in answer["series"]]

    assert "prognos-2023-06" in keys("lasare_inne")  # a role on the unit sees it
    assert "prognos-2023-06" not in keys(None)
    assert "prognos-2023-06" not in keys(None, "?series=prognos-2023-06")
    ReportingPeriod.objects.create(
        organisation=table.unit.organisation,
        year=2023,
        kind="delarsrapport",
        name="Delårsrapport per juli 2023",
        ends_on=datetime.date(2023, 7, 31),
        status=ReportingPeriod.Status.CLOSED,
    )
    assert "prognos-2023-06" in keys(None)
