from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from uppsikt.lib.contrast import is_hex_colour
from uppsikt.lib.pagecache import cache_public

from .models import Organisation, OrganisationLogo, Unit
from .pages import organisation_panels, panels, unit_panels

LOGO_CONTENT_TYPES = ("image/png", "image/jpeg")
BRAND_CACHE = "public, max-age=86400"  # the pages' links carry the version (``?v=``)


def _tree(units: list[Unit]) -> list[tuple[Unit, list]]:
    """Nest units under their parents: [(unit, [(child, [...]), ...]), ...]."""
    by_parent: dict[int | None, list[Unit]] = {}
    for unit in units:
        by_parent.setdefault(unit.parent_id, []).append(unit)

    def build(parent_id):
        return [(unit, build(unit.pk)) for unit in by_parent.get(parent_id, [])]

    return build(None)


@cache_public
def organisation_detail(request, code: str):
    organisation = get_object_or_404(Organisation, code=code)
    units = list(organisation.units.order_by("position"))
    return render(
        request,
        "organisations/organisation_detail.html",
        {
            "organisation": organisation,
            "visions": list(organisation.visions.all()),
            "value_bases": list(organisation.value_bases.prefetch_related("statements")),
            "unit_tree": _tree(units),
            "panels": panels(organisation_panels, organisation, request.user),
            "breadcrumbs": [(organisation.name, None)],
        },
    )


@cache_public
def unit_detail(request, code: str, slug: str):
    unit = get_object_or_404(
        Unit.objects.select_related("organisation", "parent"), organisation__code=code, slug=slug
    )
    ancestors = unit.ancestors()
    crumbs: list[tuple[str, str | None]] = [
        (unit.organisation.name, unit.organisation.get_absolute_url())
    ]
    crumbs += [(ancestor.name, ancestor.get_absolute_url()) for ancestor in ancestors]
    crumbs.append((unit.name, None))
    return render(
        request,
        "organisations/unit_detail.html",
        {
            "unit": unit,
            "organisation": unit.organisation,
            "ancestors": ancestors,
            "breadcrumbs": crumbs,
            "children": unit.children.order_by("position"),
            "panels": panels(unit_panels, unit, request.user),
        },
    )


@require_GET
def organisation_logo(request, code: str):
    """The organisation's logo, only ever as a PNG or JPEG image, never sniffed as anything
    else and never rendered as a page of its own (public, like the pages that show it)."""
    logo = get_object_or_404(OrganisationLogo, organisation__code=code)
    if logo.content_type not in LOGO_CONTENT_TYPES:
        raise Http404
    response = HttpResponse(bytes(logo.data), content_type=logo.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = BRAND_CACHE
    return response


@require_GET
def organisation_brand_css(request, code: str):
    """The organisation's colour as a style sheet (pages may hold no inline style): the
    header band and the report cover on its colour, in white text."""
    organisation = get_object_or_404(Organisation, code=code)
    css = ""
    if is_hex_colour(organisation.colour):  # nothing else reaches the sheet
        css = (
            f".brand-colour {{ background: {organisation.colour}; "
            f"color: {organisation.brand_text_colour}; }}\n"
            f".brand-colour a {{ color: {organisation.brand_text_colour}; }}\n"
        )
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = BRAND_CACHE
    return response
