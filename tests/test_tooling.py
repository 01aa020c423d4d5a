"""Checks that the test tooling itself works, that the accessibility checker can fail, and
that the code keeps its shape: each fixture defined once, no overlong functions."""

import ast
import re
import shutil
import subprocess
import tomllib
from collections import defaultdict
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


TESTS = Path(__file__).resolve().parent


def _fixture_names(tree: ast.Module) -> list[str]:
    """The fixtures a module defines at its top level, by the name tests ask for."""
    names = []
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for decorator in node.decorator_list:
            call = decorator if isinstance(decorator, ast.Call) else None
            target = call.func if call else decorator
            if ast.unparse(target) not in ("pytest.fixture", "fixture"):
                continue
            renamed = [k.value.value for k in (call.keywords if call else []) if k.arg == "name"]
            names.append(renamed[0] if renamed else node.name)
    return names


def _imported_names(tree: ast.Module) -> list[tuple[str, str]]:
    """(module, name) for each name imported from a sibling module (``from .x import y``)."""
    return [
        (node.module.removeprefix("tests."), alias.asname or alias.name)
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module
        if node.level == 1 or node.module.startswith("tests.")
        for alias in node.names
    ]


def test_each_fixture_name_is_defined_in_one_module_only():
    """A fixture shared by modules lives in conftest.py, once; a module's own fixture has a
    name no other module (conftest.py included) defines or imports, so a name always means
    one thing."""
    trees = {path.stem: ast.parse(path.read_text(encoding="utf-8")) for path in TESTS.glob("*.py")}
    fixtures = {stem: set(_fixture_names(tree)) for stem, tree in trees.items()}
    modules = defaultdict(list)
    for stem, names in sorted(fixtures.items()):
        for name in names:
            modules[name].append(stem)
    for stem, tree in sorted(trees.items()):
        for source, name in _imported_names(tree):
            if name in fixtures.get(source, ()):
                modules[name].append(stem)
    twice = {name: where for name, where in modules.items() if len(where) > 1}
    assert not twice, f"Define these fixtures once (conftest.py) or name them apart: {twice}"


# Playwright reads that do not wait: asserted once, they can see the page before a click's
# navigation has arrived. ``expect(locator).to_be_visible()`` and its kin retry instead.
ONCE_READS = re.compile(r"^\s*assert\b.*\.(is_visible|is_hidden|is_checked|is_enabled)\(\)")


def _once_reads(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [f"{path.name}:{n}" for n, line in enumerate(lines, 1) if ONCE_READS.search(line)]


def test_browser_tests_assert_with_expect_not_a_single_read(tmp_path):
    bad = tmp_path / "test_x_browser.py"
    bad.write_text('page.click()\nassert page.get_by_role("alert").is_visible()\n')
    assert _once_reads(bad) == ["test_x_browser.py:2"]  # the check itself finds one
    found = [where for path in sorted(TESTS.glob("*.py")) for where in _once_reads(path)]
    assert found == [], f"use expect(...).to_be_visible() and its kin: {found}"


PACKAGE = TESTS.parent / "uppsikt"
LONGEST_FUNCTION = 60  # lines of body, the docstring not counted
LONG_FUNCTIONS_ALLOWED = {
    # moved/split after the layering merge
    "api/errors.py:install",
    "plans/diff.py:snapshot",
}


def _body_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    body = node.body
    if len(body) > 1 and isinstance(body[0], ast.Expr) and _is_text(body[0].value):
        body = body[1:]  # the docstring
    return body[-1].end_lineno - body[0].lineno + 1


def _is_text(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def test_no_function_is_longer_than_the_limit():
    """Functions (methods and nested ones too) past the limit are split by concept."""
    long = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        functions = [
            node
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        ]
        for node in functions:
            if (lines := _body_lines(node)) > LONGEST_FUNCTION:
                long[f"{path.relative_to(PACKAGE).as_posix()}:{node.name}"] = lines
    too_long = {name: lines for name, lines in long.items() if name not in LONG_FUNCTIONS_ALLOWED}
    assert not too_long, f"Split these by concept (body lines): {too_long}"
    stale = sorted(LONG_FUNCTIONS_ALLOWED - set(long))
    assert not stale, f"No longer long (or moved): drop from LONG_FUNCTIONS_ALLOWED: {stale}"
