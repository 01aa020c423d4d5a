"""The import page and its background job, rule confirmation and the aggregation rule."""

import io

import pytest
from openpyxl import load_workbook

from uppsikt.audit.models import AuditEvent
from uppsikt.indicators.models import (
    Assessment,
    ImportBatch,
    IndicatorDefinition,
    IndicatorTarget,
    Measurement,
)
from uppsikt.indicators.proposals import propose_assessments
from uppsikt.jobs.models import Job
from uppsikt.plans.actions.versions import revise_plan
from uppsikt.plans.models import Goal

from .builders import run_queued_jobs, user_with_role

BROKEN = (
    "indikator;organisation;period;kön;värde\n"
    "hme;0018;2024;T;80,1\n"
    "okänd;0018;2024;T;1\n"
    "hme;0018;2024;T;80,1\n"
).encode()


@pytest.mark.django_db(transaction=True)
def test_upload_lists_bad_rows_then_skips_them_on_request(client, demo_with_indicators):
    before = Measurement.objects.count()
    batches = ImportBatch.objects.count()  # the demo's derived example is computed by import
    planner = user_with_role("planerare")
    client.force_login(planner)
    page = client.get("/indikatorer/inlasning/")
    assert page.status_code == 200 and "Ladda ned Excel-mallen" in page.content.decode()

    upload = io.BytesIO(BROKEN)
    upload.name = "varden.csv"
    response = client.post("/indikatorer/inlasning/", {"file": upload, "format": ""})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and not job.result["imported"]
    assert Measurement.objects.count() == before and ImportBatch.objects.count() == batches
    html = client.get(job.get_absolute_url()).content.decode()
    assert "Ingenting lästes in" in html
    assert "Okänd indikator ”okänd”." in html and "som rad 2" in html
    assert 'scope="col"' in html

    response = client.post(f"/indikatorer/inlasning/{job.pk}/hoppa-over/")
    second = Job.objects.exclude(pk=job.pk).get()
    assert response["Location"] == second.get_absolute_url()
    run_queued_jobs()
    second.refresh_from_db()
    assert second.result["imported"] and second.result["created"] == 1
    assert second.result["skipped"] == 2
    assert Measurement.objects.count() == before + 1
    assert AuditEvent.objects.filter(action="measurements.import").count() == batches + 1
    assert "Nya värden" in client.get(second.get_absolute_url()).content.decode()
    # The stored upload is gone after a successful import: no third run.
    assert client.post(f"/indikatorer/inlasning/{second.pk}/hoppa-over/").status_code == 404


@pytest.mark.django_db
def test_import_page_and_template_need_the_plan_permission(client, demo_with_indicators):
    assert client.get("/indikatorer/inlasning/").status_code == 302  # to the login page
    client.force_login(user_with_role("lasare", "lasare"))
    assert client.get("/indikatorer/inlasning/").status_code == 403
    assert client.get("/indikatorer/inlasning/mall.xlsx").status_code == 403
    assert "Läs in mätvärden" not in client.get("/indikatorer/").content.decode()
    client.force_login(user_with_role("planerare"))
    assert "Läs in mätvärden" in client.get("/indikatorer/").content.decode()
    response = client.get("/indikatorer/inlasning/mall.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    keys = {row[0] for row in workbook["Indikatorer"].iter_rows(min_row=2, values_only=True)}
    assert "hme" in keys


@pytest.mark.django_db
def test_upload_without_known_format_asks_for_one(client, demo_with_indicators):
    client.force_login(user_with_role("planerare"))
    upload = io.BytesIO(BROKEN)
    upload.name = "varden.dat"
    response = client.post("/indikatorer/inlasning/", {"file": upload, "format": ""})
    assert response.status_code == 200 and "Välj format" in response.content.decode()
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_planner_confirms_a_proposed_rule_of_a_decided_plan_and_changes_it_in_a_revision(
    client, demo_with_indicators
):
    target = IndicatorTarget.objects.get(definition__key="fardigbehandlade-ett-besok")
    plan = target.indicator.goal.plan
    # The demo's plan is decided; the demo confirmed the rule only as an example.
    assert target.rule_confirmed_as_example and not target.rule_is_proposed
    assert target.awaits_confirmation and plan.is_published
    goal_page = client.get(target.indicator.goal.get_absolute_url()).content.decode()
    assert "bekräftad som exempel i demon" in goal_page and "Bekräfta regeln" not in goal_page
    url = f"/indikatorer/malregel/{target.pk}/"
    assert client.get(url).status_code == 302  # login first

    client.force_login(user_with_role("lasare2", "lasare"))
    assert client.get(url).status_code == 403

    planner = user_with_role("planerare")
    client.force_login(planner)
    page = client.get(url).content.decode()
    assert "Minst 50,0" in page and "bekräftad som exempel i demon" in page
    assert f"/planer/{plan.pk}/revidera/?mal={target.indicator.goal.pk}" in page
    response = client.post(url, {"kind": "threshold", "minimum": "", "maximum": ""})
    assert "Ange minst eller högst." in response.content.decode()
    response = client.post(url, {"kind": "threshold", "minimum": "abc"})
    assert "inte ett tal" in response.content.decode()

    # The rule is part of the decided plan: changing it is refused, pointing to a revision.
    response = client.post(url, {"kind": "threshold", "minimum": "99,5"})
    assert response.status_code == 200
    assert "kan bekräftas som den står men inte ändras. Välj Revidera planen" in (
        response.content.decode()
    )
    target.refresh_from_db()
    assert target.awaits_confirmation and target.rule["minimum"] == "50"
    assert not AuditEvent.objects.filter(action__startswith="indicator_target.").exists()

    # Confirming the reading unchanged (as the form shows it, 50,0) records the agreement.
    response = client.post(url, {"kind": "threshold", "minimum": "50,0"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert not target.awaits_confirmation and target.rule["minimum"] == "50"
    event = AuditEvent.objects.get(action="indicator_target.confirm_rule")
    assert event.before["rule_confirmed_as_example"] and event.reason == "Minst 50,0\u00a0%"
    goal_page = client.get(target.indicator.goal.get_absolute_url()).content.decode()
    assert "bekräftad som exempel" not in goal_page and "Ändra regeln" not in goal_page
    page = client.get(url).content.decode()
    assert "Bekräfta regeln som den står" not in page and "Revidera planen" in page
    client.post(url, {"kind": "threshold", "minimum": "50"})  # already confirmed: nothing new
    assert AuditEvent.objects.filter(action__startswith="indicator_target.").count() == 1

    # In a revision (an utkast) the rule can be changed; the proposals are recomputed.
    revision = revise_plan(plan, actor=planner, reason="Högre krav på handläggningen")
    copy = IndicatorTarget.objects.get(
        indicator__goal__plan=revision.plan, definition__key="fardigbehandlade-ett-besok"
    )
    copy_url = f"/indikatorer/malregel/{copy.pk}/"
    goal = Goal.objects.select_related("plan__unit__organisation").get(pk=copy.indicator.goal_id)
    propose_assessments([goal], "2023")  # a revision starts without assessments
    before = Assessment.objects.get(goal=goal, period="2023").proposed_status
    response = client.post(copy_url, {"kind": "threshold", "minimum": "99,5"})
    assert response.status_code == 302
    copy.refresh_from_db()
    assert copy.rule["minimum"] == "99.5"
    assessment = Assessment.objects.get(goal=goal, period="2023")
    assert (before, assessment.proposed_status) == ("uppfyllt", "ej_uppfyllt")  # recomputed
    event = AuditEvent.objects.get(action="indicator_target.set_rule")
    assert event.before["rule"]["minimum"] == "50" and event.reason == "Minst 99,5\u00a0%"
    goal_page = client.get(copy.indicator.goal.get_absolute_url()).content.decode()
    assert "Ändra regeln" in goal_page

    response = client.post(copy_url, {"kind": "target", "targets": "2023: 40\n2024 45"})
    assert "Rad 2" in response.content.decode()
    client.post(
        copy_url, {"kind": "target", "targets": "2023: 40", "target_comparison": "at_least"}
    )
    assessment.refresh_from_db()
    assert assessment.proposed_status == "uppfyllt"
    target.refresh_from_db()
    assert target.rule["minimum"] == "50"  # the decided version keeps its rule


@pytest.mark.django_db
def test_aggregation_rule_is_shown_and_chosen_per_goal_or_plan(client, demo_with_indicators):
    goal = Goal.objects.get(plan__unit__slug="regionstyrelsen", number="9")
    url = f"/indikatorer/mal/{goal.pk}/2023/"
    assessment = Assessment.objects.get(goal=goal, period="2023")
    html = client.get(url).content.decode()
    assert "Alla bedömbara indikatorer ska vara uppfyllda" in html and "standardregel" in html
    assert "Spara sammanvägningsregeln" not in html
    # One rule on the page: the one in force, with the cap for person-judged indicators.
    assert "när alla bedömbara indikatorer är uppfyllda" in html
    assert "1 poäng" not in html and "högst som delvis uppfyllt" in html

    client.force_login(user_with_role("planerare"))
    response = client.post(url, {"rule": "majoritet", "scope": "goal"})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.aggregation == "majoritet"
    html = client.get(url).content.decode()
    assert "vald för målet" in html and "mer än hälften av poängen" in html
    assert "när alla bedömbara indikatorer är uppfyllda" not in html
    other = Assessment.objects.get(goal__plan=goal.plan, goal__number="1", period="2023")
    assert other.aggregation == "alla"

    client.post(url, {"rule": "majoritet", "scope": "plan"})
    other.refresh_from_db()
    assert other.aggregation == "majoritet"
    assert "vald för hela planen" in client.get(url).content.decode()
    assert AuditEvent.objects.filter(action="assessment.set_aggregation").count() == 2


@pytest.mark.django_db
def test_every_effektmal_of_the_demo_plans_shows_an_assessment_with_reason(
    client, demo_with_indicators
):
    for slug in ("regionstyrelsen", "regionfullmaktige"):
        goals = Goal.objects.filter(plan__unit__slug=slug, kind="effektmal")
        assert goals.exists()
        for goal in goals:
            assessment = Assessment.objects.get(goal=goal, period="2023")
            assert assessment.proposed_reason
        html = client.get(goals[0].plan.get_absolute_url()).content.decode()
        assert html.count("Bedömning helår 2023") >= goals.count()
    rf_goal = Goal.objects.get(plan__unit__slug="regionfullmaktige", number="9")
    assessment = Assessment.objects.get(goal=rf_goal)
    assert "bidragande mål" in assessment.proposed_reason
    page = client.get(f"/indikatorer/mal/{rf_goal.pk}/2023/").content.decode()
    assert "Regionstyrelsen" in page and "Hållbart medarbetarengagemang" in page


@pytest.mark.django_db
def test_comparison_view_query_count(client, demo_with_indicators, django_assert_max_num_queries):
    definition = IndicatorDefinition.objects.get(key="hme")
    with django_assert_max_num_queries(8):
        assert client.get(f"/indikatorer/{definition.pk}/jamfor/2023/").status_code == 200


@pytest.mark.django_db
def test_demo_goal_with_qualitative_indicators_is_not_proposed_met(demo_with_indicators):
    # Effektmål 8: one measured indicator met, four only a person can judge.
    goal = Goal.objects.get(plan__unit__slug="regionstyrelsen", plan__status="beslutad", number="8")
    assessment = Assessment.objects.get(goal=goal, period="2023")
    assert assessment.proposed_status == "delvis_uppfyllt"
    assert "4 indikatorer kräver bedömning av en person" in assessment.proposed_reason


@pytest.mark.django_db
def test_assessment_periods_are_written_one_way_on_the_plan_page(client, demo_with_indicators):
    from uppsikt.indicators.proposals import propose_assessment

    goal = Goal.objects.get(plan__unit__slug="regionstyrelsen", number="4")
    propose_assessment(goal, "2023-07")
    other = Goal.objects.filter(plan=goal.plan, kind="mal").first()
    Assessment.objects.create(
        goal=other, period="2023-07", proposed_status="ej_bedombar", proposed_preliminary=False
    )
    html = client.get(goal.plan.get_absolute_url()).content.decode()
    assert "Bedömning helår 2023" in html and "Bedömning till och med juli 2023" in html
    assert "Bedömning 2023-07" not in html and "Bedömning 2023<" not in html
    page = client.get(f"/indikatorer/mal/{other.pk}/2023-07/").content.decode()
    assert "<h1" in page and "Bedömning till och med juli 2023</h1>" in page


@pytest.mark.django_db
def test_indicator_page_tells_plan_versions_apart_after_a_revision(client, demo_with_indicators):
    target = IndicatorTarget.objects.get(definition__key="hme")
    plan = target.indicator.goal.plan
    planner = user_with_role("planerare")
    revise_plan(plan, actor=planner, reason="Ny version")
    url = target.definition.get_absolute_url()
    label = f"{plan.unit.name} {plan.year}"

    client.force_login(planner)  # sees the draft too
    html = client.get(url).content.decode()
    assert html.count(label) == 2
    assert f"{label} (version 1, beslutad)" in html and f"{label} (version 2, utkast)" in html
    assert html.index("version 1, beslutad") < html.index("version 2, utkast")

    client.logout()  # a visitor sees only the decided plan, with no version note
    html = client.get(url).content.decode()
    assert html.count(label) == 1 and "version 1" not in html
