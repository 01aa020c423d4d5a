"""The review dialogue: comments on a follow-up entry and on a unit's report, kept as a thread.

>>> comment_on_entry(entry, actor=granskare, text="Hur påverkar förseningen målet?")
>>> comment_on_report(unit, period, actor=rapportor, text="Prognosen är uppdaterad.")

Who may read a thread: whoever may read the unit's follow-up (VIEW on the unit). Who may
post: whoever may read it **and** writes or reviews the unit's follow-up (REPORT or REVIEW on
the unit) — the two sides of the granskning; a läsare reads the dialogue but takes no part in
it, and a planerare holds REPORT. A comment on a report one may not read is refused as
``PermissionDenied`` with a message saying so (pages answer 404 before they get here).

A closed period takes no more comments (its follow-up is read-only). A comment is never
changed or removed: no function here does it. The granskare's return comment
(``reports.return_report``) and an approval note (``reports.approve_report(note=)``) are
posts of their own kinds in the report's thread, so they stay when the report is submitted
again or approved. Every post is recorded in the audit trail.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, can
from uppsikt.accounts.names import person_name
from uppsikt.audit.trail import record
from uppsikt.lib.problems import coded, refusal
from uppsikt.lib.typing import Actor, Visitor
from uppsikt.organisations.models import Unit
from uppsikt.periods.models import ReportingPeriod

from ..models import FollowUp, ReviewComment, UnitReport
from ..text import comment_as_text, sanitise_comment

MAX_TEXT = 10000  # characters as written
Kind = ReviewComment.Kind


def may_read_dialogue(user: Visitor | None, unit_id: int) -> bool:
    return can(user, Perm.VIEW, unit_id)


def may_post(user: Visitor | None, unit_id: int) -> bool:
    """Those who may read the unit's follow-up and write or review it."""
    return may_read_dialogue(user, unit_id) and (
        can(user, Perm.REPORT, unit_id) or can(user, Perm.REVIEW, unit_id)
    )


def may_post_now(user: Visitor | None, period: ReportingPeriod, unit_id: int) -> bool:
    """For pages: show the comment form only where a post would be accepted."""
    return period.is_open and may_post(user, unit_id)


def ensure_may_post(actor: Actor, period: ReportingPeriod, unit_id: int) -> None:
    """Refuse, in this order: one who may not read the unit's follow-up, one who may read
    but takes no part in the granskning, a closed period."""
    if not may_read_dialogue(actor, unit_id):
        raise PermissionDenied(
            _("Du får inte läsa enhetens uppföljning och kan därför inte kommentera den.")
        )
    if not may_post(actor, unit_id):
        raise PermissionDenied(
            _(
                "Du får läsa uppföljningen men inte kommentera den: det gör de som skriver "
                "eller granskar enhetens uppföljning."
            )
        )
    if not period.is_open:
        raise ValidationError(
            coded(
                _("Uppföljningstillfället %(name)s är stängt och tar inte emot fler kommentarer.")
                % {"name": period.name},
                "period_closed",
            )
        )


def clean_text(text: str) -> str:
    """The comment as stored (safe HTML), or a refusal naming the field ``text``."""
    written = (text or "").strip()
    if not written:
        raise refusal("text", _("Skriv en kommentar."), "empty_text")
    if len(written) > MAX_TEXT:
        raise refusal(
            "text",
            _("Kommentaren får vara högst %(max)s tecken.") % {"max": MAX_TEXT},
            "too_long",
        )
    stored = sanitise_comment(written)
    if not comment_as_text(stored):
        raise refusal("text", _("Skriv en kommentar."), "empty_text")
    return stored


def post(
    *,
    actor: Actor,
    period: ReportingPeriod,
    unit_id: int,
    html: str,
    kind: str,
    entry: FollowUp | None = None,
    report: UnitReport | None = None,
) -> ReviewComment:
    """Write one post (``html`` already sanitised) and record it; rights are the caller's."""
    comment = ReviewComment.objects.create(
        period=period,
        unit_id=unit_id,
        entry=entry,
        report=report,
        kind=kind,
        author=actor if getattr(actor, "pk", None) else None,
        author_name=person_name(actor) if getattr(actor, "pk", None) else "",
        text=html,
        created_at=timezone.now(),
    )
    record(
        actor=actor,
        action="followup.comment",
        obj=comment,
        after={
            "on": "entry" if entry is not None else "report",
            "entry_id": entry.pk if entry is not None else None,
            "report_id": report.pk if report is not None else None,
            "kind": kind,
            "text": html,
        },
    )
    return comment


@transaction.atomic
def comment_on_entry(entry: FollowUp, *, actor: Actor, text: str) -> ReviewComment:
    """A comment in the thread of one follow-up entry."""
    entry = FollowUp.objects.select_related("period").get(pk=entry.pk)
    ensure_may_post(actor, entry.period, entry.unit_id)
    html = clean_text(text)
    return post(
        actor=actor,
        period=entry.period,
        unit_id=entry.unit_id,
        html=html,
        kind=Kind.COMMENT,
        entry=entry,
    )


@transaction.atomic
def comment_on_report(
    unit: Unit, period: ReportingPeriod, *, actor: Actor, text: str
) -> ReviewComment:
    """A comment in the thread of the unit's report for the period (made if not there yet)."""
    ensure_may_post(actor, period, unit.pk)
    html = clean_text(text)
    report, _created = UnitReport.objects.get_or_create(unit=unit, period=period)
    return post(
        actor=actor, period=period, unit_id=unit.pk, html=html, kind=Kind.COMMENT, report=report
    )


def entry_thread(entry: FollowUp) -> list[ReviewComment]:
    return list(entry.review_comments.select_related("author").order_by("created_at", "pk"))


def report_thread(unit: Unit, period: ReportingPeriod) -> list[ReviewComment]:
    return list(
        ReviewComment.objects.filter(unit=unit, period=period, report__isnull=False)
        .select_related("author")
        .order_by("created_at", "pk")
    )


def thread_counts(period: ReportingPeriod, unit: Unit) -> dict[int, int]:
    """How many comments each entry of the unit has (entry id → count), in one query."""
    from django.db.models import Count

    rows = (
        ReviewComment.objects.filter(period=period, unit=unit, entry__isnull=False)
        .values("entry_id")
        .annotate(n=Count("pk"))
    )
    return {row["entry_id"]: row["n"] for row in rows}
