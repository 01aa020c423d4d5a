"""A job's page: its progress while it runs, and its result when done."""

from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import select_template
from django.urls import reverse
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, can

from .models import Job
from .reaper import reap_job


def visible_job(request, pk) -> Job:
    """The job, if the visitor started it or may read its unit's unpublished content.

    A job whose worker died is failed (or queued again) here, so its page never waits for ever.
    """
    job = get_object_or_404(Job.objects.select_related("unit"), pk=pk)
    user = request.user
    started_it = user.is_authenticated and job.created_by_id == user.pk
    if not (started_it or can(user, Perm.VIEW, job.unit)):
        raise Http404
    return reap_job(job)


def job_detail(request, pk):
    job = visible_job(request, pk)
    result_template = select_template(
        [f"jobs/result_{job.kind}.html", "jobs/result_default.html"]
    ).template.name
    return render(
        request,
        "jobs/job_detail.html",
        {
            "job": job,
            "result_template": result_template,
            "breadcrumbs": [(_("Mitt konto"), reverse("accounts:account")), (job.title, None)],
        },
    )


def job_status(request, pk):
    """The same facts as JSON, for the page's script to poll."""
    job = visible_job(request, pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "done": job.done,
            "total": job.total,
            "percent": job.percent,
            "step": job.step,
            "finished": job.finished,
            "error": job.error,
        }
    )


def job_file(request, pk):
    job = visible_job(request, pk)
    if job.status != Job.Status.DONE or not job.result_file:
        raise Http404
    return FileResponse(job.result_file.open("rb"), as_attachment=True, filename=job.result_name)
