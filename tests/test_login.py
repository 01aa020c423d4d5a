"""Login: Argon2, lockout that does not reveal accounts, OpenID Connect, sessions, CSRF."""

import json
import re
import subprocess
import sys
import time
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from uppsikt.accounts.access import Perm, can
from uppsikt.accounts.commandline import COMMAND_LINE
from uppsikt.accounts.models import ExternalIdentity, LoginFailure
from uppsikt.audit.models import AuditEvent

from .builders import ROOT, load_minimal, user_with_role

pytestmark = pytest.mark.django_db
LOGIN = "/konto/logga-in/"
LOCKED = "tillfälligt spärrad"
WRONG = "Användarnamnet eller lösenordet är fel."


def settings_with(var_dir, **env) -> dict:
    """The settings module's values in a fresh process with ``env`` (no Django set-up)."""
    code = (
        "import json, uppsikt.settings as s; print(json.dumps({k: getattr(s, k, None) for k in "
        "['PASSWORD_HASHERS', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', "
        "'SESSION_COOKIE_HTTPONLY', 'SESSION_COOKIE_SAMESITE', 'SESSION_COOKIE_AGE', "
        "'OIDC_ENABLED', 'AUTHENTICATION_BACKENDS']}))"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and a fixed snippet
        [sys.executable, "-c", code],
        env={"PATH": "/usr/bin:/bin", "UPPSIKT_VAR_DIR": str(var_dir), **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_argon2_is_the_production_hasher_and_sessions_are_strict(tmp_path):
    plain = settings_with(tmp_path)
    # Argon2id at OWASP's minimum cost (tests/test_password_hashing.py checks the parameters)
    assert plain["PASSWORD_HASHERS"][0] == "uppsikt.accounts.hashers.UppsiktArgon2PasswordHasher"
    assert plain["SESSION_COOKIE_HTTPONLY"] and plain["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert plain["SESSION_COOKIE_AGE"] == 8 * 3600
    assert not plain["SESSION_COOKIE_SECURE"] and plain["SECURE_HSTS_SECONDS"] is None
    assert plain["OIDC_ENABLED"] is False
    assert plain["AUTHENTICATION_BACKENDS"] == ["uppsikt.accounts.lockout.LockoutModelBackend"]
    secure = settings_with(tmp_path, UPPSIKT_SECURE_COOKIES="1")
    assert secure["SESSION_COOKIE_SECURE"] and secure["CSRF_COOKIE_SECURE"]
    assert secure["SECURE_HSTS_SECONDS"] == 31536000
    oidc = settings_with(tmp_path, UPPSIKT_OIDC_CLIENT_ID="uppsikt")
    assert oidc["OIDC_ENABLED"] and oidc["AUTHENTICATION_BACKENDS"][-1].endswith(
        "UppsiktOIDCBackend"
    )


def test_passwords_are_stored_with_argon2(client):
    user = user_with_role("anna", None)
    assert user.password.startswith("argon2$argon2id$")
    response = client.post(LOGIN, {"username": "anna", "password": "x-test-pass-1"})
    assert response.status_code == 302


def login(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


@override_settings(LOGIN_LOCKOUT_ATTEMPTS=3, LOGIN_LOCKOUT_IP_ATTEMPTS=100)
def test_repeated_failures_lock_the_name_even_for_the_right_password(client):
    user_with_role("anna", None)
    for _attempt in range(3):
        assert WRONG in login(client, "anna", "fel-lösenord").content.decode()
    page = login(client, "anna", "x-test-pass-1").content.decode()
    assert LOCKED in page and "_auth_user_id" not in client.session
    # Names are compared without case, so "ANNA" is the same lock.
    assert LOCKED in login(client, "ANNA", "x-test-pass-1").content.decode()
    # The admin's login is locked too (the backend refuses).
    admin = client.post("/admin/login/", {"username": "anna", "password": "x-test-pass-1"})
    assert admin.status_code == 200 and "_auth_user_id" not in client.session
    # After the window, the right password works and the failures are forgotten.
    LoginFailure.objects.update(at="2000-01-01T00:00:00Z")
    assert login(client, "anna", "x-test-pass-1").status_code == 302
    assert not LoginFailure.objects.filter(username="anna").exists()


def same_form(html: str, name: str) -> str:
    """The page without what differs by design: the typed name and the CSRF token."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return html.replace(name, "NAMN")


@override_settings(LOGIN_LOCKOUT_ATTEMPTS=3, LOGIN_LOCKOUT_IP_ATTEMPTS=100)
def test_the_answers_do_not_reveal_whether_an_account_exists(client):
    user_with_role("anna", None)
    pages = {}
    for name in ("anna", "finns-inte"):
        first = login(client, name, "fel").content.decode()
        for _attempt in range(2):
            login(client, name, "fel")
        locked = login(client, name, "fel").content.decode()
        pages[name] = (same_form(first, name), same_form(locked, name))
    assert pages["anna"] == pages["finns-inte"]
    assert WRONG in pages["anna"][0] and LOCKED in pages["anna"][1]


@override_settings(LOGIN_LOCKOUT_ATTEMPTS=100, LOGIN_LOCKOUT_IP_ATTEMPTS=4)
def test_many_names_from_one_address_lock_the_address():
    user_with_role("anna", None)
    attacker, colleague = Client(REMOTE_ADDR="10.0.0.66"), Client(REMOTE_ADDR="10.0.0.7")
    for number in range(4):
        login(attacker, f"gissning{number}", "fel")
    assert LOCKED in login(attacker, "anna", "x-test-pass-1").content.decode()
    assert login(colleague, "anna", "x-test-pass-1").status_code == 302


def test_an_inactive_account_gets_the_plain_answer(client):
    user = user_with_role("anna", None)
    user.is_active = False
    user.save()
    assert WRONG in login(client, "anna", "x-test-pass-1").content.decode()


def test_forms_need_the_csrf_token():
    user_with_role("anna", None)
    strict = Client(enforce_csrf_checks=True)
    assert login(strict, "anna", "x-test-pass-1").status_code == 403
    page = strict.get(LOGIN)
    token = page.cookies["csrftoken"].value
    ok = strict.post(
        LOGIN, {"username": "anna", "password": "x-test-pass-1", "csrfmiddlewaretoken": token}
    )
    assert ok.status_code == 302


def test_session_cookie_flags(client):
    user_with_role("anna", None)
    cookie = login(client, "anna", "x-test-pass-1").cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert not cookie["max-age"]  # ends with the browser; the server side ends after 8 hours
    with override_settings(SESSION_COOKIE_SECURE=True):
        secure = login(Client(), "anna", "x-test-pass-1").cookies["sessionid"]
    assert secure["secure"]


# -- OpenID Connect against a small provider running in this process -------------------------


def test_oidc_is_off_unless_configured(client):
    assert client.get(reverse("accounts:oidc_login")).status_code == 404
    assert (
        client.get(reverse("accounts:oidc_callback"), {"code": "x", "state": "y"}).status_code
        == 404
    )
    assert "Logga in med" not in client.get(LOGIN).content.decode()


def test_oidc_links_an_account_by_email_then_by_subject(client, provider):
    load_minimal(status="utkast")
    anna = user_with_role("anna", "planerare")
    anna.email = "anna@region.se"
    anna.save()
    assert "Logga in med Regionens inloggning" in client.get(LOGIN).content.decode()
    response = provider.log_in(
        client, {"sub": "abc-1", "email": "Anna@Region.se", "email_verified": True}
    )
    assert response.status_code == 302, response.content
    assert int(client.session["_auth_user_id"]) == anna.pk
    assert ExternalIdentity.objects.get().user == anna
    # Roles still come from RoleAssignment.
    assert can(anna, Perm.PLAN, anna.role_assignments.get().unit)
    client.logout()
    provider.log_in(client, {"sub": "abc-1", "email": "anna.andersson@region.se"})
    assert int(client.session["_auth_user_id"]) == anna.pk
    # One person (the loader's command-line account aside): linked, not made twice.
    assert get_user_model().objects.exclude(username=COMMAND_LINE).count() == 1


def test_oidc_makes_an_account_without_roles_for_a_new_person(client, provider):
    provider.log_in(client, {"sub": "ny-9", "email": "ny@region.se", "given_name": "Ny"})
    user = get_user_model().objects.get(email="ny@region.se")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert user.first_name == "Ny" and not user.role_assignments.exists()


def test_oidc_refuses_a_token_meant_for_another_application(client, provider):
    provider.audience = "en-annan-tjanst"
    response = provider.log_in(client, {"sub": "abc-1", "email": "anna@region.se"})
    assert "_auth_user_id" not in client.session
    assert response["Location"] == LOGIN
    assert "gick inte igenom" in client.get(LOGIN).content.decode()
    assert not get_user_model().objects.exists()


def refused(client, response) -> bool:
    return (
        "_auth_user_id" not in client.session
        and response["Location"] == LOGIN
        and "gick inte igenom" in client.get(LOGIN).content.decode()
    )


def test_oidc_does_not_link_by_an_unverified_address(client, provider):
    anna = user_with_role("anna", None)
    anna.email = "anna@region.se"
    anna.save()
    for verified in (None, False, "false"):
        claims = {"sub": "angripare", "email": "anna@region.se"}
        if verified is not None:
            claims["email_verified"] = verified
        assert refused(client, provider.log_in(client, claims))
    assert not ExternalIdentity.objects.exists()
    assert get_user_model().objects.count() == 1  # no second account with Anna's address
    provider.log_in(client, {"sub": "anna-1", "email": "anna@region.se", "email_verified": "true"})
    assert int(client.session["_auth_user_id"]) == anna.pk


@pytest.mark.parametrize("privilege", ["superuser", "staff", "administrator"])
def test_oidc_never_links_a_privileged_account_by_address(client, provider, privilege):
    load_minimal(status="utkast")
    admin = user_with_role("admin", "administrator" if privilege == "administrator" else None)
    admin.email = "admin@region.se"
    admin.is_superuser = privilege == "superuser"
    admin.is_staff = privilege == "staff"
    admin.save()
    claims = {"sub": "x-1", "email": "Admin@region.se", "email_verified": True}
    assert refused(client, provider.log_in(client, claims))
    assert not ExternalIdentity.objects.exists()
    # Linked by hand, the account is then found by the subject.
    call_command("oidc_link", "admin", "x-1", stdout=StringIO())
    provider.log_in(client, claims)
    assert int(client.session["_auth_user_id"]) == admin.pk


def test_oidc_does_not_reach_a_deactivated_account_by_address(client, provider):
    anna = user_with_role("anna", None)
    anna.email, anna.is_active = "anna@region.se", False
    anna.save()
    claims = {"sub": "abc-1", "email": "anna@region.se", "email_verified": True}
    assert refused(client, provider.log_in(client, claims))
    # One person (the loader's command-line account aside): linked, not made twice.
    assert get_user_model().objects.exclude(username=COMMAND_LINE).count() == 1
    # Linked earlier and deactivated since: still refused, and no fresh account either.
    anna.is_active = True
    anna.save()
    provider.log_in(client, claims)
    client.logout()
    anna.is_active = False
    anna.save()
    assert refused(client, provider.log_in(client, claims))
    assert get_user_model().objects.count() == 1 and ExternalIdentity.objects.count() == 1


def test_oidc_first_link_is_audited(client, provider):
    provider.log_in(client, {"sub": "ny-9", "email": "ny@region.se", "email_verified": True})
    event = AuditEvent.objects.get(action="account.oidc_link")
    assert event.after["id"] == "ny-9" and event.after["leverantör"] == provider.url
    call_command("audit", "verify", stdout=StringIO())


@pytest.mark.parametrize(
    "token",
    [
        {"iss": "https://annan.example"},
        {"iss": None},
        {"exp": int(time.time()) - 3600},
        {"exp": None},
        {"nonce": "fel"},
        {"nonce": None},
        {"aud": None},
        {"sub": "nagon-annan"},
    ],
    ids=["iss", "no-iss", "expired", "no-exp", "nonce", "no-nonce", "no-aud", "other-sub"],
)
def test_oidc_refuses_a_token_that_does_not_check_out(client, provider, token):
    provider.token_claims = token
    response = provider.log_in(client, {"sub": "ny-9", "email": "ny@region.se"})
    assert refused(client, response)
    assert not get_user_model().objects.exists()


def test_oidc_checks_the_configured_issuer(client, provider, settings):
    settings.OIDC_OP_ISSUER = f"{provider.url}/realms/region"
    assert refused(client, provider.log_in(client, {"sub": "ny-9", "email": "ny@region.se"}))
    provider.token_claims = {"iss": f"{provider.url}/realms/region"}
    provider.log_in(client, {"sub": "ny-9", "email": "ny@region.se"})
    assert ExternalIdentity.objects.get().issuer == f"{provider.url}/realms/region"
