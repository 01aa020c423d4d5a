"""The built-in scale's labels (``words.DEFAULT``, Region Örebro län's) are Swedish in the
source and shown in the page's language; an organisation's own labels are shown as it wrote
them, in every language. "Ej bedömbar" lies outside every scale and is always translated.
Goal levels are part of a plan's text and stay as stored, as do the API's and open data's
labels."""

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


def test_the_built_in_scale_in_swedish_and_english():
    with translation.override("sv"):
        assert DEFAULT.status_label("delvis_uppfyllt") == "Delvis uppfyllt"
    with translation.override("en"):
        assert DEFAULT.status_label("delvis_uppfyllt") == "Partly achieved"
        assert DEFAULT.status_choices()[-1] == (NOT_ASSESSABLE, "Cannot be assessed")
        assert mark(DEFAULT, "uppfyllt").label == "Achieved"


def test_what_is_stored_and_sent_stays_as_written():
    with translation.override("en"):
        assert DEFAULT.status_label("uppfyllt", as_stored=True) == "Uppfyllt"  # API, open data
        assert DEFAULT.step("uppfyllt").label == "Uppfyllt"
        assert DEFAULT.goal_kind_label("effektmal") == "Effektmål"  # the plan's own text
        assert DEFAULT.goal_kind_choices()[1] == ("mal", "Mål")


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


def test_a_stored_copy_of_the_built_in_words_reads_as_the_default():
    copy = dataclasses.replace(DEFAULT, organisation_id=3, is_default=False, _levels={}, _steps={})
    assert copy.has_default_words
    with translation.override("en"):
        assert copy.status_label("ej_uppfyllt") == "Not achieved"


def test_the_api_gives_the_label_as_stored_whatever_the_language_cookie(client, db):
    from uppsikt.api.tokens import create_token

    from .world import build_world

    world = build_world()  # holds assessments on the built-in scale
    user = world.user("planerare_inne")
    key = create_token(user, actor=user, name="språk")[1]
    client.cookies["django_language"] = "en"
    answer = client.get("/api/v1/assessments", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert answer.status_code == 200, answer.content
    labels = {row["proposed_status_label"] for row in answer.json()["items"]}
    assert labels and labels <= {"Uppfyllt", "Delvis uppfyllt", "Ej uppfyllt", "Ej bedömbar"}
