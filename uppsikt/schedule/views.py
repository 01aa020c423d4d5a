"""Pages: an organisation's årshjul for a year (wheel, table, list), milestone forms, the feed.

The årshjul is public, like the organisation's decided plans: the dates of a public body's
planning are public information. Only those who may plan for the whole organisation
(``actions.may_edit``) see and use the forms.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from uppsikt.lib.problems import show_refusal
from uppsikt.organisations.models import Organisation

from . import actions
from .entries import by_month, entries_for
from .feed import feed_for
from .forms import MilestoneForm
from .models import Milestone
from .wheel import wheel

YEARS = range(2000, 2101)


def _organisation(code: str) -> Organisation:
    return get_object_or_404(Organisation, code=code)


def _year(year: int) -> int:
    if year not in YEARS:
        raise Http404
    return year


def _crumbs(organisation: Organisation, year: int, last: str | None = None) -> list:
    crumbs: list[tuple[str, str | None]] = [
        (organisation.name, reverse("organisations:detail", args=[organisation.code])),
        (
            _("Årshjul %(year)s") % {"year": year},
            reverse("schedule:year", args=[organisation.code, year]),
        ),
    ]
    if last:
        crumbs.append((last, None))
    return [*crumbs[:-1], (crumbs[-1][0], None)]


def current(request, code: str):
    """The organisation's årshjul for this year."""
    organisation = _organisation(code)
    return redirect("schedule:year", organisation.code, timezone.localdate().year)


def year_page(request, code: str, year: int):
    organisation = _organisation(code)
    year = _year(year)
    may_edit = actions.may_edit(request.user, organisation)
    form = MilestoneForm(
        request.POST if request.method == "POST" else None,
        organisation=organisation,
        prefix_id="ny",
    )
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                milestone = actions.create_milestone(
                    organisation, actor=request.user, year=year, **form.cleaned_data
                )
            except ValidationError as error:
                show_refusal(form, error)
            else:
                messages.success(
                    request, _("%(title)s är tillagd i årshjulet.") % {"title": milestone.title}
                )
                return redirect("schedule:year", organisation.code, year)
    entries = entries_for(organisation, year)
    return render(
        request,
        "schedule/year.html",
        {
            "organisation": organisation,
            "year": year,
            "entries": entries,
            "months": by_month(entries),
            "wheel": wheel(entries),
            "has_examples": any(entry.is_example for entry in entries),
            "may_edit": may_edit,
            "form": form,
            "feed_url": request.build_absolute_uri(
                reverse("schedule:feed", args=[organisation.code])
            ),
            "year_feed_url": reverse("schedule:year_feed", args=[organisation.code, year]),
            "breadcrumbs": _crumbs(organisation, year),
        },
    )


def _milestone(code: str, year: int, pk: int) -> Milestone:
    return get_object_or_404(
        Milestone.objects.select_related("organisation", "responsible"),
        organisation__code=code,
        year=year,
        pk=pk,
    )


def milestone_edit(request, code: str, year: int, pk: int):
    milestone = _milestone(code, year, pk)
    organisation = milestone.organisation
    if not actions.may_edit(request.user, organisation):
        raise PermissionDenied
    initial = {
        "date": milestone.date,
        "kind": milestone.kind,
        "title": milestone.title,
        "responsible": milestone.responsible,
        "description": milestone.description,
    }
    form = MilestoneForm(
        request.POST if request.method == "POST" else None,
        organisation=organisation,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_milestone(milestone, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Milstolpen är ändrad."))
            return redirect("schedule:year", organisation.code, year)
    return render(
        request,
        "schedule/milestone_edit.html",
        {
            "organisation": organisation,
            "year": year,
            "milestone": milestone,
            "form": form,
            "breadcrumbs": _crumbs(organisation, year, _("Ändra milstolpe")),
        },
    )


@require_POST
def milestone_delete(request, code: str, year: int, pk: int):
    milestone = _milestone(code, year, pk)
    actions.delete_milestone(milestone, actor=request.user)  # a refusal is a 403 page
    messages.success(request, _("%(title)s är borttagen.") % {"title": milestone.title})
    return redirect("schedule:year", code, year)


def _ics(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def feed(request, code: str):
    """Every year's årshjul of the organisation as one calendar to subscribe to."""
    organisation = _organisation(code)
    return _ics(feed_for(organisation, None, now=timezone.now()), f"arshjul-{code}.ics")


def year_feed(request, code: str, year: int):
    organisation = _organisation(code)
    year = _year(year)
    text = feed_for(organisation, year, now=timezone.now())
    return _ics(text, f"arshjul-{code}-{year}.ics")
