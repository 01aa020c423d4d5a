import os
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from uppsikt.interchange.load import load_data
from uppsikt.plans.actions.versions import revise_plan
from uppsikt.plans.models import Goal, Plan

from .builders import RS_TITLE, load_minimal, minimal_data, user_with_role

pytestmark = pytest.mark.django_db

SEEDS = Path(os.environ.get("UPPSIKT_SEEDS_DIR", "/work/shared/seeds"))


@pytest.fixture
def signed_in_planner(client):
    user = user_with_role("planerare")
    client.force_login(user)
    return user


def back_in_draft(slug: str) -> Plan:
    """A stab's 2023 aktivitetsplan made a draft again (the demo has them decided), for
    tests of what a draft hides: its goals are unlike any decided plan's."""
    plan = Plan.objects.get(unit__slug=slug, year=2023)
    Plan.objects.filter(pk=plan.pk).update(
        status=Plan.Status.UTKAST, decided_by=None, decided_on=None
    )
    plan.refresh_from_db()
    return plan


@pytest.fixture
def draft(demo_board_plan, signed_in_planner):
    """Version 2 of the decided demo plan: goals are edited in a revision, not in place."""
    return revise_plan(demo_board_plan, actor=signed_in_planner, reason="Ändringar under året").plan


def text_of(response) -> str:
    """The page's visible text with whitespace folded, for assertions on sentences."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", html)
    text = text.replace("&quot;", '"').replace("&#x27;", "'").replace("&amp;", "&")
    return " ".join(text.split())


def test_start_page_lists_organisations_and_decided_plans(client, demo_board_plan):
    back_in_draft("staben-hr")
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    page = text_of(response)
    assert "Region Örebro län" in page
    assert "Region Blekinge" in page
    assert "Ljusnarsberg" in page
    assert RS_TITLE in page
    assert "Aktivitetsplan 2023 – Staben ekonomi" in page  # decided by the stab (example)
    assert "Aktivitetsplan 2023 – Staben HR" not in page  # drafts are not public


def test_plan_page_lays_out_the_real_plan(client, demo_board_plan):
    response = client.get(demo_board_plan.get_absolute_url())
    assert response.status_code == 200
    page = text_of(response)
    for sentence in (
        "Länets invånare har en god, jämlik och jämställd hälsa.",
        "Minst 50 procent av alla vuxna patienter bli färdigbehandlade vid ett besök.",
        "Perspektiv: Invånare och samhälle",
        "Strategi: Kvalitet och utveckling",
        "Att skapa värde tillsammans med de Region Örebro län finns till för.",
        "Regionkansliet ansvarar för det interna programmet gällande digitalisering",
        "Hållbart medarbetarengagemang, HME, ska öka i jämförelse med tidigare medarbetarenkät.",
        "Regionstyrelsen redovisar ett resultat i balans.",
        "Tillsammans skapar vi ett bättre liv.",
        "Samarbete",
        "(Effektmålets rubrik saknas i källdokumentet)",
    ):
        assert sentence in page, sentence
    # Document order: effektmål 1 comes before effektmål 10.
    assert page.index("Effektmål 1 ") < page.index("Effektmål 10 ")


def test_regionkansliet_plan_shows_focus_areas_goals_and_activities(client, demo_board_plan):
    plan = Plan.objects.get(unit__slug="regionkansliet", year=2023)
    page = text_of(client.get(plan.get_absolute_url()))
    assert "Prioriterat område Digitalisering" in page
    assert "Höja den digitala kompetensen inom regionkansliet." in page
    assert (
        "Processer och arbeten som genomförs i gemensamma arbetsgrupper flyttas till Teams." in page
    )


def test_goal_page_navigates_the_cascade_both_ways(client, demo_board_plan):
    goal = Goal.objects.get(plan=demo_board_plan, kind="effektmal", number="9")
    page = text_of(client.get(goal.get_absolute_url()))
    assert "Bidrar till" in page
    assert "Regionfullmäktige" in page
    parent = goal.contributes_to.get()
    parent_page = text_of(client.get(parent.get_absolute_url()))
    assert "Effektmål 9: Region Örebro län är en attraktiv arbetsgivare" in parent_page
    assert "(Regionstyrelsen, plan 2023)" in parent_page
    # Regionkansliet's goals for medarbetarskap contribute to effektmål 9.
    assert "Mål: Regionkansliets medarbetare och chefer ska vara ledande" in page
    assert "(Regionkansliet, plan 2023)" in page


def test_organisation_and_unit_pages(client, demo_board_plan):
    page = text_of(client.get(reverse("organisations:detail", args=["0018"])))
    assert "Tillsammans skapar vi ett bättre liv." in page
    assert "Professionalism" in page
    assert "Staben digitalisering" in page
    unit = text_of(client.get(reverse("organisations:unit", args=["0018", "staben-ekonomi"])))
    assert "intern kontroll" in unit
    blekinge = text_of(client.get(reverse("organisations:detail", args=["0010"])))
    assert "Den bästa livsmiljön för hållbar tillväxt och god hälsa" in blekinge
    assert client.get(reverse("organisations:detail", args=["9999"])).status_code == 404


def test_anonymous_visitors_cannot_read_drafts(client, demo_board_plan, signed_in_planner):
    draft = back_in_draft("staben-digitalisering")
    goal = draft.goals.first()
    assert client.get(draft.get_absolute_url()).status_code == 200
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(goal.get_absolute_url()).status_code == 404
    search = text_of(client.get(reverse("portal:search"), {"q": goal.text[:45]}))
    assert "0 träffar" in search


def test_search_folds_swedish_letters(client, demo_board_plan):
    page = text_of(client.get(reverse("portal:search"), {"q": "ÖREBRO LÄN HAR EN LÅNGSIKTIG"}))
    assert "Region Örebro län har en långsiktig stark och hållbar ekonomi" in page
    # Regionfullmäktige's plan holds the same effektmål as regionstyrelsen's.
    assert "2 träffar" in page
    assert "Region Örebro läns verksamhetsplan med budget 2023" in page


def test_plan_page_query_count_does_not_grow_with_goals(client):
    load_minimal(goal_count=2)
    small = Plan.objects.get()
    with CaptureQueriesContext(connection) as few:
        assert client.get(small.get_absolute_url()).status_code == 200
    Plan.objects.all().delete()
    data = minimal_data(goal_count=40)
    data["organisations"] = []
    load_data(data)
    large = Plan.objects.get()
    with CaptureQueriesContext(connection) as many:
        assert client.get(large.get_absolute_url()).status_code == 200
    assert len(many) == len(few)
    assert large.goals.count() == 40


def test_planner_edits_a_goal(client, draft, signed_in_planner):
    goal = Goal.objects.get(plan=draft, kind="effektmal", number="1")
    url = reverse("plans:goal_edit", args=[goal.pk])
    form = client.get(url)
    assert form.status_code == 200
    response = client.post(url, goal_form_data(goal, text="Länets invånare har god hälsa."))
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.text == "Länets invånare har god hälsa."
    assert goal.indicators.count() == 3  # its indicators stay


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("text", "", "Detta fält måste fyllas i."),
        ("text", "ab", "Skriv målet med minst tre tecken."),
        ("number", "1a", "Numret får bara innehålla siffror och punkter"),
        ("kind", "vision", "Välj ett giltigt alternativ."),
    ],
)
def test_invalid_goal_edits_name_the_field_and_save_nothing(
    client, draft, signed_in_planner, field, value, message
):
    goal = Goal.objects.get(plan=draft, kind="effektmal", number="2")
    before = (goal.kind, goal.number, goal.text)
    data = goal_form_data(goal, **{field: value})
    response = client.post(reverse("plans:goal_edit", args=[goal.pk]), data)
    assert response.status_code == 200
    page = text_of(response)
    assert "Formuläret har fel som behöver rättas" in page
    assert message in page
    goal.refresh_from_db()
    assert (goal.kind, goal.number, goal.text) == before


def test_only_staff_may_edit(client, demo_board_plan):
    goal = Goal.objects.get(plan=demo_board_plan, kind="effektmal", number="1")
    url = reverse("plans:goal_edit", args=[goal.pk])
    response = client.post(
        url, {"kind": "mal", "number": "", "text": "Kapat mål", "description": ""}
    )
    assert response.status_code == 302
    assert "/konto/logga-in/" in response["Location"]
    goal.refresh_from_db()
    assert goal.text == "Länets invånare har en god, jämlik och jämställd hälsa."


def test_pages_are_swedish_and_translate_to_english(client, demo_board_plan):
    response = client.get(reverse("portal:home"))
    assert '<html lang="sv">' in response.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("portal:home"))
    html = english.content.decode()
    assert '<html lang="en">' in html
    assert "Skip to content" in html
    assert "Organisations" in html


def test_admin_lists_every_model(client, demo_board_plan):
    admin = get_user_model().objects.create_superuser("rot", password="x-test-pass-2")
    client.force_login(admin)
    from django.contrib import admin as django_admin

    for model in django_admin.site._registry:
        if model._meta.app_label not in {"organisations", "plans"}:
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url


def test_browser_language_does_not_switch_the_interface(client, demo_board_plan):
    html = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content
    assert b'<html lang="sv">' in html
    assert "Hoppa till innehållet".encode() in html


def test_plan_text_stays_marked_swedish_in_the_english_interface(client, demo_board_plan):
    client.cookies["django_language"] = "en"
    html = client.get(demo_board_plan.get_absolute_url()).content.decode()
    assert '<html lang="en">' in html
    assert '<article class="plan" lang="sv"' in html


def goal_form_data(goal, **overrides):
    """The edit form as the page posts it: the goal's fields and its indicator rows."""
    indicators = list(goal.indicators.all())
    data = {
        "kind": goal.kind,
        "number": goal.number,
        "text": goal.text,
        "description": goal.description,
        "indikatorer-TOTAL_FORMS": str(len(indicators) + 1),
        "indikatorer-INITIAL_FORMS": str(len(indicators)),
        "indikatorer-MIN_NUM_FORMS": "0",
        "indikatorer-MAX_NUM_FORMS": "50",
    }
    for index, indicator in enumerate(indicators):
        data[f"indikatorer-{index}-id"] = str(indicator.pk)
        data[f"indikatorer-{index}-text"] = indicator.text
    data[f"indikatorer-{len(indicators)}-text"] = ""
    data.update(overrides)
    return data


def test_planner_edits_deletes_and_adds_indicators(client, draft, signed_in_planner):
    goal = Goal.objects.get(plan=draft, kind="effektmal", number="2")
    first, second = goal.indicators.all()
    data = goal_form_data(
        goal,
        **{
            "indikatorer-0-text": "Telefontillgängligheten ska förbättras.",
            "indikatorer-1-DELETE": "on",
            "indikatorer-2-text": "Väntetiden till besök ska minska.",
        },
    )
    response = client.post(reverse("plans:goal_edit", args=[goal.pk]), data)
    assert response.status_code == 302
    texts = list(goal.indicators.order_by("position").values_list("pk", "text"))
    assert texts[0] == (first.pk, "Telefontillgängligheten ska förbättras.")  # same row kept
    assert texts[1][1] == "Väntetiden till besök ska minska."
    assert not goal.indicators.filter(pk=second.pk).exists()


def test_an_empty_indicator_is_refused_and_nothing_is_saved(client, draft, signed_in_planner):
    goal = Goal.objects.get(plan=draft, kind="effektmal", number="2")
    before = list(goal.indicators.values_list("text", flat=True))
    data = goal_form_data(goal, text="Ny måltext", **{"indikatorer-0-text": ""})
    response = client.post(reverse("plans:goal_edit", args=[goal.pk]), data)
    assert response.status_code == 200
    assert "Indikator 1: Detta fält måste fyllas i." in text_of(response)
    goal.refresh_from_db()
    assert goal.text != "Ny måltext"
    assert list(goal.indicators.values_list("text", flat=True)) == before


def test_source_notes_are_collapsed_disclosures_after_the_text(client, demo_board_plan):
    goal = Goal.objects.exclude(note="").filter(plan=demo_board_plan).first()
    indicator = (
        goal.plan.goals.filter(indicators__note__gt="").first().indicators.exclude(note="")[0]
    )
    section = demo_board_plan.sections.exclude(note="").first()
    for url in (demo_board_plan.get_absolute_url(), goal.get_absolute_url()):
        html = client.get(url).content.decode()
        notes = re.findall(
            r'<details class="source-note"><summary>Källa</summary><p>(.*?)</p></details>',
            html,
            flags=re.S,
        )
        assert goal.note.replace('"', "&quot;") in notes, url
        assert "Anmärkning om källan" not in html
    plan_html = client.get(demo_board_plan.get_absolute_url()).content.decode()
    notes = re.findall(r'<details class="source-note">.*?</details>', plan_html, flags=re.S)
    for note in (indicator.note, section.note):
        assert any(note.replace('"', "&quot;") in found for found in notes), note
    # The goal's own text comes before its source note.
    assert plan_html.index(goal.text) < plan_html.index(goal.note.replace('"', "&quot;"))


def _goal_links(html: str) -> list[tuple[str, str]]:
    """(href, visible link text) of every link to a goal page."""
    links = []
    for href, inner in re.findall(r'<a href="(/mal/\d+/)"[^>]*>(.*?)</a>', html, flags=re.S):
        text = re.sub(r"<[^>]+>", " ", inner).replace("&#x27;", "'").replace("&quot;", '"')
        links.append((href, " ".join(text.split())))
    return links


@pytest.mark.parametrize("revised", [False, True])
def test_cascade_links_name_the_goal_and_its_plan_and_no_link_text_leads_two_ways(
    client, demo_board_plan, signed_in_planner, revised
):
    """WCAG 2.4.4: a cascade link says which goal it leads to (label, text, unit, year), and
    the same link text never leads to two different goals on one page, also while a plan
    has a draft version 2 beside version 1."""
    if revised:
        revise_plan(demo_board_plan, actor=signed_in_planner, reason="Ändringar under året")
    cascade_links = 0
    for plan in Plan.objects.all():
        pages = [plan.get_absolute_url()]
        pages += [goal.get_absolute_url() for goal in Goal.objects.filter(plan=plan)]
        for url in pages:
            response = client.get(url)
            if response.status_code != 200:
                continue
            html = response.content.decode()
            targets: dict[str, set[str]] = {}
            for href, text in _goal_links(html):
                targets.setdefault(text, set()).add(href)
            assert {t: h for t, h in targets.items() if len(h) > 1} == {}, url
            cascade = re.findall(r'<ul class="cascade">(.*?)</ul>', html, flags=re.S)
            cascade += re.findall(
                r'aria-labelledby="(?:up|down)-h">.*?(<ul class="link-list">.*?</ul>)',
                html,
                flags=re.S,
            )
            for block in cascade:
                for href, text in _goal_links(block):
                    goal = Goal.objects.select_related("plan__unit").get(pk=href.split("/")[2])
                    version = f", version {goal.plan.version}" if goal.plan.version > 1 else ""
                    expected = (
                        f"{goal.label}: {' '.join(goal.text.split())} "
                        f"({goal.plan.unit.name}, plan {goal.plan.year}{version})"
                    )
                    assert text == expected, url
                    cascade_links += 1
    assert cascade_links > 20
    page = text_of(client.get(demo_board_plan.get_absolute_url()))
    assert (
        "Bidrag från Mål: Att minska regionkansliets miljö- och klimatpåverkan genom att "
        "uppmuntra till olika aktiviteter där regionkansliet har rådighet. "
        "(Regionkansliet, plan 2023)"
    ) in page


def test_the_vision_says_what_the_seed_says_about_its_decision(client, demo_board_plan):
    """The 2018 page only says fullmäktige *will* decide on 19 June; no decision is shown as
    a fact."""
    seed = SEEDS / "orebro-om-regionen-2018.txt"
    if seed.exists():
        text = seed.read_text(encoding="utf-8")
        assert "Den 22 maj 2018 antog regionstyrelsen" in text
        assert "Den 19 juni beslutas visionen av regionfullmäktige." in text
    for url in ("/organisationer/0018/", demo_board_plan.get_absolute_url()):
        page = text_of(client.get(url))
        assert "Tillsammans skapar vi ett bättre liv." in page, url
        assert "Beslutad av Regionfullmäktige" not in page, url
        assert "beslutade text" not in page, url
        assert (
            "antog regionstyrelsen visionen den 22 maj 2018, och regionfullmäktige skulle "
            "besluta om den den 19 juni 2018. Att fullmäktige fattade beslutet anges inte i "
            "källorna."
        ) in page, url


def test_demo_example_plans_are_labelled_and_no_heading_promises_what_is_not_there(
    client, demo_board_plan, signed_in_planner
):
    """Review #16: the invented stab plans held one mål under the heading "Aktiviteter"."""
    from uppsikt.plans.models import Activity, Section

    for section in Section.objects.filter(plan__unit__organisation__code="0018"):
        if "Aktiviteter" in section.heading:
            assert Activity.objects.filter(plan=section.plan).exists(), section.plan.title
    examples = Plan.objects.filter(is_example=True)
    assert examples.count() == 8
    for plan in examples:
        headings = list(Section.objects.filter(plan=plan).values_list("heading", flat=True))
        assert headings == ["Stabens mål (exempel)"], plan.title
        page = client.get(plan.get_absolute_url()).content.decode()
        assert '<span class="badge badge--example">Exempel</span>' in page
        assert "innehåll finns inte i källorna" in page
