"""Every change to a follow-up entry goes through a function here, in one transaction.

>>> entry = save_followup(activity, period, actor=anna, status="pagar", comment="Startad i maj.")
>>> set_state(entry, FollowUp.State.KLAR, actor=anna)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import Enum
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, can, require
from uppsikt.audit.trail import record
from uppsikt.lib.concurrency import bump, check_version
from uppsikt.lib.typing import Account, Actor
from uppsikt.organisations.models import Unit
from uppsikt.organisations.ownership import unit_id_of
from uppsikt.periods.models import ReportingPeriod
from uppsikt.periods.rules import ensure_open

from ..models import FollowUp, UnitReport
from ..statuses import source_for, values_for
from ..text import comment_as_text, sanitise_comment


class _Unset(Enum):
    UNSET = "unset"


_UNSET = _Unset.UNSET  # responsible not given: keep whoever it is
FIELDS = ("status", "comment", "responsible_id", "state")

# Rules of the app that owns a kind of object about who follows it up and when, e.g. a
# region-wide åtgärd is followed up by the nämnder and only in its plan's year. Registered
# from the app's AppConfig.ready; ``save_followup`` runs them, so the form, the API and the
# app's own pages all keep them.
Check = Callable[[Any, ReportingPeriod, Unit], None]
_CHECKS: dict[str, Check] = {}


def register_check(model_label: str, check: Check) -> None:
    """``check(target, period, unit)`` raises ``ValidationError`` when ``unit`` may not
    follow up ``target`` in ``period``."""
    _CHECKS[model_label.lower()] = check


# (from, to) → the permission needed; anything else is refused.
TRANSITIONS: dict[tuple[str, str], Perm] = {
    (FollowUp.State.UTKAST, FollowUp.State.KLAR): Perm.REPORT,
    (FollowUp.State.KLAR, FollowUp.State.UTKAST): Perm.REPORT,
    (FollowUp.State.KLAR, FollowUp.State.GRANSKAD): Perm.REVIEW,
    (FollowUp.State.GRANSKAD, FollowUp.State.KLAR): Perm.REVIEW,
}


def followup_for(
    target: Model, period: ReportingPeriod, unit: Unit | None = None
) -> FollowUp | None:
    """The entry for ``target`` in ``period`` by ``unit`` (default: the target's own unit)."""
    unit_id = unit.pk if unit is not None else unit_id_of(target)
    if unit_id is None:  # every entry has a unit
        return None
    return FollowUp.objects.filter(
        period=period,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        unit_id=unit_id,
    ).first()


def not_ready_reason(entry: FollowUp) -> str:
    """Why ``entry`` cannot be marked klar yet ("" when it can)."""
    model = entry.content_type.model_class()
    source = source_for(model._meta.label_lower) if model is not None else None
    if source is not None:
        target = entry.target
        if target is None:
            return _("Objektet som följs upp finns inte längre.")
        return source.ready_message(target, entry.period)
    if not entry.status and not entry.comment:
        return _("Ange status eller kommentar innan uppföljningen är klar.")
    return ""


def _state(entry: FollowUp) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in FIELDS}


def may_write(actor: Actor, unit_id: int, responsible_id: int | None) -> bool:
    """Planners write any entry in their units; rapportörer only those assigned to them."""
    if not can(actor, Perm.REPORT, unit_id):
        return False
    if can(actor, Perm.PLAN, unit_id):
        return True
    return responsible_id is not None and responsible_id == getattr(actor, "pk", None)


def carried_responsibles(
    period: ReportingPeriod, unit_ids: Iterable[int]
) -> dict[tuple[int, int, int], int]:
    """Who was responsible for each object in an earlier period (issue 6.2): the
    responsible person of the same object's entry by the same unit in the latest earlier
    period of the organisation that had one, keyed like ``scope.Item.key``. A new period's
    entry starts with that person, so a rapportör keeps their objects from period to
    period until a planner assigns someone else."""
    rows = (
        FollowUp.objects.filter(
            period__organisation_id=period.organisation_id,
            period__ends_on__lt=period.ends_on,
            unit_id__in=list(unit_ids),
            responsible__isnull=False,
        )
        .order_by("period__ends_on", "period__kind")
        .values_list("content_type_id", "object_id", "unit_id", "responsible_id")
    )
    return {(ct, obj, unit): person for ct, obj, unit, person in rows}


def carried_responsible_id(period: ReportingPeriod, target: Model, unit_id: int) -> int | None:
    content_type = ContentType.objects.get_for_model(target)
    found = carried_responsibles(period, [unit_id])
    return found.get((content_type.pk, target.pk, unit_id))


def _require_writer(actor: Actor, entry: FollowUp) -> None:
    require(actor, Perm.REPORT, entry.unit_id)
    if not may_write(actor, entry.unit_id, entry.responsible_id):
        raise PermissionDenied(_("Uppföljningen är tilldelad någon annan."))


LOCKED_REPORT_STATES = (UnitReport.State.INLAMNAD, UnitReport.State.GODKAND)


def report_locked(period_id: int, unit_id: int) -> bool:
    return UnitReport.objects.filter(
        period_id=period_id, unit_id=unit_id, state__in=LOCKED_REPORT_STATES
    ).exists()


def may_edit_entry(
    actor: Actor,
    period: ReportingPeriod,
    unit_id: int,
    entry: FollowUp | None,
    target: Model | None = None,
) -> bool:
    """Would ``save_followup`` let ``actor`` write this entry (or create it) now? For pages:
    show the form only to those whose save would be accepted. Pass ``target`` when there
    is no entry yet: a new entry's responsible carries over from the previous period."""
    if entry is not None:
        responsible_id = entry.responsible_id
    elif target is not None:
        responsible_id = carried_responsible_id(period, target, unit_id)
    else:
        responsible_id = None
    return (
        period.is_open
        and may_write(actor, unit_id, responsible_id)
        and (entry is None or entry.state != FollowUp.State.GRANSKAD)
        and not report_locked(period.pk, unit_id)
    )


def may_move(actor: Actor, entry: FollowUp) -> bool:
    """Does ``actor`` hold the right for some move of ``entry`` from its state (to write it,
    or to review its unit)? Rights only: whether the period is open and the report with the
    unit is ``set_state``'s to say. Lets a caller without rights be refused first."""
    for (start, _to), needed in TRANSITIONS.items():
        if start != entry.state:
            continue
        if needed == Perm.REPORT:
            if may_write(actor, entry.unit_id, entry.responsible_id):
                return True
        elif can(actor, needed, entry.unit_id):
            return True
    return False


def allowed_states(actor: Actor, entry: FollowUp | None) -> list[str]:
    """The states ``set_state`` would let ``actor`` move ``entry`` to now: the writer's
    moves (klar, back to utkast) for those who may write it, the granskare's (granskad,
    back to klar) for those who may review its unit."""
    if entry is None or not entry.period.is_open:
        return []
    states: list[str] = []
    for (start, to), needed in TRANSITIONS.items():
        if start != entry.state:
            continue
        if needed == Perm.REPORT:
            allowed = may_write(actor, entry.unit_id, entry.responsible_id) and not (
                report_locked(entry.period_id, entry.unit_id)
            )
        else:
            allowed = can(actor, needed, entry.unit_id)
        if allowed:
            states.append(to)
    return states


def ensure_report_editable(period_id: int, unit_id: int) -> None:
    """Refuse changes by the unit while its report is with the granskare or approved."""
    report = UnitReport.objects.filter(period_id=period_id, unit_id=unit_id).first()
    if report is not None and report.state in LOCKED_REPORT_STATES:
        raise ValidationError(
            _(
                "Enhetens rapport är %(state)s och uppföljningen kan inte ändras. Den kan "
                "ändras igen när rapporten har återtagits eller återförts."
            )
            % {"state": UnitReport.State(report.state).label.lower()}
        )


def _locked_entry(
    target: Model, period: ReportingPeriod, unit: Unit | None
) -> tuple[FollowUp, bool]:
    """The entry of ``target`` by ``unit`` (default: the unit owning it) in ``period``,
    locked; a new unsaved one (with the responsible carried over) if none exists yet."""
    content_type = ContentType.objects.get_for_model(target)
    unit_id = unit.pk if unit is not None else unit_id_of(target)
    if unit_id is None:
        raise ValidationError({"unit": _("Ange vilken enhet som följer upp objektet.")})
    entry = (
        FollowUp.objects.select_for_update()
        .filter(period=period, content_type=content_type, object_id=target.pk, unit_id=unit_id)
        .first()
    )
    if entry is not None:
        return entry, False
    entry = FollowUp(period=period, content_type=content_type, object_id=target.pk, unit_id=unit_id)
    entry.responsible_id = carried_responsible_id(period, target, unit_id)
    return entry, True


def _check_writable(
    entry: FollowUp, target: Model, period: ReportingPeriod, unit: Unit | None, status: str | None
) -> None:
    """The owning app's rules for the object, and the entry's: not reviewed, the unit's
    report still with the unit, a status this kind of object has."""
    check = _CHECKS.get(target._meta.label_lower)
    if check is not None:
        check(target, period, unit if unit is not None else Unit.objects.get(pk=entry.unit_id))
    if entry.state == FollowUp.State.GRANSKAD:
        raise ValidationError(
            _("Uppföljningen är granskad och kan inte ändras. Granskaren kan återföra den.")
        )
    ensure_report_editable(period.pk, entry.unit_id)
    if status is not None:
        allowed = values_for(target)
        if status and (allowed is None or status not in allowed):
            raise ValidationError({"status": _("Okänd status för det här slaget av objekt.")})


def lock_entries(entries: Iterable[FollowUp | None]) -> None:
    """Lock the entries a transaction is about to write, all at once and in id order.

    Each audited write holds the audit trail's head until its transaction commits
    (``audit.trail.record``). A transaction writing several entries one by one would take
    the next entry's lock while holding the head, and a save of that entry alone, waiting
    for the head, closes a circle (a deadlock on PostgreSQL). Call this first, inside the
    transaction: then the head is always taken last. Entries not yet made are skipped.
    """
    ids = sorted({entry.pk for entry in entries if entry is not None and entry.pk})
    if ids:
        list(FollowUp.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))


@transaction.atomic
def save_followup(
    target: Model,
    period: ReportingPeriod,
    *,
    actor: Actor,
    unit: Unit | None = None,
    status: str | None = None,
    comment: str | None = None,
    responsible: Account | _Unset | None = _UNSET,
    is_example: bool = False,
    expected_version: int | None = None,
) -> FollowUp:
    """Create or change the follow-up of ``target`` in ``period`` by ``unit``.

    ``unit`` defaults to the unit owning ``target``; pass it for objects that several units
    follow up each on their own (region-wide internal-control åtgärder).

    Validates everything first and changes nothing when it refuses: a closed period, an
    unknown status for this kind of object, an entry already reviewed, or an actor who may
    not write it. The comment is stored sanitised (``text.sanitise_comment``).

    ``expected_version`` is the entry's ``row_version`` the caller last saw (0: no entry
    yet); when the entry has been saved since, nothing is changed and ``EditConflict``
    (code "conflict") is raised (``lib.concurrency``). None skips the check.
    """
    ensure_open(period)
    entry, created = _locked_entry(target, period, unit)
    before = None if created else _state(entry)
    if responsible is not _UNSET:
        require(actor, Perm.PLAN, entry.unit_id)
        entry.responsible = responsible
    _require_writer(actor, entry)
    _check_writable(entry, target, period, unit, status)
    # Last, so that only what would otherwise have been saved is refused as stale.
    stored = None if created else entry
    check_version(
        stored.row_version if stored else 0, expected_version, name=_entry_name(target), obj=stored
    )
    copied_from_id = entry.copied_from_id
    if comment is not None:
        entry.comment = sanitise_comment(comment)
        if before is not None and entry.comment != before["comment"]:
            entry.copied_from = None  # edited: no longer the copied text (``actions.carry``)
    source = source_for(target)
    if status is not None and source is not None:
        # The status is another app's fact (a goal's assessment): decided there, in this
        # transaction, with the entry's comment as its motivation.
        if status:
            source.write(
                target, period, actor=actor, status=status, comment=comment_as_text(entry.comment)
            )
    elif status is not None:
        entry.status = status
    entry.is_example = is_example
    entry.written_by = actor if getattr(actor, "pk", None) else None
    entry.written_at = timezone.now()
    bump(entry)
    entry.save()
    after = _state(entry)
    if before is not None and copied_from_id and entry.copied_from_id is None:
        before["copied_from_id"], after["copied_from_id"] = copied_from_id, None
    if after != before:
        record(
            actor=actor,
            action="followup.create" if created else "followup.update",
            obj=entry,
            before=before,
            after=after,
        )
    return entry


@transaction.atomic
def set_state(
    entry: FollowUp,
    state: str,
    *,
    actor: Actor,
    reason: str = "",
    expected_version: int | None = None,
) -> FollowUp:
    """Move an entry along utkast → klar → granskad; illegal moves are refused by name.

    With ``expected_version``, refused (``EditConflict``) when the entry was saved since."""
    current = FollowUp.objects.select_for_update().select_related("period").get(pk=entry.pk)
    ensure_open(current.period)
    state = FollowUp.State(state)
    needed = TRANSITIONS.get((current.state, state))
    if needed is None:
        raise ValidationError(
            _("En uppföljning kan inte gå från %(from)s till %(to)s.")
            % {
                "from": FollowUp.State(current.state).label.lower(),
                "to": state.label.lower(),
            }
        )
    if needed == Perm.REPORT:
        _require_writer(actor, current)
        ensure_report_editable(current.period_id, current.unit_id)
    else:
        require(actor, needed, current.unit_id)
    starting = state == FollowUp.State.KLAR and current.state == FollowUp.State.UTKAST
    if starting:
        problem = not_ready_reason(current)
        if problem:
            raise ValidationError(problem)
    check_version(
        current.row_version, expected_version, name=_entry_name(current.target), obj=current
    )
    before = {"state": current.state}
    current.state = state
    bump(current)
    current.save(update_fields=["state", "row_version"])
    record(
        actor=actor,
        action="followup.state",
        obj=current,
        before=before,
        after={"state": state.value},
        reason=reason,
    )
    entry.state, entry.row_version = current.state, current.row_version
    return entry


def _entry_name(target: Model | None) -> str:
    if target is None:
        return _("Uppföljningen")
    return _("Uppföljningen av %(name)s") % {"name": target}
