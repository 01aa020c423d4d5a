"""`uppsikt demo_kommun`: the demo's example kommun, Kumla, set up beside Region Örebro län
through the onboarding actions, in its own terms, without changing the region's pages."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from uppsikt.accounts.access import Perm, can
from uppsikt.accounts.models import RoleAssignment
from uppsikt.administration import demo_kommun_content as content
from uppsikt.audit.models import AuditEvent
from uppsikt.governance import words
from uppsikt.indicators.models import IndicatorTarget
from uppsikt.lib.contrast import MIN_TEXT_RATIO, contrast_ratio
from uppsikt.organisations.models import Organisation, OrganisationLogo, Unit
from uppsikt.periods.models import ReportingPeriod
from uppsikt.plans.models import Goal, Plan

from .builders import RS_TITLE, load_demo

pytestmark = pytest.mark.django_db


def demo_kommun() -> str:
    out = io.StringIO()
    call_command("demo_kommun", stdout=out)
    return out.getvalue()


@pytest.fixture
def kumla_demo():
    load_demo()
    call_command("demo_users", stdout=io.StringIO())


def _counts() -> dict[str, int]:
    return {
        "events": AuditEvent.objects.count(),
        "units": Unit.objects.count(),
        "plans": Plan.objects.count(),
        "goals": Goal.objects.count(),
        "targets": IndicatorTarget.objects.count(),
        "periods": ReportingPeriod.objects.count(),
        "roles": RoleAssignment.objects.count(),
        "users": get_user_model().objects.count(),
        "logos": OrganisationLogo.objects.count(),
    }


def test_the_kommun_is_set_up_in_its_own_terms_and_a_second_run_changes_nothing(
    kumla_demo,
):
    assert "Beslutad plan" in demo_kommun()
    kumla = Organisation.objects.get(code=content.CODE)

    model = words.styrmodell_for(kumla.pk)
    assert not model.is_default and model.name.startswith("Exempel")
    assert [level.name for level in model.levels] == [
        "Inriktningsmål",
        "Nämndmål",
        "Verksamhetsmål",
    ]
    assert [step.label for step in model.steps] == [
        "Uppfyllt",
        "Till stor del uppfyllt",
        "Delvis uppfyllt",
        "Ej uppfyllt",
    ]
    assert [step.symbol for step in model.steps] == ["●", "◕", "◑", "○"]
    assert [step.counts_as_met for step in model.steps] == [True, True, False, False]
    assert all(contrast_ratio(step.colour, "#ffffff") >= MIN_TEXT_RATIO for step in model.steps)
    assert [name for name, _ in model.perspectives] == [
        "Medborgare",
        "Verksamhet",
        "Medarbetare",
        "Ekonomi",
    ]
    assert model.calendar == "tertial"

    council = Plan.objects.get(unit__organisation=kumla, unit__slug="kommunfullmaktige")
    namnd = Plan.objects.get(unit__organisation=kumla, unit__slug="barn-och-utbildningsnamnden")
    for plan in (council, namnd):
        assert plan.status == Plan.Status.BESLUTAD and plan.is_example
        assert plan.note.startswith("Exempel:")
        assert plan.decided_by == plan.unit
    assert council.perspectives.count() == 4
    assert council.goals.count() == len(content.COUNCIL_GOALS)
    assert IndicatorTarget.objects.filter(indicator__goal__plan=council).count() == len(
        content.COUNCIL_GOALS
    )
    assert all(unit.responsibility.startswith("Exempel") for unit in kumla.units.all())
    broken_down = namnd.goals.get()
    assert broken_down.contributes_to.get().text == content.BROKEN_DOWN
    assert set(council.goals.values_list("kind", flat=True)) == {"inriktningsmal"}
    assert broken_down.kind == "namndmal"

    periods = ReportingPeriod.objects.filter(organisation=kumla, year=content.YEAR)
    assert periods.get(kind="delarsrapport").is_open
    admin = get_user_model().objects.get(username="kumla-admin")
    assert admin.email == "kumla-admin@demo.uppsikt.invalid"
    assert admin.check_password("uppsikt-demo-kumla-admin")
    assert RoleAssignment.objects.get(user=admin).unit.slug == "kommunfullmaktige"
    region = Unit.objects.get(organisation__code="0018", slug="regionstyrelsen")
    assert not can(admin, Perm.VIEW, region) and can(admin, Perm.ADMIN, council.unit)
    planner = RoleAssignment.objects.get(user__username="kumla-planerare")
    assert (planner.role, planner.unit.slug) == ("planerare", "barn-och-utbildningsnamnden")

    # Kumla's profile: the invented colour and logo, set by its administrator; the region none.
    assert (kumla.colour, kumla.logo_version) == (content.BRAND_COLOUR, 1)
    assert bytes(OrganisationLogo.objects.get(organisation=kumla).data) == content.logo()
    branding = AuditEvent.objects.get(action="organisation.branding")
    assert branding.actor == admin and branding.after["colour"] == content.BRAND_COLOUR
    orebro = Organisation.objects.get(code="0018")
    assert (orebro.colour, orebro.logo_version) == ("", 0)
    assert OrganisationLogo.objects.count() == 1

    before = _counts()
    assert "inget ändrades" in demo_kommun()
    assert _counts() == before
    kumla.refresh_from_db()
    assert kumla.logo_version == 1


def _without_token(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_the_region_is_unchanged_and_the_kommun_has_its_pages_and_a_pdf_report(client, kumla_demo):
    from pypdf import PdfReader

    from uppsikt.reports.build import build_document, render

    region_plan = Plan.objects.get(title=RS_TITLE).get_absolute_url()
    region_before = _without_token(client.get(region_plan).content.decode())
    demo_kommun()
    region_after = _without_token(client.get(region_plan).content.decode())
    assert region_after == region_before
    assert "Effektmål" in region_after
    region = words.styrmodell_for(Organisation.objects.get(code="0018").pk)
    assert region.goal_kind_label("effektmal") == "Effektmål"
    assert region.status_label("uppfyllt") == "Uppfyllt"

    kumla = Organisation.objects.get(code=content.CODE)
    council = Plan.objects.get(unit__organisation=kumla, unit__slug="kommunfullmaktige")
    page = client.get(council.get_absolute_url()).content.decode()
    assert "Mål och budget 2023" in page and "Exempel" in page
    assert "Medarbetare" in page and content.COUNCIL_GOALS[0].text in page
    assert "Inriktningsmål" in page and "Effektmål" not in page
    assert f"/organisationer/{content.CODE}/logotyp?v=1" in page  # the brand shows
    assert "/logotyp" not in region_after

    period = ReportingPeriod.objects.get(organisation=kumla, slug="2023-delarsrapport")
    unit = Unit.objects.get(organisation=kumla, slug="barn-och-utbildningsnamnden")
    admin = get_user_model().objects.get(username="kumla-admin")
    pdf = render(build_document(unit, period, user=admin), "pdf", organisation=kumla)
    assert pdf.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Barn- och utbildningsnämnden" in " ".join(text.split())
    assert content.NAMND_GOAL.text in " ".join(text.split())


def test_without_the_demo_users_it_is_refused_and_nothing_changes():
    load_demo()
    before = _counts()
    with pytest.raises(CommandError, match="demo_users"):
        demo_kommun()
    assert _counts() == before
