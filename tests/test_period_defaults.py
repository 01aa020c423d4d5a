"""An organisation's periods for a year: defaults, one-off periods, slugs, deleting."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uppsikt.audit.models import AuditEvent
from uppsikt.followup.actions.entries import save_followup
from uppsikt.organisations.models import Organisation
from uppsikt.periods.actions import create_default_periods, create_period, delete_period
from uppsikt.periods.defaults import default_periods
from uppsikt.periods.models import ReportingPeriod

from .builders import load_minimal, user_with_role
from .followup_setup import small_setting

pytestmark = pytest.mark.django_db


def test_the_default_year_has_seven_periodrapporter_a_delarsrapport_and_the_year_end():
    names = [spec.name for spec in default_periods(2023)]
    assert names == [
        "Periodrapport februari 2023",
        "Periodrapport mars 2023",
        "Periodrapport april 2023",
        "Periodrapport maj 2023",
        "Delårsrapport 2023",
        "Periodrapport september 2023",
        "Periodrapport oktober 2023",
        "Periodrapport november 2023",
        "Verksamhetsberättelse 2023",
        "Årsredovisning 2023",
    ]
    delar = next(s for s in default_periods(2023) if s.kind == "delarsrapport")
    assert delar.ends_on == datetime.date(2023, 7, 31)
    assert next(s for s in default_periods(2024, (2,)) if s.kind == "periodrapport").ends_on == (
        datetime.date(2024, 2, 29)
    )


def test_creating_the_defaults_twice_adds_nothing_and_is_audited_once():
    load_minimal()
    organisation = Organisation.objects.get(code="0099")
    admin = user_with_role("admin", "administrator")
    created = create_default_periods(organisation, 2023, actor=admin)
    assert len(created) == 10
    assert {p.slug for p in created} >= {
        "2023-delarsrapport",
        "2023-periodrapport-03",
        "2023-verksamhetsberattelse",
        "2023-arsredovisning",
    }
    assert create_default_periods(organisation, 2023, actor=admin) == []
    assert AuditEvent.objects.filter(action="period.create_defaults").count() == 1


def test_only_the_organisations_administrator_creates_periods_and_bad_input_is_named():
    load_minimal()
    organisation = Organisation.objects.get(code="0099")
    with pytest.raises(PermissionDenied):
        create_default_periods(organisation, 2023, actor=user_with_role("p", "planerare"))
    admin = user_with_role("admin", "administrator")
    with pytest.raises(ValidationError) as error:
        create_default_periods(organisation, 1899, actor=admin)
    assert "year" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        create_period(organisation, actor=admin, kind="kvartal", ends_on=datetime.date(2023, 3, 31))
    assert "kind" in error.value.message_dict
    create_period(
        organisation, actor=admin, kind="delarsrapport", ends_on=datetime.date(2023, 4, 30)
    )
    with pytest.raises(ValidationError) as error:
        create_period(
            organisation, actor=admin, kind="delarsrapport", ends_on=datetime.date(2023, 4, 30)
        )
    assert "ends_on" in error.value.message_dict
    assert ReportingPeriod.objects.count() == 1


def test_a_second_delarsrapport_gets_its_month_in_the_slug():
    load_minimal()
    organisation = Organisation.objects.get(code="0099")
    admin = user_with_role("admin", "administrator")
    first = create_period(
        organisation, actor=admin, kind="delarsrapport", ends_on=datetime.date(2023, 4, 30)
    )
    second = create_period(
        organisation, actor=admin, kind="delarsrapport", ends_on=datetime.date(2023, 8, 31)
    )
    assert (first.slug, second.slug) == ("2023-delarsrapport", "2023-delarsrapport-08")
    assert second.name == "Delårsrapport 2023"


def test_a_period_with_entries_cannot_be_deleted():
    setting = small_setting()
    admin = user_with_role("admin", "administrator")
    save_followup(setting.activity, setting.period, actor=admin, status="pagar")
    with pytest.raises(ValidationError, match="Stäng det i stället"):
        delete_period(setting.period, actor=admin)
    other = create_period(
        setting.period.organisation,
        actor=admin,
        kind="periodrapport",
        ends_on=datetime.date(2023, 3, 31),
    )
    delete_period(other, actor=admin)
    assert list(ReportingPeriod.objects.values_list("slug", flat=True)) == ["2023-delarsrapport"]


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(ReportingPeriod.Kind.values),
            st.dates(datetime.date(2022, 1, 1), datetime.date(2024, 12, 31)),
        ),
        max_size=12,
        unique=True,
    )
)
def test_every_period_of_an_organisation_gets_its_own_slug(periods):
    from django.db import transaction

    with transaction.atomic():
        load_minimal()
        organisation = Organisation.objects.get(code="0099")
        for kind, ends_on in periods:
            ReportingPeriod.objects.create(
                organisation=organisation, year=ends_on.year, kind=kind, name="x", ends_on=ends_on
            )
        slugs = list(ReportingPeriod.objects.values_list("slug", flat=True))
        assert len(slugs) == len(set(slugs)) == len(periods)
        assert all(
            slug.startswith(str(year))
            for slug, year in ReportingPeriod.objects.values_list("slug", "year")
        )
        transaction.set_rollback(True)
