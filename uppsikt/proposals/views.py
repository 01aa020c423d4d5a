"""The plan-document pages: upload, the list, the review side by side, one object's
corrections, accepting and discarding. Thin: the work is in ``actions`` and ``review``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from uppsikt.accounts.access import Perm, can, require_somewhere, scope
from uppsikt.lib.typing import acting_user

from . import actions, presentation
from .forms import TextFieldsForm, UploadForm
from .models import PlanProposal
from .review import MAIN_FIELD, ReviewError, sentences_of


def _proposal(request: HttpRequest, pk: int) -> PlanProposal:
    """The proposal, for those who may write plans for its unit; 404 for everyone else."""
    proposal = get_object_or_404(
        PlanProposal.objects.select_related("organisation", "unit", "plan"), pk=pk
    )
    if not can(request.user, Perm.PLAN, proposal.unit):
        raise Http404
    return proposal


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


@login_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    require_somewhere(request.user, Perm.PLAN)
    proposals = scope(
        PlanProposal.objects.select_related("unit", "organisation", "plan"),
        request.user,
        perm=Perm.PLAN,
    )
    return render(request, "proposals/list.html", {"proposals": proposals[:100]})


@login_required
def proposal_upload(request: HttpRequest) -> HttpResponse:
    require_somewhere(request.user, Perm.PLAN)
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["fil"]
        try:
            proposal = actions.upload(
                form.cleaned_data["enhet"],
                form.cleaned_data["ar"],
                actor=acting_user(request),
                name=upload.name,
                content=upload.read(),
            )
        except ValidationError as error:
            form.add_error("fil", error)
        else:
            return redirect(proposal)
    return render(request, "proposals/upload.html", {"form": form})


@login_required
def proposal_review(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    context: dict = {"proposal": proposal}
    if proposal.state != PlanProposal.State.DISCARDED:
        review = actions.review_of(proposal)
        refused, loose = presentation.problems(proposal, review.proposal)
        taken, left_out = presentation.tables(review.proposal)
        context |= {
            "review": review,
            "rows": presentation.rows(proposal, review),
            "dropped": presentation.dropped(review),
            "refused": refused,
            "loose": loose,
            "taken": taken,
            "left_out": left_out,
            "differences": review.proposal.sum_differences(),
        }
    return render(request, "proposals/review.html", context)


@login_required
def proposal_node(request: HttpRequest, pk: int, node_id: str) -> HttpResponse:
    """One object's corrections: texts, kind, where it stands, splitting it."""
    proposal = _proposal(request, pk)
    review = actions.review_of(proposal)
    try:
        node = review.node(node_id)
    except ReviewError as error:
        raise Http404 from error
    levels = presentation.level_names(proposal)
    form = TextFieldsForm(
        request.POST or None, node_fields=node.fields, labels=presentation.FIELD_LABELS
    )
    if (
        request.method == "POST"
        and proposal.open
        and form.is_valid()
        and _apply(request, proposal, "edit", node_id=node_id, values=form.values())
    ):
        return redirect(f"{proposal.get_absolute_url()}#{node_id}")
    main = MAIN_FIELD.get(node.kind)
    return render(
        request,
        "proposals/node.html",
        {
            "proposal": proposal,
            "node": node,
            "label": presentation.kind_label(node, levels),
            "form": form,
            "kinds": presentation.kind_choices(node, levels),
            "parents": presentation.parent_choices(review, node, levels),
            "sentences": sentences_of(str(node.fields.get(main, ""))) if main else [],
        },
    )


@login_required
def proposal_place(request: HttpRequest, pk: int, position: int) -> HttpResponse:
    """Make a passage that could not be placed an object of the plan."""
    proposal = _proposal(request, pk)
    review = actions.review_of(proposal)
    if not 0 <= position < len(review.proposal.unplaced):
        raise Http404
    levels = presentation.level_names(proposal)
    kinds = [
        (kind, str(label)) for kind, label in presentation.KIND_LABELS.items() if kind in MAIN_FIELD
    ]
    return render(
        request,
        "proposals/place.html",
        {
            "proposal": proposal,
            "position": position,
            "passage": review.proposal.unplaced[position],
            "kinds": kinds,
            "parents": presentation.parent_choices(review, None, levels),
        },
    )


@login_required
@require_POST
def proposal_change(request: HttpRequest, pk: int) -> HttpResponse:
    """One correction from a button or form of the review pages (``actions.OPERATIONS``)."""
    proposal = _proposal(request, pk)
    operation = request.POST.get("op", "")
    node_id = request.POST.get("node", "")
    arguments: dict = {"node_id": node_id}
    if operation == "kind":
        arguments["kind"] = request.POST.get("kind", "")
    elif operation == "move":
        arguments["direction"] = request.POST.get("direction", "")
    elif operation == "move_into":
        arguments["parent_id"] = request.POST.get("parent", "")
    elif operation == "split":
        arguments["after"] = _int(request.POST.get("after"))
    elif operation == "place":
        arguments = {
            "position": _int(request.POST.get("position")),
            "kind": request.POST.get("kind", ""),
            "parent_id": request.POST.get("parent", ""),
        }
    if _apply(request, proposal, operation, **arguments):
        messages.success(request, _("Förslaget är ändrat."))
    anchor = f"#{node_id}" if node_id and operation not in ("drop",) else ""
    return redirect(f"{proposal.get_absolute_url()}{anchor}")


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return -1


def _apply(request: HttpRequest, proposal: PlanProposal, operation: str, **arguments) -> bool:
    try:
        actions.change(
            proposal,
            operation,
            actor=acting_user(request),
            expected_version=_version(request),
            **arguments,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    return True


@login_required
@require_POST
def proposal_accept(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    try:
        plan = actions.accept(
            proposal, actor=acting_user(request), expected_version=_version(request)
        )
    except ValidationError as error:
        messages.error(request, _("Förslaget kunde inte antas. Rätta det som står nedan."))
        for message in error.messages:
            messages.error(request, message)
        return redirect(proposal)
    messages.success(request, _("Förslaget är antaget som utkast. Redigera och besluta planen."))
    return redirect(reverse("plans:edit", args=[plan.pk]))


@login_required
@require_POST
def proposal_discard(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    try:
        actions.discard(proposal, actor=acting_user(request), expected_version=_version(request))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(proposal)
    messages.success(request, _("Förslaget är kasserat."))
    return redirect("proposals:list")


@login_required
def proposal_document(request: HttpRequest, pk: int) -> FileResponse:
    """The uploaded document as it was sent."""
    proposal = _proposal(request, pk)
    return FileResponse(
        proposal.document.open("rb"), as_attachment=True, filename=proposal.filename
    )


def source_document(document: Any, user: Any) -> dict[str, Any] | None:
    """Plan-page hook: the document an accepted plan was read from, for those who may
    write the unit's plans (the same people who may download it)."""
    plan = document.plan
    if not plan.source or not can(user, Perm.PLAN, plan.unit):
        return None
    proposal = PlanProposal.objects.filter(plan=plan).only("pk").first()
    if proposal is None:
        return None
    return {"source_document": reverse("proposals:document", args=[proposal.pk])}
