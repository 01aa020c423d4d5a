"""Reporting an accessibility problem (anyone), its receipt, and the reports as the
installation's administrator reads and handles them."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from uppsikt.accounts.access import administers_installation
from uppsikt.lib.pagecache import cache_public
from uppsikt.lib.problems import show_refusal
from uppsikt.lib.typing import AuthenticatedRequest

from ..actions import mark_handled, submit_report
from ..forms import HandledForm, ReportForm
from ..models import AccessibilityReport
from ..pages import public_page
from ..text import local_path
from ..throttle import refused

RECEIPT_SALT = "uppsikt.feedback.receipt"
RECEIPT_HOURS = 24


def receipt_token(report: AccessibilityReport) -> str:
    return signing.dumps(report.pk, salt=RECEIPT_SALT)


@csrf_exempt
@cache_public(params=("sida",))
def report(request: HttpRequest) -> HttpResponse:
    """The form to report a problem, and its posting.

    Exempt from CSRF on purpose: the form is for anonymous visitors, so a forged post could
    only do what anyone may do anyway (send a report), with no one's credentials at stake;
    posts are rate-limited per address (``ACCESSIBILITY_REPORT_RATE_PER_ADDRESS``). Without
    a token the form page can be kept in the public pages cache (``lib/pagecache.py``),
    which never keeps a page holding one."""
    if request.method == "POST":
        too_many = refused(
            request,
            "a11y-report",
            settings.ACCESSIBILITY_REPORT_RATE_PER_ADDRESS,
            request.POST.get("email", "").strip().lower()[:254],
        )
        if too_many is not None:
            return too_many
        form = ReportForm(request.POST)
        if form.is_valid():
            try:
                stored = submit_report(
                    actor=request.user, hosts={request.get_host().lower()}, **form.cleaned_data
                )
            except ValidationError as error:
                show_refusal(form, error)
            else:
                return redirect("feedback:receipt", receipt_token(stored))
        status = 400
    else:
        form = ReportForm(initial={"page": local_path(request.GET.get("sida"))})
        status = 200
    return public_page(request, "feedback/report.html", {"form": form}, status=status)


def receipt(request: HttpRequest, token: str) -> HttpResponse:
    """The receipt: the reference number, for whoever holds the signed link the form sent
    them to (for a day). Never kept in any cache."""
    try:
        pk = signing.loads(token, salt=RECEIPT_SALT, max_age=RECEIPT_HOURS * 3600)
    except signing.BadSignature:
        raise Http404(_("Kvittot finns inte, eller länken är för gammal.")) from None
    found = get_object_or_404(AccessibilityReport, pk=pk)
    response = public_page(request, "feedback/receipt.html", {"report": found})
    response["Cache-Control"] = "private, no-store"
    return response


def _require_admin(request: HttpRequest) -> None:
    if not administers_installation(request.user):
        raise PermissionDenied(
            _("Bara installationens administratör ser rapporterna om tillgänglighetsproblem.")
        )


@login_required
def reports(request: AuthenticatedRequest) -> HttpResponse:
    _require_admin(request)
    everything = AccessibilityReport.objects.select_related("handled_by")
    return render(
        request,
        "feedback/reports.html",
        {
            "open_reports": everything.filter(handled_at__isnull=True),
            "handled_reports": everything.filter(handled_at__isnull=False)[:100],
            "form": HandledForm(),
            "breadcrumbs": [
                (_("Tillgänglighetsredogörelse"), reverse("feedback:statement")),
                (_("Rapporter om tillgänglighetsproblem"), None),
            ],
        },
    )


@login_required
@require_POST
def report_handled(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    found = get_object_or_404(AccessibilityReport, pk=pk)
    form = HandledForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        mark_handled(found, actor=request.user, note=note)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("%(reference)s är markerad som hanterad.") % {"reference": found}
        )
    return redirect("feedback:reports")
