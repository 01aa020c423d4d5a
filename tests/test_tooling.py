"""Checks that the test tooling itself works, and that the accessibility checker can fail."""

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from tests.a11y import assert_accessible

GOOD = """<!doctype html>
<html lang="sv">
<head><meta charset="utf-8"><title>Uppsikt</title></head>
<body>
  <main>
    <h1>Uppsikt</h1>
    <p>Styr- och uppföljning.</p>
    <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="Logotyp">
    <form><label for="q">Sök</label> <input id="q" name="q"> <button>Sök</button></form>
  </main>
</body>
</html>"""

BAD = """<!doctype html>
<html>
<head><meta charset="utf-8"><title>Trasig</title></head>
<body>
  <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
  <input name="q">
</body>
</html>"""


@pytest.mark.browser
def test_a11y_checker_passes_good_page(page):
    page.set_content(GOOD)
    assert_accessible(page)


@pytest.mark.browser
def test_a11y_checker_reports_violations(page):
    page.set_content(BAD)
    with pytest.raises(AssertionError) as excinfo:
        assert_accessible(page)
    report = str(excinfo.value)
    for rule in ("image-alt", "html-has-lang", "label"):
        assert rule in report, report
    assert "img" in report  # the failing node's target is listed


@pytest.mark.browser
def test_browser_locale_is_swedish(page):
    assert page.evaluate("navigator.language") == "sv-SE"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_live_server_and_orm_work_with_playwright(live_server, page, django_user_model):
    # ORM calls while Playwright's loop runs: needs DJANGO_ALLOW_ASYNC_UNSAFE (conftest).
    django_user_model.objects.create_user("verktyg", password="hemligt-lösen-123")
    response = page.goto(live_server.url + "/admin/login/")
    assert response is not None
    assert response.status == 200
    assert django_user_model.objects.filter(username="verktyg").exists()


def test_runserver_collects_static_files_when_they_are_missing(settings, tmp_path):
    """Without the manifest every page would fail; `uppsikt runserver` collects it first."""
    from uppsikt.cli import _collect_static_first

    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    _collect_static_first()
    manifest = tmp_path / "static" / "staticfiles.json"
    assert manifest.exists()
    assert "uppsikt/uppsikt.css" in manifest.read_text()


# -- the lock files and the system packages ------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
# Packages that only tests, linters, browser drivers and fuzzers need: never in production.
DEV_ONLY_PREFIXES = ("pytest", "hypothesis", "coverage", "mypy", "import-linter")
DEV_ONLY_NAMES = {
    "ruff",
    "playwright",
    "axe-playwright-python",
    "pypdf",
    "schemathesis",
    "django-stubs",
}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lock: str) -> dict[str, str]:
    """``name → version`` of every ``name==version`` line in a lock file."""
    found = {}
    for line in (ROOT / lock).read_text(encoding="utf-8").splitlines():
        match = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", line)
        if match:
            found[canonical(match[1])] = match[2]
    return found


def requirement_names(requirements: list[str]) -> set[str]:
    return {canonical(re.match(r"[A-Za-z0-9._-]+", item)[0]) for item in requirements}


def project() -> dict:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]


def test_runtime_lock_holds_no_test_lint_browser_or_fuzzing_package():
    runtime = pins("requirements.lock")
    dev_extra = requirement_names(project()["optional-dependencies"]["dev"])
    offending = sorted(
        name
        for name in runtime
        if name in dev_extra or name in DEV_ONLY_NAMES or name.startswith(DEV_ONLY_PREFIXES)
    )
    assert not offending, f"development packages in requirements.lock: {offending}"
    missing = requirement_names(project()["dependencies"]) - set(runtime)
    assert not missing, f"runtime dependencies not locked: {sorted(missing)}"


def test_dev_lock_adds_the_dev_extra_at_the_runtime_locks_versions():
    runtime, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    missing = requirement_names(project()["optional-dependencies"]["dev"]) - set(dev)
    assert not missing, f"dev dependencies not locked: {sorted(missing)}"
    differ = {name: (runtime[name], dev[name]) for name in runtime.keys() & dev.keys()}
    differ = {name: versions for name, versions in differ.items() if len(set(versions)) > 1}
    assert not differ, f"pinned differently in the two locks: {differ}"


def test_system_packages_script_names_the_apt_get_line_for_what_is_missing(tmp_path):
    """With --check it only reports: here on a PATH without make, python3, soffice and
    xgettext, so at least those four packages are missing."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "id", "grep", "ls"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    result = subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [shutil.which("bash"), str(ROOT / "scripts" / "system-packages.sh"), "--check", "test"],
        env={"PATH": str(bin_dir)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    line = result.stderr.strip().splitlines()[-1].strip()
    assert line.startswith(("sudo apt-get install --no-install-recommends ", "apt-get install ")), (
        line
    )
    named = set(line.split()[line.split().index("--no-install-recommends") + 1 :])
    assert {"make", "python3-venv", "libreoffice-writer-nogui", "gettext"} <= named, line
