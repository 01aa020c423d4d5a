"""The public site's number pages: indicators, one indicator's trend, the budget and the
reports of one organisation. Every page is the public's view, kept in the pages cache for
visitors who are not signed in (``lib.pagecache``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from uppsikt.lib.findable import absolute
from uppsikt.lib.pagecache import cache_public
from uppsikt.organisations.models import Organisation

from .budget_pages import overview
from .indicator_pages import indicator_trend, plan_indicators, public_definition
from .plans_in_force import YEAR_PARAM, YearChoice, chosen_year
from .report_pages import organisation_reports
from .site import page


def _organisation(code: str) -> Organisation:
    return get_object_or_404(Organisation, code=code)


def _year_context(request: HttpRequest, choice: YearChoice) -> dict:
    """The year's context; a year asked for is part of the page's canonical address."""
    context: dict = {"choice": choice}
    if request.GET.get(YEAR_PARAM) is not None:
        path = f"{request.path}?{YEAR_PARAM}={choice.year}"
        context["canonical_url"] = absolute(path)  # UPPSIKT_SITE_URL, never the Host header
    return context


@cache_public(params=(YEAR_PARAM,))
def indicators(request: HttpRequest, code: str) -> HttpResponse:
    organisation = _organisation(code)
    choice = chosen_year(organisation, request.GET.get(YEAR_PARAM))
    return page(
        request,
        "public/numbers_indicators.html",
        organisation,
        {**_year_context(request, choice), "plans": plan_indicators(organisation, choice.plans)},
    )


@cache_public
def indicator(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    organisation = _organisation(code)
    definition = public_definition(organisation, pk)
    return page(
        request,
        "public/numbers_indicator.html",
        organisation,
        {"trend": indicator_trend(organisation, definition)},
    )


@cache_public(params=(YEAR_PARAM,))
def budget(request: HttpRequest, code: str) -> HttpResponse:
    organisation = _organisation(code)
    choice = chosen_year(organisation, request.GET.get(YEAR_PARAM))
    return page(
        request,
        "public/numbers_budget.html",
        organisation,
        {**_year_context(request, choice), "tables": overview(choice.plans)},
    )


@cache_public
def reports(request: HttpRequest, code: str) -> HttpResponse:
    organisation = _organisation(code)
    return page(
        request,
        "public/numbers_reports.html",
        organisation,
        {"reports": organisation_reports(organisation)},
    )
