"""The styrmodell as data: the default words, validation of a whole model, and the
snapshots every page reads (kept per process, rechecked against the database)."""

from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from tests.builders import load_minimal, user_with_role
from uppsikt.governance import usage, words
from uppsikt.governance.actions import (
    LevelSpec,
    StepSpec,
    StyrmodellSpec,
    save_styrmodell,
    spec_of,
    validate_spec,
)
from uppsikt.governance.models import GovernanceModel
from uppsikt.lib.contrast import contrast_ratio
from uppsikt.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def kommun_spec() -> StyrmodellSpec:
    return StyrmodellSpec(
        levels=[
            LevelSpec("inriktningsmal", "Inriktningsmål", "Inriktningsmål", ["fullmaktige"]),
            LevelSpec("namndmal", "Nämndmål", "Nämndmål", ["styrelse", "namnd"]),
        ],
        steps=[
            StepSpec("uppfyllt", "Uppfyllt", "#1b5e20", "●", True, "uppfyllt"),
            StepSpec("till_stor_del", "Till stor del uppfyllt", "#33691e", "◕", True, ""),
            StepSpec("delvis", "Delvis uppfyllt", "#7a4d00", "◑", False, "delvis_uppfyllt"),
            StepSpec("ej_uppfyllt", "Ej uppfyllt", "#b3261e", "○", False, "ej_uppfyllt"),
        ],
        perspectives=[("Medborgare", ""), ("Verksamhet", ""), ("Medarbetare", ""), ("Ekonomi", "")],
    )


def test_default_is_orebros_words_and_valid():
    validate_spec(spec_of(words.DEFAULT))
    assert [level.name for level in words.DEFAULT.levels] == ["Effektmål", "Mål", "Nämndmål"]
    assert words.styrmodell_for(None) is words.DEFAULT
    assert words.DEFAULT.status_choices()[-1] == ("ej_bedombar", "Ej bedömbar")


def test_an_organisation_without_a_model_reads_the_default():
    ids = load_minimal()
    organisation = Organisation.objects.get(code="0099")
    assert ids
    assert words.styrmodell_for(organisation.pk) is words.DEFAULT


def test_saving_a_model_changes_the_words_at_once_and_is_audited():
    from uppsikt.audit.models import AuditEvent

    load_minimal()
    organisation = Organisation.objects.get(code="0099")
    admin = user_with_role("admin", "administrator")
    save_styrmodell(
        organisation,
        kommun_spec(),
        actor=admin,
        mapping={"levels": {"effektmal": "inriktningsmal"}},
    )
    model = words.styrmodell_for(organisation.pk)
    assert model.goal_kind_label("inriktningsmal") == "Inriktningsmål"
    assert model.step_for_outcome("delvis_uppfyllt") == "delvis"
    assert model.counts_as_met("till_stor_del") and not model.counts_as_met("delvis")
    assert model.perspectives[0][0] == "Medborgare"
    assert model.levels_for("fullmaktige")[0].key == "inriktningsmal"
    assert [lv.key for lv in model.levels_for("namnd")] == ["namndmal"]
    event = AuditEvent.objects.get(action="styrmodell.create")
    assert event.after["levels"][0]["key"] == "inriktningsmal"


def test_another_process_sees_a_change_at_its_next_recheck():
    load_minimal()
    organisation = Organisation.objects.get(code="0099")
    admin = user_with_role("admin", "administrator")
    assert words.styrmodell_for(organisation.pk) is words.DEFAULT
    # Another process stores a model: this one's snapshot is stale until it rechecks.
    GovernanceModel.objects.create(organisation=organisation, name="Annan")
    assert words.styrmodell_for(organisation.pk) is words.DEFAULT
    words.recheck()
    assert words.styrmodell_for(organisation.pk).name == "Annan"
    assert admin


def test_a_person_without_admin_rights_is_refused_and_nothing_changes():
    from django.core.exceptions import PermissionDenied

    load_minimal()
    organisation = Organisation.objects.get(code="0099")
    planner = user_with_role("planner", "planerare")
    with pytest.raises(PermissionDenied):
        save_styrmodell(organisation, kommun_spec(), actor=planner)
    assert not GovernanceModel.objects.exists()


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda s: s.steps.pop(), "proposal_mapping"),
        (lambda s: s.steps.__setitem__(slice(2, 4), []), "step_count"),
        (lambda s: setattr(s.steps[0], "colour", "#9ccc65"), "contrast"),
        (lambda s: setattr(s.steps[1], "symbol", "●"), "duplicate_symbol"),
        (lambda s: setattr(s.steps[1], "symbol", " "), "symbol_required"),
        (lambda s: setattr(s.steps[1], "key", "ej_bedombar"), "duplicate_key"),
        (lambda s: setattr(s.levels[1], "key", "inriktningsmal"), "duplicate_key"),
        (lambda s: setattr(s.levels[1], "key", "Nämnd mål"), "key"),
        (lambda s: setattr(s.levels[1], "unit_kinds", ["planet"]), "unit_kind"),
        (lambda s: s.levels.clear(), "no_levels"),
        (lambda s: [setattr(step, "counts_as_met", False) for step in s.steps], "none_met"),
        (lambda s: s.perspectives.append(("Ekonomi", "")), "perspective_name"),
        (lambda s: setattr(s, "calendar", "kvartal"), "calendar"),
    ],
)
def test_a_bad_model_is_refused_whole_with_a_code_and_nothing_changes(change, code):
    load_minimal()
    organisation = Organisation.objects.get(code="0099")
    admin = user_with_role("admin", "administrator")
    spec = kommun_spec()
    change(spec)
    with pytest.raises(ValidationError) as refused:
        save_styrmodell(
            organisation, spec, actor=admin, mapping={"levels": {"effektmal": "namndmal"}}
        )
    codes = {e.code for errors in refused.value.error_dict.values() for e in errors}
    assert code in codes
    assert not GovernanceModel.objects.exists()


def test_a_key_in_use_is_not_orphaned_without_a_confirmed_mapping():
    moved: list[dict[str, str]] = []

    def count(organisation_id):
        return Counter({"effektmal": 3})

    def move(organisation_id, mapping, *, actor):
        moved.append(mapping)
        return 3

    user = usage.KeyUser("provmål", count, move)
    usage.register(usage.LEVELS, user)
    try:
        load_minimal()
        organisation = Organisation.objects.get(code="0099")
        admin = user_with_role("admin", "administrator")
        with pytest.raises(ValidationError) as refused:
            save_styrmodell(organisation, kommun_spec(), actor=admin)
        assert "3 provmål har nyckeln effektmal" in str(refused.value)
        assert not GovernanceModel.objects.exists() and not moved
        with pytest.raises(ValidationError, match="finns"):
            save_styrmodell(
                organisation, kommun_spec(), actor=admin, mapping={"levels": {"effektmal": "x"}}
            )
        save_styrmodell(
            organisation,
            kommun_spec(),
            actor=admin,
            mapping={"levels": {"effektmal": "inriktningsmal"}},
        )
        assert moved == [{"effektmal": "inriktningsmal"}]
    finally:
        usage._USERS[usage.LEVELS].remove(user)


@given(st.from_regex(r"^#[0-9a-f]{6}$", fullmatch=True))
def test_contrast_is_symmetric_and_readable_text_is_readable(colour):
    from uppsikt.lib.contrast import readable_text_on

    assert contrast_ratio(colour, "#ffffff") == pytest.approx(contrast_ratio("#ffffff", colour))
    # The better of black and white always reaches 4.5:1 on any background.
    assert contrast_ratio(readable_text_on(colour), colour) >= 4.5
