"""The permission matrix for the API of running the year (issue 14): one's own reminder
preference, an entry's attachments and indicator values entered by hand (see
``matrix_rules.py``; the deadlines are in ``matrix_deadlines.py``, the review dialogue in
``matrix_dialogue.py``)."""

from __future__ import annotations

from .matrix_rules import Case, Perm, attachment_of, held, held_anywhere, needs, readable, token

YEAR_API: dict[str, list[Case]] = {
    # Only one's own reminder preference: planerare_inne's id, for everyone else 403.
    "api:reminder_preference_me": [Case(expect=token(lambda caller: 200))],
    "api:reminder_preference": [
        Case(
            args=lambda c: [c.user("planerare_inne").pk],
            expect=token(lambda caller: 200 if caller == "planerare_inne" else 403),
        )
    ],
    "api:set_reminder_preference": [
        Case(
            args=lambda c: [c.user("planerare_inne").pk],
            method="put",
            data=lambda c: {"mode": "daily"},
            expect=token(lambda caller: 200 if caller == "planerare_inne" else 403),
        )
    ],
    "api:list_attachments": [Case(args=lambda c: [c.followup.pk], expect=readable())],
    "api:download_attachment": [
        Case(args=lambda c: [c.followup.pk, attachment_of(c)], expect=readable())
    ],
    "api:upload_attachment": [
        Case(
            args=lambda c: [c.followup.pk],
            method="post",
            data=lambda c: {},
            expect=token(needs(Perm.REPORT, 422)),  # the matrix sends JSON, not the file
        )
    ],
    "api:delete_attachment": [
        Case(
            args=lambda c: [c.followup.pk, attachment_of(c)],
            method="delete",
            expect=token(needs(Perm.REPORT, 204)),
        )
    ],
    "api:enter_by_hand": [
        Case(
            method="post",
            data=lambda c: {
                "indicator": c.goal.indicators.get().pk,
                "period": c.period.pk,
                "total": "60,5",
            },
            # Only the entry's writers (a planner; the rapportör is not assigned it) pass the
            # rights, then the 2024 period does not follow up the 2023 goal (409); others who
            # see the unit 403, writers elsewhere 404, no REPORT anywhere 403 first.
            expect=token(
                lambda caller: (
                    409
                    if Perm.PLAN in held(caller)
                    else (
                        403
                        if Perm.VIEW in held(caller) or Perm.REPORT not in held_anywhere(caller)
                        else 404
                    )
                )
            ),
        )
    ],
}
