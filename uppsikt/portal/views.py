from django.db.models import Count, Q
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from uppsikt.lib.pagecache import cache_public
from uppsikt.organisations.models import Organisation
from uppsikt.plans.models import Plan
from uppsikt.plans.search import search_plans
from uppsikt.reports.public import published_reports
from uppsikt.tasks import listing

START_TASKS = 8  # the start page shows the first few; /att-gora/ shows them all


def _todo(request) -> dict:
    """A signed-in person's tasks, first on the start page (``tasks.listing``)."""
    if not request.user.is_authenticated:
        return {}
    found = listing.rows(request.user)
    return {
        "todo": True,
        "todo_rows": found[:START_TASKS],
        "todo_total": len(found),
        "todo_late": sum(1 for row in found if row.overdue),
    }


@cache_public  # "Att göra" is shown to signed-in people only, who are never served a kept page
def home(request):
    visible = Plan.objects.visible_to(request.user)
    organisations = Organisation.objects.annotate(
        plan_count=Count("units__plans", filter=Q(units__plans__in=visible), distinct=True)
    ).order_by("kind", "code")
    plans = (
        visible.select_related("unit__organisation")
        .with_superseded()
        .order_by("-year", "unit__position", "-version")[:12]
    )
    return render(
        request,
        "portal/home.html",
        {
            "regions": [org for org in organisations if org.kind != "kommun"],
            "municipalities": [org for org in organisations if org.kind == "kommun"],
            "plans": plans,
            "reports": published_reports()[:6],
            **_todo(request),
        },
    )


def search(request):
    query = request.GET.get("q", "").strip()
    results = search_plans(query, request.user) if query else []
    return render(request, "portal/search.html", {"query": query, "results": results})


@csrf_exempt
def choose_language(request):
    """Django's ``set_language`` without a CSRF token: choosing a language only sets the
    visitor's language cookie, and a page with no token can be kept for everyone
    (lib/pagecache.py)."""
    return set_language(request)


def page_not_found(request, exception=None):
    """404 in Swedish; under /api/ the API's JSON error instead of a page."""
    from django.http import JsonResponse
    from django.utils.translation import gettext as _
    from django.views.defaults import page_not_found as django_page_not_found

    if request.path.startswith("/api/"):
        body = {"code": "not_found", "message": _("Hittades inte."), "errors": []}
        return JsonResponse(body, status=404)
    return django_page_not_found(request, exception)
