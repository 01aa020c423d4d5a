"""The report page (the HTML version, with buttons that generate files) and the template page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from uppsikt.accounts.access import Perm, can
from uppsikt.jobs.runner import start_job
from uppsikt.organisations.models import Organisation, Unit
from uppsikt.periods.models import ReportingPeriod
from uppsikt.periods.rules import can_on_organisation

from .actions import remove_report_template, set_report_template
from .build import FORMATS, build_document
from .forms import TemplateForm
from .models import ReportTemplate
from .public import is_published
from .published import public_page, public_side, published_target
from .tasks import build_report_job


def _target(request, code: str, slug: str, unit_slug: str) -> tuple[Unit, ReportingPeriod]:
    unit = get_object_or_404(
        Unit.objects.select_related("organisation"), organisation__code=code, slug=unit_slug
    )
    if not can(request.user, Perm.VIEW, unit):
        raise Http404
    period = get_object_or_404(ReportingPeriod, organisation=unit.organisation, slug=slug)
    return unit, period


def report_page(request, code: str, slug: str, unit_slug: str):
    """The report as a page. Readers of the unit see it in every state, with the buttons
    that make files; anyone sees it once approved (``public``), built from approved
    reports only."""
    unit = Unit.objects.filter(organisation__code=code, slug=unit_slug).first()
    if unit is None or not can(request.user, Perm.VIEW, unit):
        try:
            unit, period = published_target(code, slug, unit_slug)
        except Http404:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise
        return public_page(request, unit, period)
    unit, period = _target(request, code, slug, unit_slug)
    document = build_document(unit, period, user=request.user)
    return render(
        request,
        "reports/report_page.html",
        {
            "document": document,
            "unit": unit,
            "period": period,
            "formats": [(key, fmt.label) for key, fmt in FORMATS.items()],
            **(public_side(unit, period) if is_published(unit, period) else {}),
            "breadcrumbs": [
                (_("Uppföljning"), reverse("followup:index")),
                (unit.organisation.name, reverse("followup:periods", args=[code])),
                (period.name, reverse("followup:dashboard", args=[code, slug])),
                (unit.name, reverse("followup:unit", args=[code, slug, unit_slug])),
                (_("Rapport"), None),
            ],
        },
    )


@login_required
@require_POST
def generate(request, code: str, slug: str, unit_slug: str):
    unit, period = _target(request, code, slug, unit_slug)
    fmt = request.POST.get("format", "")
    if fmt not in FORMATS:
        messages.error(request, _("Välj ett format: PDF, Word, Excel eller HTML."))
        return redirect("reports:page", code, slug, unit_slug)
    job = start_job(
        build_report_job,
        kind="report",
        title=_("%(report)s – %(unit)s (%(format)s)")
        % {"report": period.name, "unit": unit.name, "format": FORMATS[fmt].label},
        user=request.user,
        unit=unit,
        repeatable=True,  # only reads, and makes the same file again
        unit_id=unit.pk,
        period_id=period.pk,
        fmt=fmt,
    )
    return redirect(job.get_absolute_url())


@login_required
def template_page(request, code: str):
    organisation = get_object_or_404(Organisation, code=code)
    if not can_on_organisation(request.user, Perm.ADMIN, organisation.pk):
        raise Http404
    current = ReportTemplate.objects.filter(organisation=organisation).first()
    form = TemplateForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        try:
            if request.POST.get("remove"):
                remove_report_template(organisation, actor=request.user)
                messages.success(request, _("Standardmallen används igen."))
                return redirect(request.path)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                set_report_template(
                    organisation, actor=request.user, name=upload.name, data=upload.read()
                )
                messages.success(request, _("Mallen är sparad och används för nya rapporter."))
                return redirect(request.path)
        except ValidationError as error:
            for field, errors in getattr(error, "message_dict", {None: error.messages}).items():
                form.add_error(field if field in form.fields else None, errors)
        except PermissionDenied as error:
            form.add_error(None, str(error))
    return render(
        request,
        "reports/template_page.html",
        {
            "organisation": organisation,
            "current": current,
            "form": form,
            "breadcrumbs": [
                (_("Uppföljning"), reverse("followup:index")),
                (organisation.name, reverse("followup:periods", args=[code])),
                (_("Word-mall"), None),
            ],
        },
    )
