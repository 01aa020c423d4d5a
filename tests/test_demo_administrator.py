"""The demo's Administratör administers the region's reporting periods (issue 6.1: reopening
is an admin action), not only the superuser."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from uppsikt.accounts.access import Perm
from uppsikt.organisations.models import Organisation
from uppsikt.periods.actions import create_default_periods
from uppsikt.periods.models import ReportingPeriod
from uppsikt.periods.rules import can_on_organisation

from .builders import load_demo

pytestmark = pytest.mark.django_db


def test_the_demo_administrator_closes_and_reopens_periods(client):
    load_demo()
    call_command("demo_users", stdout=io.StringIO())
    users = get_user_model().objects
    organisation = Organisation.objects.get(code="0018")
    create_default_periods(organisation, 2023, actor=users.get(username="admin"))
    administrator = users.get(username="administrator")
    assert can_on_organisation(administrator, Perm.ADMIN, organisation.pk)
    for other in ("planerare", "granskare", "lasare", "rapportor"):
        assert not can_on_organisation(users.get(username=other), Perm.ADMIN, organisation.pk)
    period = ReportingPeriod.objects.get(organisation=organisation, slug="2023-delarsrapport")
    client.force_login(administrator)
    close = reverse("followup:period_change", args=["0018", period.slug, "stang"])
    assert (
        f'action="{close}"'
        in client.get(reverse("followup:periods", args=["0018"])).content.decode()
    )
    client.post(close, {})
    period.refresh_from_db()
    assert not period.is_open
    client.post(
        reverse("followup:period_change", args=["0018", period.slug, "oppna"]),
        {"reason": "Rättelse av ett utfall."},
    )
    period.refresh_from_db()
    assert period.is_open
