"""The permission matrix for the styrmodell (issue 15): its page and its API (see
``matrix_rules.py``). Reading the API is public; the page and every change need the
administrator role over the whole organisation, which in the world only the superuser has."""

from __future__ import annotations

from uppsikt.governance.actions import spec_of
from uppsikt.governance.words import DEFAULT

from .matrix_rules import Case, login, token


def organisation_admin_only(ok: int) -> object:
    """Signed in without the right: 403 (the page says it exists, as its link does not)."""
    return lambda caller: ok if caller == "rot" else 403


def styrmodell_form(c) -> dict:
    """The page's form for the default model, renamed."""
    spec = spec_of(DEFAULT)
    data: dict = {
        "action": "save",
        "name": "Matrisens styrmodell",
        "uses": spec.uses,
        "calendar": spec.calendar,
        "period_months": [str(month) for month in spec.period_months],
    }
    rows = {"niva": spec.levels, "steg": spec.steps, "perspektiv": spec.perspectives}
    for prefix, items in rows.items():
        data |= {f"{prefix}-TOTAL_FORMS": str(len(items)), f"{prefix}-INITIAL_FORMS": "0"}
    for i, level in enumerate(spec.levels):
        data |= {f"niva-{i}-key": level.key, f"niva-{i}-name": level.name}
    for i, step in enumerate(spec.steps):
        data |= {
            f"steg-{i}-key": step.key,
            f"steg-{i}-label": step.label,
            f"steg-{i}-colour": step.colour,
            f"steg-{i}-colour_shown": step.colour,
            f"steg-{i}-symbol": step.symbol,
            f"steg-{i}-proposal": step.proposal,
        }
        if step.counts_as_met:
            data[f"steg-{i}-counts_as_met"] = "on"
    for i, (name, _description) in enumerate(spec.perspectives):
        data[f"perspektiv-{i}-name"] = name
    return data


def styrmodell_body(c) -> dict:
    spec = spec_of(DEFAULT)
    return {
        "name": "Matrisens styrmodell",
        "levels": [{"key": lv.key, "name": lv.name} for lv in spec.levels],
        "steps": [
            {
                "key": s.key,
                "label": s.label,
                "colour": s.colour,
                "symbol": s.symbol,
                "counts_as_met": s.counts_as_met,
                "proposal": s.proposal,
            }
            for s in spec.steps
        ],
    }


GOVERNANCE_PAGES: dict[str, list[Case]] = {
    "administration:styrmodell": [
        Case(args=lambda c: [c.org.code], expect=login(organisation_admin_only(200))),
        Case(
            args=lambda c: [c.org.code],
            method="post",
            data=styrmodell_form,
            expect=login(organisation_admin_only(302)),
        ),
    ],
}

GOVERNANCE_API: dict[str, list[Case]] = {
    "api:get_styrmodell": [Case(args=lambda c: [c.org.code])],
    "api:put_styrmodell": [
        Case(
            args=lambda c: [c.org.code],
            method="put",
            data=styrmodell_body,
            expect=token(organisation_admin_only(200)),
        )
    ],
}
