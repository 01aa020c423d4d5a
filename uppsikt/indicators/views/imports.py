"""Uploading a file of measurements, the template to fill in, and re-running with skips."""

import uuid
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from uppsikt.accounts.access import Perm, units_with
from uppsikt.jobs.models import Job
from uppsikt.jobs.runner import start_job
from uppsikt.jobs.views import visible_job

from ..forms import ImportForm
from ..importers.files import detect_format
from ..importers.xlsx import template
from ..models import ImportBatch
from ..tasks import import_measurements_job

JOB_KIND = "measurements_import"


def _require_planner(user) -> None:
    if not units_with(user, Perm.PLAN):
        raise PermissionDenied(_("Du har inte behörighet att läsa in mätvärden."))


def _start(request, path: str, filename: str, format: str, skip: bool) -> Job:
    title = _("Inläsning av %(file)s") % {"file": filename}
    if skip:
        title += " " + _("(felaktiga rader hoppas över)")
    return start_job(
        import_measurements_job,
        kind=JOB_KIND,
        title=title,
        user=request.user,
        path=path,
        filename=filename,
        format=format,
        skip_bad_rows=skip,
    )


@login_required
def upload(request):
    _require_planner(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        name = Path(upload.name).name
        format = form.cleaned_data["format"] or detect_format(name)
        if format is None:
            form.add_error(
                "format", _("Välj format: filändelsen säger inte om det är CSV, XLSX eller JSON.")
            )
        else:
            path = default_storage.save(f"inlasning/{uuid.uuid4().hex}/{name}", upload)
            job = _start(request, path, name, format, form.cleaned_data["skip_bad_rows"])
            return redirect(job)
    return render(
        request,
        "indicators/import.html",
        {
            "form": form,
            "batches": ImportBatch.objects.select_related("imported_by")[:10],
            "breadcrumbs": [
                (_("Indikatorer"), reverse("indicators:list")),
                (_("Läs in mätvärden"), None),
            ],
        },
    )


@login_required
def download_template(request):
    _require_planner(request.user)
    response = HttpResponse(
        template(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="matvarden-mall.xlsx"'
    return response


@login_required
@require_POST
def skip_bad_rows(request, pk):
    """Run a refused import again, this time leaving out the bad rows."""
    _require_planner(request.user)
    job = visible_job(request, pk)
    path = (job.result or {}).get("upload")
    if job.kind != JOB_KIND or job.created_by_id != request.user.pk or not path:
        raise Http404
    if not default_storage.exists(path):
        raise Http404
    result = job.result
    new = _start(request, path, result["filename"], result["format"], skip=True)
    return redirect(new)
