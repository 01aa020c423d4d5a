"""Pages for a plan's versions: revise a decided plan, decide a draft, compare two plans."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, require
from uppsikt.plans.actions.versions import decide_plan, revise_plan
from uppsikt.plans.queries import draft_revision, superseded_by

from ..cascade import plan_above
from ..diff import diff_plans
from ..forms import DecisionForm, RevisionForm
from ..models import Goal, Plan, PlanComment
from .pages import plan_crumbs


def _visible_plan(request, pk: int) -> Plan:
    plans = Plan.objects.visible_to(request.user).select_related("unit__organisation")
    return get_object_or_404(plans, pk=pk)


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            for message in errors:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


@login_required
def plan_revise(request, pk: int):
    """Start a new version of a decided plan; ``?mal=<id>`` leads on to that goal's form."""
    plan = _visible_plan(request, pk)
    require(request.user, Perm.PLAN, plan)
    goal = None
    if goal_id := request.GET.get("mal", ""):
        goal = Goal.objects.filter(plan=plan, pk=goal_id if goal_id.isdigit() else 0).first()
    draft = draft_revision(plan)
    form = RevisionForm(request.POST or None)
    replaced = superseded_by(plan)
    if request.method == "POST" and draft is None and replaced is None and form.is_valid():
        try:
            revision = revise_plan(plan, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _("Version %(version)s av planen är skapad som utkast.")
                % {"version": revision.plan.version},
            )
            copy = revision.counterpart(goal) if goal is not None else None
            if copy is not None:
                return redirect("plans:goal_edit", copy.pk)
            return redirect(revision.plan)
    return render(
        request,
        "plans/plan_revise.html",
        {
            "plan": plan,
            "goal": goal,
            "draft": draft,
            "superseded_by": replaced,
            "form": form,
            "breadcrumbs": [*plan_crumbs(plan), (_("Revidera"), None)],
        },
    )


@login_required
def plan_decide(request, pk: int):
    plan = _visible_plan(request, pk)
    require(request.user, Perm.PLAN, plan)
    form = DecisionForm(
        request.POST or None,
        organisation=plan.unit.organisation,
        initial={"decided_by": plan.unit_id},  # usually the unit's own board or chief
    )
    if request.method == "POST" and plan.status == Plan.Status.UTKAST and form.is_valid():
        try:
            decide_plan(plan, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Beslutet är registrerat och planen är publicerad."))
            return redirect(plan)
    return render(
        request,
        "plans/plan_decide.html",
        {
            "plan": plan,
            "form": form,
            "above": plan_above(plan, request.user),
            "comments": PlanComment.objects.filter(plan=plan).count(),
            "breadcrumbs": [*plan_crumbs(plan), (_("Registrera beslut"), None)],
        },
    )


def plan_compare(request, pk: int):
    """Compare the plan with another version or another year's plan of the same unit."""
    plan = _visible_plan(request, pk)
    candidates = (
        Plan.objects.visible_to(request.user)
        .filter(unit_id=plan.unit_id)
        .exclude(pk=plan.pk)
        .order_by("-year", "-version")
    )
    other = None
    other_id = request.GET.get("med", "")
    if other_id:
        other = get_object_or_404(candidates, pk=other_id if other_id.isdigit() else 0)
    diff = None
    if other is not None:
        old, new = sorted((other, plan), key=lambda p: (p.year, p.version))
        diff = diff_plans(old, new, user=request.user)
    return render(
        request,
        "plans/plan_compare.html",
        {
            "plan": plan,
            "other": other,
            "candidates": candidates,
            "diff": diff,
            "breadcrumbs": [*plan_crumbs(plan), (_("Jämför"), None)],
            "self_url": reverse("plans:compare", args=[plan.pk]),
        },
    )
