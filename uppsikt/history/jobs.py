"""The chain check as a background job, so a long trail does not hold up a web request."""

from django_tasks import task

from uppsikt.audit.trail import head_hash, verify
from uppsikt.jobs.runner import running


@task()
def verify_chain_job(job_id: str) -> None:
    with running(job_id) as run:
        count, broken = verify(progress=run.progress)
        run.set_result(
            {
                "rows": count,
                "intact": broken is None,
                "broken_at": broken.sequence if broken else None,
                "reason": broken.reason if broken else "",
                "head_hash": head_hash(),
            }
        )
