"""Real ``db_worker`` processes for tests, on the test database.

On PostgreSQL a worker process opens the test database itself. The SQLite test database lives
in this process's memory, so it is copied to a file for the workers (``push``) and copied back
to be read (``pull``); act in this process only between a ``pull`` and the next ``push``.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent


class Workers:
    def __init__(self, tmp_path: Path, **env: str) -> None:
        self.tmp_path = tmp_path
        self.sqlite = connection.vendor == "sqlite"
        self.file = tmp_path / "workers.sqlite3"
        self.env = {**os.environ, **env}
        self.env.update(
            DJANGO_SETTINGS_MODULE="uppsikt.settings",
            PYTHONPATH=str(BASE_DIR),
            UPPSIKT_VAR_DIR=str(tmp_path / "var"),
            DATABASE_URL=f"sqlite:///{self.file}" if self.sqlite else self._postgres_url(),
        )
        self.processes: list[subprocess.Popen] = []

    @staticmethod
    def _postgres_url() -> str:
        db = connection.settings_dict
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"

    def push(self) -> None:
        """Let the workers see what this process wrote."""
        if self.sqlite:
            connection.ensure_connection()
            target = sqlite3.connect(self.file)
            connection.connection.backup(target)
            target.close()

    def pull(self) -> None:
        """See what the workers wrote."""
        if self.sqlite and self.file.exists():
            source = sqlite3.connect(self.file)
            source.backup(connection.connection)
            source.close()

    def start(self, queue: str = "default", *extra: str) -> subprocess.Popen:
        command = [sys.executable, "-m", "django", "db_worker", "--queue-name", queue]
        command += ["--interval", "0.1", "--no-startup-delay", "--no-reload", "--skip-checks"]
        log = self.tmp_path / f"worker-{len(self.processes)}.log"
        with log.open("wb") as output:
            process = subprocess.Popen(  # noqa: S603 - our interpreter, fixed arguments
                [*command, *extra], cwd=BASE_DIR, env=self.env, stdout=output, stderr=output
            )
        process.log = log
        self.processes.append(process)
        return process

    def kill(self, process: subprocess.Popen) -> None:
        """``kill -9``: the worker gets no chance to mark anything."""
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def wait_until(self, condition: Callable[[], bool], what: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pull()
            if condition():
                return
            for process in self.processes:
                if process.poll() not in (None, -signal.SIGKILL, 0):
                    raise AssertionError(f"A worker failed: {process.log.read_text()}")
            time.sleep(0.1)
        raise AssertionError(f"Timed out waiting for {what}")

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=10)
