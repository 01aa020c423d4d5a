"""Signs of life from a running job: which worker process runs it, and that it still does.

While a job runs, a small thread of the worker touches the job's row every
``JOBS_HEARTBEAT_SECONDS`` (the progress callback touches it too). ``reaper`` reads these
marks to find the jobs of a worker that died.
"""

from __future__ import annotations

import logging
import os
import socket
import threading

from django.db import DatabaseError, connection
from django.db.models import QuerySet
from django.utils import timezone

logger = logging.getLogger(__name__)


def worker_identity() -> str:
    """This process as "host:pid", kept on the jobs it runs."""
    return f"{socket.gethostname()}:{os.getpid()}"


def local_process_gone(identity: str) -> bool:
    """True when ``identity`` names a process on this host that no longer exists.

    Only a definite answer counts: another host, an unreadable identity or a process we may
    not signal (another user's) is not "gone".
    """
    host, _sep, pid = identity.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


class Heartbeat:
    """Touches ``rows`` (the running job) every ``interval`` seconds from its own thread.

    Used as a context manager around the job's work. A beat that fails (on SQLite, another
    connection holding the write lock for long) is logged and the next one tried.
    """

    def __init__(self, rows: QuerySet, interval: float) -> None:
        self.rows = rows
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="job-heartbeat", daemon=True)

    def __enter__(self) -> Heartbeat:
        if self.interval > 0:
            self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=self.interval + 6)

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                try:
                    self.rows.update(heartbeat_at=timezone.now())
                except DatabaseError:
                    logger.warning("Heartbeat of a job failed; trying again", exc_info=True)
        finally:
            connection.close()  # this thread's own connection
