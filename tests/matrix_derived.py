"""The permission matrix for a derived indicator's formula page (``indicators:derivation``).

Who may change a definition may change its formula (``require_definition_change``): ``plan``
on some unit, and on every unit whose plans measure with it. The world's definition is
measured by the owning unit's plans; a fresh one no plan uses needs ``plan`` anywhere.
Definitions are public, so everyone else logged in is refused with 403."""

from __future__ import annotations

from .matrix_rules import Case, Perm, held, login, planner_anywhere


def _owner(ok: int):
    return lambda caller: ok if Perm.PLAN in held(caller) else 403


def _fresh(c) -> list:
    """A definition no plan uses and two inputs for it (made once; every call is rolled back)."""
    from uppsikt.indicators.models import IndicatorDefinition

    for key in ("matris-telje", "matris-namnare"):
        IndicatorDefinition.objects.get_or_create(key=key, defaults={"name": key, "unit": "antal"})
    fresh, _created = IndicatorDefinition.objects.get_or_create(
        key="matris-beraknad", defaults={"name": "Matrisens kvot", "unit": "antal"}
    )
    return [fresh.pk]


FORMULA = {
    "kind": "kvot",
    "input_1": "matris-telje",
    "input_2": "matris-namnare",
    "factor": "1000",
    "decimals": "1",
}

DERIVED_PAGES = {
    "indicators:derivation": [
        Case(args=lambda c: [c.definition.pk], expect=login(_owner(200)), label="i planerna"),
        Case(
            args=lambda c: [c.definition.pk],
            method="post",
            data=lambda c: {"remove": "1"},
            # Not derived: the owner is sent back to the definition with the refusal.
            expect=login(_owner(302)),
            label="i planerna, ta bort",
        ),
        Case(args=_fresh, expect=login(planner_anywhere()), label="oanvänd"),
        Case(
            args=_fresh,
            method="post",
            data=lambda c: FORMULA,
            expect=login(planner_anywhere(302)),
            label="oanvänd, spara",
        ),
    ],
}
