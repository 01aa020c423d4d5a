"""Benchmark: signing in, with Django's default Argon2 parameters and with Uppsikt's.

Run with ``make bench`` or ``.venv/bin/python benchmarks/login.py``. Not a test: it prints
figures and asserts nothing about speed (tests/test_password_hashing.py checks that the
parameters are at or above OWASP's minimum).

1. One password verification (``check_password``) with each hasher: Django's
   ``Argon2PasswordHasher`` (m=100 MiB, t=2, p=8: what Uppsikt used before) and
   ``UppsiktArgon2PasswordHasher`` (m=19 MiB, t=2, p=1: OWASP's minimum), median and p95
   of N runs after a warm-up, and the ratio.
2. The whole password step as the browser sees it: POST /konto/logga-in/ through the full
   middleware stack in-process (django.test.Client) against a throwaway SQLite database,
   with the user's hash made by each hasher; and, with Uppsikt's, the two steps of an
   account with a second factor (password, then the code).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

N_VERIFY = 15
N_LOGIN = 10
PASSWORD = "ett-bra-lösenord-för-mätning"
DJANGO_DEFAULT = "django.contrib.auth.hashers.Argon2PasswordHasher"
UPPSIKT = "uppsikt.accounts.hashers.UppsiktArgon2PasswordHasher"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def timed(
    action: Callable[[], object], runs: int, before: Callable[[], object] = lambda: None
) -> list[float]:
    before()
    action()  # warm-up
    times = []
    for _ in range(runs):
        before()
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return times


def setup_django(var_dir: str) -> None:
    os.environ.update(
        UPPSIKT_VAR_DIR=var_dir,
        UPPSIKT_DEBUG="0",
        UPPSIKT_MANIFEST_STATIC="0",
        ALLOWED_HOSTS="testserver",
        DJANGO_SETTINGS_MODULE="uppsikt.settings",
    )
    os.environ.pop("DATABASE_URL", None)  # always the throwaway SQLite database
    Path(var_dir, "static").mkdir()  # WhiteNoise looks for it
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", "--noinput", verbosity=0)


def verification_times() -> dict[str, list[float]]:
    from django.utils.module_loading import import_string

    results = {}
    for path in (DJANGO_DEFAULT, UPPSIKT):
        hasher = import_string(path)()
        encoded = hasher.encode(PASSWORD, hasher.salt())
        results[path] = timed(lambda h=hasher, e=encoded: h.verify(PASSWORD, e), N_VERIFY)
    return results


def login_times() -> dict[str, list[float]]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.test import Client, override_settings

    from uppsikt.accounts import second_factor, totp
    from uppsikt.accounts.models import Authenticator

    users = get_user_model().objects
    results = {}
    for label, path in (("password, Django's default", DJANGO_DEFAULT), ("password", UPPSIKT)):
        # The hasher first in the list, so the hash is not "upgraded" between runs.
        with override_settings(PASSWORD_HASHERS=[path, DJANGO_DEFAULT]):
            name = f"matning-{len(results)}"
            users.create(username=name, password=make_password(PASSWORD, None, "default"))

            def sign_in(name: str = name) -> None:
                response = Client().post(
                    "/konto/logga-in/", {"username": name, "password": PASSWORD}
                )
                if response.status_code != 302:
                    raise SystemExit(f"sign-in as {name} -> {response.status_code}")

            results[label] = timed(sign_in, N_LOGIN)

    user = users.create(username="matning-tva-steg", password=make_password(PASSWORD))
    secret = totp.new_secret()
    second_factor.enrol_with_secret(user, secret, actor=user)

    def forget_used_code() -> None:  # each code works once; untimed set-up between runs
        Authenticator.objects.filter(user=user).update(last_used_step=None)

    def two_steps() -> None:
        client = Client()
        first = client.post(
            "/konto/logga-in/", {"username": "matning-tva-steg", "password": PASSWORD}
        )
        code = totp.code_at(secret, totp.step_of(time.time()))
        second = client.post("/konto/logga-in/kod/", {"code": code})
        if first.status_code != 302 or second.status_code != 302:
            raise SystemExit(f"two steps -> {first.status_code}, {second.status_code}")

    results["password and code (second factor)"] = timed(
        two_steps, N_LOGIN, before=forget_used_code
    )
    return results


def main() -> None:
    import platform
    from importlib.metadata import version

    import django

    print(
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"argon2-cffi {version('argon2-cffi')}, {os.cpu_count()} CPUs"
    )
    with tempfile.TemporaryDirectory(prefix="uppsikt-bench-login-") as var_dir:
        setup_django(var_dir)
        verify = verification_times()
        print(f"\n1. One password verification (median and p95 of {N_VERIFY}, ms)")
        print(f"   {'hasher':55} {'median':>8} {'p95':>8}")
        for path, times in verify.items():
            median = statistics.median(times)
            print(f"   {path:55} {median:8.1f} {percentile(times, 0.95):8.1f}")
        old, new = (statistics.median(verify[p]) for p in (DJANGO_DEFAULT, UPPSIKT))
        print(f"   ratio Django's default / Uppsikt's: {old / new:.1f}×")

        logins = login_times()
        print(f"\n2. Signing in, POST through the full stack (median and p95 of {N_LOGIN}, ms)")
        print(f"   {'what':55} {'median':>8} {'p95':>8}")
        for label, times in logins.items():
            median = statistics.median(times)
            print(f"   {label:55} {median:8.1f} {percentile(times, 0.95):8.1f}")
        old_login = statistics.median(logins["password, Django's default"])
        new_login = statistics.median(logins["password"])
        print(f"   ratio Django's default / Uppsikt's: {old_login / new_login:.1f}×")


if __name__ == "__main__":
    main()
