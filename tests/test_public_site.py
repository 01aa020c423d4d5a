"""The residents' site (uppsikt/public): the organisations with something public, an
organisation's home, its goals and a goal. Only decided plans in force are shown, each goal
with its latest *decided* assessment in the organisation's own words; pages are kept in the
pages cache for anonymous visitors only."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from uppsikt.governance import words
from uppsikt.governance.actions import StepSpec, save_styrmodell, spec_of
from uppsikt.governance.models import NOT_ASSESSABLE, Outcome
from uppsikt.indicators.models import Assessment, Measurement
from uppsikt.organisations.models import Organisation, Vision
from uppsikt.plans.actions.versions import decide_plan, revise_plan
from uppsikt.plans.models import Goal
from uppsikt.public.actions import save_key_figures
from uppsikt.public.status import NOT_ASSESSED, Status, status_of, tally

from .once import built_once, fresh_copy
from .world import build_world

pytestmark = pytest.mark.django_db

OWN_STEPS = [
    StepSpec("helt", "Helt i mål", "#1b5e20", "●", True, Outcome.MET.value),
    StepSpec("pa_vag", "På väg", "#7a4d00", "◑", False, Outcome.PARTLY.value),
    StepSpec("inte", "Inte i mål", "#b3261e", "○", False, Outcome.NOT_MET.value),
]


@pytest.fixture(scope="module")
def site_world_once(django_db_setup, django_db_blocker):
    def build():
        world = build_world()
        Vision.objects.create(organisation=world.org, text="Ett gott liv för alla i testlänet")
        return world

    yield from built_once(django_db_blocker, build)


@pytest.fixture
def site_world(request, site_world_once):
    return fresh_copy(request, site_world_once)


def committed():
    """A change as if its transaction committed: the page cache's generation is renewed
    (lib/pagecache.py) as it would be outside the test's own transaction."""
    from django.db import connection

    from uppsikt.lib import pagecache

    connection.run_on_commit = [
        entry for entry in connection.run_on_commit if entry[1] is not pagecache.renew
    ]
    pagecache.renew()


def decide(goal: Goal, status: str, period: str = "2023", comment: str = "", results=None):
    """A decided assessment of ``goal`` (stored as the follow-up stores it)."""
    _decide(goal, status, period, comment, results)
    committed()


def _decide(goal: Goal, status: str, period: str, comment: str, results) -> None:
    Assessment.objects.update_or_create(
        goal=goal,
        period=period,
        defaults={
            "proposed_status": "ej_uppfyllt",
            "proposed_reason": "Värdet minskade.",
            "proposed_preliminary": False,
            "indicator_results": results if results is not None else [{"status": "uppfyllt"}],
            "decided_status": status,
            "comment": comment,
        },
    )


def text_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_the_index_lists_organisations_with_a_decided_plan_or_key_figures(site_world, client):
    page = text_of(client.get(reverse("public:index")))
    assert "Region Test" in page and reverse("public:organisation", args=["0099"]) in page
    assert "Region Annan" not in page  # only a draft
    save_key_figures(
        site_world.other_org,
        [{"heading": "En dag hos oss", "value": "12", "text": "bussar går"}],
        actor=site_world.users["rot"],
    )
    committed()
    assert "Region Annan" in text_of(client.get(reverse("public:index")))


def test_riket_and_unknown_codes_have_no_site(site_world, client):
    Organisation.objects.create(code="0000", name="Riket", kind="riket")
    assert client.get(reverse("public:organisation", args=["0000"])).status_code == 404
    assert client.get(reverse("public:organisation", args=["9999"])).status_code == 404
    assert client.get(reverse("public:goals", args=["<b>"])).status_code == 404


def test_the_home_page_counts_the_latest_decided_assessments_never_proposals(site_world, client):
    url = reverse("public:organisation", args=["0099"])
    page = text_of(client.get(url))
    assert "Ett gott liv för alla i testlänet" in page
    # Goal 1 has only a proposal ("uppfyllt"): it is not assessed yet, like goal 2.
    assert "Inte bedömt ännu</span></span>: 2 mål" in page
    assert "Uppfyllt" not in page
    goal_two = Goal.objects.get(plan=site_world.decided, number="2")
    decide(site_world.goal, "delvis_uppfyllt", comment="Halva arbetet är gjort.")
    decide(goal_two, "ej_uppfyllt", period="2023-07")
    decide(goal_two, "uppfyllt", period="2023")  # the later period wins
    page = text_of(client.get(url))
    assert "Delvis uppfyllt</span></span>: 1 mål" in page
    assert "Uppfyllt</span></span>: 1 mål" in page
    assert "Ej uppfyllt" not in page and "Inte bedömt ännu" not in page
    assert reverse("public:goals", args=["0099"]) in page


def test_the_goals_show_the_organisations_own_words_and_symbols(site_world, client):
    spec = spec_of(words.DEFAULT)
    spec.steps = [StepSpec(**vars(step)) for step in OWN_STEPS]
    mapping = {"steps": {"uppfyllt": "helt"}}  # the world's proposal
    save_styrmodell(site_world.org, spec, actor=site_world.users["rot"], mapping=mapping)
    committed()
    decide(site_world.goal, "pa_vag", comment="Vi har kommit en bit.")
    page = text_of(client.get(reverse("public:goals", args=["0099"])))
    assert 'fill="#7a4d00">◑</text></svg> <span class="status__word">På väg</span>' in page
    assert "Vi har kommit en bit." in page and "helår 2023" in page
    assert "Delvis uppfyllt" not in page
    home = text_of(client.get(reverse("public:organisation", args=["0099"])))
    assert "På väg</span></span>: 1 mål" in home


def test_drafts_and_unpublished_content_never_appear(site_world, client):
    pages = [
        text_of(client.get(reverse(name, args=args)))
        for name, args in (
            ("public:index", []),
            ("public:organisation", ["0099"]),
            ("public:goals", ["0099"]),
            ("public:goal", ["0099", site_world.goal.pk]),
        )
    ]
    for page in pages:
        assert "2024" not in page  # the draft plan, its goals, sections and activities
        assert "Planens inledning" not in page
    assert "Effektmål nummer 1 år 2023" in pages[2]
    for code, goal in (("0099", site_world.draft_goal), ("0098", site_world.goal)):
        response = client.get(reverse("public:goal", args=[code, goal.pk]))
        assert response.status_code == 404


def test_a_revision_replaces_the_version_it_revises(site_world, client):
    rot = site_world.users["rot"]
    revision = revise_plan(site_world.decided, actor=rot, reason="Nytt mål").plan
    Goal.objects.filter(plan=revision, number="1").update(text="Effektmål ett, reviderat")
    old_goal = site_world.goal
    committed()
    url = reverse("public:goals", args=["0099"])
    assert "Effektmål ett, reviderat" not in text_of(client.get(url))  # still a draft
    decide_plan(
        revision, actor=rot, decided_by=site_world.unit, decided_on=site_world.decided.decided_on
    )
    committed()
    page = text_of(client.get(url))
    assert "Effektmål ett, reviderat" in page and "Effektmål nummer 1 år 2023" not in page
    assert client.get(reverse("public:goal", args=["0099", old_goal.pk])).status_code == 404


def test_uppfyllt_is_never_shown_without_data(site_world, client):
    decide(site_world.goal, "uppfyllt", results=[{"status": NOT_ASSESSABLE}])
    page = text_of(client.get(reverse("public:goal", args=["0099", site_world.goal.pk])))
    assert "Ej bedömbar" in page and "saknar både mätvärden och motivering" in page
    assert ">Uppfyllt<" not in page
    decide(site_world.goal, "uppfyllt", results=[], comment="Alla fick svar i tid.")
    page = text_of(client.get(reverse("public:goal", args=["0099", site_world.goal.pk])))
    assert ">Uppfyllt<" in page and "Alla fick svar i tid." in page


def test_the_goal_page_shows_indicator_values_with_year_and_kon(site_world, client):
    for gender, value in (("K", "64.5"), ("M", "61.25")):
        Measurement.objects.create(
            definition=site_world.definition,
            organisation=site_world.org,
            period="2023",
            gender=gender,
            value=Decimal(value),
        )
    page = text_of(client.get(reverse("public:goal", args=["0099", site_world.goal.pk])))
    assert "Indikator 1a ska öka" in page and "Andel nöjda invånare" in page
    row = page.split("Indikator 1a ska öka", 1)[1].split("</tr>", 1)[0]
    assert "<td>2023</td>" in row
    assert "63,3\u00a0%" in row and "64,5\u00a0%" in row and "61,3\u00a0%" in row
    assert "Inte bedömt ännu" in page and "inte fått någon beslutad bedömning" in page


def test_pages_are_kept_for_anonymous_visitors_and_never_for_signed_in_ones(site_world, client):
    urls = [
        reverse("public:index"),
        reverse("public:organisation", args=["0099"]),
        reverse("public:goals", args=["0099"]),
        reverse("public:goal", args=["0099", site_world.goal.pk]),
    ]
    for url in urls:
        first, second = client.get(url), client.get(url)
        assert first["X-Uppsikt-Cache"] == "miss", url
        assert second["X-Uppsikt-Cache"] == "hit", url
        assert second.content == first.content
        assert b"csrfmiddlewaretoken" not in first.content
    client.force_login(site_world.users["rot"])
    for url in urls:
        assert client.get(url)["X-Uppsikt-Cache"] == "bypass"
        assert client.get(url)["X-Uppsikt-Cache"] == "bypass"


def test_an_edit_is_seen_at_once_after_a_kept_page(
    site_world, client, django_capture_on_commit_callbacks
):
    url = reverse("public:goals", args=["0099"])
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        _decide(site_world.goal, "delvis_uppfyllt", "2023", "Nytt beslut om målet.", None)
    response = client.get(url)
    assert response["X-Uppsikt-Cache"] == "miss"
    assert "Nytt beslut om målet." in response.content.decode()


def test_the_menu_marks_the_current_page(site_world, client):
    page = text_of(client.get(reverse("public:goal", args=["0099", site_world.goal.pk])))
    goals = reverse("public:goals", args=["0099"])
    assert f'<a href="{goals}" aria-current="true">' in page
    assert (
        f'<link rel="canonical" href="{settings.SITE_URL}/insyn/0099/mal/{site_world.goal.pk}/">'
        in page
    )


@given(
    st.lists(
        st.sampled_from(["uppfyllt", "delvis_uppfyllt", "ej_uppfyllt", NOT_ASSESSABLE, None]),
        max_size=30,
    )
)
def test_the_tally_counts_every_goal_once_in_the_scales_order(decisions):
    scale = words.DEFAULT
    statuses = [
        status_of(
            None
            if key is None
            else Assessment(
                period="2023",
                proposed_status="ej_uppfyllt",
                decided_status=key,
                indicator_results=[{"status": "uppfyllt"}],
            ),
            scale,
        )
        for key in decisions
    ]
    rows = tally(statuses, scale)
    assert sum(row.count for row in rows) == len(decisions)
    order = [key for key, _label in scale.status_choices()] + [NOT_ASSESSED]
    keys = [row.status.key for row in rows]
    assert keys == sorted(keys, key=order.index)
    assert all(isinstance(row.status, Status) and row.count > 0 for row in rows)


def test_the_goal_list_reads_a_fixed_number_of_queries(site_world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("public:goals", args=["0099"])

    def count() -> int:
        committed()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    count()  # the styrmodell and the session machinery warmed up
    before = count()
    perspective = site_world.goal.perspective
    for number in range(3, 9):
        goal = Goal.objects.create(
            plan=site_world.decided,
            perspective=perspective,
            kind="effektmal",
            number=str(number),
            text=f"Effektmål nummer {number} år 2023",
            position=number,
        )
        decide(goal, "uppfyllt", comment="Gjort.")
    assert count() == before
    assert "Effektmål nummer 8 år 2023" in client.get(url).content.decode()


def test_the_gender_flag_is_said_once(site_world):
    """The flag stands beside the status; its sentence is left out of the reason below it,
    so a screen reader does not read it twice."""
    scale = words.styrmodell_for(site_world.org.pk)
    flag = "1 indikator är uppfylld totalt men inte för kvinnor"
    assessment = Assessment(
        period="2023",
        proposed_status="uppfyllt",
        proposed_reason=f"1 av 1 bedömbara indikatorer är uppfyllda. {flag}. Värdena är från 2023.",
        decided_status="uppfyllt",
        indicator_results=[{"status": "uppfyllt", "gender_flag": True, "gender_lagging": ["K"]}],
    )
    status = status_of(assessment, scale)
    assert status.flag == flag
    assert status.reasons == ("1 av 1 bedömbara indikatorer är uppfyllda. Värdena är från 2023.",)


def test_the_built_in_words_follow_the_page_language_an_organisations_own_do_not(
    site_world, client
):
    decide(site_world.goal, "delvis_uppfyllt", comment="Halva arbetet är gjort.")
    client.cookies["django_language"] = "en"
    url = reverse("public:goals", args=["0099"])
    page = text_of(client.get(url))
    assert "Partly achieved" in page and "Delvis uppfyllt" not in page
    spec = spec_of(words.DEFAULT)
    spec.steps = [StepSpec(**vars(step)) for step in OWN_STEPS]
    mapping = {"steps": {"uppfyllt": "helt", "delvis_uppfyllt": "pa_vag", "ej_uppfyllt": "inte"}}
    save_styrmodell(site_world.org, spec, actor=site_world.users["rot"], mapping=mapping)
    committed()
    page = text_of(client.get(url))
    assert "På väg" in page and "Partly achieved" not in page  # written by the organisation
