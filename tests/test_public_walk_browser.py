"""Issue 17's "done when", tried as a resident would, in Debian's Chromium with axe-core on
every page.

On the demo (every step of ``make demo``, ``portal/demo_steps.py``), a resident who is not
signed in goes from ``/insyn/`` to Region Örebro län's site and finds out, in a few counted
clicks from its home, how the region is doing on its goals (the tally, the goals page, one
goal with its decided assessment and reason, one indicator's trend with its chart, its data
table, kvinnor/män and Riket) and where the money goes (the budget page's charts and
tables, the reports page). Every page is checked for what a screen reader depends on *as
far as it can be checked automatically*: one h1, a main landmark, labelled navs, a working
skip link, tables with captions and scoped header cells, charts with a text alternative and
a data table, ``lang="sv"``; and the same pages are read again with JavaScript turned off.
This is no substitute for trying the site with a real screen reader.

Then the accessibility statement (the official model's headings), a report of a problem
(form, receipt with its ärendenummer), "Hade du nytta av innehållet på denna sida?" (Ja,
the thanks page, a comment), counted in the superuser's summary and never shown to the next
anonymous visitor; the DCAT-AP-SE catalogue fetched from the running server in Turtle and
JSON-LD, parsed with rdflib and validated with pyshacl, every dataset's CSV with its
licence in a Link header; ``/sitemap.xml`` and ``/robots.txt``.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import httpx
import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from pyshacl import validate
from rdflib import DCAT, DCTERMS, RDF, Graph, URIRef
from rdflib.compare import isomorphic

from uppsikt.feedback.models import AccessibilityReport, PageAnswer

from .a11y import assert_accessible
from .feedback_setup import superuser
from .signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOME = "0018"
REGION = "Region Örebro län"
MAX_CLICKS = 3  # from the organisation's home to each answer
SHAPES = Path(__file__).parent / "shapes" / "dcat_ap_se.ttl"
# The official model's headings (DIGG's "Mall för tillgänglighetsredogörelse").
STATEMENT_HEADINGS = (
    "Hur tillgänglig är webbplatsen?",
    "Om du inte kan använda delar av webbplatsen",
    "Rapportera brister i webbplatsens tillgänglighet",
    "Tillsyn",
    "Teknisk information om webbplatsens tillgänglighet",
    "Innehåll som inte är tillgängligt",
    "Hur vi testat webbplatsen",
)
COMMENT = "Bra att se <b>skälet</b> till bedömningen"


@pytest.fixture
def walk_public(settings, live_server):
    """The whole demo, as ``make demo`` loads it; addresses at the live server."""
    settings.SITE_URL = live_server.url
    call_command("load_demo", stdout=io.StringIO())
    return live_server.url


class Walk:
    """The resident's browser: every page it reaches is checked, clicks are counted."""

    def __init__(self, page, base: str) -> None:
        self.page, self.base, self.clicks, self.visited = page, base, 0, []
        page.set_default_timeout(60_000)  # a shared machine: the demo's pages can be slow

    def goto(self, path: str) -> None:
        self.page.goto(self.base + path)
        self.checked()

    def click(self, name: str, within=None) -> None:
        (within or self.page).get_by_role("link", name=name, exact=True).first.click()
        self.clicks += 1
        self.checked()

    def checked(self) -> None:
        page = self.page
        page.wait_for_load_state()
        self.visited.append(page.url.removeprefix(self.base).split("#")[0])
        reads_with_a_screen_reader(page)
        assert_accessible(page)
        skip_link_works(page)

    def h1(self) -> str:
        return self.page.get_by_role("heading", level=1).inner_text()

    def main(self) -> str:
        return self.page.get_by_role("main").inner_text()


def reads_with_a_screen_reader(page) -> None:
    """What a screen reader depends on, as far as a script can check it."""
    where = page.url
    assert page.locator("html").get_attribute("lang") == "sv", where
    assert page.locator("h1").count() == 1, where
    assert page.locator("main").count() == 1, where
    for nav in page.locator("nav").all():
        label = nav.get_attribute("aria-label") or nav.get_attribute("aria-labelledby")
        assert label, f"{where}: a nav without a label"
    for table in page.locator("main table").all():
        assert table.locator("caption").inner_text(timeout=1000).strip(), where
        headers = table.locator("th")
        scopes = [headers.nth(i).get_attribute("scope") for i in range(headers.count())]
        assert scopes and all(
            scope in ("col", "row", "colgroup", "rowgroup") for scope in scopes
        ), f"{where}: header cells without scope {scopes}"
    problems = page.evaluate(
        """() => [...document.querySelectorAll('main svg[role="img"]')].flatMap(svg => {
            const ids = (svg.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
            const name = ids.map(id => document.getElementById(id)?.textContent || '').join(' ')
                || svg.getAttribute('aria-label') || '';
            const figure = svg.closest('figure') || svg;
            let next = figure.nextElementSibling;
            const table = figure.querySelector('table')
                || (next && (next.matches('table') ? next : next.querySelector('table')));
            const out = [];
            if (!name.trim()) out.push('a chart without a text alternative');
            if (!table) out.push('a chart without a data table after it');
            return out;
        })"""
    )
    assert not problems, f"{where}: {problems}"


def skip_link_works(page) -> None:
    """ "Hoppa till innehållet" is the first thing in the tab order, and Enter on it moves
    focus to the main (a page reached with ``#innehall`` starts Tab inside the main, so the
    order is read from the document rather than by pressing Tab)."""
    first = page.evaluate(
        """() => [...document.querySelectorAll(
            'a[href], button, input, select, textarea, [tabindex]')]
            .find(el => el.tabIndex >= 0 && !el.disabled).textContent.trim()"""
    )
    assert first == "Hoppa till innehållet", page.url
    page.get_by_role("link", name="Hoppa till innehållet").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()


def goals_answer(walk: Walk) -> str:
    """Home → goals → one goal → one indicator; returns the goal's path."""
    page = walk.page
    assert "Så går det för oss" in walk.main()
    tally = page.locator("ul.tally").inner_text()
    assert "Uppfyllt" in tally and "Delvis uppfyllt" in tally
    walk.click("Se alla mål och hur det går för dem")
    assert walk.h1() == "Våra mål"
    item = (
        page.locator("li.public-goal")
        .filter(has_text="Effektmål 1: Länets invånare har en god")
        .filter(has=page.locator("p.goal-reason"))
        .first
    )
    status = item.locator(".status__word").inner_text()
    reason = item.locator("p.goal-reason").first.inner_text()
    assert status == "Delvis uppfyllt" and reason
    item.get_by_role("link").first.click()
    walk.clicks += 1
    walk.checked()
    goal_path = walk.visited[-1]
    assert walk.h1().startswith("Effektmål 1:")
    main = walk.main()
    assert status in main and reason in main
    assert walk.clicks <= MAX_CLICKS
    page.get_by_role("link", name=re.compile("^Andelen i Örebro län som anser")).click()
    walk.clicks += 1
    walk.checked()
    assert walk.h1() == "Andel som anser sig ha tillgång till den vård de behöver"
    assert page.locator("main svg.chart rect").count() > 0
    table = page.get_by_role("table", name=re.compile("per period"))
    columns = table.locator("thead th").all_inner_texts()
    for column in (REGION, f"{REGION}, kvinnor", f"{REGION}, män", "Riket"):
        assert column in columns
    row_2023 = table.get_by_role("row", name=re.compile("^2023")).inner_text()
    assert row_2023.count("%") >= 4  # the region, kvinnor, män and Riket measured in 2023
    assert walk.clicks <= MAX_CLICKS
    return goal_path


def money_answer(walk: Walk) -> None:
    """Home → Ekonomi: the budget's charts, each with its table; home → Rapporter."""
    page = walk.page
    walk.goto(f"/insyn/{HOME}/")
    walk.clicks = 0
    walk.click("Ekonomi", within=page.get_by_role("navigation", name=f"Meny för {REGION}"))
    assert walk.h1() == "Vart går pengarna?"
    charts = page.locator("main figure svg[role=img]").count()
    assert charts >= 1
    assert page.locator("main table").count() >= 2 * charts  # chart values and the table
    whole = page.get_by_role("table", name=re.compile("^Driftbudget regionstyrelsen"))
    assert "Budget 2023" in whole.locator("thead").inner_text()
    assert "Totalt regionstyrelsens driftansvar" in whole.inner_text()
    assert walk.clicks == 1
    walk.goto(f"/insyn/{HOME}/")
    walk.clicks = 0
    walk.click("Rapporter", within=page.get_by_role("navigation", name=f"Meny för {REGION}"))
    assert walk.h1() == "Rapporter"
    assert "Delårsrapport 2023, Regionkansliet" in walk.main()
    assert page.get_by_role("link", name="Version 1", exact=True).count() >= 1
    assert walk.clicks == 1


def reads_without_javascript(browser, base: str, paths: list[str]) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        quiet = context.new_page()
        for path in paths:
            response = quiet.goto(base + path)
            assert response is not None and response.status == 200, path
            assert quiet.locator("h1").count() == 1, path
            assert quiet.get_by_role("main").inner_text().strip(), path
            if "/indikatorer/" in path or path.endswith("/ekonomi/"):
                assert quiet.locator("main svg[role=img]").count() >= 1, path
                assert quiet.locator("main table tbody tr").count() >= 1, path
    finally:
        context.close()


def feedback_on(walk: Walk, goal_path: str) -> str:
    """Ja on the goal's page, the thanks page, a comment; back on the page, no thanks."""
    page = walk.page
    walk.goto(goal_path)
    question = page.get_by_role("group", name="Hade du nytta av innehållet på denna sida?")
    question.get_by_role("button", name="Ja").click()
    walk.checked()
    expect(page.get_by_role("heading", name="Tack för ditt svar")).to_be_visible()
    page.get_by_label("Vill du berätta mer? (frivilligt)").fill(COMMENT)
    page.get_by_role("button", name="Skicka kommentaren").click()
    walk.checked()
    expect(page.get_by_text("Vi har tagit emot din kommentar")).to_be_visible()
    page.get_by_role("link", name="Tillbaka till sidan").click()
    walk.checked()
    assert walk.visited[-1] == goal_path
    return page.content()


def report_a_problem(walk: Walk, goal_path: str) -> None:
    page = walk.page
    walk.goto(goal_path)
    walk.click("Rapportera ett tillgänglighetsproblem på den här sidan")
    assert page.get_by_label("Sidans adress").input_value() == goal_path
    page.get_by_label("Beskriv problemet").fill("Diagrammets staplar är svåra att skilja åt.")
    page.get_by_role("button", name="Skicka rapporten").click()
    walk.checked()
    report = AccessibilityReport.objects.get()
    assert report.page == goal_path
    assert f"Ditt ärendenummer är {report.reference}" in page.get_by_role("status").inner_text()


def statement(walk: Walk) -> None:
    page = walk.page
    footer = page.get_by_role("navigation", name="Om webbplatsen")
    walk.click("Tillgänglighetsredogörelse", within=footer)
    assert walk.h1().startswith("Tillgänglighetsredogörelse för")
    headings = page.get_by_role("heading", level=2).all_inner_texts()
    assert [h for h in headings if h in STATEMENT_HEADINGS] == list(STATEMENT_HEADINGS)


def the_summary_counts_it(browser, base: str, goal_path: str) -> None:
    superuser("walk-rot")
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)
        sign_in(page, base, "walk-rot")
        page.goto(base + "/synpunkter/")
        assert_accessible(page)
        table = page.get_by_role("table", name=f"Svar per sida för {REGION}")
        row = table.get_by_role("row").filter(has_text=goal_path).inner_text()
        cells = row.split("\t")
        assert cells[1:3] == ["1", "0"], row  # Ja 1, Nej 0
        assert COMMENT in row  # as text: the markup is shown, not obeyed
    finally:
        context.close()


def the_next_visitor_sees_no_thanks(browser, base: str, goal_path: str) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        response = page.goto(base + goal_path)
        assert response is not None and response.status == 200
        # The kept page (lib/pagecache.py), the one the resident was served back on it.
        assert response.headers.get("x-uppsikt-cache") == "hit"
        text = page.content()
        assert "Tack för ditt svar" not in text and "skälet" not in text
        assert page.get_by_role("button", name="Ja").count() == 1  # the question, unanswered
    finally:
        context.close()


def catalogue_validates(base: str) -> None:
    turtle = httpx.get(base + "/oppna-data/katalog.ttl")
    jsonld = httpx.get(base + "/oppna-data/katalog.jsonld")
    assert turtle.status_code == jsonld.status_code == 200
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert isomorphic(graph, Graph().parse(data=jsonld.text, format="json-ld"))
    shapes = Graph().parse(SHAPES, format="turtle")
    conforms, _report, text = validate(graph, shacl_graph=shapes, allow_warnings=False)
    assert conforms, text
    datasets = list(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) >= 7
    for dataset in datasets:
        csv_urls = [
            (graph.value(dist, DCAT.downloadURL), graph.value(dist, DCTERMS.license))
            for dist in graph.objects(dataset, DCAT.distribution)
            if str(graph.value(dist, DCAT.mediaType)).endswith("text/csv")
        ]
        assert csv_urls, f"{dataset}: no CSV"
        for url, licence in csv_urls:
            assert isinstance(url, URIRef) and str(url).startswith(base), url
            response = httpx.get(str(url))
            assert response.status_code == 200, url
            assert response.headers["content-type"].startswith("text/csv"), url
            assert f'<{licence}>; rel="license"' in response.headers["link"], url
            assert response.text.splitlines()[0], url  # a header row


def findable(base: str) -> None:
    robots = httpx.get(base + "/robots.txt")
    assert f"Sitemap: {base}/sitemap.xml" in robots.text.splitlines()
    sitemap = httpx.get(base + "/sitemap.xml")
    assert sitemap.headers["content-type"].startswith("application/xml")
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [
        loc.text or ""
        for loc in ElementTree.fromstring(sitemap.content).findall(  # noqa: S314 - our own
            "s:url/s:loc", namespace
        )
    ]
    for part in ("", "mal/", "indikatorer/", "ekonomi/", "rapporter/"):
        assert f"{base}/insyn/{HOME}/{part}" in locations
    homes = [loc for loc in locations if re.fullmatch(rf"{re.escape(base)}/insyn/\d+/", loc)]
    for home in homes:  # every listed site exists
        assert httpx.get(home).status_code == 200, home


def test_a_resident_finds_goals_and_money_gives_feedback_and_takes_the_data(
    walk_public, page, browser
):
    base = walk_public
    walk = Walk(page, base)
    walk.goto("/insyn/")
    walk.click(REGION)
    assert walk.h1() == REGION
    walk.clicks = 0  # counted from the organisation's home
    goal_path = goals_answer(walk)
    money_answer(walk)
    reads_without_javascript(browser, base, sorted(set(walk.visited)))

    statement(walk)
    report_a_problem(walk, goal_path)
    after = feedback_on(walk, goal_path)
    assert "Tack för ditt svar" not in after
    answer = PageAnswer.objects.get()
    assert (answer.path, answer.useful, answer.comment) == (goal_path, True, COMMENT)
    the_next_visitor_sees_no_thanks(browser, base, goal_path)
    the_summary_counts_it(browser, base, goal_path)

    catalogue_validates(base)
    findable(base)
