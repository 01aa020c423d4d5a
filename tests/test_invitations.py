"""Invitations by e-mail to a role on a unit: sent through the real loopback SMTP server,
accepted by a new or an existing account, refused whole when they should be."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from uppsikt.accounts import invitations
from uppsikt.accounts.actions import grant_role
from uppsikt.accounts.models import Invitation, RoleAssignment
from uppsikt.audit.models import AuditEvent

from .mailserver import free_port, text_of
from .world import build_world

pytestmark = pytest.mark.django_db

PASSWORD = "x-test-pass-1"
NEW_PASSWORD = "Lingon-och-blabar-2026"


@pytest.fixture
def invite_world(settings):
    settings.SITE_URL = "https://uppsikt.example.se"
    return build_world()


def link_in(message) -> str:
    found = re.search(r"https://uppsikt\.example\.se(/konto/inbjudan/[^/\s]+/)", text_of(message))
    assert found, text_of(message)
    return found.group(1)


def codes(error: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}


def test_an_invitation_is_mailed_with_an_absolute_link_and_only_its_hash_stored(
    invite_world, mail_server
):
    admin = invite_world.user("administrator_inne")
    invitation, link = invitations.invite(
        actor=admin, email="Ny.Person@Kommun.SE", unit=invite_world.unit, role="rapportor"
    )
    (message,) = mail_server.to("Ny.Person@kommun.se")
    text = text_of(message)
    assert invite_world.org.name in message["Subject"]
    assert invite_world.unit.name in text and "Rapportör" in text
    path = link_in(message)
    assert link == "https://uppsikt.example.se" + path
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert len(token) >= 40
    stored = Invitation.objects.get()
    assert stored.email == "Ny.Person@kommun.se"  # the domain lowered, the local part kept
    assert token not in {stored.token_hash, stored.email} and len(stored.token_hash) == 64
    validity = stored.expires_at - stored.created_at
    assert abs(validity - datetime.timedelta(days=14)) < datetime.timedelta(seconds=5)
    event = AuditEvent.objects.get(action="invitation.send")
    assert event.actor_id == admin.pk and token not in str(event.after)
    assert invitation == stored


def test_the_validity_comes_from_the_setting(invite_world, mail_server, settings):
    settings.INVITATION_DAYS = 3
    invitation, _link = invitations.invite(
        actor=invite_world.user("administrator_inne"),
        email="a@b.se",
        unit=invite_world.unit,
        role="lasare",
    )
    days = (invitation.expires_at - timezone.now()).total_seconds() / 86400
    assert 2.99 < days <= 3


def test_a_new_person_picks_a_name_and_password_and_gets_the_role(
    invite_world, mail_server, client
):
    invitations.invite(
        actor=invite_world.user("administrator_inne"),
        email="ny@kommun.se",
        unit=invite_world.unit,
        role="planerare",
    )
    path = link_in(mail_server.messages[0])
    page = client.get(path).content.decode()
    for shown in (
        invite_world.org.name,
        invite_world.unit.name,
        "Planerare/controller",
        "ny@kommun.se",
    ):
        assert shown in page
    # Django's password validators hold.
    weak = client.post(path, {"username": "ny", "password1": "12345678", "password2": "12345678"})
    assert weak.status_code == 200 and not get_user_model().objects.filter(username="ny").exists()
    response = client.post(
        path, {"username": "ny", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == reverse("accounts:account")
    person = get_user_model().objects.get(username="ny")
    assert person.email == "ny@kommun.se" and person.check_password(NEW_PASSWORD)
    assert int(client.session["_auth_user_id"]) == person.pk
    assignment = RoleAssignment.objects.get(user=person)
    assert (assignment.unit, assignment.role) == (invite_world.unit, "planerare")
    assert assignment.granted_by == invite_world.user("administrator_inne")
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == person and invitation.accepted_at is not None
    assert {"invitation.accept", "role.grant"} <= set(
        AuditEvent.objects.values_list("action", flat=True)
    )
    # Used once only.
    client.logout()
    again = client.get(path)
    assert again.status_code == 410 and "redan använd" in again.content.decode()
    assert (
        client.post(
            path, {"username": "ny2", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
        ).status_code
        == 410
    )
    assert not get_user_model().objects.filter(username="ny2").exists()


def test_a_signed_in_person_with_the_address_just_accepts(invite_world, mail_server, client):
    reader = invite_world.user("lasare_inne")
    reader.email = "lasare@region.se"
    reader.save()
    invitations.invite(
        actor=invite_world.user("administrator_inne"),
        email="LASARE@region.se",
        unit=invite_world.unit,
        role="granskare",
    )
    path = link_in(mail_server.messages[0])
    client.force_login(reader)
    assert "Ta emot rollen" in client.get(path).content.decode()
    assert client.post(path).status_code == 302
    assert reader.role_assignments.filter(unit=invite_world.unit, role="granskare").exists()


def test_a_signed_in_person_with_another_address_changes_nothing(invite_world, mail_server, client):
    invitations.invite(
        actor=invite_world.user("administrator_inne"),
        email="annan@region.se",
        unit=invite_world.unit,
        role="granskare",
    )
    path = link_in(mail_server.messages[0])
    reader = invite_world.user("lasare_inne")
    client.force_login(reader)
    before = RoleAssignment.objects.count()
    assert "inte har adressen" in client.post(path).content.decode()
    assert RoleAssignment.objects.count() == before
    assert Invitation.objects.get().accepted_at is None


def refused(invite_world, mail_server, code: str, field: str = "email", **kwargs) -> None:
    before = (Invitation.objects.count(), AuditEvent.objects.count())
    arguments = {
        "actor": invite_world.user("administrator_inne"),
        "unit": invite_world.unit,
        "role": "lasare",
    }
    arguments.update(kwargs)
    with pytest.raises(ValidationError) as raised:
        invitations.invite(**arguments)
    assert codes(raised.value) == {field: [code]}
    assert all(re.search("[åäöÅÄÖ]|[a-z]", m) for m in raised.value.messages)
    assert (Invitation.objects.count(), AuditEvent.objects.count()) == before
    assert mail_server.messages == []


@pytest.mark.parametrize("address", ["", "ingen-snabel-a", "två@@kommun.se", "a@b", " @kommun.se"])
def test_an_invalid_address_is_refused(invite_world, mail_server, address):
    refused(invite_world, mail_server, "invalid", email=address)


def test_an_address_active_in_another_organisation_is_refused(invite_world, mail_server):
    outside = invite_world.user("planerare_ute")
    outside.email = "pia@annan-region.se"
    outside.save()
    refused(invite_world, mail_server, "other_organisation", email="PIA@annan-region.se")
    # The same address may be invited within its own organisation.
    invitations.invite(
        actor=invite_world.user("administrator_ute"),
        email="pia@annan-region.se",
        unit=invite_world.other_unit,
        role="granskare",
    )
    assert len(mail_server.messages) == 1


def test_an_inactive_account_elsewhere_does_not_block(invite_world, mail_server):
    outside = invite_world.user("planerare_ute")
    outside.email, outside.is_active = "pia@annan-region.se", False
    outside.save()
    invitations.invite(
        actor=invite_world.user("administrator_inne"),
        email="pia@annan-region.se",
        unit=invite_world.unit,
        role="lasare",
    )


def test_a_second_pending_invitation_is_refused(invite_world, mail_server):
    admin = invite_world.user("administrator_inne")
    invitations.invite(actor=admin, email="ny@kommun.se", unit=invite_world.unit, role="lasare")
    mail_server.clear()
    refused(invite_world, mail_server, "already_invited", email="NY@kommun.se")
    # Another role, or after the first has expired, is fine.
    invitations.invite(actor=admin, email="ny@kommun.se", unit=invite_world.unit, role="granskare")
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    invitations.invite(actor=admin, email="ny@kommun.se", unit=invite_world.unit, role="lasare")


def test_an_unknown_role_is_refused(invite_world, mail_server):
    refused(invite_world, mail_server, "invalid_role", field="role", email="a@b.se", role="kung")


@pytest.mark.parametrize("caller", ["planerare_inne", "administrator_ute", "allmanhet"])
def test_only_the_units_administrators_invite(invite_world, mail_server, caller):
    with pytest.raises(PermissionDenied):
        invitations.invite(
            actor=invite_world.user(caller), email="a@b.se", unit=invite_world.unit, role="lasare"
        )
    assert not Invitation.objects.exists() and mail_server.messages == []


def test_a_failed_send_stores_nothing(invite_world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    settings.EMAIL_TIMEOUT = 2
    with pytest.raises(OSError):
        invitations.invite(
            actor=invite_world.user("administrator_inne"),
            email="a@b.se",
            unit=invite_world.unit,
            role="lasare",
        )
    assert not Invitation.objects.exists()
    assert not AuditEvent.objects.filter(action="invitation.send").exists()


def test_expired_withdrawn_and_unknown_links_change_nothing(invite_world, mail_server, client):
    admin = invite_world.user("administrator_inne")
    invitations.invite(actor=admin, email="a@kommun.se", unit=invite_world.unit, role="lasare")
    invitations.invite(actor=admin, email="b@kommun.se", unit=invite_world.unit, role="lasare")
    expired_path = link_in(mail_server.to("a@kommun.se")[0])
    withdrawn_path = link_in(mail_server.to("b@kommun.se")[0])
    Invitation.objects.filter(email="a@kommun.se").update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    client.force_login(admin)
    withdrawn = Invitation.objects.get(email="b@kommun.se")
    assert (
        client.post(reverse("accounts:invitation_withdraw", args=[withdrawn.pk])).status_code == 302
    )
    assert AuditEvent.objects.filter(action="invitation.withdraw").count() == 1
    client.logout()
    users = get_user_model().objects.count()
    form = {"username": "x", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    for path, status, words in (
        (expired_path, 410, "gått ut"),
        (withdrawn_path, 410, "återkallats"),
        ("/konto/inbjudan/finns-inte-alls/", 404, "okänd"),
    ):
        for response in (client.get(path), client.post(path, form)):
            assert response.status_code == status and words in response.content.decode()
    assert get_user_model().objects.count() == users
    assert not Invitation.objects.filter(accepted_at__isnull=False).exists()


@hsettings(max_examples=40, deadline=None)
@given(token=st.text(min_size=0, max_size=80))
def test_no_made_up_token_finds_an_invitation(token):
    found = invitations.find(token)
    assert found.invitation is None and not found.known


def test_the_roles_page_lists_pending_invitations_and_invites(invite_world, mail_server, client):
    admin = invite_world.user("administrator_inne")
    client.force_login(admin)
    response = client.post(
        reverse("accounts:invite"),
        {
            "invite-email": "ny@kommun.se",
            "invite-unit": invite_world.unit.pk,
            "invite-role": "lasare",
        },
    )
    assert response.status_code == 302 and len(mail_server.messages) == 1
    page = client.get(reverse("accounts:roles")).content.decode()
    assert "ny@kommun.se" in page and "Återkalla inbjudan till ny@kommun.se" in page
    again = client.post(
        reverse("accounts:invite"),
        {
            "invite-email": "ny@kommun.se",
            "invite-unit": invite_world.unit.pk,
            "invite-role": "lasare",
        },
    )
    assert again.status_code == 200 and "har redan en inbjudan" in again.content.decode()
    # A unit the administrator does not hold is not in the list.
    other = client.post(
        reverse("accounts:invite"),
        {
            "invite-email": "x@kommun.se",
            "invite-unit": invite_world.other_unit.pk,
            "invite-role": "lasare",
        },
    )
    assert other.status_code == 200 and len(mail_server.messages) == 1


def test_a_role_is_not_given_to_a_person_of_another_organisation(invite_world, client):
    outside = invite_world.user("lasare_ute")
    admin = invite_world.user("administrator_inne")
    with pytest.raises(ValidationError) as raised:
        grant_role(outside, invite_world.unit, "lasare", actor=admin)
    assert codes(raised.value) == {"user": ["other_organisation"]}
    client.force_login(admin)
    response = client.post(
        reverse("accounts:roles"),
        {"username": outside.username, "unit": invite_world.unit.pk, "role": "lasare"},
    )
    assert response.status_code == 200 and "En person hör till en organisation" in (
        response.content.decode()
    )
    assert not outside.role_assignments.filter(unit=invite_world.unit).exists()
