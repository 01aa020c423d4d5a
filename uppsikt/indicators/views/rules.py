"""Confirming or changing the target rule Uppsikt read out of an indicator's sentence."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, require
from uppsikt.plans.models import Plan

from ..actions import set_target_rule
from ..forms import TargetRuleForm
from ..models import IndicatorTarget
from ..rules import propose_rule


@login_required
def edit_rule(request, pk: int):
    target = get_object_or_404(
        IndicatorTarget.objects.select_related(
            "definition", "indicator__goal__plan__unit__organisation"
        ),
        pk=pk,
        indicator__goal__plan__in=Plan.objects.visible_to(request.user),
    )
    require(request.user, Perm.PLAN, target)
    goal = target.indicator.goal
    initial = TargetRuleForm.initial_for(target.target_rule)
    form = TargetRuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            set_target_rule(target, actor=request.user, rule=form.rule)
        except ValidationError as error:  # a decided plan: confirm only, or revise it
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Målregeln är sparad och bedömningarna är omräknade."))
            return redirect(goal.get_absolute_url())
    read = propose_rule(target.indicator.text)
    return render(
        request,
        "indicators/rule_form.html",
        {
            "target": target,
            "goal": goal,
            "form": form,
            "read_rule": read.describe(target.definition.unit) if read else None,
            "decided": goal.plan.is_published,
            "breadcrumbs": [
                (goal.plan.title, goal.plan.get_absolute_url()),
                (goal.label, goal.get_absolute_url()),
                (_("Målregel"), None),
            ],
        },
    )
