"""A unit's report for a period: submitted when every entry is klar, then reviewed.

    utkast ──lämna in──▶ inlämnad ──godkänn──▶ godkänd
      ▲                   │  │                    │
      └─────återta────────┘  └─återför─▶ återförd ◀┘ (återför)
                                           │
                                           └──lämna in──▶ inlämnad

Every other move is refused with a message naming the report's state and the action
(``TRANSITIONS``). Submitting needs REPORT on the unit and every entry in scope klar;
approving or returning needs REVIEW. Approval marks every entry granskad; returning needs a
comment, sets entries granskad back to klar and the entries the granskare names back to
utkast. One audit event per action, with counts (not one per entry).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from uppsikt.accounts.access import Perm, require
from uppsikt.audit.trail import record
from uppsikt.lib.concurrency import bump, check_version
from uppsikt.lib.typing import Actor
from uppsikt.organisations.models import Unit
from uppsikt.periods.models import ReportingPeriod
from uppsikt.periods.rules import ensure_open

from ..models import FollowUp, ReviewComment, UnitReport
from ..queries import entries_for, progress_of
from ..scope import Item, in_scope
from ..text import sanitise_comment
from . import dialogue
from .entries import ensure_report_editable

State = UnitReport.State
RETURNED, APPROVAL = ReviewComment.Kind.RETURN, ReviewComment.Kind.APPROVAL
SUBMIT, WITHDRAW, APPROVE, RETURN = "submit", "withdraw", "approve", "return"
ACTION_LABELS = {
    SUBMIT: gettext_lazy("lämnas in"),
    WITHDRAW: gettext_lazy("återtas"),
    APPROVE: gettext_lazy("godkännas"),
    RETURN: gettext_lazy("återföras"),
}
# (state, action) → (new state, permission needed); anything else is refused.
TRANSITIONS: dict[tuple[str, str], tuple[str, Perm]] = {
    (State.UTKAST, SUBMIT): (State.INLAMNAD, Perm.REPORT),
    (State.ATERFORD, SUBMIT): (State.INLAMNAD, Perm.REPORT),
    (State.INLAMNAD, WITHDRAW): (State.UTKAST, Perm.REPORT),
    (State.INLAMNAD, APPROVE): (State.GODKAND, Perm.REVIEW),
    (State.INLAMNAD, RETURN): (State.ATERFORD, Perm.REVIEW),
    (State.GODKAND, RETURN): (State.ATERFORD, Perm.REVIEW),
}
ACTION_PERMS: dict[str, Perm] = {action: perm for (_s, action), (_n, perm) in TRANSITIONS.items()}
# Sent inside the approval's transaction with ``report``: the reports app freezes the
# approved version (``reports.snapshot``).
report_approved = Signal()


def _move(unit: Unit, period: ReportingPeriod, action: str, actor: Actor) -> tuple[UnitReport, str]:
    """Lock the report and check the move; returns (report, new state).

    Who may act comes first (each action needs one permission, whatever the state), then
    whether the report's state allows it."""
    ensure_open(period)
    require(actor, ACTION_PERMS[action], unit)
    UnitReport.objects.get_or_create(unit=unit, period=period)
    report = UnitReport.objects.select_for_update().get(unit=unit, period=period)
    move = TRANSITIONS.get((report.state, action))
    if move is None:
        raise ValidationError(
            _("En rapport som är %(state)s kan inte %(action)s.")
            % {"state": State(report.state).label.lower(), "action": ACTION_LABELS[action]}
        )
    bump(report)  # saved by the caller
    return report, move[0]


def _require_complete(
    unit: Unit, period: ReportingPeriod
) -> tuple[list[Item], dict[tuple[Any, ...], FollowUp]]:
    items = in_scope(unit, period)
    if not items:
        raise ValidationError(
            _("%(unit)s har inget att följa upp i %(period)s.")
            % {"unit": unit.name, "period": period.name}
        )
    entries = entries_for(period, [unit])
    progress = progress_of(items, entries)
    if progress.not_done:
        names = ", ".join(f"{item.kind_label} {item.title[:60]}" for item in progress.not_done[:3])
        more = len(progress.not_done) - 3
        raise ValidationError(
            _("%(count)s av %(total)s uppföljningar är inte klara (%(names)s%(more)s).")
            % {
                "count": len(progress.not_done),
                "total": progress.total,
                "names": names,
                "more": _(" med flera") if more > 0 else "",
            }
        )
    return items, entries


def _audit(report: UnitReport, actor: Actor, action: str, before: str, **after: Any) -> None:
    record(
        actor=actor,
        action=f"report.{action}",
        obj=report,
        before={"state": before},
        after={"state": report.state, **after},
        reason=after.get("comment", ""),
    )


def _as_field(text: str, field: str) -> str:
    """The text as a thread post stores it; a refusal names ``field``."""
    try:
        return dialogue.clean_text(text)
    except ValidationError as error:
        raise ValidationError({field: error.error_dict["text"]}) from error


@transaction.atomic
def submit_report(unit: Unit, period: ReportingPeriod, *, actor: Actor) -> UnitReport:
    """Hand the unit's follow-up to the granskare; every entry in scope must be klar."""
    report, new_state = _move(unit, period, SUBMIT, actor)
    items, _entries = _require_complete(unit, period)
    before = report.state
    report.state = new_state
    report.submitted_by = actor if getattr(actor, "pk", None) else None
    report.submitted_at = timezone.now()
    report.save()
    _audit(report, actor, SUBMIT, before, entries=len(items))
    return report


@transaction.atomic
def withdraw_report(unit: Unit, period: ReportingPeriod, *, actor: Actor) -> UnitReport:
    """Take a submitted report back before it is reviewed."""
    report, new_state = _move(unit, period, WITHDRAW, actor)
    before = report.state
    report.state = new_state
    report.save(update_fields=["state", "row_version"])
    _audit(report, actor, WITHDRAW, before)
    return report


@transaction.atomic
def approve_report(
    unit: Unit, period: ReportingPeriod, *, actor: Actor, note: str = ""
) -> UnitReport:
    """Approve: every entry in scope becomes granskad. A ``note`` (optional) is kept as an
    approval note in the report's thread (``dialogue``)."""
    report, new_state = _move(unit, period, APPROVE, actor)
    note_html = _as_field(note, "note") if (note or "").strip() else ""
    items, entries = _require_complete(unit, period)
    ids = [entries[item.key].pk for item in items]
    reviewed = FollowUp.objects.filter(pk__in=ids, state=FollowUp.State.KLAR).update(
        state=FollowUp.State.GRANSKAD, row_version=F("row_version") + 1
    )
    before = report.state
    report.state = new_state
    report.reviewed_by = actor if getattr(actor, "pk", None) else None
    report.reviewed_at = timezone.now()
    report.save()
    if note_html:
        dialogue.post(
            actor=actor,
            period=period,
            unit_id=unit.pk,
            html=note_html,
            kind=APPROVAL,
            report=report,
        )
    report_approved.send(sender=UnitReport, report=report)
    _audit(report, actor, APPROVE, before, entries_reviewed=reviewed)
    return report


@transaction.atomic
def return_report(
    unit: Unit,
    period: ReportingPeriod,
    *,
    actor: Actor,
    comment: str,
    reopen: Iterable[int] = (),
) -> UnitReport:
    """Send the report back with a comment saying what to change.

    Entries granskad go back to klar; the entries named in ``reopen`` (FollowUp ids of this
    unit and period) go back to utkast, so the unit sees which ones to rework.
    """
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Skriv vad enheten ska ändra.")})
    comment_html = _as_field(comment, "comment")
    report, new_state = _move(unit, period, RETURN, actor)
    reopen = set(reopen)
    entries = FollowUp.objects.filter(period=period, unit=unit)
    unknown = reopen - set(entries.values_list("pk", flat=True))
    if unknown:
        raise ValidationError({"reopen": _("Uppföljningen finns inte i enhetens rapport.")})
    moved = F("row_version") + 1  # a new version for open forms and the API's ETag
    to_draft = entries.filter(pk__in=reopen).update(state=FollowUp.State.UTKAST, row_version=moved)
    entries.filter(state=FollowUp.State.GRANSKAD).update(
        state=FollowUp.State.KLAR, row_version=moved
    )
    before = report.state
    report.state = new_state
    report.reviewed_by = actor if getattr(actor, "pk", None) else None
    report.reviewed_at = timezone.now()
    report.save()
    # The comment is a post in the report's thread: it stays after resubmission and approval.
    dialogue.post(
        actor=actor, period=period, unit_id=unit.pk, html=comment_html, kind=RETURNED, report=report
    )
    _audit(report, actor, RETURN, before, comment=comment, entries_reopened=to_draft)
    return report


@transaction.atomic
def save_summary(
    unit: Unit,
    period: ReportingPeriod,
    *,
    actor: Actor,
    text: str,
    is_example: bool = False,
    expected_version: int | None = None,
) -> UnitReport:
    """The unit's own introduction to its report (formatted text, sanitised).

    With ``expected_version`` (the report's ``row_version`` the caller read, 0: no report
    yet), refused with ``EditConflict`` when the report was saved since."""
    ensure_open(period)
    require(actor, Perm.REPORT, unit)
    ensure_report_editable(period.pk, unit.pk)
    report = UnitReport.objects.select_for_update().filter(unit=unit, period=period).first()
    check_version(
        0 if report is None else report.row_version,
        expected_version,
        name=_("Sammanfattningen"),
        obj=report,
    )
    if report is None:
        report = UnitReport.objects.create(unit=unit, period=period)
    summary = sanitise_comment(text)
    if summary == report.summary and report.is_example == is_example:
        return report
    before = report.summary
    report.summary = summary
    report.is_example = is_example
    bump(report)
    report.save(update_fields=["summary", "is_example", "row_version"])
    record(
        actor=actor,
        action="report.summary",
        obj=report,
        before={"summary": before},
        after={"summary": summary},
    )
    return report
