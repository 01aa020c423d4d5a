"""The health endpoint for monitoring: ``GET /healthz`` (docs/operations.md).

No login, never cached. It asks the database a trivial question and reads the background
queue's state in one small query; 200 with a small JSON body when the database answers,
503 when it does not. The body is for machines, so it is not translated.
"""

from __future__ import annotations

import logging

from django.db import Error, connection
from django.db.models import Count, Max, Min, Q
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


def database_answers() -> None:
    """Raise ``django.db.Error`` unless the database answers ``SELECT 1``."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def worker_activity() -> dict:
    """When the worker last took a task, and what waits in the queue (how many, how long).

    A queue whose oldest task waits for minutes means the worker (``uppsikt db_worker``)
    is not running; there is no separate heartbeat.
    """
    waiting = Q(status=TaskResultStatus.READY)
    row = DBTaskResult.objects.order_by().aggregate(
        last_started=Max("started_at"),
        queued=Count("id", filter=waiting),
        oldest_queued=Min("enqueued_at", filter=waiting),
    )
    oldest = row["oldest_queued"]
    return {
        "last_started_at": row["last_started"].isoformat() if row["last_started"] else None,
        "queued": row["queued"],
        "oldest_queued_seconds": (
            int((timezone.now() - oldest).total_seconds()) if oldest is not None else None
        ),
    }


@never_cache
@require_safe
def healthz(request):
    try:
        database_answers()
        worker = worker_activity()
    except Error as error:
        logger.warning("health check: the database does not answer: %s", error)
        return JsonResponse({"status": "unavailable", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "worker": worker})
