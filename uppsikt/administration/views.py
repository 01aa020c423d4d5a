"""Onboarding pages: the organisations set up here, a new one from the official registry,
and an organisation's unit tree (built by form, read from a file, written to one).

Who: the list, anyone who administers somewhere (it shows the organisations they
administer whole); a new organisation, the installation's administrator (a superuser); an
organisation's units, whoever administers the whole organisation. Plain forms, no
JavaScript: the registry is searched on the server.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from uppsikt.accounts.access import Perm, can, units_with
from uppsikt.lib.problems import show_refusal
from uppsikt.lib.typing import AuthenticatedRequest
from uppsikt.organisations.models import Organisation, Unit

from .actions import create_unit, import_units, set_up_organisation, update_unit
from .forms import (
    NewOrganisationForm,
    NewUnitForm,
    RegistrySearchForm,
    UnitChangeForm,
    UnitFileForm,
)
from .queries import administered, administers, is_set_up, search_registry, unit_tree
from .styrmodell import may_edit
from .unit_file import TreeRefused, export_csv, read


def _crumbs(*more: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    crumbs = [(_("Organisationer och enheter"), reverse("administration:organisations")), *more]
    return [*crumbs[:-1], (crumbs[-1][0], None)]


def _administered(request: AuthenticatedRequest, code: str) -> Organisation:
    """The organisation ``code``, set up and administered whole by the signed-in user."""
    organisation = get_object_or_404(Organisation, code=code)
    if not is_set_up(organisation):
        raise Http404(_("Organisationen är inte uppsatt här ännu."))
    if not administers(request.user, organisation):
        raise PermissionDenied(
            _("Bara den som administrerar hela organisationen kan ändra dess enheter.")
        )
    return organisation


@login_required
def organisations(request: AuthenticatedRequest) -> HttpResponse:
    if not units_with(request.user, Perm.ADMIN):
        raise PermissionDenied(_("Bara administratörer kan se organisationernas uppsättning."))
    return render(
        request,
        "administration/organisations.html",
        {
            "organisations": administered(request.user),
            "may_set_up": can(request.user, Perm.ADMIN, None),
            "breadcrumbs": _crumbs(),
        },
    )


@login_required
def new_organisation(request: AuthenticatedRequest) -> HttpResponse:
    if not can(request.user, Perm.ADMIN, None):
        raise PermissionDenied(
            _("Bara installationens administratör kan sätta upp organisationer.")
        )
    search = RegistrySearchForm(request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    candidates, matched = search_registry(query)
    form = NewOrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = set_up_organisation(actor=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                _("%(name)s är uppsatt med standardstyrmodellen. Bygg nu dess enhetsträd.")
                % {"name": organisation.name},
            )
            return redirect("administration:units", organisation.code)
    return render(
        request,
        "administration/new_organisation.html",
        {
            "search": search,
            "query": query,
            "candidates": candidates,
            "matched": matched,
            "form": form,
            "breadcrumbs": _crumbs((_("Ny organisation"), None)),
        },
    )


def _rows(tree: list[tuple[Unit, int]]) -> list[dict[str, object]]:
    names = {unit.pk: unit.name for unit, _depth in tree}
    return [
        {"unit": unit, "indent": "\u2003" * depth, "parent": names.get(unit.parent_id or 0, "")}
        for unit, depth in tree
    ]


def _next_position(organisation: Organisation, parent: Unit | None) -> int:
    siblings = Unit.objects.filter(organisation=organisation, parent=parent)
    return max(siblings.values_list("position", flat=True), default=-1) + 1


@login_required
def units(request: AuthenticatedRequest, code: str) -> HttpResponse:
    organisation = _administered(request, code)
    tree = unit_tree(organisation)
    form = NewUnitForm(request.POST or None, tree=tree)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = create_unit(
                actor=request.user,
                organisation=organisation,
                parent=data["parent"],
                slug=data["slug"],
                name=data["name"],
                kind=data["kind"],
                responsibility=data["responsibility"],
                position=_next_position(organisation, data["parent"]),
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Enheten %(name)s är tillagd.") % {"name": unit.name})
            return redirect("administration:units", organisation.code)
    return render(
        request,
        "administration/units.html",
        {
            "organisation": organisation,
            "rows": _rows(tree),
            "form": form,
            "styrmodell": may_edit(request.user, organisation),  # the next step's link
            "breadcrumbs": _crumbs((_("Enheter i %(name)s") % {"name": organisation.name}, None)),
        },
    )


@login_required
def unit_edit(request: AuthenticatedRequest, code: str, slug: str) -> HttpResponse:
    organisation = _administered(request, code)
    unit = get_object_or_404(Unit, organisation=organisation, slug=slug)
    initial = {"name": unit.name, "kind": unit.kind, "responsibility": unit.responsibility}
    form = UnitChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            update_unit(unit, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request, _("Enheten %(name)s är sparad.") % {"name": form.cleaned_data["name"]}
            )
            return redirect("administration:units", organisation.code)
    return render(
        request,
        "administration/unit_edit.html",
        {
            "organisation": organisation,
            "unit": unit,
            "form": form,
            "breadcrumbs": _crumbs(
                (
                    _("Enheter i %(name)s") % {"name": organisation.name},
                    reverse("administration:units", args=[organisation.code]),
                ),
                (unit.name, None),
            ),
        },
    )


@login_required
def units_import(request: AuthenticatedRequest, code: str) -> HttpResponse:
    organisation = _administered(request, code)
    form = UnitFileForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            created = import_units(
                organisation, read(upload.read()), actor=request.user, file_name=upload.name
            )
        except TreeRefused as refused:
            problems = refused.listed
        else:
            messages.success(
                request,
                ngettext("%(n)s enhet är inläst.", "%(n)s enheter är inlästa.", len(created))
                % {"n": len(created)},
            )
            return redirect("administration:units", organisation.code)
    return render(
        request,
        "administration/units_import.html",
        {
            "organisation": organisation,
            "form": form,
            "problems": problems,
            "kinds": ", ".join(f"{kind.label} ({kind.value})" for kind in Unit.Kind),
            "breadcrumbs": _crumbs(
                (
                    _("Enheter i %(name)s") % {"name": organisation.name},
                    reverse("administration:units", args=[organisation.code]),
                ),
                (_("Läs in från fil"), None),
            ),
        },
    )


@login_required
def units_export(request: AuthenticatedRequest, code: str) -> HttpResponse:
    organisation = _administered(request, code)
    response = HttpResponse(
        export_csv(unit_tree(organisation)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="enheter-{organisation.code}.csv"'
    return response
