"""Every change to a plan document's proposal: upload, reading, the person's corrections,
accepting it as a draft plan and discarding it. Each is one transaction and one audit
event; each checks the right to write plans for the unit (``Perm.PLAN``) first.

Accepting writes the plan through the data-file loader's plan writer
(``interchange.load.write_plans``), which makes it through the plans app's authoring
actions as the person who accepts: the same checks, the same events in the plan's history.
In the same transaction it writes the proposal's budget tables (``budget.actions.loading``)
and its internkontrollplan (``control.loading``) from the data that ``read_plan``
writes as files (``propose.tablefiles``), as the same person; neither ever replaces an
existing table or plan. The uploaded file stays as the plan's source document.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, require
from uppsikt.audit.trail import record
from uppsikt.budget.actions.loading import create_tables
from uppsikt.control.loading import create_plans
from uppsikt.interchange.load import LoadError, write_plans
from uppsikt.lib.concurrency import bump, check_version
from uppsikt.lib.limits import InputRefused
from uppsikt.lib.typing import Actor
from uppsikt.organisations.models import Unit
from uppsikt.plans.models import Plan

from .models import PlanProposal
from .propose import propose
from .propose.context import context_for
from .propose.datafile import plan_data
from .propose.model import Proposal
from .propose.tablefiles import budget_data, control_data
from .reading.blocks import ReadDocument
from .reading.reader import read
from .review import Review, ReviewError

OPERATIONS = ("edit", "kind", "move", "move_into", "merge", "split", "drop", "restore", "place")


def block_data(document: ReadDocument) -> list[dict[str, Any]]:
    """The read blocks as the review page shows them beside the proposal."""
    return [
        {
            "index": block.source.index,
            "page": block.source.page,
            "kind": str(block.kind),
            "number": block.number,
            "text": block.text,
            "rows": [list(row) for row in block.rows],
        }
        for block in document.blocks
    ]


def upload(unit: Unit, year: int, *, actor: Actor, name: str, content: bytes) -> PlanProposal:
    """Read the document and keep it with its proposal. A document that cannot be read is
    refused (``ValidationError`` with the reader's code and Swedish reason) and nothing is
    kept; reading is bounded in pages and time (``reading.errors``)."""
    require(actor, Perm.PLAN, unit)
    try:
        document = read(content, name)
    except InputRefused as refused:
        raise ValidationError(refused.message, code=refused.code) from refused
    context = context_for(unit.organisation.code, unit.slug, year)
    data = propose(document, context).to_data()
    with transaction.atomic():
        proposal = PlanProposal(
            organisation=unit.organisation,
            unit=unit,
            year=year,
            filename=name[:255],
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            format=document.format,
            pages=document.pages,
            blocks=block_data(document),
            original=data,
            data=data,
            created_by=actor,
        )
        proposal.document.save(Path(name).name[-100:] or "plan", ContentFile(content), save=False)
        proposal.save()
        record(
            actor=actor,
            action="proposal.upload",
            obj=proposal,
            after={
                "file": proposal.filename,
                "size": proposal.size,
                "year": year,
                "format": proposal.format,
                "blocks": len(proposal.blocks),
                "unplaced": len(data.get("unplaced", [])),
            },
        )
    return proposal


def _locked(proposal: PlanProposal, actor: Actor, expected_version: int | None) -> PlanProposal:
    require(actor, Perm.PLAN, proposal.unit)
    locked = PlanProposal.objects.select_for_update().get(pk=proposal.pk)
    check_version(locked.row_version, expected_version, name=str(locked))
    if not locked.open:
        raise ValidationError(
            _("Förslaget är %(state)s och kan inte längre ändras.")
            % {"state": locked.get_state_display()},
            code="closed",
        )
    return locked


def goal_level_for(proposal: PlanProposal) -> str:
    """The level a node turned into a goal gets: the unit's first goal level."""
    from uppsikt.governance.words import styrmodell_for

    levels = styrmodell_for(proposal.organisation_id).levels_for(proposal.unit.kind)
    return levels[0].key if levels else ""


def review_of(proposal: PlanProposal) -> Review:
    return Review.from_data(proposal.data, goal_level_for(proposal))


def change(
    proposal: PlanProposal,
    operation: str,
    *,
    actor: Actor,
    expected_version: int | None,
    **arguments: Any,
) -> PlanProposal:
    """Apply one of the person's corrections (``review.Review``'s operations)."""
    if operation not in OPERATIONS:
        raise ValidationError(_("Okänd ändring."), code="unknown_operation")
    with transaction.atomic():
        locked = _locked(proposal, actor, expected_version)
        review = review_of(locked)
        method = {"kind": "change_kind"}.get(operation, operation)
        try:
            getattr(review, method)(**arguments)
        except ReviewError as error:
            raise ValidationError(str(error), code="refused") from error
        locked.data = review.to_data()
        bump(locked)
        locked.save(update_fields=["data", "row_version", "updated_at"])
        after = {key: value for key, value in arguments.items() if key != "values"}
        if "values" in arguments:
            after["fields"] = sorted(arguments["values"])
        record(actor=actor, action="proposal.edit", obj=locked, after={"op": operation, **after})
    return locked


def accept(proposal: PlanProposal, *, actor: Actor, expected_version: int | None) -> Plan:
    """Write the proposal as a draft plan with its budget tables and internkontrollplan (see
    the module docstring); refused whole, with every problem of every part named, when any
    part of it would be refused."""
    with transaction.atomic():
        locked = _locked(proposal, actor, expected_version)
        document = review_of(locked).proposal
        (data,) = plan_data(document, locked.filename)["plans"]
        data["source"] = locked.filename
        problems: list[ValidationError] = []
        plans: list[Plan] = []
        try:
            plans = write_plans([data], actor=actor, reason=_("antaget förslag"))
        except LoadError as error:
            problems += [ValidationError(str(p), code=p.code) for p in error.problems]
        tables = _write_tables(document, locked.filename, actor, problems)
        if problems:
            transaction.set_rollback(True)
            raise ValidationError(problems, code="refused")
        locked.plan = plans[0]
        locked.state = PlanProposal.State.ACCEPTED
        bump(locked)
        locked.save(update_fields=["plan", "state", "row_version", "updated_at"])
        record(
            actor=actor,
            action="proposal.accept",
            obj=locked,
            after={"plan": locked.plan.pk, "title": locked.plan.title, **tables},
        )
    return plans[0]


def _write_tables(
    document: Proposal, filename: str, actor: Actor, problems: list[ValidationError]
) -> dict[str, Any]:
    """The budget tables and the internkontrollplan, through the budget and control apps'
    actions that never replace what exists; their refusals are added to ``problems``."""
    written: dict[str, Any] = {"budget_tables": [], "control_plan": False}
    budget, _skipped = budget_data(document)
    if budget is not None:
        try:
            made = create_tables(budget, actor=actor, source=filename, reason=_("antaget förslag"))
            written["budget_tables"] = [table.pk for table in made]
        except ValidationError as error:
            problems += error.error_list
    control = control_data(document)
    if control is not None:
        try:
            create_plans(control, actor=actor, file_name=filename)
            written["control_plan"] = True
        except ValidationError as error:
            problems += error.error_list
    return written


def discard(proposal: PlanProposal, *, actor: Actor, expected_version: int | None) -> None:
    with transaction.atomic():
        locked = _locked(proposal, actor, expected_version)
        locked.state = PlanProposal.State.DISCARDED
        bump(locked)
        locked.save(update_fields=["state", "row_version", "updated_at"])
        record(actor=actor, action="proposal.discard", obj=locked, after={"state": locked.state})
