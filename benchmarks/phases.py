"""What the benchmarks that time their work in a child process share: the child's
environment (the throwaway var dir's SQLite unless told otherwise) and a throwaway
PostgreSQL database next to it."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("UPPSIKT_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def child_env(var_dir: str) -> dict[str, str]:
    """The environment of a child process on ``var_dir``'s own SQLite database."""
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="uppsikt.settings",
        UPPSIKT_DEBUG="0",
        UPPSIKT_VAR_DIR=var_dir,
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        PYTHONPATH=os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p),
    )
    env.pop("DATABASE_URL", None)
    return env


@contextmanager
def throwaway_postgres(env: dict[str, str], prefix: str) -> Iterator[dict[str, str] | None]:
    """``env`` on a new PostgreSQL database (``UPPSIKT_PG_URL``), dropped afterwards; None
    (and why, printed) when PostgreSQL cannot be reached."""
    try:
        import psycopg

        admin = psycopg.connect(PG_URL, autocommit=True, connect_timeout=3)
    except Exception as error:
        print(f"\nPostgreSQL not reachable ({error}); SQLite only.")
        yield None
        return
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**env, "DATABASE_URL": f"{PG_URL.rsplit('/', 1)[0]}/{name}"}
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
