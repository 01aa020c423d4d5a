"""Which organisations have a site: regions and kommuner with something public, a decided
plan or key figures."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from uppsikt.organisations.models import Organisation
from uppsikt.plans.models import Plan

from .models import KeyFigure

SITE_KINDS = (Organisation.Kind.REGION, Organisation.Kind.KOMMUN)


def _with_content():
    decided = Plan.objects.published().filter(unit__organisation=OuterRef("pk"))
    figures = KeyFigure.objects.filter(organisation=OuterRef("pk"))
    return Organisation.objects.filter(kind__in=SITE_KINDS).filter(
        Q(Exists(decided)) | Q(Exists(figures))
    )


def organisations_with_a_site() -> tuple[list[Organisation], list[Organisation]]:
    """(the regions, the kommuner), each by name."""
    organisations = list(_with_content().order_by("name"))
    regions = [o for o in organisations if o.kind == Organisation.Kind.REGION]
    kommuner = [o for o in organisations if o.kind == Organisation.Kind.KOMMUN]
    return regions, kommuner


def site_organisation(code: str) -> Organisation:
    """The organisation whose site this is; 404 unless it is a region or kommun."""
    organisation = Organisation.objects.filter(code=code, kind__in=SITE_KINDS).first()
    if organisation is None:
        raise Http404
    return organisation
