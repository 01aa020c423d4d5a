"""An organisation's styrmodell in the data file: checked with path-named problems, loaded as
the command line through ``save_styrmodell``, dumped back the same."""

import copy

import pytest

from tests.builders import DEMO_FILE, minimal_data
from uppsikt.audit.models import AuditEvent
from uppsikt.governance import usage
from uppsikt.governance.actions import spec_of
from uppsikt.governance.models import GovernanceModel
from uppsikt.governance.words import DEFAULT, styrmodell_for
from uppsikt.interchange.dump import dump_data
from uppsikt.interchange.load import LoadError, load_data, load_file
from uppsikt.organisations.models import Organisation
from uppsikt.plans.models import Goal

pytestmark = pytest.mark.django_db

KOMMUN = {
    "name": "Styrmodell för Exempelkommun",
    "levels": [
        {"key": "effektmal", "name": "Inriktningsmål", "plural": "Inriktningsmål"},
        {"key": "namndmal", "name": "Nämndmål", "plural": "Nämndmål", "unit_kinds": ["styrelse"]},
    ],
    "steps": [
        {"key": "uppfyllt", "label": "Uppfyllt", "colour": "#1b5e20", "symbol": "●",
         "counts_as_met": True, "proposal": "uppfyllt"},
        {"key": "till_stor_del", "label": "Till stor del uppfyllt", "colour": "#33691e",
         "symbol": "◕", "counts_as_met": True},
        {"key": "delvis", "label": "Delvis uppfyllt", "colour": "#7a4d00", "symbol": "◑",
         "proposal": "delvis_uppfyllt"},
        {"key": "ej_uppfyllt", "label": "Ej uppfyllt", "colour": "#b3261e", "symbol": "○",
         "proposal": "ej_uppfyllt"},
    ],
    "perspectives": [
        {"name": "Medborgare", "description": "Invånarnas perspektiv."},
        {"name": "Ekonomi"},
    ],
    "uses": ["perspectives", "strategies"],
    "calendar": "tertial",
    "period_months": [],
}  # fmt: skip


def with_styrmodell(styrmodell) -> dict:
    data = minimal_data()
    data["organisations"][0]["styrmodell"] = styrmodell
    return data


def test_the_demo_organisation_holds_its_words_unchanged():
    load_file(DEMO_FILE, audit=False)
    orebro = Organisation.objects.get(code="0018")
    assert GovernanceModel.objects.filter(organisation=orebro).exists()
    stored = styrmodell_for(orebro.pk)
    assert not stored.is_default
    assert spec_of(stored) == spec_of(DEFAULT)
    assert styrmodell_for(Organisation.objects.get(code="0000").pk) is DEFAULT


def test_a_styrmodell_loads_as_the_command_line_and_dumps_back_the_same(tmp_path):
    load_data(with_styrmodell(copy.deepcopy(KOMMUN)))
    organisation = Organisation.objects.get(code="0099")
    words = styrmodell_for(organisation.pk)
    assert words.goal_kind_label("effektmal") == "Inriktningsmål"
    assert words.calendar == "tertial" and words.uses == {"perspectives", "strategies"}
    assert words.level("namndmal").unit_kinds == ("styrelse",)
    event = AuditEvent.objects.get(action="styrmodell.create")
    assert event.actor_name == "kommandorad"
    dumped = dump_data()
    entry = dumped["organisations"][0]["styrmodell"]
    expected = copy.deepcopy(KOMMUN)
    expected["uses"] = sorted(expected["uses"])
    expected["period_months"] = list(words.period_months)  # none stored: the default months
    assert entry == expected
    load_data(dumped, replace=True, allow_decided=True)
    assert dump_data() == dumped


def test_loading_the_same_styrmodell_again_changes_nothing():
    data = with_styrmodell(copy.deepcopy(KOMMUN))
    data.pop("plans")
    load_data(data)
    load_data(data)
    assert AuditEvent.objects.filter(action__startswith="styrmodell.").count() == 1


BROKEN = [
    (
        lambda s: s.update(levels="effektmal"),
        "organisations[0].styrmodell.levels: ska vara en lista",
    ),
    (lambda s: s.update(farg="röd"), "organisations[0].styrmodell.farg: okänt fält"),
    (
        lambda s: s["steps"][1].update(counts_as_met="ja"),
        "organisations[0].styrmodell.steps[1].counts_as_met: ska vara true eller false",
    ),
    (
        lambda s: s["steps"][0].update(colour="#9ccc65"),
        "organisations[0].styrmodell.steps[0]: Steg 1: färgen #9ccc65 har kontrasten",
    ),
    (
        lambda s: s["levels"][1].update(key="effektmal"),
        "organisations[0].styrmodell.levels[1]: Målnivå 2: nyckeln effektmal finns redan.",
    ),
    (lambda s: s.update(steps=s["steps"][:2]), "organisations[0].styrmodell.steps: "),
    (lambda s: s.update(calendar="kvartal"), "organisations[0].styrmodell.calendar: "),
    (
        lambda s: s["steps"][0].update(symbol="●●●●●"),
        "organisations[0].styrmodell.steps[0].symbol: får vara högst 4 tecken",
    ),
    (lambda s: s.update(period_months=[13]), "organisations[0].styrmodell.period_months: "),
]


@pytest.mark.parametrize(("breaks", "problem"), BROKEN)
def test_a_broken_styrmodell_is_named_by_its_path_and_nothing_is_written(breaks, problem):
    styrmodell = copy.deepcopy(KOMMUN)
    breaks(styrmodell)
    with pytest.raises(LoadError) as error:
        load_data(with_styrmodell(styrmodell))
    assert problem in str(error.value)
    assert not Organisation.objects.exists()
    assert not GovernanceModel.objects.exists()


def test_a_styrmodell_that_would_orphan_goals_in_the_database_is_refused():
    assert usage.users(usage.LEVELS), "plans registers its goals' levels (governance.usage)"
    load_data(minimal_data())  # a plan with an effektmål
    data = with_styrmodell(copy.deepcopy(KOMMUN))
    data["organisations"][0]["styrmodell"]["levels"][0]["key"] = "inriktningsmal"
    data.pop("plans")
    with pytest.raises(LoadError) as error:
        load_data(data)
    assert "organisations[0].styrmodell.mapping.levels.effektmal: 1 " in str(error.value)
    assert not GovernanceModel.objects.exists()
    assert Goal.objects.get().kind == "effektmal"


def test_a_new_organisations_goals_are_checked_against_the_styrmodell_the_same_file_gives():
    styrmodell = copy.deepcopy(KOMMUN)
    styrmodell["levels"][0]["key"] = "inriktningsmal"
    data = with_styrmodell(styrmodell)
    goals = data["plans"][0]["blocks"][0]["perspective"]["goals"]
    goals[0]["kind"] = "effektmal"  # the default's level, not this file's
    with pytest.raises(LoadError) as error:
        load_data(copy.deepcopy(data), audit=False)
    assert {p.where for p in error.value.problems} == {
        "plans[0].blocks[0].perspective.goals[0].kind"
    }
    assert not Organisation.objects.filter(code="0099").exists()
    goals[0]["kind"] = "inriktningsmal"
    load_data(data, audit=False)
    assert Goal.objects.get().kind_label == "Inriktningsmål"
