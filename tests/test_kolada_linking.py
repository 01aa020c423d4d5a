"""Linking a Kolada KPI to an indicator definition (issue 16): the actions' rules and
refusals (nothing changed, nothing recorded), and the catalogue's and KPI's pages."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from uppsikt.audit.models import AuditEvent
from uppsikt.indicators.models import IndicatorDefinition, Measurement
from uppsikt.kolada.linking import create_definition_from_kpi, link_kpi, unlink_kpi
from uppsikt.kolada.models import KoladaKpi

pytestmark = pytest.mark.django_db

FIELDS = ("source_kind", "source_code", "by_gender", "name", "unit", "polarity")


def kolada_row(code: str = "N79179", title: str = "Invånare som är nöjda med vården", **more):
    values = {
        "description": "Andel invånare i Örebro län som är nöjda.",
        "operating_area": "Hälso- och sjukvård",
        "divided_by_gender": True,
        "municipality_type": "L",
        "fetched_at": timezone.make_aware(datetime.datetime(2026, 12, 1, 8, 30)),
    }
    return KoladaKpi.objects.create(code=code, title=title, **{**values, **more})


def free_definition(key: str = "fri", **more) -> IndicatorDefinition:
    """A definition no plan uses: any planner may change it."""
    return IndicatorDefinition.objects.create(
        key=key, name=more.pop("name", f"Definition {key}"), unit="procent", **more
    )


def state(definition: IndicatorDefinition) -> tuple:
    stored = IndicatorDefinition.objects.get(pk=definition.pk)
    return tuple(getattr(stored, name) for name in FIELDS), AuditEvent.objects.count()


def refused(call, code: str, field: str) -> str:
    with pytest.raises(ValidationError) as caught:
        call()
    found = caught.value.error_dict[field]
    assert [error.code for error in found] == [code]
    return " ".join(message for error in found for message in error)


@pytest.fixture
def linking_world(two_regions_with_roles):
    return two_regions_with_roles


def test_a_plain_definition_is_linked_audited_and_follows_the_kpi(linking_world):
    kpi, definition = kolada_row(), free_definition()
    planner = linking_world.user("planerare_ute")  # plan somewhere: the definition is unused
    link_kpi(kpi, definition, actor=planner)
    definition.refresh_from_db()
    assert (definition.source_kind, definition.source_code) == ("kolada", "N79179")
    assert definition.by_gender is True
    event = AuditEvent.objects.latest("sequence")
    assert event.action == "indicator_definition.update"
    assert "N79179" in event.reason
    assert event.after["source_code"] == "N79179"
    before = state(definition)
    link_kpi(kpi, definition, actor=planner)  # again: nothing to change, nothing recorded
    assert state(definition) == before


def test_a_definition_with_values_is_linked_only_when_confirmed(linking_world):
    kpi, definition = kolada_row(), linking_world.definition  # two measurements
    planner = linking_world.user("planerare_inne")
    before = state(definition)
    message = refused(lambda: link_kpi(kpi, definition, actor=planner), "confirm", "confirm")
    assert message.startswith("Bekräftelse: Definitionen har 2 mätvärden.")
    assert state(definition) == before
    link_kpi(kpi, definition, actor=planner, confirmed=True)
    assert state(definition)[0][:2] == ("kolada", "N79179")
    assert Measurement.objects.filter(definition=definition).count() == 2  # values stay


def test_another_source_needs_confirmation_and_another_series_is_refused(linking_world):
    kpi, planner = kolada_row(), linking_world.user("planerare_inne")
    survey = free_definition("hsb", source_kind="hsb")
    before = state(survey)
    message = refused(lambda: link_kpi(kpi, survey, actor=planner), "confirm", "confirm")
    assert "Källan ändras från Hälso- och sjukvårdsbarometern till Kolada N79179." in message
    assert state(survey) == before
    other = free_definition("annan", source_kind="kolada", source_code="U01401")
    Measurement.objects.create(
        definition=other, organisation=linking_world.org, period="2023", value=Decimal("12")
    )
    before = state(other)
    for confirmed in (False, True):  # no confirmation mixes two series
        message = refused(
            lambda c=confirmed: link_kpi(kpi, other, actor=planner, confirmed=c),
            "other_series",
            "definition",
        )
        assert message.startswith("Definition: ”Definition annan” har mätvärden från Kolada U01401")
    assert state(other) == before


def test_a_kpi_feeds_one_definition(linking_world):
    kpi, planner = kolada_row(), linking_world.user("planerare_inne")
    first, second = free_definition("forsta"), free_definition("andra")
    link_kpi(kpi, first, actor=planner)
    before, count = state(second), IndicatorDefinition.objects.count()
    message = refused(lambda: link_kpi(kpi, second, actor=planner), "already_linked", "definition")
    assert "redan kopplad till definitionen ”Definition forsta”" in message
    refused(
        lambda: create_definition_from_kpi(kpi, actor=planner, unit="procent", polarity="neutral"),
        "already_linked",
        "__all__",
    )
    assert state(second) == before
    assert IndicatorDefinition.objects.count() == count


@pytest.mark.parametrize("caller", ["planerare_ute", "lasare_inne", "rapportor_inne", "allmanhet"])
def test_only_those_who_may_change_the_definition_link_it(linking_world, caller):
    kpi, definition = kolada_row(), linking_world.definition
    before = state(definition)
    for act in (
        lambda: link_kpi(kpi, definition, actor=linking_world.user(caller), confirmed=True),
        lambda: unlink_kpi(kpi, definition, actor=linking_world.user(caller)),
    ):
        with pytest.raises(PermissionDenied):
            act()
    assert state(definition) == before


def test_unlinking_keeps_the_source_kind_and_the_values(linking_world):
    kpi, planner = kolada_row(), linking_world.user("planerare_inne")
    definition = linking_world.definition
    link_kpi(kpi, definition, actor=planner, confirmed=True)
    unlink_kpi(kpi, definition, actor=planner)
    definition.refresh_from_db()
    assert (definition.source_kind, definition.source_code) == ("kolada", "")
    event = AuditEvent.objects.latest("sequence")
    assert event.action == "indicator_definition.update"
    assert event.reason == "Kopplingen till Kolada-KPI N79179 togs bort."
    assert Measurement.objects.filter(definition=definition).count() == 2
    before = state(definition)
    message = refused(
        lambda: unlink_kpi(kpi, definition, actor=planner), "not_linked", "definition"
    )
    assert message == f"Definition: ”{definition.name}” är inte kopplad till N79179."
    assert state(definition) == before


def test_a_new_definition_from_the_kpi(linking_world):
    kpi = kolada_row(title="Väntetid i dagar, Örebro  län")
    planner = linking_world.user("planerare_ute")
    made = create_definition_from_kpi(kpi, actor=planner, unit="dagar", polarity="lower_better")
    assert (made.name, made.key, made.unit, made.polarity) == (
        "Väntetid i dagar, Örebro län",
        "vantetid-i-dagar-orebro-lan",
        "dagar",
        "lower_better",
    )
    assert (made.source_kind, made.source_code, made.by_gender) == ("kolada", "N79179", True)
    assert made.description == kpi.description
    event = AuditEvent.objects.latest("sequence")
    assert (event.action, event.reason) == (
        "indicator_definition.create",
        "Ny definition från Kolada-KPI N79179.",
    )


def test_a_new_definition_is_refused_by_field(linking_world):
    kpi = kolada_row()
    count, events = IndicatorDefinition.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        create_definition_from_kpi(
            kpi, actor=linking_world.user("planerare_inne"), unit="", polarity=""
        )
    assert caught.value.message_dict == {
        "unit": ["Enhet: Välj en av enheterna i listan."],
        "polarity": ["Riktning: Detta fält får inte vara tomt."],
    }
    with pytest.raises(PermissionDenied):
        create_definition_from_kpi(
            kpi, actor=linking_world.user("lasare_inne"), unit="procent", polarity="neutral"
        )
    assert (IndicatorDefinition.objects.count(), AuditEvent.objects.count()) == (count, events)


# -- the pages ----------------------------------------------------------------------------------


def test_an_empty_catalogue_says_how_it_is_filled(client, db):
    page = client.get(reverse("kolada:catalogue")).content.decode()
    assert "Katalogen är tom" in page
    assert "uppsikt kolada_catalogue" in page


def test_the_catalogue_searches_and_pages_by_query_parameters(client, db):
    kolada_row()
    for number in range(30):
        kolada_row(code=f"U{number:05}", title=f"Öppettider nummer {number}", municipality_type="K")
    page = client.get(reverse("kolada:catalogue")).content.decode()
    assert "31 KPI:er" in page
    assert "Katalogen lästes senast från Kolada 1 december 2026, 08:30." in page
    assert "sida=2" in page
    page = client.get(reverse("kolada:catalogue"), {"q": "ÖPPETTIDER 27"}).content.decode()
    assert "1 KPI matchar sökningen" in page and "Öppettider nummer 27<" in page
    page = client.get(reverse("kolada:catalogue"), {"galler": "L", "per_kon": "ja"}).content
    assert "1 KPI matchar sökningen" in page.decode() and "N79179" in page.decode()
    page = client.get(reverse("kolada:catalogue"), {"omrade": "Saknas"}).content.decode()
    assert "Verksamhetsområde: Välj ett av alternativen i listan." in page
    assert "31 KPI:er" in page  # the rest of the search still applies
    second = client.get(reverse("kolada:catalogue"), {"galler": "K", "sida": "2"}).content
    assert "galler=K&amp;sida=1" in second.decode()


def test_linking_in_the_browser_forms(client, linking_world):
    kpi, definition = kolada_row(), linking_world.definition
    client.force_login(linking_world.user("planerare_inne"))
    url = reverse("kolada:kpi", args=[kpi.code])
    page = client.get(url).content.decode()
    assert "Ingen indikatordefinition är kopplad till KPI:n." in page
    assert f'<option value="{definition.pk}">Andel nöjda invånare (Manuell inrapportering)' in page
    answer = client.post(reverse("kolada:link", args=[kpi.code]), {"definition": definition.pk})
    assert answer.status_code == 200
    assert "Bekräftelse: Definitionen har 2 mätvärden." in answer.content.decode()
    answer = client.post(
        reverse("kolada:link", args=[kpi.code]), {"definition": definition.pk, "confirm": "on"}
    )
    assert answer.status_code == 302
    page = client.get(url).content.decode()
    assert "är kopplad till Andel nöjda invånare." in page
    assert "Ta bort kopplingen" in page
    shown = client.get(definition.get_absolute_url()).content.decode()
    assert f'<a href="{url}">N79179 Invånare som är nöjda med vården</a>' in shown
    answer = client.post(reverse("kolada:unlink", args=[kpi.code]), {"definition": definition.pk})
    assert answer.status_code == 302
    assert "Kolada:" not in client.get(definition.get_absolute_url()).content.decode()


def test_create_from_the_kpi_page_names_the_fields(client, linking_world):
    kpi = kolada_row()
    client.force_login(linking_world.user("planerare_inne"))
    answer = client.post(reverse("kolada:create_definition", args=[kpi.code]), {"unit": "x"})
    page = answer.content.decode()
    assert answer.status_code == 200
    assert "Enhet: Välj ett av alternativen i listan." in page
    answer = client.post(
        reverse("kolada:create_definition", args=[kpi.code]),
        {"unit": "procent", "polarity": "higher_better"},
    )
    made = IndicatorDefinition.objects.get(source_code="N79179")
    assert answer.status_code == 302 and answer["Location"] == made.get_absolute_url()


def test_the_list_links_the_catalogue_for_those_who_may_link(client, linking_world):
    assert "Koladas katalog" not in client.get(reverse("indicators:list")).content.decode()
    client.force_login(linking_world.user("lasare_inne"))
    assert "Koladas katalog" not in client.get(reverse("indicators:list")).content.decode()
    client.force_login(linking_world.user("planerare_ute"))
    assert "Koladas katalog" in client.get(reverse("indicators:list")).content.decode()


def test_a_definition_linked_to_a_kpi_not_in_the_catalogue(client, db):
    definition = free_definition("saknas", source_kind="kolada", source_code="N00001")
    page = client.get(definition.get_absolute_url()).content.decode()
    assert "N00001 <span" in page and "finns inte i katalogen" in page
