"""The chain check as a background job, so a long trail does not hold up a web request."""

from django.conf import settings
from django_tasks import task

from uppsikt.audit.anchors import check_anchor_file
from uppsikt.audit.trail import head_hash, verify
from uppsikt.jobs.runner import running


@task()
def verify_chain_job(job_id: str) -> None:
    with running(job_id) as run:
        count, broken = verify(progress=run.progress)
        anchors, anchor_problem = check_anchor_file(settings.AUDIT_ANCHORS_FILE)
        run.set_result(
            {
                "rows": count,
                "intact": broken is None,
                "broken_at": broken.sequence if broken else None,
                "reason": broken.reason if broken else "",
                "head_hash": head_hash(),
                "anchors": anchors,
                "anchor_problem": anchor_problem,
            }
        )
