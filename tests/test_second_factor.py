"""The second factor: TOTP (RFC 6238), enrolment, recovery codes, the code step of signing
in with its lockout, the requirement for administrators, and OpenID Connect's exemption."""

import re
import subprocess
import sys
import time
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from uppsikt.accounts import second_factor, signin, totp
from uppsikt.accounts.management.commands.demo_users import DEMO_TOTP_SECRET
from uppsikt.accounts.models import Authenticator, RecoveryCode
from uppsikt.accounts.sealed import Unreadable, seal, unseal
from uppsikt.audit.models import AuditEvent

from .builders import ROOT, load_minimal, user_with_role
from .oidc_provider import Provider

pytestmark = pytest.mark.django_db

LOGIN = "/konto/logga-in/"
CODE = "/konto/logga-in/kod/"
ENROL = "/konto/tvastegsverifiering/aktivera/"
OVERVIEW = "/konto/tvastegsverifiering/"
PASSWORD = "x-test-pass-1"
SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # RFC 6238's SHA-1 key, "12345678901234567890"
WRONG_CODE = "Koden stämmer inte"
LOCKED = "tillfälligt spärrad"


def now_code(secret: str = SECRET, shift: int = 0) -> str:
    return totp.code_at(secret, totp.step_of(time.time()) + shift)


def enrolled_user(username: str = "anna", role: str | None = None):
    user = user_with_role(username, role)
    second_factor.enrol_with_secret(user, SECRET, actor=user)
    return user


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def password_step(client: Client, username: str, next_url: str = ""):
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data)


# -- the algorithm -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_codes_match_rfc_6238s_test_vectors(moment, expected):
    # The RFC lists eight digits; six are the same number's last six.
    assert totp.code_at(SECRET, totp.step_of(moment)) == expected[-6:]


def test_a_code_is_accepted_one_step_either_side_and_only_after_the_last_used_step():
    moment = 1_700_000_000.0
    step = totp.step_of(moment)
    for shift in (-1, 0, 1):
        code = totp.code_at(SECRET, step + shift)
        assert totp.matching_step(SECRET, code, moment=moment) == step + shift
    for shift in (-2, 2, 10):  # out of the window
        assert totp.matching_step(SECRET, totp.code_at(SECRET, step + shift), moment=moment) is None
    code = totp.code_at(SECRET, step)
    assert totp.matching_step(SECRET, code, moment=moment, last_used_step=step) is None
    assert totp.matching_step(SECRET, code, moment=moment, last_used_step=step - 1) == step
    assert totp.matching_step(SECRET, f" {code[:3]} {code[3:]} ", moment=moment) == step
    assert totp.matching_step(SECRET, "abcdef", moment=moment) is None
    assert totp.matching_step(SECRET, code[:5], moment=moment) is None


def test_new_secrets_and_the_provisioning_uri():
    secret = totp.new_secret()
    assert len(secret) == 32 and re.fullmatch(r"[A-Z2-7]+", secret)
    assert secret != totp.new_secret()
    uri = totp.provisioning_uri(secret, "anna andersson", "Uppsikt")
    assert uri.startswith("otpauth://totp/Uppsikt%3Aanna%20andersson?secret=" + secret)
    assert "issuer=Uppsikt" in uri and "digits=6" in uri and "period=30" in uri


# -- stored secrets ----------------------------------------------------------------------------


def test_the_secret_is_stored_encrypted_and_survives_a_key_rotation_with_fallbacks():
    user = enrolled_user()
    stored = Authenticator.objects.get(user=user).sealed_secret
    assert SECRET not in stored and unseal(stored) == SECRET
    with override_settings(SECRET_KEY="en-helt-ny-nyckel-" * 3, SECRET_KEY_FALLBACKS=[]):
        with pytest.raises(Unreadable):
            unseal(stored)
        assert second_factor.verify(user, now_code()) is None  # unreadable: the app code fails
    with override_settings(
        SECRET_KEY="en-helt-ny-nyckel-" * 3, SECRET_KEY_FALLBACKS=[settings.SECRET_KEY]
    ):
        assert unseal(stored) == SECRET
    assert seal(SECRET) != seal(SECRET)  # a fresh nonce every time


# -- enrolling ---------------------------------------------------------------------------------


def test_enrolment_shows_the_secret_confirms_with_a_code_then_shows_recovery_codes(client):
    user = user_with_role("anna", None)
    client.force_login(user)
    assert "Tvåstegsverifiering" in client.get("/konto/").content.decode()
    page = client.get(ENROL).content.decode()
    secret = second_factor.pending_secret(Authenticator.objects.get(user=user))
    assert totp.grouped(secret) in page and "otpauth://totp/Uppsikt%3Aanna?secret=" in page
    assert client.get(ENROL).content.decode().count(totp.grouped(secret)) == 1  # same secret
    wrong = client.post(ENROL, {"code": "000000" if now_code(secret) != "000000" else "111111"})
    assert WRONG_CODE in wrong.content.decode() and not second_factor.is_enrolled(user)
    done = client.post(ENROL, {"code": now_code(secret)})
    assert done["Cache-Control"].startswith("max-age=0") or "no-store" in done["Cache-Control"]
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", done.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    assert second_factor.is_enrolled(user) and RecoveryCode.objects.filter(user=user).count() == 10
    assert not any(code in c.code_hash for c in RecoveryCode.objects.all() for code in codes)
    event = AuditEvent.objects.get(action="account.totp_enable")
    assert event.actor == user and event.after["reservkoder kvar"] == 10
    # Never shown again: enrolment now leads to the overview, which has no secret.
    assert client.get(ENROL)["Location"] == OVERVIEW
    overview = client.get(OVERVIEW).content.decode()
    assert totp.grouped(secret) not in overview and secret not in overview
    assert "10 oanvända reservkoder" in overview


# -- signing in --------------------------------------------------------------------------------


def test_an_enrolled_person_is_half_signed_in_until_the_code(client):
    enrolled_user()
    response = password_step(client, "anna", next_url="/konto/")
    assert response["Location"] == CODE and not signed_in(client)
    assert client.get("/konto/").status_code == 302  # not signed in yet
    assert "Logga in med kod" in client.get(CODE).content.decode()
    assert WRONG_CODE in client.post(CODE, {"code": "12345"}).content.decode()
    response = client.post(CODE, {"code": now_code()})
    assert response["Location"] == "/konto/" and signed_in(client)
    assert signin.PENDING not in client.session


def test_a_code_works_once(client):
    enrolled_user()
    code = now_code()
    password_step(client, "anna")
    assert client.post(CODE, {"code": code}).status_code == 302 and signed_in(client)
    other = Client()
    password_step(other, "anna")
    assert WRONG_CODE in other.post(CODE, {"code": code}).content.decode()
    assert not signed_in(other)


def test_codes_out_of_the_window_are_refused(client):
    enrolled_user()
    password_step(client, "anna")
    for shift in (-3, -2, 2, 3):
        assert WRONG_CODE in client.post(CODE, {"code": now_code(shift=shift)}).content.decode()
    assert not signed_in(client)


def test_the_half_signed_in_marker_is_short_lived_and_dies_with_a_new_password(client):
    user = enrolled_user()
    password_step(client, "anna")
    session = client.session
    session[signin.PENDING]["at"] -= signin.PENDING_SECONDS + 1
    session.save()
    assert client.post(CODE, {"code": now_code()})["Location"] == LOGIN
    assert not signed_in(client)
    password_step(client, "anna")
    user.set_password("ett-annat-lösenord-1")
    user.save()
    assert client.post(CODE, {"code": now_code()})["Location"] == LOGIN
    assert client.get(CODE)["Location"] == LOGIN  # nothing pending at all


def test_signing_in_as_someone_else_ends_a_half_finished_sign_in(client):
    enrolled_user()
    user_with_role("bengt", None)
    password_step(client, "anna")
    assert signin.PENDING in client.session
    assert password_step(client, "bengt").status_code == 302 and signed_in(client)
    assert signin.PENDING not in client.session
    assert client.get(CODE)["Location"] == LOGIN


@override_settings(LOGIN_LOCKOUT_ATTEMPTS=3, LOGIN_LOCKOUT_IP_ATTEMPTS=100)
def test_wrong_codes_lock_the_code_step(client):
    enrolled_user()
    password_step(client, "anna")
    for _attempt in range(3):
        assert WRONG_CODE in client.post(CODE, {"code": "000000"}).content.decode()
    page = client.post(CODE, {"code": now_code()}).content.decode()
    assert LOCKED in page and not signed_in(client)
    # Its own count: the password step still answers, and leads to the same locked step.
    assert password_step(client, "anna")["Location"] == CODE
    assert LOCKED in client.post(CODE, {"code": now_code()}).content.decode()
    # After the window the right code signs in and the failures are forgotten.
    from uppsikt.accounts.models import LoginFailure

    LoginFailure.objects.update(at="2000-01-01T00:00:00Z")
    assert client.post(CODE, {"code": now_code()}).status_code == 302 and signed_in(client)
    assert not LoginFailure.objects.filter(username="2fa:anna").exists()


# -- recovery codes ----------------------------------------------------------------------------


def enrol_through_the_page(client, username="anna", role=None) -> list[str]:
    user = user_with_role(username, role)
    client.force_login(user)
    client.get(ENROL)
    secret = second_factor.pending_secret(Authenticator.objects.get(user=user))
    page = client.post(ENROL, {"code": now_code(secret)}).content.decode()
    client.logout()
    return re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", page)


def test_a_recovery_code_signs_in_once_and_is_audited(client):
    codes = enrol_through_the_page(client)
    password_step(client, "anna")
    assert client.post(CODE, {"code": codes[0].upper()}).status_code == 302
    assert signed_in(client)
    event = AuditEvent.objects.get(action="account.recovery_code_use")
    assert event.actor.username == "anna" and event.after["reservkoder kvar"] == 9
    client.logout()
    password_step(client, "anna")
    assert WRONG_CODE in client.post(CODE, {"code": codes[0]}).content.decode()
    assert client.post(CODE, {"code": codes[1].replace("-", " ")}).status_code == 302


def test_new_recovery_codes_replace_the_old_ones(client):
    old = enrol_through_the_page(client)
    user = get_user_model().objects.get(username="anna")
    client.force_login(user)
    refused = client.post("/konto/tvastegsverifiering/reservkoder/", {"code": "000000"})
    assert WRONG_CODE in refused.content.decode()
    page = client.post("/konto/tvastegsverifiering/reservkoder/", {"code": old[0]})
    new = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", page.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert AuditEvent.objects.filter(action="account.recovery_codes_regenerate").count() == 1
    for code in old[1:3]:
        assert not second_factor.use_recovery_code(user, code)
    assert second_factor.use_recovery_code(user, new[0])


# -- removing ----------------------------------------------------------------------------------


def test_removing_takes_the_password_and_a_code_and_is_audited(client):
    user = enrolled_user()
    client.force_login(user)
    remove = "/konto/tvastegsverifiering/stang-av/"
    page = client.post(remove, {"password": "fel", "code": now_code()}).content.decode()
    assert "Lösenordet stämmer inte" in page and second_factor.is_enrolled(user)
    page = client.post(remove, {"password": PASSWORD, "code": "000000"}).content.decode()
    assert WRONG_CODE in page and second_factor.is_enrolled(user)
    response = client.post(remove, {"password": PASSWORD, "code": now_code()})
    assert response["Location"] == OVERVIEW and not second_factor.is_enrolled(user)
    assert not RecoveryCode.objects.filter(user=user).exists()
    assert AuditEvent.objects.get(action="account.totp_disable").actor == user
    client.logout()
    assert password_step(client, "anna")["Location"] == "/"  # the password alone again


def test_an_administrator_who_removes_it_must_enrol_again(client):
    load_minimal(status="utkast")
    user = enrolled_user("admin", "administrator")
    password_step(client, "admin")
    client.post(CODE, {"code": now_code()})
    code = totp.code_at(SECRET, totp.step_of(time.time()) + 1)  # the next step: not yet used
    response = client.post(
        "/konto/tvastegsverifiering/stang-av/", {"password": PASSWORD, "code": code}
    )
    assert response["Location"] == ENROL and not second_factor.is_enrolled(user)
    assert client.get("/konto/")["Location"] == ENROL


# -- who must have one -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["administrator", "superuser", "staff"])
def test_an_administrator_without_a_second_factor_can_only_enrol(client, kind):
    load_minimal(status="utkast")
    user = user_with_role("admin", "administrator" if kind == "administrator" else None)
    user.is_superuser, user.is_staff = kind == "superuser", kind == "staff"
    user.save()
    response = password_step(client, "admin", next_url="/konto/roller/")
    assert response["Location"] == ENROL and signed_in(client)
    for path in ("/konto/", "/konto/roller/", "/", "/admin/", "/api/v1/", OVERVIEW):
        assert client.get(path)["Location"] == ENROL, path
    assert "Ditt konto kräver tvåstegsverifiering" in client.get(ENROL).content.decode()
    language = client.post("/i18n/setlang/", {"language": "sv", "next": ENROL})
    assert language["Location"] == ENROL
    secret = second_factor.pending_secret(Authenticator.objects.get(user=user))
    assert client.post(ENROL, {"code": now_code(secret)}).status_code == 200
    assert client.get("/konto/").status_code == 200  # free to go on
    client.post("/konto/logga-ut/")
    assert not signed_in(client)


def test_signing_out_is_allowed_before_enrolling(client):
    load_minimal(status="utkast")
    user_with_role("admin", "administrator")
    password_step(client, "admin")
    assert client.post("/konto/logga-ut/").status_code == 302 and not signed_in(client)


def test_for_everyone_else_it_is_optional(client):
    load_minimal(status="utkast")
    user_with_role("planerare", "planerare")
    response = password_step(client, "planerare", next_url="/konto/")
    assert response["Location"] == "/konto/" and client.get("/konto/").status_code == 200
    assert "inte påslagen" in client.get(OVERVIEW).content.decode()


@pytest.mark.parametrize(
    ("policy", "admin_must", "planner_must"),
    [("admin", True, False), ("all", True, True), ("none", False, False)],
)
def test_the_requirement_follows_the_setting(client, policy, admin_must, planner_must):
    load_minimal(status="utkast")
    user_with_role("admin", "administrator")
    user_with_role("planerare", "planerare")
    with override_settings(TOTP_REQUIRED_FOR=policy):
        for username, must in (("admin", admin_must), ("planerare", planner_must)):
            response = password_step(Client(), username)
            assert (response["Location"] == ENROL) is must, username


def test_the_django_admin_login_cannot_skip_the_code(client):
    user = enrolled_user("rot")
    user.is_superuser = user.is_staff = True
    user.save()
    response = client.post("/admin/login/?next=/admin/", {"username": "rot", "password": PASSWORD})
    assert response.status_code == 302  # Django's admin signed in, but …
    answer = client.get("/admin/")
    assert answer["Location"] == LOGIN + "?next=%2Fadmin%2F" and not signed_in(client)
    # Without a second factor the admin's login leads to enrolment like ours.
    Authenticator.objects.all().delete()
    client.post("/admin/login/?next=/admin/", {"username": "rot", "password": PASSWORD})
    assert client.get("/admin/")["Location"] == ENROL


def test_a_login_through_the_identity_provider_is_exempt(client):
    load_minimal(status="utkast")
    admin = user_with_role("admin", "administrator")
    enrolled = enrolled_user("anna", "administrator")
    provider = Provider()
    try:
        with provider.settings():
            call_command("oidc_link", "admin", "sub-admin", stdout=StringIO())
            call_command("oidc_link", "anna", "sub-anna", stdout=StringIO())
            provider.log_in(client, {"sub": "sub-admin", "email": "admin@region.se"})
            assert int(client.session["_auth_user_id"]) == admin.pk
            assert client.get("/konto/roller/").status_code == 200  # no enrolment demanded
            client.logout()
            provider.log_in(client, {"sub": "sub-anna", "email": "anna@region.se"})
            assert int(client.session["_auth_user_id"]) == enrolled.pk
            assert client.get("/konto/").status_code == 200  # no code asked for
    finally:
        provider.close()


# -- commands ----------------------------------------------------------------------------------


def test_totp_code_answers_only_for_the_demo_secret():
    demo = user_with_role("admin", None)
    second_factor.enrol_with_secret(demo, DEMO_TOTP_SECRET, actor=demo)
    out = StringIO()
    call_command("totp_code", "admin", stdout=out)
    assert out.getvalue().strip() == now_code(DEMO_TOTP_SECRET) or out.getvalue().strip() == (
        now_code(DEMO_TOTP_SECRET, shift=-1)  # the step turned over in between
    )
    enrolled_user("anna")
    user_with_role("utan", None)
    for name in ("anna", "utan", "finns-inte"):
        with pytest.raises(CommandError, match="inget demokonto"):
            call_command("totp_code", name, stdout=StringIO())


def test_totp_reset_removes_a_lost_second_factor_and_is_audited():
    user = enrolled_user()
    out = StringIO()
    call_command("totp_reset", "anna", stdout=out)
    assert "borttagen" in out.getvalue() and not second_factor.is_enrolled(user)
    assert AuditEvent.objects.get(action="account.totp_reset").actor_name == "kommandorad"
    call_command("totp_reset", "anna", stdout=out)
    assert AuditEvent.objects.filter(action="account.totp_reset").count() == 1
    with pytest.raises(CommandError):
        call_command("totp_reset", "finns-inte", stdout=StringIO())
    call_command("audit", "verify", stdout=StringIO())


def required_for(var_dir, **env) -> subprocess.CompletedProcess:
    """``TOTP_REQUIRED_FOR`` as the settings module reads it in a fresh process."""
    return subprocess.run(
        [sys.executable, "-c", "import uppsikt.settings as s; print(s.TOTP_REQUIRED_FOR)"],
        env={"PATH": "/usr/bin:/bin", "UPPSIKT_VAR_DIR": str(var_dir), **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_setting_defaults_to_admin_and_refuses_other_values(tmp_path):
    assert required_for(tmp_path).stdout.strip() == "admin"
    assert required_for(tmp_path, UPPSIKT_TOTP_REQUIRED_FOR=" All ").stdout.strip() == "all"
    wrong = required_for(tmp_path, UPPSIKT_TOTP_REQUIRED_FOR="admins")
    assert wrong.returncode != 0 and "UPPSIKT_TOTP_REQUIRED_FOR" in wrong.stderr


def test_the_demo_administrators_sign_in_with_the_printed_secret_or_totp_code(client):
    from .builders import load_demo

    load_demo()
    out = StringIO()
    call_command("demo_users", stdout=out)
    assert totp.grouped(DEMO_TOTP_SECRET) in out.getvalue() and "totp_code admin" in out.getvalue()
    users = get_user_model().objects
    for name in ("admin", "administrator"):
        assert second_factor.is_enrolled(users.get(username=name)), name
    assert not second_factor.is_enrolled(users.get(username="planerare"))
    enabled = AuditEvent.objects.filter(action="account.totp_enable").count()
    assert enabled == 2
    call_command("demo_users", stdout=StringIO())  # again: nothing changes
    assert AuditEvent.objects.filter(action="account.totp_enable").count() == enabled
    response = client.post(
        LOGIN, {"username": "administrator", "password": "uppsikt-demo-administrator"}
    )
    assert response["Location"] == CODE
    code = StringIO()
    call_command("totp_code", "administrator", stdout=code)
    assert client.post(CODE, {"code": code.getvalue().strip()}).status_code == 302
    assert signed_in(client)
