"""The permission matrix for the plan-document pages: a proposal is a planner's working
copy, so only those with PLAN on its unit (planerare and administrators there, and the
superuser) find it; anyone else signed in is told it does not exist (404). The list and
the upload need PLAN on some unit (403 otherwise)."""

from __future__ import annotations

from django.core.files.base import ContentFile

from .matrix_rules import Case, Perm, held, login, planner_anywhere


def planner_here(ok: int = 200):
    return lambda caller: ok if Perm.PLAN in held(caller) else 404


def proposal_objects(world) -> dict:
    """A proposal from a small document for the world's unit, ready to review."""
    from uppsikt.proposals.models import PlanProposal

    goal = {
        "id": "goal-1",
        "kind": "goal",
        "fields": {"number": "1", "text": "Ett mål ur dokumentet.", "level": "effektmal"},
        "children": [],
        "sources": [{"index": 2, "page": 1}],
    }
    section = {
        "id": "section-1",
        "kind": "section",
        "fields": {"number": "1", "heading": "Mål", "body": ""},
        "children": [goal],
        "sources": [{"index": 1, "page": 1}],
    }
    data = {
        "organisation": world.org.code,
        "unit": world.unit.slug,
        "year": 2030,
        "nodes": [section],
        "unplaced": [
            {"text": "Ett stycke utan plats.", "source": {"index": 3, "page": 1}, "reason": "okänt"}
        ],
    }
    proposal = PlanProposal(
        organisation=world.org,
        unit=world.unit,
        year=2030,
        filename="plan.txt",
        size=10,
        sha256="0" * 64,
        format="text",
        blocks=[
            {"index": 1, "page": 1, "kind": "heading", "number": "1", "text": "Mål", "rows": []}
        ],
        original=data,
        data=data,
    )
    proposal.document.save("plan.txt", ContentFile(b"1 M\xc3\xa5l\n"), save=False)
    proposal.save()
    return {"proposal": proposal.pk}


def _pk(c):
    return [c.extra["proposal"]]


PROPOSAL_PAGES: dict[str, list[Case]] = {
    "proposals:list": [Case(expect=login(planner_anywhere()))],
    "proposals:upload": [
        Case(expect=login(planner_anywhere())),
        Case(method="post", data=lambda c: {}, expect=login(planner_anywhere()), label="tomt"),
    ],
    "proposals:review": [Case(args=_pk, expect=login(planner_here()))],
    "proposals:node": [
        Case(args=lambda c: [c.extra["proposal"], "goal-1"], expect=login(planner_here()))
    ],
    "proposals:place": [
        Case(args=lambda c: [c.extra["proposal"], 0], expect=login(planner_here()))
    ],
    "proposals:document": [Case(args=_pk, expect=login(planner_here()))],
    "proposals:change": [
        Case(
            args=_pk,
            method="post",
            data=lambda c: {"op": "move", "node": "goal-1", "direction": "down"},
            expect=login(planner_here(302)),
        )
    ],
    "proposals:accept": [
        Case(args=_pk, method="post", data=lambda c: {}, expect=login(planner_here(302)))
    ],
    "proposals:discard": [
        Case(args=_pk, method="post", data=lambda c: {}, expect=login(planner_here(302)))
    ],
}
