"""What the internal-control views share: finding units, breadcrumbs, form errors."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from uppsikt.organisations.models import Organisation, Unit

from .. import visibility

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def get_organisation(code: str) -> Organisation:
    return get_object_or_404(Organisation, code=code)


def get_unit(code: str, slug: str) -> Unit:
    return get_object_or_404(
        Unit.objects.select_related("organisation", "parent"), organisation__code=code, slug=slug
    )


def readable_unit(request, code: str, slug: str, year: int) -> Unit:
    """The unit, if the user may read its internal control for ``year`` (else 404)."""
    unit = get_unit(code, slug)
    if not visibility.can_read_unit_plan(request.user, unit, year):
        raise Http404
    return unit


def region_url(organisation: Organisation, year: int) -> str:
    return reverse("control:region", args=[organisation.code, year])


def unit_url(unit: Unit, year: int) -> str:
    return reverse("control:unit_plan", args=[unit.organisation.code, unit.slug, year])


def region_crumbs(organisation: Organisation, year: int) -> list[tuple[str, str | None]]:
    return [
        (organisation.name, organisation.get_absolute_url()),
        (_("Internkontroll %(year)s") % {"year": year}, region_url(organisation, year)),
    ]


def unit_crumbs(unit: Unit, year: int) -> list[tuple[str, str | None]]:
    return [*region_crumbs(unit.organisation, year), (unit.name, unit_url(unit, year))]


def current(crumbs: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    """The same trail with its last step as the current page (no link)."""
    return [*crumbs[:-1], (crumbs[-1][0], None)]


def add_errors(form, error: ValidationError) -> None:
    """Show an action's ValidationError on the form, by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
