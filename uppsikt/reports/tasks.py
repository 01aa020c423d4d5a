"""Generating a report in the background, with progress on the job's page."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django_tasks import task

from uppsikt.jobs.runner import running
from uppsikt.organisations.models import Unit
from uppsikt.periods.models import ReportingPeriod

from .build import FORMATS, build_report


@task()
def build_report_job(job_id: str, unit_id: int, period_id: int, fmt: str) -> None:
    with running(job_id) as run:
        user = run.user
        if user is None:  # the starter is gone: nobody's permissions to act with
            raise PermissionDenied(_("Användaren som startade jobbet finns inte längre."))
        unit = Unit.objects.select_related("organisation").get(pk=unit_id)
        period = ReportingPeriod.objects.get(pk=period_id)
        name, _type, data = build_report(unit, period, fmt, user=user, progress=run.progress)
        run.attach(name, data)
        run.set_result({"format": FORMATS[fmt].label, "kilobyte": len(data) // 1024})
