"""Running Uppsikt in production (docs/operations.md): the health endpoint, the deploy
settings from ``deploy/uppsikt.env``, the package contents, and backup and restore with
PostgreSQL's own tools."""

from __future__ import annotations

import glob
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tomllib
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django_tasks import task

from .builders import ROOT, demo_load_steps

BIN = Path(sys.executable).parent
BASH = shutil.which("bash") or "/bin/bash"
ENV_TEMPLATE = ROOT / "deploy" / "uppsikt.env"
# Settings that only tests and development use; README names them below its table.
DEVELOPMENT_ONLY = {"UPPSIKT_TASK_BACKEND", "UPPSIKT_MANIFEST_STATIC", "UPPSIKT_TEST_DB_NAME"}


def run(argv: list[str], env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    """Run one of our own commands with exactly ``env`` (plus PATH), from the checkout."""
    return subprocess.run(  # noqa: S603 - our own interpreter, scripts and fixed arguments
        argv,
        env={"PATH": os.environ["PATH"], "LANG": "C.UTF-8", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=180,
        **kwargs,
    )


# -- the health endpoint ----------------------------------------------------------------------


@task()
def nothing() -> None:
    """A task that only has to be queued and run."""


@pytest.mark.django_db(transaction=True)
def test_health_answers_without_login_never_cached_with_the_queue(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["worker"] == {"last_started_at": None, "queued": 0, "oldest_queued_seconds": None}

    nothing.enqueue()
    worker = client.get("/healthz").json()["worker"]
    assert worker["queued"] == 1
    assert worker["oldest_queued_seconds"] >= 0

    from .builders import run_queued_jobs

    run_queued_jobs()
    worker = client.get("/healthz").json()["worker"]
    assert worker["queued"] == 0
    assert worker["oldest_queued_seconds"] is None
    assert worker["last_started_at"] is not None

    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_health_is_503_when_the_database_does_not_answer(tmp_path):
    """A real failure: Uppsikt pointed at a PostgreSQL port where nothing listens."""
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "r = Client().get('/healthz')\n"
        "import json\n"
        "print(json.dumps([r.status_code, r['Cache-Control'], r.json()]))\n"
    )
    result = run(
        [sys.executable, "-c", script],
        {
            "DJANGO_SETTINGS_MODULE": "uppsikt.settings",
            "DATABASE_URL": "postgres://uppsikt@127.0.0.1:1/uppsikt",
            "SECRET_KEY": "x" * 50,
            "ALLOWED_HOSTS": "testserver",
            "UPPSIKT_VAR_DIR": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stderr
    status, cache_control, body = json.loads(result.stdout)
    assert status == 503
    assert "no-store" in cache_control
    assert body == {"status": "unavailable", "database": "error"}
    assert "the database does not answer" in result.stderr  # logged for the operator


# -- the production settings ------------------------------------------------------------------


def template_settings() -> tuple[dict[str, str], set[str]]:
    """The template's active ``NAME=value`` lines, and every name it lists (also ``#NAME=``)."""
    active, listed = {}, set()
    for line in ENV_TEMPLATE.read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"(#?)([A-Z][A-Z0-9_]*)=(.*)", line.strip())
        if match:
            listed.add(match[2])
            if not match[1]:
                active[match[2]] = match[3]
    return active, listed


def production_env(tmp_path: Path) -> dict[str, str]:
    """The template's values; only the paths to the key and to var/ point into tmp_path."""
    env, _listed = template_settings()
    key = tmp_path / "secret_key"
    key.write_text(secrets.token_urlsafe(50), encoding="utf-8")
    env.update(SECRET_KEY_FILE=str(key), UPPSIKT_VAR_DIR=str(tmp_path / "var"))
    return env


def test_check_deploy_is_clean_with_the_documented_production_environment(tmp_path):
    result = run(
        [str(BIN / "uppsikt"), "check", "--deploy", "--fail-level", "WARNING"],
        production_env(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_embedded_defaults_stay_those_of_the_local_demo(tmp_path):
    """Without the environment the settings are the laptop's: no HTTPS, so no HSTS."""
    result = run(
        [str(BIN / "uppsikt"), "check", "--deploy"],
        {"UPPSIKT_VAR_DIR": str(tmp_path), "SECRET_KEY": secrets.token_urlsafe(50)},
    )
    assert result.returncode == 0, result.stderr
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr, result.stderr


def settings_variables() -> set[str]:
    """Every environment variable that uppsikt/settings.py reads."""
    source = (ROOT / "uppsikt" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r'(?:env_\w+|os\.environ\.get)\(\s*"([A-Z][A-Z0-9_]*)"', source))
    secrets_ = set(re.findall(r'env_secret\(\s*"([A-Z][A-Z0-9_]*)"', source))
    return names | {f"{name}_FILE" for name in secrets_}


def readme_variables() -> set[str]:
    """The names in the first column of README's configuration table; a wildcard such as
    `UPPSIKT_OIDC_*` stands for every such name that the settings read."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    names, prefixes = set(), []
    for line in section.splitlines():
        if line.startswith("| `"):
            first_column = line.split("|")[1]
            names |= set(re.findall(r"`([A-Z][A-Z0-9_]*)`", first_column))
            prefixes += re.findall(r"`([A-Z][A-Z0-9_]*)\*`", first_column)
    return names | {name for name in settings_variables() if name.startswith(tuple(prefixes))}


def test_every_setting_is_documented_and_in_the_environment_template():
    documented = readme_variables()
    undocumented = settings_variables() - documented - DEVELOPMENT_ONLY
    assert not undocumented, f"add these to README's configuration table: {sorted(undocumented)}"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in DEVELOPMENT_ONLY:
        assert f"`{name}`" in readme, name
    _active, listed = template_settings()
    missing = documented - listed
    assert not missing, f"add these to deploy/uppsikt.env: {sorted(missing)}"


def test_the_installed_package_carries_every_file_it_reads():
    """A production install (`pip install .`) takes only package-data besides the modules."""
    with open(ROOT / "pyproject.toml", "rb") as f:
        patterns = tomllib.load(f)["tool"]["setuptools"]["package-data"]["uppsikt"]
    package = ROOT / "uppsikt"
    covered = {
        path
        for pattern in patterns
        for path in glob.glob(pattern, root_dir=package, recursive=True)
        if (package / path).is_file()
    }
    files = {
        str(path.relative_to(package))
        for path in package.rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts
    }
    assert not files - covered, f"add to package-data: {sorted(files - covered)}"


# -- backup and restore with pg_dump / pg_restore -----------------------------------------------

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_dump and pg_restore need PostgreSQL"
)


LOAD_DEMO = """
import json, os, sys
import django
django.setup()
from django.core.management import call_command
quiet = open(os.devnull, "w")
call_command("migrate", interactive=False, verbosity=0)
for argv in json.loads(sys.argv[1]):
    call_command(*argv, stdout=quiet)
"""


class Server:
    """The PostgreSQL server the tests use, for databases of our own beside the test one."""

    def __init__(self):
        self.params = connection.settings_dict

    def url(self, name: str) -> str:
        user, password = quote(self.params["USER"] or ""), quote(self.params["PASSWORD"] or "")
        auth = f"{user}:{password}@" if password else f"{user}@"
        host = self.params["HOST"] or ""
        port = f":{self.params['PORT']}" if self.params["PORT"] else ""
        return f"postgres://{auth}{host}{port}/{name}"

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(sql)

    def table_counts(self, name: str) -> dict[str, int]:
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.url(name)) as conn:
            tables = [
                row[0]
                for row in conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
                )
            ]
            return {
                table: conn.execute(
                    sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
                ).fetchone()[0]
                for table in tables
            }

    def budget_import_files(self, name: str) -> list[str]:
        import psycopg

        with psycopg.connect(self.url(name)) as conn:
            return [row[0] for row in conn.execute("SELECT file FROM budget_budgetimport")]


@on_postgres
def test_the_demo_survives_pg_dump_and_pg_restore_into_a_new_database(tmp_path):
    tools = [tool for tool in ("pg_dump", "pg_restore", "psql") if not shutil.which(tool)]
    if tools:
        message = f"backup needs PostgreSQL's client programs: {tools} (postgresql-client)"
        if os.environ.get("UPPSIKT_REQUIRE_PG"):
            pytest.fail(message)
        pytest.skip(message)
    server = Server()
    suffix = uuid.uuid4().hex[:10]
    source, restored = f"uppsikt_backup_{suffix}", f"uppsikt_restore_{suffix}"
    source_var, restored_var = tmp_path / "source-var", tmp_path / "restored-var"
    base_env = {"SECRET_KEY": "x" * 50, "DJANGO_SETTINGS_MODULE": "uppsikt.settings"}
    source_env = {
        **base_env,
        "DATABASE_URL": server.url(source),
        "UPPSIKT_VAR_DIR": str(source_var),
    }
    restored_env = {
        **base_env,
        "DATABASE_URL": server.url(restored),
        "UPPSIKT_VAR_DIR": str(restored_var),
    }
    server.admin(f'CREATE DATABASE "{source}"')
    try:
        loaded = run([sys.executable, "-c", LOAD_DEMO, json.dumps(demo_load_steps())], source_env)
        assert loaded.returncode == 0, loaded.stderr

        backup = run([BASH, "scripts/backup.sh", str(tmp_path / "backups")], source_env)
        assert backup.returncode == 0, backup.stderr
        dump, media = backup.stdout.split()
        assert dump.endswith(".dump") and media.endswith("-media.tar.gz")

        server.admin(f'CREATE DATABASE "{restored}"')
        restore = run([BASH, "scripts/restore.sh", dump, media], restored_env)
        assert restore.returncode == 0, restore.stderr

        before, after = server.table_counts(source), server.table_counts(restored)
        assert after == before
        for table in ("plans_plan", "plans_goal", "indicators_measurement", "budget_figure"):
            assert after[table] > 0, table
        assert after["audit_auditevent"] > 100
        files = server.budget_import_files(restored)
        assert files
        for name in files:
            assert (restored_var / "media" / name).is_file(), name

        verified = run([str(BIN / "uppsikt"), "audit", "verify"], restored_env)
        assert verified.returncode == 0, verified.stdout + verified.stderr
        assert f"{after['audit_auditevent']} rader kontrollerade" in verified.stdout
        migrated = run([str(BIN / "uppsikt"), "migrate", "--check"], restored_env)
        assert migrated.returncode == 0, migrated.stdout + migrated.stderr

        again = run([BASH, "scripts/restore.sh", dump], restored_env)
        assert again.returncode == 1
        assert "new, empty database" in again.stderr
    finally:
        for name in (source, restored):
            server.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
