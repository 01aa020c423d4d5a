"""The built-in words (``words.DEFAULT``, Region Örebro län's) are Swedish in the source and
shown in the page's language; an organisation's own words are shown as it wrote them, in
every language. "Ej bedömbar" lies outside every scale and is always translated."""

import dataclasses

from django.utils import translation

from uppsikt.governance.models import NOT_ASSESSABLE, Outcome
from uppsikt.governance.words import DEFAULT, Step
from uppsikt.indicators.scale import mark

OWN = dataclasses.replace(
    DEFAULT,
    organisation_id=7,
    steps=(
        Step("gron", "Grön", "#1b5e20", "●", True, Outcome.MET.value),
        Step("gul", "Gul", "#7a4d00", "◑", False, Outcome.PARTLY.value),
        Step("rod", "Röd", "#b3261e", "○", False, Outcome.NOT_MET.value),
    ),
    is_default=False,
    _levels={},
    _steps={},
)


def test_the_built_in_words_in_swedish_and_english():
    with translation.override("sv"):
        assert DEFAULT.status_label("delvis_uppfyllt") == "Delvis uppfyllt"
        assert DEFAULT.goal_kind_plural("effektmal") == "Effektmål"
    with translation.override("en"):
        assert DEFAULT.status_label("delvis_uppfyllt") == "Partly achieved"
        assert DEFAULT.goal_kind_label("effektmal") == "Outcome goal"
        assert DEFAULT.goal_kind_plural("effektmal") == "Outcome goals"
        assert DEFAULT.goal_kind_choices()[1] == ("mal", "Goal")
        assert DEFAULT.status_choices()[-1] == (NOT_ASSESSABLE, "Cannot be assessed")
        assert mark(DEFAULT, "uppfyllt").label == "Achieved"


def test_the_stored_words_stay_swedish_in_the_data():
    with translation.override("en"):
        assert DEFAULT.step("uppfyllt").label == "Uppfyllt"  # what is stored and exported
        assert DEFAULT.level("mal").name == "Mål"


def test_an_organisations_own_words_are_shown_as_written():
    assert not OWN.has_default_words
    with translation.override("en"):
        assert OWN.status_label("gul") == "Gul"
        assert [label for _key, label in OWN.status_choices()] == [
            "Grön",
            "Gul",
            "Röd",
            "Cannot be assessed",
        ]
        assert mark(OWN, "rod").label == "Röd"
        assert OWN.goal_kind_label("effektmal") == "Effektmål"  # its levels are its own too


def test_a_stored_copy_of_the_built_in_words_reads_as_the_default():
    copy = dataclasses.replace(DEFAULT, organisation_id=3, is_default=False, _levels={}, _steps={})
    assert copy.has_default_words
    with translation.override("en"):
        assert copy.status_label("ej_uppfyllt") == "Not achieved"
