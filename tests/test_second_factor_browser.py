"""The second factor in Debian's Chromium: an administrator enrols when first signing in,
then signs in with a code; by keyboard, and every page passes axe-core."""

import re
import time

import pytest

from uppsikt.accounts import totp

from .a11y import assert_accessible
from .builders import load_minimal, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "x-test-pass-1"


@pytest.fixture
def required(settings):
    settings.TOTP_REQUIRED_FOR = "admin"  # conftest turns it off for other browser tests


def focused(page) -> str:
    return page.evaluate(
        "() => document.activeElement.labels?.[0]?.innerText || document.activeElement.innerText"
    )


def wrong_code(secret: str) -> str:
    now = totp.step_of(time.time())
    used = {totp.code_at(secret, step) for step in range(now - 1, now + 2)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in used)


def password_step(page, live_server, username: str) -> None:
    page.goto(live_server.url + "/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_label("Lösenord").press("Enter")


def type_code(page, label: str, code: str) -> None:
    """Type into the field and submit with the keyboard: Tab reaches the button."""
    page.get_by_label(label).focus()
    page.keyboard.press("Control+A")  # over what a refused attempt left in the field
    page.keyboard.type(code)
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.tagName") == "BUTTON", focused(page)
    page.keyboard.press("Enter")


def test_an_administrator_enrols_then_signs_in_with_a_code(live_server, page, required):
    load_minimal(status="utkast")
    user_with_role("admin", "administrator")
    password_step(page, live_server, "admin")
    page.wait_for_url("**/tvastegsverifiering/aktivera/")
    page.get_by_role("heading", level=1, name="Aktivera tvåstegsverifiering").wait_for()
    assert_accessible(page)
    # Anything else leads back here until enrolled.
    page.goto(live_server.url + "/konto/")
    assert page.url.endswith("/tvastegsverifiering/aktivera/")
    secret = page.get_by_label("Nyckel", exact=True).input_value().replace(" ", "")
    uri = page.get_by_label("Länk för appen (otpauth)").input_value()
    assert uri.startswith("otpauth://totp/Uppsikt%3Aadmin?secret=" + secret)
    # A wrong code: the error is announced and the page stays accessible.
    type_code(page, "Kod från appen", wrong_code(secret))
    assert "Koden stämmer inte" in page.get_by_role("alert").inner_text()
    assert_accessible(page)
    step = totp.step_of(time.time())
    type_code(page, "Kod från appen", totp.code_at(secret, step))
    page.get_by_role("heading", level=1, name="Reservkoder").wait_for()
    codes = re.findall(r"[a-z2-9]{5}-[a-z2-9]{5}", page.locator(".recovery-codes").inner_text())
    assert len(codes) == 10
    assert_accessible(page)
    page.get_by_role("link", name="Jag har sparat koderna").click()
    page.get_by_role("heading", level=1, name="Tvåstegsverifiering").wait_for()
    assert "10 oanvända reservkoder" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Logga ut").click()

    # Signing in again: the password, then a code (a later step: the first is used).
    password_step(page, live_server, "admin")
    page.wait_for_url("**/logga-in/kod/")
    assert_accessible(page)
    type_code(page, "Kod", totp.code_at(secret, step + 1))
    page.wait_for_url(lambda url: "logga-in" not in url)
    page.goto(live_server.url + "/konto/roller/")
    page.get_by_role("heading", level=1, name="Roller").wait_for()
    page.get_by_role("button", name="Logga ut").click()

    # With a recovery code instead.
    password_step(page, live_server, "admin")
    page.wait_for_url("**/logga-in/kod/")
    type_code(page, "Kod", codes[0])
    page.wait_for_url(lambda url: "logga-in" not in url)
    page.get_by_role("button", name="Logga ut").wait_for()


def test_the_code_step_reports_a_wrong_code_accessibly(live_server, page, required):
    from uppsikt.accounts.second_factor import enrol_with_secret

    user = user_with_role("anna", None)
    secret = totp.new_secret()
    enrol_with_secret(user, secret, actor=user)
    password_step(page, live_server, "anna")
    page.wait_for_url("**/logga-in/kod/")
    type_code(page, "Kod", wrong_code(secret))
    assert "Koden stämmer inte" in page.get_by_role("alert").inner_text()
    assert_accessible(page)
    type_code(page, "Kod", totp.code_at(secret, totp.step_of(time.time())))
    page.wait_for_url(lambda url: "logga-in" not in url)
    page.goto(live_server.url + "/konto/tvastegsverifiering/")
    page.get_by_role("button", name="Stäng av tvåstegsverifiering").wait_for()
    assert_accessible(page)
