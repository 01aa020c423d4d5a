from django.shortcuts import get_object_or_404, render

from .models import Organisation, Unit
from .pages import organisation_panels, panels, unit_panels


def _tree(units: list[Unit]) -> list[tuple[Unit, list]]:
    """Nest units under their parents: [(unit, [(child, [...]), ...]), ...]."""
    by_parent: dict[int | None, list[Unit]] = {}
    for unit in units:
        by_parent.setdefault(unit.parent_id, []).append(unit)

    def build(parent_id):
        return [(unit, build(unit.pk)) for unit in by_parent.get(parent_id, [])]

    return build(None)


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
