"""The permission matrix for an organisation's Kolada sync page: PLAN on one of its units
(planerare and administrators there, and the superuser) reads it, saves its settings and
starts a sync ("Synka nu" leads to the job; without a Kolada-linked definition back to the
page with the reason); everyone else signed in is refused."""

from __future__ import annotations

from .matrix_rules import Case, Perm, held, login


def planner_here(ok: int = 200):
    """PLAN on a unit of the world's organisation; anyone else signed in is refused (403)."""
    return lambda caller: ok if Perm.PLAN in held(caller) else 403


KOLADA_SYNC_PAGES: dict[str, list[Case]] = {
    "kolada:sync": [
        Case(args=lambda c: [c.org.code], expect=login(planner_here())),
        Case(
            args=lambda c: [c.org.code],
            method="post",
            data=lambda c: {"comparison": "ingen", "scheduled": "on"},
            expect=login(planner_here(302)),
            label="spara",
        ),
    ],
    "kolada:sync_start": [
        Case(
            args=lambda c: [c.org.code],
            method="post",
            data=lambda c: {},
            expect=login(planner_here(302)),
        ),
    ],
}
