"""The content kinds of the organisation's styrmodell (perspektiv, strategier, uppdrag,
prioriterade områden, aktiviteter) hold on every path that adds to a plan: the action, the
API and the data file refuse a kind the styrmodell does not use with ``kind_not_used``,
nothing changed; a styrmodell that stops using a kind plans still hold is refused with
``kind_in_use``, naming how many parts use it."""

import itertools

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api_client import Caller
from tests.builders import user_with_role
from tests.followup_setup import small_setting
from uppsikt.api.tokens import create_token
from uppsikt.audit.models import AuditEvent
from uppsikt.governance.actions import StyrmodellSpec, save_styrmodell, spec_of
from uppsikt.governance.models import GovernanceModel
from uppsikt.governance.words import CONTENT_KINDS, DEFAULT, styrmodell_for
from uppsikt.interchange.load import LoadError, load_data
from uppsikt.organisations.models import Organisation
from uppsikt.plans.actions.authoring import create_plan
from uppsikt.plans.actions.parts import MODELS, add_part
from uppsikt.plans.content_kinds import CONTENT_KIND_OF
from uppsikt.plans.models import Plan, Strategy

pytestmark = pytest.mark.django_db

NO_STRATEGIES = ["perspectives", "assignments", "activities"]  # nor prioriterade områden


def spec_using(uses: list[str]) -> StyrmodellSpec:
    spec = spec_of(DEFAULT)
    spec.uses = list(uses)
    return spec


def everything() -> list:
    """Every part of every plan, the plans' own versions and the audit trail's length."""
    parts = [
        sorted(model._default_manager.values_list("pk", flat=True)) for model in MODELS.values()
    ]
    plans = sorted(Plan.objects.values_list("pk", "updated_at"))
    return [parts, plans, AuditEvent.objects.count()]


@pytest.fixture
def kinds_world():
    """Region Test (a decided plan with a perspective, an uppdrag and an aktivitet) under a
    styrmodell without strategier and prioriterade områden; a planner's draft for 2024."""
    setting = small_setting(1)
    organisation = Organisation.objects.get(code="0099")
    admin = user_with_role("admin", "administrator")
    save_styrmodell(organisation, spec_using(NO_STRATEGIES), actor=admin)
    planner = user_with_role("planerare", "planerare", "styrelsen")
    setting.admin, setting.planner = admin, planner
    setting.draft = create_plan(setting.unit, 2024, actor=planner)
    setting.organisation = organisation
    return setting


def test_the_action_refuses_a_kind_the_styrmodell_does_not_use(kinds_world):
    before = everything()
    for kind, fields in (("strategy", {"name": "En strategi"}), ("focus_area", {"name": "Ett"})):
        with pytest.raises(ValidationError) as error:
            add_part(kinds_world.draft, kind, actor=kinds_world.planner, **fields)
        (problem,) = error.value.error_dict["__all__"]
        assert problem.code == "kind_not_used"
        assert "använder inte" in problem.messages[0]
        assert "Styrmodell" in problem.messages[0]
    assert everything() == before
    # The kinds it uses are added as before.
    add_part(kinds_world.draft, "assignment", actor=kinds_world.planner, text="Ett uppdrag")


def test_the_api_refuses_a_kind_the_styrmodell_does_not_use_with_its_code(client, kinds_world):
    planner = kinds_world.planner
    api = Caller(client, create_token(planner, actor=planner, name="test")[1])
    before = everything()
    response = api.send("post", f"/plans/{kinds_world.draft.pk}/parts/strategy", {"name": "S"})
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["errors"][0]["code"] == "kind_not_used"
    assert body["errors"][0]["field"] == ""
    assert "strategier" in body["errors"][0]["message"]
    assert everything() == before
    response = api.send("post", f"/plans/{kinds_world.draft.pk}/parts/assignment", {"text": "U"})
    assert response.status_code == 201, response.content


def test_the_data_file_refuses_a_kind_the_styrmodell_does_not_use(kinds_world):
    data = {
        "format": "uppsikt/1",
        "plans": [
            {
                "organisation": "0099",
                "unit": "styrelsen",
                "year": 2026,
                "title": "Plan 2026",
                "status": "utkast",
                "blocks": [
                    {
                        "perspective": {
                            "name": "Medborgare",
                            "strategies": [{"name": "En strategi ur filen"}],
                        }
                    }
                ],
            }
        ],
    }
    before = everything()
    with pytest.raises(LoadError) as error:
        load_data(data, audit=False)
    problems = {(problem.where, problem.message) for problem in error.value.problems}
    assert [where for where, _message in problems] == [
        "plans[0].blocks[0].perspective.strategies[0]"
    ]
    assert "strategier" in next(iter(problems))[1]
    assert everything() == before
    assert not Strategy.objects.exists()


def test_a_styrmodell_that_stops_using_a_kind_in_use_is_refused_naming_the_count(kinds_world):
    stored = spec_of(styrmodell_for(kinds_world.organisation.pk))
    before = everything()
    with pytest.raises(ValidationError) as error:
        save_styrmodell(
            kinds_world.organisation, spec_using(["perspectives"]), actor=kinds_world.admin
        )
    problems = error.value.error_dict["uses"]
    assert [problem.code for problem in problems] == ["kind_in_use", "kind_in_use"]
    messages = [problem.messages[0] for problem in problems]
    assert messages[0].startswith("Planerna har 1 uppdrag.")
    assert messages[1].startswith(
        "Planerna har 1 aktivitet. Styrmodellen kan sluta använda aktiviteter"
    )
    assert everything() == before
    assert spec_of(styrmodell_for(kinds_world.organisation.pk)) == stored


def test_the_api_refuses_a_styrmodell_that_stops_using_a_kind_in_use(client, kinds_world):
    api = Caller(client, create_token(kinds_world.admin, actor=kinds_world.admin, name="t")[1])
    body = api.get(f"/organisations/{kinds_world.organisation.code}/styrmodell").json()
    stored = GovernanceModel.objects.get().uses_activities
    body["uses"] = ["perspectives", "assignments"]
    wanted = {key: body[key] for key in ("name", "levels", "steps", "perspectives", "uses")}
    wanted["steps"] = [
        {
            name: step[name]
            for name in ("key", "label", "colour", "symbol", "counts_as_met", "proposal")
            if name in step
        }
        for step in body["steps"]
    ]
    wanted["levels"] = [
        {name: level[name] for name in ("key", "name", "plural", "unit_kinds")}
        for level in body["levels"]
    ]
    wanted["perspectives"] = [{"name": p["name"]} for p in body["perspectives"]]
    response = api.send("put", f"/organisations/{kinds_world.organisation.code}/styrmodell", wanted)
    assert response.status_code == 409, response.content
    errors = response.json()["errors"]
    assert [(error["field"], error["code"]) for error in errors] == [("uses", "kind_in_use")]
    assert GovernanceModel.objects.get().uses_activities == stored


# -- any set of content kinds ----------------------------------------------------------------

FIELDS_OF = {
    "perspective": "name",
    "strategy": "name",
    "focus_area": "name",
    "assignment": "text",
    "activity": "text",
}
NUMBERS = itertools.count()


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(uses=st.sets(st.sampled_from(CONTENT_KINDS)))
def test_any_styrmodell_takes_exactly_the_kinds_it_uses(uses):
    # Hypothesis runs every example in the one test transaction: set up once.
    if not Plan.objects.exists():
        small_setting(1)
        user_with_role("admin", "administrator")
        create_plan(Plan.objects.get().unit, 2024, actor=user_with_role("p", "planerare"))
    organisation = Organisation.objects.get(code="0099")
    admin = get_user_model().objects.get(username="admin")
    draft = Plan.objects.get(year=2024)
    held = {
        content
        for kind, content in CONTENT_KIND_OF.items()
        if MODELS[kind]._default_manager.exists()
    }
    before = everything()
    if held - uses:  # parts of a kind it stops using: refused, nothing changed
        with pytest.raises(ValidationError) as error:
            save_styrmodell(organisation, spec_using(sorted(uses)), actor=admin)
        assert {problem.code for problem in error.value.error_dict["uses"]} == {"kind_in_use"}
        assert len(error.value.error_dict["uses"]) == len(held - uses)
        assert everything() == before
    else:
        save_styrmodell(organisation, spec_using(sorted(uses)), actor=admin)
    now = styrmodell_for(organisation.pk)
    for kind, content in CONTENT_KIND_OF.items():
        fields = {FIELDS_OF[kind]: f"Del {next(NUMBERS)}"}
        if now.uses_kind(content):
            add_part(draft, kind, actor=admin, **fields)
            continue
        state = everything()
        with pytest.raises(ValidationError) as error:
            add_part(draft, kind, actor=admin, **fields)
        assert error.value.error_dict["__all__"][0].code == "kind_not_used"
        assert everything() == state
