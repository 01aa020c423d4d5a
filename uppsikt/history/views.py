"""Change history per object and per person, the chain check for administrators, and the
chain's published anchors for everyone."""

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, can, has_any_role, units_with
from uppsikt.audit.anchors import read_anchors
from uppsikt.audit.models import AuditEvent
from uppsikt.audit.presentation import describe_all, object_url
from uppsikt.audit.trail import current_label, events_for
from uppsikt.jobs.runner import start_job
from uppsikt.lib.typing import AuthenticatedRequest, Visitor
from uppsikt.organisations.models import Unit

from .jobs import verify_chain_job
from .queries import administers_person, visible_events

PAGE_SIZE = 50


def _page(request: HttpRequest, queryset: QuerySet[AuditEvent]) -> Page[AuditEvent]:
    paginator = Paginator(queryset.order_by("-sequence"), PAGE_SIZE)
    return paginator.get_page(request.GET.get("sida"))


def _readable_object(model: type[Model], pk: str, user: Visitor) -> Model:
    if getattr(model, "ACCESS_UNIT", None) is None and model is not Unit:
        raise Http404
    try:
        obj = model._default_manager.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error
    if not can(user, Perm.VIEW, obj):
        raise Http404
    return obj


@login_required
def object_history(request: AuthenticatedRequest, label: str, pk: str) -> HttpResponse:
    """Every event about one object that the visitor may read (404 when there is none)."""
    try:
        model = apps.get_model(current_label(label))
    except (LookupError, ValueError) as error:
        raise Http404 from error
    events = visible_events(events_for(model._meta.label_lower, pk), request.user)
    latest = events.order_by("-sequence").first()
    if latest is None:
        # No change recorded yet (e.g. loaded from the data file): an empty history for an
        # object the visitor may read, and no hint of existence for one they may not.
        obj = _readable_object(model, pk, request.user)
        title, url = str(obj), getattr(obj, "get_absolute_url", lambda: "")()
    else:
        title, url = latest.object_repr, object_url(latest)
    page = _page(request, events)
    return render(
        request,
        "audit/object_history.html",
        {
            "title": title,
            "kind": model._meta.verbose_name,
            "object_url": url,
            "page": page,
            "rows": describe_all(page.object_list),
            "breadcrumbs": [(_("Ändringshistorik"), None)],
        },
    )


@login_required
def person_history(request: AuthenticatedRequest, user_id: int) -> HttpResponse:
    """What one person did: all of it to themselves, their units' part to administrators."""
    person = get_object_or_404(get_user_model(), pk=user_id)
    events = AuditEvent.objects.filter(actor_id=person.pk)
    if person.pk != request.user.pk:
        events = visible_events(events, request.user, Perm.ADMIN)
        if not administers_person(request.user, person.pk, events):
            raise Http404
    page = _page(request, events)
    return render(
        request,
        "audit/person_history.html",
        {
            "person": person,
            "is_self": person.pk == request.user.pk,
            "page": page,
            "rows": describe_all(page.object_list),
            "breadcrumbs": [
                (_("Mitt konto"), reverse("accounts:account")),
                (_("Ändringslogg"), None),
            ],
        },
    )


@login_required
def my_history(request: AuthenticatedRequest) -> HttpResponse:
    return redirect("history:person", request.user.pk)


@login_required
def verify_chain(request: AuthenticatedRequest) -> HttpResponse:
    """Administrators start the chain check; it runs as a background job with progress."""
    if not units_with(request.user, Perm.ADMIN):
        raise PermissionDenied(_("Bara administratörer kan kontrollera ändringsloggen."))
    if request.method == "POST":
        job = start_job(
            verify_chain_job,
            kind="audit_verify",
            title=_("Kontroll av ändringsloggen"),
            user=request.user,
            repeatable=True,  # only reads
        )
        messages.info(request, _("Kontrollen har startat."))
        return redirect(job.get_absolute_url())
    return render(
        request,
        "audit/verify.html",
        {
            "count": AuditEvent.objects.count(),
            "has_role": has_any_role(request.user),
            "breadcrumbs": [
                (_("Mitt konto"), reverse("accounts:account")),
                (_("Kontrollera ändringsloggen"), None),
            ],
        },
    )


def anchors(request):
    """The anchors published so far, newest first: public, so that others can keep copies.

    Only what the anchors file says (time, sequence, hash) is shown; nothing of the trail.
    """
    published, _bad_lines = read_anchors(settings.AUDIT_ANCHORS_FILE)
    page = Paginator(published[::-1], 100).get_page(request.GET.get("sida"))
    return render(
        request,
        "audit/anchors.html",
        {"page": page, "breadcrumbs": [(_("Ändringsloggens ankare"), None)]},
    )


def anchors_text(request):
    """The same anchors as lines of text, oldest first, as in the anchors file."""
    published, _bad_lines = read_anchors(settings.AUDIT_ANCHORS_FILE)
    return HttpResponse(
        "".join(anchor.line() for anchor in published), content_type="text/plain; charset=utf-8"
    )
