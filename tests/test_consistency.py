"""One way of saying things across the UI: long Swedish dates, people by their full name,
the same button words."""

import datetime

import pytest
from django.urls import reverse

from uppsikt.accounts.models import RoleAssignment
from uppsikt.followup.models import FollowUp

from .builders import ROOT, user_with_role
from .followup_setup import complete, small_setting
from .test_pages import text_of

pytestmark = pytest.mark.django_db
TEMPLATES = sorted((ROOT / "uppsikt").glob("**/templates/**/*.html"))


def named(username: str, role: str, unit=None, first="Anna", last="Berg"):
    user = user_with_role(username, role, unit)
    user.first_name, user.last_name = first, last
    user.save()
    return user


def test_no_template_shows_numeric_dates_or_bare_user_names():
    assert len(TEMPLATES) > 50
    for template in TEMPLATES:
        text = template.read_text(encoding="utf-8")
        assert '|date:"Y-m-d' not in text, template
        for attribute in ("by.username", "by.get_username", "responsible.username"):
            assert attribute not in text, (template, attribute)


def test_the_header_and_the_roles_page_name_people_and_dates_in_words(client):
    setting = small_setting()
    admin = named("chef", "administrator", setting.unit)
    reader = named("lasaren", "lasare", setting.unit, first="Bo", last="Ek")
    RoleAssignment.objects.filter(user=reader).update(
        granted_by=admin,
        granted_at=datetime.datetime(2023, 8, 31, 10, tzinfo=datetime.UTC),
    )
    client.force_login(admin)
    page = text_of(client.get(reverse("accounts:roles")))
    assert "Logga ut Anna Berg" in page
    assert "31 augusti 2023 av Anna Berg" in page
    assert "Ta bort rollen läsare för Bo Ek" in page


def test_the_follow_up_page_names_the_writer_and_says_skicka_for_granskning(client):
    setting = small_setting()
    writer = named("skrivaren", "planerare", setting.unit, first="Cecilia", last="Dahl")
    complete(setting, actor=writer)
    FollowUp.objects.update(written_at=datetime.datetime(2023, 8, 31, 9, tzinfo=datetime.UTC))
    client.force_login(writer)
    url = reverse("followup:unit", args=["0099", setting.period.slug, "styrelsen"])
    page = text_of(client.get(url))
    assert "Senast skriven 31 augusti 2023 av Cecilia Dahl" in page
    assert "Skicka för granskning" in page
    assert "Lämna in rapporten" not in page


def test_a_duplicate_period_is_refused_with_the_date_in_words():
    from django.core.exceptions import ValidationError

    from uppsikt.periods.actions import create_period

    setting = small_setting()
    with pytest.raises(ValidationError) as error:
        create_period(
            setting.unit.organisation,
            kind="delarsrapport",
            ends_on=datetime.date(2023, 7, 31),
            actor=user_with_role("rot2", "administrator"),
        )
    assert "31 juli 2023" in str(error.value)
