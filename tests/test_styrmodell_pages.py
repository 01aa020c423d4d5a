"""The page "Styrmodell": an organisation's administrator edits its styrmodell in one form
without JavaScript; a change that would orphan goals is saved only with a confirmed mapping."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.builders import load_minimal, user_with_role
from tests.html_forms import form_data
from uppsikt.audit.models import AuditEvent
from uppsikt.governance import words
from uppsikt.governance.models import GovernanceModel
from uppsikt.organisations.models import Organisation, Unit
from uppsikt.plans.models import Goal, Plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def styr_region():
    load_minimal(goal_count=2)
    return Organisation.objects.get(code="0099")


@pytest.fixture
def styr_admin(client, styr_region):
    """An administrator on every root unit: over the whole organisation."""
    user = user_with_role("orgadmin", "administrator")
    client.force_login(user)
    return user


def url(organisation) -> str:
    return reverse("administration:styrmodell", args=[organisation.code])


def the_form(client, organisation) -> dict:
    page = client.get(url(organisation))
    assert page.status_code == 200
    return form_data(page.content.decode(), containing="niva-0-key")


def test_the_page_shows_the_default_and_links_to_the_risk_scale(client, styr_region, styr_admin):
    page = client.get(url(styr_region)).content.decode()
    assert "använder standardmodellen, Region Örebro läns benämningar" in page
    assert reverse("control:scale", args=[styr_region.code]) in page
    assert 'type="color"' in page and "Kontrast mot vit bakgrund: 5,99:1" in page
    data = the_form(client, styr_region)
    assert [data[f"niva-{i}-key"] for i in range(3)] == ["effektmal", "mal", "namndmal"]
    assert data["niva-TOTAL_FORMS"] == "5"  # three levels and two blank rows
    assert data["steg-TOTAL_FORMS"] == "5"  # three steps and two blank rows
    # The organisation page links here for the administrator only.
    organisation_page = client.get(styr_region.get_absolute_url()).content.decode()
    assert url(styr_region) in organisation_page
    client.logout()
    assert url(styr_region) not in client.get(styr_region.get_absolute_url()).content.decode()


def test_an_edit_through_the_form_is_saved_whole_and_audited(client, styr_region, styr_admin):
    data = the_form(client, styr_region)
    data["niva-0-name"] = "Strategiskt mål"
    data["niva-0-plural"] = "Strategiska mål"
    data["niva-3-key"] = "verksamhetsmal"  # a blank row becomes a new level
    data["niva-3-name"] = "Verksamhetsmål"
    data["niva-3-unit_kinds"] = ["forvaltning", "enhet"]
    data["perspektiv-2-DELETE"] = "on"  # "Resurs" removed by its checkbox
    data["perspektiv-1-name"] = data["perspektiv-1-description"] = ""  # "Process" emptied
    data["steg-1-colour"] = "#6b4400"  # typed as text; the picker still shows the old one
    data["steg-0-colour_picker"] = "#1b5e20"  # picked; the text still shows the old one
    data["uses"] = ["perspectives", "activities"]
    data["calendar"] = "tertial"
    data["action"] = "save"
    response = client.post(url(styr_region), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    model = words.styrmodell_for(styr_region.pk)
    assert model.goal_kind_label("effektmal") == "Strategiskt mål"
    assert model.goal_kind_plural("effektmal") == "Strategiska mål"
    assert model.level("verksamhetsmal").unit_kinds == ("forvaltning", "enhet")
    assert [name for name, _d in model.perspectives] == ["Invånare och samhälle"]
    assert [step.colour for step in model.steps] == ["#1b5e20", "#6b4400", "#b3261e"]
    assert model.uses == frozenset({"perspectives", "activities"})
    assert model.calendar == "tertial"
    assert AuditEvent.objects.filter(action="styrmodell.create").count() == 1
    page = client.get(response.url).content.decode()
    assert "Styrmodellen är sparad." in page
    assert "Organisationens styrmodell heter Styrmodell." in page


def test_a_renamed_level_shows_on_the_organisations_plan_page(client, styr_region, styr_admin):
    data = the_form(client, styr_region)
    data["niva-0-name"] = "Strategiskt mål"
    data["action"] = "save"
    assert client.post(url(styr_region), data).status_code == 302
    plan = Plan.objects.get(unit__organisation=styr_region)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Strategiskt mål 1" in page
    assert "Effektmål 1" not in page


def test_a_colour_below_contrast_is_refused_with_its_ratio_and_nothing_saved(
    client, styr_region, styr_admin
):
    data = the_form(client, styr_region)
    data["steg-0-colour"] = "#9ccc65"
    data["steg-0-label"] = "Helt uppfyllt"
    data["steg-2-symbol"] = "●"  # the same symbol as step 1
    data["action"] = "save"
    response = client.post(url(styr_region), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Styrmodellen sparades inte" in page
    assert "färgen #9ccc65 har kontrasten 1,87:1 mot vit bakgrund; minst 4,5:1 krävs." in page
    assert "Steg 3 har samma symbol som ett annat steg." in page
    assert "Kontrast mot vit bakgrund: 1,87:1" in page and "för låg" in page
    kept = form_data(page, containing="steg-0-colour")
    assert kept["steg-0-colour"] == "#9ccc65" and kept["steg-0-label"] == "Helt uppfyllt"
    assert not GovernanceModel.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="styrmodell.").exists()


def test_a_preview_shows_the_new_colour_and_saves_nothing(client, styr_region, styr_admin):
    data = the_form(client, styr_region)
    data["steg-0-colour_picker"] = "#000000"
    data["steg-0-colour_shown"] = "#2f6f4f"
    data["action"] = "preview"
    page = client.post(url(styr_region), data).content.decode()
    assert 'fill="#000000"' in page and "Kontrast mot vit bakgrund: 21,00:1" in page
    assert not GovernanceModel.objects.exists()


def test_an_orphaning_change_waits_for_a_confirmed_mapping(client, styr_region, styr_admin):
    data = the_form(client, styr_region)
    data["niva-0-key"] = "inriktning"
    data["niva-0-name"] = data["niva-0-plural"] = "Inriktningsmål"
    data["action"] = "save"
    first = client.post(url(styr_region), data)
    page = first.content.decode()
    assert first.status_code == 200
    assert "Bekräfta vart målen och bedömningarna ska flyttas" in page
    assert "Effektmål" in page and "(effektmal)" in page and "2 mål" in page
    assert not GovernanceModel.objects.exists()

    # Confirmed without choosing: refused, nothing saved, the choice asked for again.
    confirm = form_data(page, containing="mapping.levels.effektmal")
    assert confirm["niva-0-key"] == "inriktning"  # the model rides along, hidden
    confirm["action"] = "confirm"
    refused = client.post(url(styr_region), confirm).content.decode()
    assert "2 mål har nyckeln effektmal som den nya styrmodellen saknar" in refused
    assert not GovernanceModel.objects.exists()

    # A hidden field changed on the way is validated again.
    tampered = {**confirm, "mapping.levels.effektmal": "inriktning", "steg-0-symbol": ""}
    page = client.post(url(styr_region), tampered).content.decode()
    assert "Steg 1 saknar symbol" in page and not GovernanceModel.objects.exists()

    confirm["mapping.levels.effektmal"] = "inriktning"
    done = client.post(url(styr_region), confirm)
    assert done.status_code == 302
    kinds = set(
        Goal.objects.filter(plan__unit__organisation=styr_region).values_list("kind", flat=True)
    )
    assert kinds == {"inriktning"}
    event = AuditEvent.objects.get(action="styrmodell.create")
    assert event.after["mapping"] == {"levels": {"effektmal": "inriktning"}}
    assert words.styrmodell_for(styr_region.pk).goal_kind_label("inriktning") == "Inriktningsmål"


def test_back_to_the_form_keeps_the_input(client, styr_region, styr_admin):
    data = the_form(client, styr_region)
    data["niva-0-key"] = "inriktning"
    data["action"] = "save"
    page = client.post(url(styr_region), data).content.decode()
    back = form_data(page, containing="mapping.levels.effektmal")
    back["action"] = "edit"
    page = client.post(url(styr_region), back).content.decode()
    assert form_data(page, containing="niva-0-key")["niva-0-key"] == "inriktning"
    assert "Styrmodellen sparades inte" not in page
    assert not GovernanceModel.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_only_an_administrator_of_the_whole_organisation_may(client, styr_region, method):
    data = {"name": "Ändrad", "action": "save"}
    send = getattr(client, method)
    assert send(url(styr_region), data).status_code == 302  # the public: to the login page
    planner = user_with_role("planerare", "planerare")
    client.force_login(planner)
    assert send(url(styr_region), data).status_code == 403
    board_admin = user_with_role(
        "styrelseadmin", "administrator", Unit.objects.get(slug="styrelsen")
    )
    client.force_login(board_admin)  # administrator of one nämnd, not of the organisation
    assert send(url(styr_region), data).status_code == 403
    assert not GovernanceModel.objects.exists()
    assert url(styr_region) not in client.get(styr_region.get_absolute_url()).content.decode()
