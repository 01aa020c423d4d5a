"""The KPI catalogue's pages: the search, one KPI, and linking it to an indicator definition.

Reading is public, like Kolada's own catalogue and the indicator pages that link here.
Linking needs a login and the right to change the definition (``linking.py``); the forms
post to their own addresses and come back to the KPI's page.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from uppsikt.accounts.access import Perm, require_somewhere, units_with
from uppsikt.indicators.models import IndicatorDefinition
from uppsikt.lib.problems import show_refusal

from .forms import CreateForm, LinkForm, SearchForm, UnlinkForm
from .linking import (
    create_definition_from_kpi,
    definitions_of,
    definitions_to_link,
    link_kpi,
    unlink_kpi,
)
from .models import KoladaKpi
from .search import Criteria, last_read, search_kpis, words_of

PAGE_SIZE = 25


def _crumbs(*more: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [
        (_("Indikatorer"), reverse("indicators:list")),
        (_("Koladas katalog"), reverse("kolada:catalogue") if more else None),
        *more,
    ]


def catalogue(request: HttpRequest) -> HttpResponse:
    """Search the catalogue: free text and filters as query parameters, a page at a time."""
    form = SearchForm(request.GET or None)
    criteria = form.criteria()
    page = _page_of(criteria, request.GET.get("sida"))
    kept = {name: value for name, value in request.GET.items() if name != "sida" and value}
    return render(
        request,
        "kolada/catalogue.html",
        {
            "form": form,
            "page": page,
            "searched": bool(kept),
            "query": urlencode(kept),
            "empty": not KoladaKpi.objects.exists(),
            "last_read": last_read(),
            "breadcrumbs": _crumbs(),
        },
    )


def _page_of(criteria: Criteria, number: str | None) -> Page:
    """One page of the hits. With words, their ids are read in one query and then the
    page's rows: counting and slicing the queryset would fold every KPI's text twice."""
    found = search_kpis(criteria)
    if not words_of(criteria.text):
        return Paginator(found, PAGE_SIZE).get_page(number)
    page = Paginator(list(found.values_list("pk", flat=True)), PAGE_SIZE).get_page(number)
    rows = KoladaKpi.objects.in_bulk(list(page.object_list))
    shown: Any = [rows[pk] for pk in page.object_list]  # the page's KPIs in place of ids
    page.object_list = shown
    return page


def kpi_detail(request: HttpRequest, code: str) -> HttpResponse:
    kpi = get_object_or_404(KoladaKpi, code=code)
    return _kpi_page(request, kpi)


def _kpi_page(
    request: HttpRequest,
    kpi: KoladaKpi,
    link_form: LinkForm | None = None,
    create_form: CreateForm | None = None,
    unlink_error: str = "",
) -> HttpResponse:
    user: Any = request.user  # a person or the public
    may_link = user.is_authenticated and bool(units_with(user, Perm.PLAN))
    choices = definitions_to_link(user, kpi) if may_link else []
    linked = list(definitions_of(kpi.code))
    return render(
        request,
        "kolada/kpi_detail.html",
        {
            "kpi": kpi,
            "linked": linked,
            "may_link": may_link,
            "link_form": link_form or LinkForm(definitions=choices),
            "create_form": create_form or CreateForm(),
            "unlink_error": unlink_error,
            "breadcrumbs": _crumbs((kpi.code, None)),
        },
    )


def _done(request: HttpRequest, kpi: KoladaKpi, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(reverse("kolada:kpi", args=[kpi.code]))


@login_required
@require_POST
def link(request: Any, code: str) -> HttpResponse:
    """Link the KPI to the chosen definition (confirmed when the action asks for it)."""
    require_somewhere(request.user, Perm.PLAN)
    kpi = get_object_or_404(KoladaKpi, code=code)
    form = LinkForm(request.POST, definitions=definitions_to_link(request.user, kpi))
    if form.is_valid():
        definition = form.chosen()
        if definition is None:
            form.add_error("definition", _("Definition: Välj en definition i listan."))
        else:
            try:
                link_kpi(
                    kpi, definition, actor=request.user, confirmed=form.cleaned_data["confirm"]
                )
            except ValidationError as error:
                show_refusal(form, error)
            else:
                return _done(
                    request,
                    kpi,
                    _("%(code)s är kopplad till %(name)s.")
                    % {"code": kpi.code, "name": definition.name},
                )
    return _kpi_page(request, kpi, link_form=form)


@login_required
@require_POST
def create_definition(request: Any, code: str) -> HttpResponse:
    """A new definition from the KPI, with the unit and polarity chosen."""
    require_somewhere(request.user, Perm.PLAN)
    kpi = get_object_or_404(KoladaKpi, code=code)
    form = CreateForm(request.POST)
    if form.is_valid():
        try:
            definition = create_definition_from_kpi(
                kpi,
                actor=request.user,
                unit=form.cleaned_data["unit"],
                polarity=form.cleaned_data["polarity"],
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                _("Definitionen %(name)s är skapad och kopplad till %(code)s.")
                % {"name": definition.name, "code": kpi.code},
            )
            return redirect(definition.get_absolute_url())
    return _kpi_page(request, kpi, create_form=form)


@login_required
@require_POST
def unlink(request: Any, code: str) -> HttpResponse:
    """Take the KPI away from one of the definitions it is linked to."""
    require_somewhere(request.user, Perm.PLAN)
    kpi = get_object_or_404(KoladaKpi, code=code)
    form = UnlinkForm(request.POST)
    definition = None
    if form.is_valid():
        definition = IndicatorDefinition.objects.filter(pk=form.cleaned_data["definition"]).first()
    if definition is None:
        return _kpi_page(request, kpi, unlink_error=_("Definition: Välj en definition i listan."))
    try:
        unlink_kpi(kpi, definition, actor=request.user)
    except ValidationError as error:
        return _kpi_page(request, kpi, unlink_error=" ".join(error.messages))
    return _done(
        request,
        kpi,
        _("Kopplingen mellan %(code)s och %(name)s är borttagen.")
        % {"code": kpi.code, "name": definition.name},
    )
