"""The residents' site: the organisations, one organisation's home, its goals and a goal.

Every page is public, kept in the pages cache for anonymous visitors
(``lib.pagecache.cache_public``) and shows decided content only.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from uppsikt.governance.words import styrmodell_for
from uppsikt.lib.pagecache import cache_public
from uppsikt.organisations.models import Organisation

from .goals import connected_to, goals_of, indicator_rows, public_goal
from .key_figures import groups_of
from .navigation import site_menu
from .site import page
from .sites import organisations_with_a_site, site_organisation
from .status import tally


@require_safe
@cache_public
def index(request: HttpRequest) -> HttpResponse:
    regions, kommuner = organisations_with_a_site()
    return page(request, "public/index.html", None, {"regions": regions, "kommuner": kommuner})


@require_safe
@cache_public
def organisation(request: HttpRequest, code: str) -> HttpResponse:
    organisation = site_organisation(code)
    plans = goals_of(organisation)
    scale = styrmodell_for(organisation.pk)
    statuses = [item.status for plan in plans for item in plan.goals]
    links = [link for link in site_menu(code, "") if link.url != request.path]
    return page(
        request,
        "public/organisation.html",
        organisation,
        {
            "vision": organisation.current_vision,
            "value_base": _value_base(organisation),
            "key_figure_groups": groups_of(organisation),
            "tally": tally(statuses, scale),
            "goal_count": len(statuses),
            "plans": [plan.plan for plan in plans],
            "more_links": links,
        },
    )


def _value_base(organisation: Organisation):
    bases = list(organisation.value_bases.prefetch_related("statements"))
    return bases[-1] if bases else None


@require_safe
@cache_public
def goals(request: HttpRequest, code: str) -> HttpResponse:
    organisation = site_organisation(code)
    return page(request, "public/goals.html", organisation, {"plans": goals_of(organisation)})


@require_safe
@cache_public
def goal(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    organisation = site_organisation(code)
    item = public_goal(organisation, pk)
    if item is None:
        raise Http404
    return page(
        request,
        "public/goal.html",
        organisation,
        {
            "item": item,
            "goal": item.goal,
            "plan": item.goal.plan,
            "indicators": indicator_rows(item.goal, organisation),
            "connected": connected_to(item.goal),
        },
    )
