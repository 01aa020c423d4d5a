"""The permission matrix for the people pages (issue 15): invitations, claim mappings."""

from __future__ import annotations

from .matrix_rules import (
    Case,
    Perm,
    Rule,
    admin_somewhere,
    always,
    held,
    held_anywhere,
    logged_in_only,
    login,
)


def admin_here(ok: int) -> Rule:
    """A unit's administrators get ``ok``; an administrator elsewhere is told it does not
    exist (the object is not in their units); anyone else is refused."""
    return login(
        lambda caller: (
            ok
            if Perm.ADMIN in held(caller)
            else (404 if Perm.ADMIN in held_anywhere(caller) else 403)
        )
    )


def admin_form(ok: int = 302) -> Rule:
    """A form naming a unit: an administrator elsewhere gets the form back (not their unit)."""
    return login(lambda caller: {"administrator_ute": 200}.get(caller, admin_somewhere(ok)(caller)))


# Invitations, the claim mappings (issue 15).
PEOPLE: dict[str, list[Case]] = {
    "accounts:invite": [
        Case(expect=login(always(405))),
        Case(
            method="post",
            data=lambda c: {
                "invite-email": "ny-i-matrisen@kommun.se",
                "invite-unit": c.unit.pk,
                "invite-role": "lasare",
            },
            expect=admin_form(),
        ),
    ],
    "accounts:invitation_withdraw": [
        Case(
            args=lambda c: [c.extra["invitation"]],
            method="post",
            data=lambda c: {},
            expect=admin_here(302),
        )
    ],
    "accounts:invitation": [
        Case(args=lambda c: [c.extra["invitation_token"]]),
        Case(args=lambda c: ["okand-lank"], expect=always(404), label="okänd"),
        # The public makes an account; a signed-in person with another address is told so.
        Case(
            args=lambda c: [c.extra["invitation_token"]],
            method="post",
            data=lambda c: {
                "username": "inbjuden",
                "password1": "Lingon-och-blabar-2026",
                "password2": "Lingon-och-blabar-2026",
            },
            expect=logged_in_only(302, 200),
        ),
    ],
    "accounts:claim_roles": [
        Case(expect=login(admin_somewhere())),
        Case(
            method="post",
            data=lambda c: {
                "claim": "groups",
                "value": "ny-i-matrisen",
                "unit": c.unit.pk,
                "role": "lasare",
            },
            expect=admin_form(),
        ),
    ],
    "accounts:claim_role_delete": [
        Case(
            args=lambda c: [c.extra["claim_mapping"]],
            method="post",
            data=lambda c: {},
            expect=admin_here(302),
        )
    ],
}
