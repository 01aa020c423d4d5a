"""The audit trail beyond goal edits: units, lasting actors, the admin, pages, the check."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from uppsikt.accounts.actions import grant_role
from uppsikt.audit.models import AuditEvent, ChainHead
from uppsikt.audit.trail import record, verify
from uppsikt.jobs.models import Job
from uppsikt.plans.actions.content import update_goal
from uppsikt.plans.models import Activity, Goal

from .builders import run_queued_jobs

pytestmark = pytest.mark.django_db


def test_events_know_their_unit(two_regions_with_roles):
    admin = two_regions_with_roles.user("administrator_inne")
    grant_role(
        two_regions_with_roles.user("allmanhet"), two_regions_with_roles.unit, "lasare", actor=admin
    )
    update_goal(
        two_regions_with_roles.draft_goal,
        actor=two_regions_with_roles.user("planerare_inne"),
        text="Ändrat mål i utkastet",
    )
    units = set(AuditEvent.objects.values_list("unit_id", flat=True))
    assert units == {two_regions_with_roles.unit.pk}


def test_deleting_a_user_keeps_the_chain_whole(two_regions_with_roles):
    doomed = two_regions_with_roles.user("planerare_inne")
    update_goal(
        two_regions_with_roles.draft_goal, actor=doomed, text="Sista ändringen av någon som slutar"
    )
    doomed_id = doomed.pk
    doomed.delete()
    event = AuditEvent.objects.get()
    assert event.actor_id == doomed_id and event.actor_name == "planerare_inne"
    assert verify() == (1, None)


def test_the_check_reports_the_first_altered_row_and_fails(two_regions_with_roles, capsys):
    actor = two_regions_with_roles.user("planerare_inne")
    for number in range(1, 5):
        update_goal(
            two_regions_with_roles.draft_goal, actor=actor, text=f"Formulering nummer {number}"
        )
    call_command("audit", "verify")
    assert "4 rader kontrollerade" in capsys.readouterr().out
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEvent._meta.db_table} SET after = %s WHERE sequence = 2",  # noqa: S608
            ['{"text": "Något annat"}'],
        )
    with pytest.raises(CommandError, match="bruten vid rad 2: radens innehåll har ändrats"):
        call_command("audit", "verify")


def test_a_rewritten_last_row_is_caught_by_the_head(two_regions_with_roles):
    update_goal(
        two_regions_with_roles.draft_goal,
        actor=two_regions_with_roles.user("planerare_inne"),
        text="En enda ändring",
    )
    ChainHead.objects.update(last_hash="f" * 64)
    _count, broken = verify()
    assert broken is not None and broken.sequence == 1


# -- the admin -----------------------------------------------------------------------------


@pytest.fixture
def root_client(client, two_regions_with_roles):
    client.force_login(two_regions_with_roles.user("rot"))
    return client


def admin_url(obj, action="change"):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{action}", args=[obj.pk])


def goal_admin_data(goal, **changes):
    data = {
        "plan": goal.plan_id,
        "position": goal.position,
        "kind": goal.kind,
        "number": goal.number,
        "text": goal.text,
        "description": goal.description,
        "note": goal.note,
        "perspective": goal.perspective_id or "",
        "section": "",
        "strategy": "",
        "focus_area": "",
        "indicators-TOTAL_FORMS": "1",
        "indicators-INITIAL_FORMS": "1",
        "indicators-MIN_NUM_FORMS": "0",
        "indicators-MAX_NUM_FORMS": "1000",
    }
    indicator = goal.indicators.get()
    data.update(
        {
            "indicators-0-id": indicator.pk,
            "indicators-0-goal": goal.pk,
            "indicators-0-text": indicator.text,
            "indicators-0-note": "",
            "indicators-0-position": indicator.position,
        }
    )
    data.update(changes)
    return data


def test_admin_changes_are_audited_with_before_and_after(root_client, two_regions_with_roles):
    goal = two_regions_with_roles.draft_goal
    response = root_client.post(
        admin_url(goal),
        goal_admin_data(goal, text="Ändrat i admin", **{"indicators-0-text": "Ny indikatortext"}),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    goal_event = AuditEvent.objects.get(action="admin.update", object_type="plans.goal")
    assert goal_event.before["text"] == "Effektmål nummer 1 år 2024"
    assert goal_event.after["text"] == "Ändrat i admin"
    assert goal_event.actor_name == "rot" and goal_event.unit_id == two_regions_with_roles.unit.pk
    inline = AuditEvent.objects.get(action="admin.update", object_type="plans.indicator")
    assert (inline.before["text"], inline.after["text"]) == (
        "Indikator 1a ska öka",
        "Ny indikatortext",
    )
    activity = two_regions_with_roles.activity
    root_client.post(admin_url(activity, "delete"), {"post": "yes"})
    deleted = AuditEvent.objects.get(action="admin.delete")
    assert deleted.before["text"] == "Aktivitet för digitalisering 2024"
    assert not Activity.objects.filter(pk=activity.pk).exists()
    assert verify()[1] is None


def test_admin_changes_to_people_are_audited_without_secrets(root_client, two_regions_with_roles):
    person = two_regions_with_roles.user("lasare_inne")
    url = admin_url(person)
    page = root_client.get(url)
    assert page.status_code == 200
    data = {
        "username": person.username,
        "first_name": "Lisa",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "date_joined_0": "2024-01-01",
        "date_joined_1": "10:00:00",
        "initial-date_joined_0": "2024-01-01",
        "initial-date_joined_1": "10:00:00",
    }
    response = root_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="admin.update", object_type="auth.user")
    assert event.after["first_name"] == "Lisa" and "password" not in event.after


def test_decided_plans_are_read_only_in_the_admin(root_client, two_regions_with_roles):
    goal = two_regions_with_roles.goal
    page = root_client.get(admin_url(goal)).content.decode()
    assert 'name="_save"' not in page
    response = root_client.post(admin_url(goal), goal_admin_data(goal, text="Bakvägen"))
    assert response.status_code == 403
    assert root_client.post(admin_url(goal, "delete"), {"post": "yes"}).status_code == 403
    add = reverse("admin:plans_goal_add")
    data = goal_admin_data(goal, text="Nytt mål i beslutad plan")
    data.update({"indicators-TOTAL_FORMS": "0", "indicators-INITIAL_FORMS": "0"})
    refused = root_client.post(add, data)
    assert refused.status_code == 200
    assert "är beslutad och kan inte ändras" in refused.content.decode()
    goal.refresh_from_db()
    assert goal.text == "Effektmål nummer 1 år 2023"
    assert Goal.objects.filter(plan=two_regions_with_roles.decided).count() == 2
    assert not AuditEvent.objects.exists()


# -- pages ------------------------------------------------------------------------------------


def test_object_history_is_for_readers_of_its_unit(client, two_regions_with_roles):
    update_goal(
        two_regions_with_roles.draft_goal,
        actor=two_regions_with_roles.user("planerare_inne"),
        text="Ny måltext i utkast",
    )
    url = reverse("history:object", args=["plans.goal", two_regions_with_roles.draft_goal.pk])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(two_regions_with_roles.user("lasare_ute"))
    assert client.get(url).status_code == 404
    client.force_login(two_regions_with_roles.user("lasare_inne"))
    page = client.get(url).content.decode()
    assert "Målet ändrades" in page and "Ny måltext i utkast" in page
    assert '<span class="visually-hidden">tillagt: </span>' in page
    assert client.get(reverse("history:object", args=["nix.nada", 1])).status_code == 404


def test_person_history_is_for_the_person_and_their_administrators(client, two_regions_with_roles):
    planner = two_regions_with_roles.user("planerare_inne")
    update_goal(two_regions_with_roles.draft_goal, actor=planner, text="Ändrat av planeraren")
    url = reverse("history:person", args=[planner.pk])
    # An administrator in another organisation is told the person does not exist: not even
    # their name crosses organisations (docs/security.md, "Flera organisationer").
    for name, status in (("lasare_inne", 404), ("administrator_ute", 404), ("planerare_inne", 200)):
        client.force_login(two_regions_with_roles.user(name))
        response = client.get(url)
        assert response.status_code == status, name
    client.force_login(two_regions_with_roles.user("administrator_inne"))
    assert "Ändrat av planeraren" in client.get(url).content.decode()


@pytest.mark.django_db(transaction=True)  # the real worker commits, as in production
def test_administrators_run_the_chain_check_as_a_job(client, two_regions_with_roles):
    update_goal(
        two_regions_with_roles.draft_goal,
        actor=two_regions_with_roles.user("planerare_inne"),
        text="Något att kontrollera",
    )
    url = reverse("history:verify")
    client.force_login(two_regions_with_roles.user("planerare_inne"))
    assert client.get(url).status_code == 403
    client.force_login(two_regions_with_roles.user("administrator_inne"))
    assert "Starta kontrollen" in client.get(url).content.decode()
    response = client.post(url)
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == "klar" and job.result["intact"] is True
    assert (
        "Ändringsloggen är hel: 1 rader kontrollerade."
        in client.get(job.get_absolute_url()).content.decode()
    )
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {AuditEvent._meta.db_table} SET actor_name = 'x'")  # noqa: S608
    client.post(url)
    run_queued_jobs()
    broken = Job.objects.order_by("-created_at").first()
    assert broken.result["intact"] is False and broken.result["broken_at"] == 1
    assert "Första brutna länken är rad 1" in client.get(broken.get_absolute_url()).content.decode()


def test_records_survive_a_failed_change_only_together():
    """record() inside a transaction that fails leaves nothing behind."""
    from django.db import transaction

    from uppsikt.organisations.models import Organisation

    org = Organisation.objects.create(code="0097", name="Region Prov", kind="region")
    with pytest.raises(RuntimeError), transaction.atomic():
        record(actor=None, action="organisation.update", obj=org, after={"name": "x"})
        raise RuntimeError
    assert not AuditEvent.objects.exists()
    assert get_user_model().objects.count() == 0


def test_an_object_without_events_has_an_empty_history_for_its_readers(
    client, two_regions_with_roles
):
    url = reverse("history:object", args=["plans.goal", two_regions_with_roles.draft_goal.pk])
    client.force_login(two_regions_with_roles.user("lasare_ute"))
    assert client.get(url).status_code == 404  # existence is not revealed
    client.force_login(two_regions_with_roles.user("lasare_inne"))
    response = client.get(url)
    assert response.status_code == 200
    assert two_regions_with_roles.draft_goal.text in response.content.decode()


def test_history_of_an_indicator_change_names_the_relation(client, two_regions_with_roles):
    # A goal's event lists its indicators (a reverse relation, which has no verbose_name).
    update_goal(
        two_regions_with_roles.draft_goal,
        actor=two_regions_with_roles.user("planerare_inne"),
        indicators=[],
        text="Målet utan indikatorer",
    )
    client.force_login(two_regions_with_roles.user("lasare_inne"))
    response = client.get(
        reverse("history:object", args=["plans.goal", two_regions_with_roles.draft_goal.pk])
    )
    assert response.status_code == 200
    assert "indikatorer" in response.content.decode().lower()


def test_every_uppsikt_model_is_in_the_audited_admin(root_client, two_regions_with_roles):
    """Every model of the uppsikt apps is registered on the audited admin site, and its list
    opens for a superuser; models whose changes must go through actions are read-only."""
    from django.apps import apps
    from django.contrib import admin

    from uppsikt.audit.admin_site import UNAUDITED, AuditedAdminMixin, AuditedAdminSite

    site = admin.site._wrapped if hasattr(admin.site, "_wrapped") else admin.site
    assert isinstance(site, AuditedAdminSite)
    models = [m for m in apps.get_models() if m.__module__.startswith("uppsikt.")]
    assert len(models) > 40
    missing = [m._meta.label for m in models if not site.is_registered(m)]
    assert missing == []
    for model in models:
        model_admin = site._registry[model]
        if model._meta.label_lower not in UNAUDITED:
            assert isinstance(model_admin, AuditedAdminMixin), model._meta.label
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert root_client.get(url).status_code == 200, url
    token_admin = site._registry[apps.get_model("api", "ApiToken")]
    assert "key_hash" in token_admin.exclude
    for label in ("control.RiskScale", "control.ProcessArea", "followup.FollowUp", "budget.Figure"):
        model_admin = site._registry[apps.get_model(label)]
        assert not model_admin.has_change_permission(None) and not model_admin.has_add_permission(
            None
        ), label
