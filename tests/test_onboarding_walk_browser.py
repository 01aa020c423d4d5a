"""Issue 15's walk in Debian's Chromium: the example kommun from nothing to a decided plan and
a report, in the kommun's own terms.

The installation's administrator (a superuser) sets Kumla kommun up from the official
registry (a bare comparison row beside the minimal region), reads its unit tree from a file
and adds one unit by the form, gives Kumla its styrmodell (inriktningsmål for fullmäktige,
nämndmål for nämnder and the styrelse, a four-step scale, the balanced-scorecard
perspectives Medborgare, Verksamhet, Medarbetare and Ekonomi, no strategier or prioriterade
områden, tertials), gives a planerare a role, writes kommunfullmäktige's plan with an
inriktningsmål under Medborgare and its indicator and decides it, creates the year's
follow-up periods (a tertialrapport and the delårsrapport per 31 augusti) and makes the
delårsrapport's PDF. Every step is clicks and typing in the browser, every page passes
axe-core, the database is checked after each step, no page of Kumla says "Effektmål", and
the PDF speaks Kumla's words (its levels, scale and perspectives), not the region's.
"""

import datetime
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from uppsikt.accounts.models import RoleAssignment
from uppsikt.governance import words
from uppsikt.jobs.models import Job
from uppsikt.organisations.models import Organisation, Unit
from uppsikt.periods.models import ReportingPeriod
from uppsikt.plans.models import Goal, Indicator, Plan

from .a11y import assert_accessible
from .builders import load_minimal, run_queued_jobs
from .mailserver import text_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODE = "1881"
UNITS_CSV = (
    "slug;namn;typ;överordnad;ansvar\n"
    "kf;Kommunfullmäktige;Fullmäktige;;\n"
    "ks;Kommunstyrelsen;Styrelse;kf;Leder och samordnar\n"
    "bun;Barn- och utbildningsnämnden;Nämnd;kf;\n"
)
GOAL = "Kumla är en trygg kommun att växa upp och åldras i."
PERSPECTIVES = ["Medborgare", "Verksamhet", "Medarbetare", "Ekonomi"]
STEPS = ["Helt uppfyllt", "Uppfyllt i hög grad", "Delvis uppfyllt", "Inte uppfyllt"]
# Region Örebro län's default words, which Kumla's PDF must not have.
REGION_WORDS = ["Effektmål", "Invånare och samhälle", "Ej uppfyllt", "Periodrapport"]
INDICATOR = "Andelen invånare som känner sig trygga i sitt bostadsområde ökar."


def check(page) -> None:
    """Every page of the walk: accessible, and in Kumla's words, never the region's."""
    assert_accessible(page)
    assert "Effektmål" not in page.inner_text("body")


def click_and_load(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def sign_in(page, base: str) -> None:
    page.goto(base + "/konto/logga-in/")
    page.get_by_label("Användarnamn").fill("rot")
    page.get_by_label("Lösenord").fill("x-test-pass-1")
    click_and_load(page, page.get_by_role("button", name="Logga in"))
    assert "logga-in" not in page.url


def set_up_kumla(page, base: str) -> Organisation:
    page.goto(base + "/administration/organisationer/")
    assert_accessible(page)
    click_and_load(page, page.get_by_role("link", name="Ny organisation"))
    page.get_by_role("searchbox", name="Sök i registret").fill("Kumla")
    click_and_load(page, page.get_by_role("button", name="Sök", exact=True).last)
    check(page)
    click_and_load(page, page.get_by_role("button", name="Sätt upp Kumla"))
    assert page.url.endswith(f"/administration/organisationer/{CODE}/enheter/")
    check(page)
    kumla = Organisation.objects.get(code=CODE)
    assert not Unit.objects.filter(organisation=kumla).exists()
    return kumla


def build_units(page, kumla: Organisation, tmp_path) -> None:
    click_and_load(page, page.get_by_role("link", name="Läs in enheter från en fil"))
    check(page)
    units = tmp_path / "kumla-enheter.csv"
    units.write_text(UNITS_CSV, encoding="utf-8")
    page.get_by_label("Fil med enheter").set_input_files(str(units))
    click_and_load(page, page.get_by_role("button", name="Läs in"))
    assert page.get_by_text("3 enheter är inlästa.").count() == 1
    check(page)
    page.locator("#enhet_slug").fill("son")
    page.locator("#enhet_name").fill("Socialnämnden")
    page.locator("#enhet_kind").select_option("namnd")
    page.locator("#enhet_parent").select_option(label="Kommunfullmäktige")
    click_and_load(page, page.get_by_role("button", name="Lägg till enheten"))
    assert page.get_by_role("rowheader", name="Socialnämnden").count() == 1
    check(page)
    tree = {u.slug: (u.kind, u.parent.slug if u.parent else None) for u in kumla.units.all()}
    assert tree == {
        "kf": ("fullmaktige", None),
        "ks": ("styrelse", "kf"),
        "bun": ("namnd", "kf"),
        "son": ("namnd", "kf"),
    }


def edit_styrmodell(page, base: str, kumla: Organisation) -> None:
    # The next step is linked from the unit tree's page, where the walk stands.
    click_and_load(page, page.get_by_role("link", name="Styrmodell: målnivåer", exact=False))
    assert page.url.endswith(f"/administration/styrmodell/{CODE}/")
    page.get_by_role("heading", level=1, name="Styrmodell").wait_for()
    assert_accessible(page)  # Kumla has no model yet: the region's default words are shown
    # Level 1: inriktningsmål, for fullmäktige only.
    page.locator("#id_niva-0-key").fill("inriktning")
    page.locator("#id_niva-0-name").fill("Inriktningsmål")
    page.locator("#id_niva-0-plural").fill("Inriktningsmål")
    _tick_only(page, "niva-0-unit_kinds", {"fullmaktige"})
    # Level 2 ("Mål") is dropped; level 3: nämndmål, for nämnder and the styrelse.
    page.locator("#id_niva-1-DELETE").check()
    page.locator("#id_niva-2-name").fill("Nämndmål")
    page.locator("#id_niva-2-plural").fill("Nämndmål")
    _tick_only(page, "niva-2-unit_kinds", {"namnd", "styrelse"})
    # A four-step scale: the three steps renamed and a fourth added.
    for index, (key, label) in enumerate(
        [
            ("helt", "Helt uppfyllt"),
            ("i_hog_grad", "Uppfyllt i hög grad"),
            ("delvis", "Delvis uppfyllt"),
            ("inte", "Inte uppfyllt"),
        ]
    ):
        page.locator(f"#id_steg-{index}-key").fill(key)
        page.locator(f"#id_steg-{index}-label").fill(label)
    page.locator("#id_steg-3-colour").fill("#7f1d1d")
    page.locator("#id_steg-3-symbol").fill("✕")
    # The balanced scorecard: the default's three perspectives renamed, a fourth in a new row.
    for index, name in enumerate(PERSPECTIVES):
        page.locator(f"#id_perspektiv-{index}-name").fill(name)
    _tick_only(page, "uses", {"perspectives", "assignments", "activities"})
    page.get_by_label("Tertialrapporter, delårsrapport och helår").check()
    # Saved at once: no goal has the dropped levels, so there is nothing to confirm.
    click_and_load(page, page.get_by_role("button", name="Spara styrmodellen"))
    assert "Styrmodellen är sparad." in page.inner_text("main")
    check(page)
    model = words.styrmodell_for(kumla.pk)
    assert not model.is_default
    assert [level.name for level in model.levels_for("fullmaktige")] == ["Inriktningsmål"]
    assert [level.name for level in model.levels_for("namnd")] == ["Nämndmål"]
    assert [level.name for level in model.levels_for("styrelse")] == ["Nämndmål"]
    assert [step.label for step in model.steps] == STEPS
    assert [name for name, _description in model.perspectives] == PERSPECTIVES
    assert model.calendar == "tertial"
    assert not model.uses_kind("strategies") and model.uses_kind("assignments")


def _tick_only(page, name: str, values: set[str]) -> None:
    for box in page.locator(f"input[name='{name}']").all():
        box.set_checked(box.get_attribute("value") in values)


def grant_planner(page, base: str) -> None:
    get_user_model().objects.create_user("kumla-planerare", password="x-test-pass-1")
    page.goto(base + "/konto/roller/")
    check(page)
    grant = page.locator("section[aria-labelledby='grant-h']")
    grant.get_by_label("Användarnamn").fill("kumla-planerare")
    bun = Unit.objects.get(organisation__code=CODE, slug="bun")
    grant.get_by_label("Enhet").select_option(str(bun.pk))
    grant.get_by_label("Roll").select_option("planerare")
    click_and_load(page, grant.get_by_role("button", name="Ge rollen"))
    check(page)
    assert RoleAssignment.objects.filter(
        user__username="kumla-planerare", unit=bun, role="planerare"
    ).exists()


def invite_planner(page, base: str, browser, mail_server) -> None:
    """A planerare of socialnämnden invited by e-mail accepts in a browser of their own."""
    son = Unit.objects.get(organisation__code=CODE, slug="son")
    page.get_by_label("E-postadress").fill("planerare@kumla.example")
    page.locator("#id_invite-unit").select_option(str(son.pk))
    page.locator("#id_invite-role").select_option("planerare")
    click_and_load(page, page.get_by_role("button", name="Skicka inbjudan"))
    assert page.get_by_text("Återkalla inbjudan till planerare@kumla.example").count() == 1
    check(page)
    (message,) = mail_server.to("planerare@kumla.example")
    link = re.search(r"(http://\S+/konto/inbjudan/\S+/)", text_of(message))
    assert link
    context = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
    try:
        invited = context.new_page()
        invited.set_default_timeout(60_000)
        invited.goto(link.group(1))
        assert invited.get_by_text("Socialnämnden").count() >= 1
        check(invited)
        invited.get_by_label("Användarnamn").fill("son-planerare")
        invited.locator("input[name='password1']").fill("Lingon-och-blabar-2026")
        invited.locator("input[name='password2']").fill("Lingon-och-blabar-2026")
        click_and_load(
            invited, invited.get_by_role("button", name="Skapa kontot och ta emot rollen")
        )
        assert invited.url.endswith("/konto/")
    finally:
        context.close()
    assert RoleAssignment.objects.filter(
        user__username="son-planerare", unit=son, role="planerare"
    ).exists()


def write_and_decide_plan(page, base: str, year: int) -> Plan:
    kf = Unit.objects.get(organisation__code=CODE, slug="kf")
    page.goto(base + kf.get_absolute_url())
    check(page)
    click_and_load(page, page.get_by_role("link", name="Ny plan"))
    check(page)
    page.get_by_role("spinbutton", name="År").fill(str(year))
    click_and_load(page, page.get_by_role("button", name="Byt enhet eller år"))
    heading = f"Hur planen för Kommunfullmäktige {year} börjar"
    assert page.get_by_role("heading", name=heading).count() == 1
    page.get_by_role("radio", name="Tom plan", exact=False).check()
    click_and_load(page, page.get_by_role("button", name="Skapa planen"))
    plan = Plan.objects.get(unit=kf, year=year)
    assert plan.status == Plan.Status.UTKAST
    assert page.url.endswith(f"/planer/{plan.pk}/")
    check(page)

    click_and_load(page, page.get_by_role("link", name="Redigera utkastet"))
    assert page.url.endswith(f"/planer/{plan.pk}/redigera/")
    check(page)
    # The plan starts with Kumla's perspectives; strategier are not offered.
    assert list(plan.perspectives.values_list("name", flat=True)) == PERSPECTIVES
    add = page.locator("#lagg-till-i-planen")
    assert add.get_by_role("link", name="Lägg till strategi").count() == 0
    citizens = page.locator(f"#perspective-{plan.perspectives.get(name='Medborgare').pk}")
    citizens.locator(":scope > details.ed-add > summary").click()
    click_and_load(page, citizens.get_by_role("link", name="Lägg till mål i Medborgare"))
    check(page)
    level = page.locator("select[name='kind']")  # the goal's level: Kumla's one for fullmäktige
    options = [option.strip() for option in level.locator("option").all_inner_texts()]
    assert options == ["Inriktningsmål"]
    page.locator("[name='text']").fill(GOAL)
    click_and_load(page, page.get_by_role("button", name="Lägg till", exact=True))
    goal = Goal.objects.get(plan=plan, text=GOAL)
    assert goal.kind == "inriktning" and goal.perspective.name == "Medborgare"
    assert "Inriktningsmål" in page.inner_text("main")
    check(page)

    click_and_load(
        page, page.locator(f"#goal-{goal.pk}").get_by_role("link", name="Lägg till indikator")
    )
    check(page)
    page.get_by_label("Indikator").fill(INDICATOR)
    click_and_load(page, page.get_by_role("button", name="Lägg till", exact=True))
    assert Indicator.objects.get(goal=goal).text == INDICATOR
    check(page)

    page.goto(f"{base}/planer/{plan.pk}/besluta/")
    check(page)
    page.get_by_label("Beslutat av").select_option(str(kf.pk))
    page.get_by_label("Beslutsdatum").fill(f"{year}-01-30")
    click_and_load(page, page.get_by_role("button", name="Registrera beslutet"))
    plan.refresh_from_db()
    assert plan.status == Plan.Status.BESLUTAD
    assert (plan.decided_by, plan.decided_on) == (kf, datetime.date(year, 1, 30))
    assert "Inriktningsmål" in page.inner_text("main")
    check(page)
    return plan


def create_periods(page, base: str, kumla: Organisation, year: int) -> ReportingPeriod:
    # Kumla has no periods yet: Uppföljning shows its administrator where to create them.
    click_and_load(page, page.get_by_role("link", name="Uppföljning", exact=True).first)
    check(page)
    click_and_load(page, page.get_by_role("link", name="Skapa uppföljningstillfällen för Kumla"))
    assert page.url.endswith(f"/uppfoljning/{CODE}/")
    check(page)
    page.get_by_label("Standardtillfällen för året").fill(str(year))
    click_and_load(page, page.get_by_role("button", name="Skapa standardtillfällen"))
    check(page)
    period = ReportingPeriod.objects.get(organisation=kumla, year=year, kind="delarsrapport")
    assert period.status == ReportingPeriod.Status.OPEN
    assert period.ends_on == datetime.date(year, 8, 31)  # the second tertial
    kinds = ReportingPeriod.objects.filter(organisation=kumla, year=year)
    assert not kinds.filter(kind="periodrapport").exists()
    assert kinds.get(kind="tertialrapport").ends_on == datetime.date(year, 4, 30)
    return period


def make_report(page, base: str, period: ReportingPeriod) -> bytes:
    # From the periods' list: the delårsrapport's overview, then kommunfullmäktige's report.
    click_and_load(page, page.get_by_role("main").get_by_role("link", name=period.name).first)
    check(page)
    click_and_load(page, page.get_by_role("link", name="Visa rapporten för Kommunfullmäktige"))
    assert page.url.endswith(f"/rapporter/{CODE}/{period.slug}/kf/")
    check(page)
    assert "Inriktningsmål" in page.inner_text("main")
    assert GOAL in page.inner_text("main")
    click_and_load(page, page.get_by_role("button", name="Skapa PDF"))
    assert "/jobb/" in page.url
    check(page)
    run_queued_jobs()
    link = page.get_by_role("link", name=f"Ladda ned {period.slug}-kf.pdf")
    link.wait_for()  # the page polls and reloads when the job is done
    assert Job.objects.get().status == Job.Status.DONE
    with page.expect_download() as download:
        link.click()
    with open(download.value.path(), "rb") as handle:
        pdf = handle.read()
    assert pdf.startswith(b"%PDF-")
    check(page)
    return pdf


def check_pdf_words(pdf: bytes) -> None:
    """The delårsrapport's text: Kumla's level, scale and perspective names, none of the
    region's default words."""
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(pdf)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    for word in ["Inriktningsmål", GOAL, *STEPS, *PERSPECTIVES]:
        assert word in text, word
    for word in REGION_WORDS:
        assert word not in text, word


def test_kumla_is_onboarded_to_a_decided_plan_and_a_report(
    live_server, page, browser, tmp_path, mail_server, settings
):
    settings.SITE_URL = live_server.url  # the invitation's link
    page.set_default_timeout(60_000)  # the machine may be busy
    load_minimal()
    Organisation.objects.create(code=CODE, name="Kumla", kind="kommun")  # a bare row
    get_user_model().objects.create_superuser("rot", password="x-test-pass-1")
    year = timezone.localdate().year  # as the pages count it
    base = live_server.url

    sign_in(page, base)
    kumla = set_up_kumla(page, base)
    build_units(page, kumla, tmp_path)
    edit_styrmodell(page, base, kumla)
    grant_planner(page, base)
    invite_planner(page, base, browser, mail_server)
    write_and_decide_plan(page, base, year)
    period = create_periods(page, base, kumla, year)
    check_pdf_words(make_report(page, base, period))
