"""Signing in through the login page in a browser test.

The helper waits until the browser has left the login page, so the next
``page.goto`` cannot cut the login's own navigation short (which left the test
signed out now and then on a busy machine).
"""

TEST_PASSWORD = "x-test-pass-1"


def sign_in(page, base: str, username: str, password: str = TEST_PASSWORD) -> None:
    page.goto(base + "/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(lambda url: "logga-in" not in url)
