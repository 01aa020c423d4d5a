"""The styrmodell in the API: read by anyone, replaced whole by the organisation's
administrator; a bad model is refused by field and code, an orphaning one until mapped."""

from __future__ import annotations

import pytest

from tests.api_client import Caller
from uppsikt.api.tokens import create_token
from uppsikt.audit.models import AuditEvent
from uppsikt.governance import words
from uppsikt.governance.models import GovernanceModel
from uppsikt.organisations.models import Unit
from uppsikt.plans.models import Goal

from .builders import user_with_role

pytestmark = pytest.mark.django_db


def kommun_body(**changes) -> dict:
    body = {
        "name": "Kommunens styrmodell",
        "levels": [
            {"key": "inriktningsmal", "name": "Inriktningsmål", "unit_kinds": ["fullmaktige"]},
            {"key": "namndmal", "name": "Nämndmål", "plural": "Nämndmål"},
        ],
        "steps": [
            {
                "key": "uppfyllt",
                "label": "Uppfyllt",
                "colour": "#1b5e20",
                "symbol": "●",
                "counts_as_met": True,
                "proposal": "uppfyllt",
            },
            {"key": "till_stor_del", "label": "Till stor del", "colour": "#33691e", "symbol": "◕"},
            {
                "key": "delvis",
                "label": "Delvis uppfyllt",
                "colour": "#7a4d00",
                "symbol": "◑",
                "proposal": "delvis_uppfyllt",
            },
            {
                "key": "ej_uppfyllt",
                "label": "Ej uppfyllt",
                "colour": "#b3261e",
                "symbol": "○",
                "proposal": "ej_uppfyllt",
            },
        ],
        "perspectives": [{"name": name} for name in ("Medborgare", "Verksamhet", "Ekonomi")],
        "calendar": "tertial",
    }
    return body | changes


@pytest.fixture
def styr_world(two_regions_with_roles):
    return two_regions_with_roles


def caller_for(client, user) -> Caller:
    return Caller(client, create_token(user, actor=user, name="test")[1])


@pytest.fixture
def org_admin(client, styr_world):
    """The administrator of Region Test's only root unit: over the whole organisation."""
    root = Unit.objects.get(organisation=styr_world.org, parent=None)
    return caller_for(client, user_with_role("orgadmin", "administrator", root))


def test_anyone_reads_the_default_words(client, styr_world):
    answer = Caller(client).get(f"/organisations/{styr_world.org.code}/styrmodell")
    assert answer.status_code == 200
    body = answer.json()
    assert body["is_default"] is True
    assert [level["name"] for level in body["levels"]] == ["Effektmål", "Mål", "Nämndmål"]
    assert body["steps"][0] | {"text_colour": "#ffffff"} == {
        "key": "uppfyllt",
        "label": "Uppfyllt",
        "colour": "#2f6f4f",
        "symbol": "●",
        "counts_as_met": True,
        "proposal": "uppfyllt",
        "text_colour": "#ffffff",
    }
    assert Caller(client).get("/organisations/9999/styrmodell").status_code == 404


def test_the_administrator_replaces_the_model_and_it_is_audited(client, styr_world, org_admin):
    answer = org_admin.send(
        "put",
        f"/organisations/{styr_world.org.code}/styrmodell",
        kommun_body(mapping={"levels": {"effektmal": "inriktningsmal"}}),
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["is_default"] is False and body["calendar"] == "tertial"
    assert body["levels"][0] == {
        "key": "inriktningsmal",
        "name": "Inriktningsmål",
        "plural": "Inriktningsmål",
        "unit_kinds": ["fullmaktige"],
    }
    read = Caller(client).get(f"/organisations/{styr_world.org.code}/styrmodell").json()
    assert read == body
    assert words.styrmodell_for(styr_world.org.pk).step_for_outcome("delvis_uppfyllt") == "delvis"
    assert AuditEvent.objects.filter(action="styrmodell.create").count() == 1
    # The other organisation keeps the default.
    assert words.styrmodell_for(styr_world.other_org.pk) is words.DEFAULT


def test_a_bad_model_is_refused_by_field_and_code_and_nothing_changes(
    client, styr_world, org_admin
):
    body = kommun_body()
    body["steps"][1]["colour"] = "#9ccc65"
    body["steps"][2]["symbol"] = "●"
    body["levels"][1]["key"] = "inriktningsmal"
    answer = org_admin.send("put", f"/organisations/{styr_world.org.code}/styrmodell", body)
    assert answer.status_code == 409 and answer.json()["code"] == "invalid_model"
    errors = {(e["field"], e["code"]) for e in answer.json()["errors"]}
    assert {
        ("steps.1.colour", "contrast"),
        ("steps.2.symbol", "duplicate_symbol"),
        ("levels.1.key", "duplicate_key"),
    } <= errors
    contrast = next(e for e in answer.json()["errors"] if e["code"] == "contrast")
    assert "1,87:1" in contrast["message"]
    assert not GovernanceModel.objects.exists()
    too_few = kommun_body(steps=kommun_body()["steps"][:2])
    answer = org_admin.send("put", f"/organisations/{styr_world.org.code}/styrmodell", too_few)
    assert ("steps", "step_count") in {(e["field"], e["code"]) for e in answer.json()["errors"]}
    # What the schema says is checked first (422): a key's form, a colour's.
    body = kommun_body()
    body["levels"][1]["key"] = "Nämnd mål"
    body["steps"][0]["colour"] = "grön"
    answer = org_admin.send("put", f"/organisations/{styr_world.org.code}/styrmodell", body)
    assert answer.status_code == 422
    assert {e["field"] for e in answer.json()["errors"]} == {"levels.1.key", "steps.0.colour"}


def test_an_orphaning_model_needs_a_mapping(client, styr_world, org_admin):
    path = f"/organisations/{styr_world.org.code}/styrmodell"
    refused = org_admin.send("put", path, kommun_body())
    assert refused.status_code == 409
    assert refused.json()["code"] == "orphaned"
    errors = refused.json()["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("mapping.levels.effektmal", "orphaned")]
    assert "4 mål har nyckeln effektmal" in errors[0]["message"]
    assert not GovernanceModel.objects.exists()

    wrong = org_admin.send("put", path, kommun_body(mapping={"levels": {"effektmal": "x"}}))
    assert wrong.status_code == 409
    assert ("mapping.levels.effektmal", "unknown_target") in {
        (e["field"], e["code"]) for e in wrong.json()["errors"]
    }
    kept = org_admin.send(
        "put",
        path,
        kommun_body(mapping={"levels": {"effektmal": "namndmal", "namndmal": "inriktningsmal"}}),
    )
    assert ("mapping.levels.namndmal", "not_orphaned") in {
        (e["field"], e["code"]) for e in kept.json()["errors"]
    }
    assert not GovernanceModel.objects.exists()

    done = org_admin.send("put", path, kommun_body(mapping={"levels": {"effektmal": "namndmal"}}))
    assert done.status_code == 200, done.content
    kinds = set(
        Goal.objects.filter(plan__unit__organisation=styr_world.org).values_list("kind", flat=True)
    )
    assert kinds == {"namndmal"}
    # The other organisation's goals are not touched.
    other = Goal.objects.filter(plan__unit__organisation=styr_world.other_org)
    assert set(other.values_list("kind", flat=True)) == {"effektmal"}


def test_others_may_not_write(client, styr_world):
    path = f"/organisations/{styr_world.org.code}/styrmodell"
    assert Caller(client).send("put", path, kommun_body()).status_code == 401
    for name in ("planerare_inne", "administrator_inne", "administrator_ute"):
        answer = caller_for(client, styr_world.user(name)).send("put", path, kommun_body())
        assert answer.status_code == 403, name
        assert answer.json()["code"] == "forbidden"
    other_root = Unit.objects.get(organisation=styr_world.other_org, parent=None)
    other_admin = caller_for(client, user_with_role("annanadmin", "administrator", other_root))
    assert other_admin.send("put", path, kommun_body()).status_code == 403
    assert not GovernanceModel.objects.exists()
