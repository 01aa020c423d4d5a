"""The permission matrix for the review dialogue and copy forward, pages and API (see
``matrix_rules.py``): a thread is read with VIEW on the unit and posted to by those who
also hold REPORT or REVIEW there; copying texts forward needs REPORT."""

from __future__ import annotations

from uppsikt.audit.models import AuditEvent

from .matrix_rules import Case, Perm, held, login, needs, readable, token


def takes_part(ok: int):
    """``ok`` for the unit's writers and granskare; 403 for its other readers; else 404."""

    def rule(caller: str) -> int:
        perms = held(caller)
        if Perm.VIEW not in perms:
            return 404
        return ok if Perm.REPORT in perms or Perm.REVIEW in perms else 403

    return rule


def _unit_args(c) -> list:
    return [c.org.code, c.period.slug, c.unit.slug]


def _first_text(c) -> int:
    """The audit event of the åtgärd's first follow-up text (a version of it)."""
    followup = c.control.followup
    return (
        AuditEvent.objects.filter(object_type="followup.followup", object_id=str(followup.pk))
        .order_by("sequence")
        .values_list("sequence", flat=True)
        .first()
    )


DIALOGUE: dict[str, list[Case]] = {
    "followup:entry": [
        Case(args=lambda c: [*_unit_args(c), c.followup.pk], expect=login(readable())),
        Case(
            args=lambda c: [*_unit_args(c), c.followup.pk],
            method="post",
            data=lambda c: {"text": "Matrisens kommentar."},
            expect=login(takes_part(302)),
            label="kommentera",
        ),
    ],
    "followup:compare": [
        Case(
            args=lambda c: [
                c.org.code,
                c.control.period.slug,
                c.unit.slug,
                c.control.followup.pk,
                _first_text(c),
            ],
            expect=login(readable()),
        )
    ],
    "followup:report_dialogue": [
        Case(args=_unit_args, expect=login(readable())),
        Case(
            args=_unit_args,
            method="post",
            data=lambda c: {"text": "Matrisens kommentar om rapporten."},
            expect=login(takes_part(302)),
            label="kommentera",
        ),
    ],
    "followup:copy_forward": [
        Case(
            args=_unit_args,
            method="post",
            data=lambda c: {},
            expect=login(needs(Perm.REPORT, 302)),
        )
    ],
    "api:list_entry_comments": [Case(args=lambda c: [c.followup.pk], expect=readable())],
    "api:add_entry_comment": [
        Case(
            args=lambda c: [c.followup.pk],
            method="post",
            data=lambda c: {"text": "Matrisens kommentar."},
            expect=token(takes_part(201)),
        )
    ],
    "api:list_report_comments": [Case(args=lambda c: [c.period.pk, c.unit.pk], expect=readable())],
    "api:add_report_comment": [
        Case(
            args=lambda c: [c.period.pk, c.unit.pk],
            method="post",
            data=lambda c: {"text": "Matrisens kommentar om rapporten."},
            expect=token(takes_part(201)),
        )
    ],
    "api:copy_forward": [
        Case(
            args=lambda c: [c.period.pk, c.unit.pk],
            method="post",
            data=lambda c: {},
            expect=token(needs(Perm.REPORT)),
        )
    ],
}
