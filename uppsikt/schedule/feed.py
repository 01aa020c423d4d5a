"""The årshjul as an iCalendar feed: each entry an all-day event (``ical``)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from uppsikt.organisations.models import Organisation

from .entries import Entry, entries_for
from .ical import Event, calendar

PRODUCT = "-//Uppsikt//Årshjul//SV"


def _description(entry: Entry) -> str:
    lines = []
    if entry.responsible:
        lines.append(_("Ansvarig: %(unit)s") % {"unit": entry.responsible})
    if entry.description:
        lines.append(entry.description)
    if entry.is_example:
        lines.append(_("Exempel i demon, inte organisationens egen uppgift."))
    return "\n".join(lines)


def _event(entry: Entry, organisation: Organisation) -> Event:
    summary = entry.title
    if entry.is_example:
        summary = _("Exempel: %(title)s") % {"title": summary}
    page = reverse("schedule:year", args=[organisation.code, entry.date.year])
    return Event(
        uid=entry.uid,
        date=entry.date,
        summary=summary,
        description=_description(entry),
        categories=entry.kind_label,
        url=f"{settings.SITE_URL}{page}",
    )


def feed_for(organisation: Organisation, year: int | None, *, now: datetime.datetime) -> str:
    """The calendar text of ``organisation``'s årshjul (``year``, or every year: None)."""
    name = _("Årshjul %(organisation)s") % {"organisation": organisation.name}
    if year is not None:
        name = f"{name} {year}"
    events = [_event(entry, organisation) for entry in entries_for(organisation, year)]
    return calendar(events, name=name, stamp=now, product=PRODUCT)
