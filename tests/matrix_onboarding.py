"""The permission matrix for onboarding (``administration``): the organisations set up, a
new one from the registry, and an organisation's unit tree (see ``matrix_rules.py``).

A new organisation is the installation's administrator's (the superuser's) alone. An
organisation's units are for whoever administers the whole organisation: in both regions
(fullmäktige above the unit the roles are on) only the superuser, so the administrator of
one region's styrelse is refused in its own region and in the other. An administrator over
a whole organisation is tested in tests/test_onboarding.py. Everyone else signed in is
refused with 403 (which organisations exist is public); the public is sent to log in.
"""

from __future__ import annotations

from .matrix_rules import Case, admin_somewhere, login, upload


def _root_only(ok: int):
    return login(lambda caller: ok if caller == "rot" else 403)


def _administers_b(ok: int):
    # Region B is fully set up beside A (tests/world.py ``second_full``): fullmäktige above
    # ``annan``, where its administrator's role is, so it does not administer all of B.
    return _root_only(ok)


NEW_UNIT = {"parent": "", "slug": "matris", "name": "Matrisens enhet", "kind": "enhet"}
CHANGED = {"name": "Ändrad genom matrisen", "kind": "styrelse", "responsibility": ""}
TREE_FILE = "slug;namn;typ;överordnad\nmatris;Matrisens enhet;enhet;{parent}\n"


def _file(parent: str) -> dict:
    return {"file": upload("enheter.csv", TREE_FILE.format(parent=parent).encode())}


def _both(args_a, args_b, ok: int, **case) -> list[Case]:
    """The case in region A and in region B."""
    return [
        Case(args=args_a, expect=_root_only(ok), label="region A", **case),
        Case(args=args_b, expect=_administers_b(ok), label="region B", **case),
    ]


ONBOARDING_PAGES: dict[str, list[Case]] = {
    "administration:organisations": [Case(expect=login(admin_somewhere()))],
    "administration:new_organisation": [
        Case(expect=_root_only(200)),
        Case(query="q=lekeberg", expect=_root_only(200), label="sök"),
        Case(
            method="post",
            data=lambda c: {"code": "1814"},
            expect=_root_only(302),
            label="sätt upp",
        ),
    ],
    "administration:units": [
        *_both(lambda c: [c.org.code], lambda c: [c.other_org.code], 200),
        *_both(
            lambda c: [c.org.code],
            lambda c: [c.other_org.code],
            302,
            method="post",
            data=lambda c: NEW_UNIT,
        ),
    ],
    "administration:unit_edit": [
        *_both(
            lambda c: [c.org.code, c.unit.slug],
            lambda c: [c.other_org.code, c.other_unit.slug],
            200,
        ),
        *_both(
            lambda c: [c.org.code, c.unit.slug],
            lambda c: [c.other_org.code, c.other_unit.slug],
            302,
            method="post",
            data=lambda c: CHANGED,
        ),
    ],
    "administration:units_import": [
        *_both(lambda c: [c.org.code], lambda c: [c.other_org.code], 200),
        Case(
            args=lambda c: [c.org.code],
            method="post",
            data=lambda c: _file("styrelsen"),
            expect=_root_only(302),
            label="region A, läs in",
        ),
        Case(
            args=lambda c: [c.other_org.code],
            method="post",
            data=lambda c: _file("annan"),
            expect=_administers_b(302),
            label="region B, läs in",
        ),
    ],
    "administration:units_export": _both(lambda c: [c.org.code], lambda c: [c.other_org.code], 200),
}
