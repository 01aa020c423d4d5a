"""The main menu's starting pages: every organisation, every internkontrollplan and every
budget table the visitor may read. Each lists and links; the content lives in its app."""

from django.db.models import Count, Q
from django.shortcuts import render
from django.utils.translation import gettext as _

from uppsikt.budget.models import BudgetTable
from uppsikt.control.visibility import control_plans
from uppsikt.organisations.models import Organisation
from uppsikt.plans.models import Plan


def organisations(request):
    visible = Plan.objects.visible_to(request.user)
    found = Organisation.objects.annotate(
        plan_count=Count("units__plans", filter=Q(units__plans__in=visible), distinct=True)
    ).order_by("kind", "code")
    plans = (
        visible.select_related("unit__organisation")
        .with_superseded()
        .order_by("unit__organisation__code", "-year", "unit__position", "-version")
    )
    return render(
        request,
        "portal/organisations.html",
        {
            "organisations": [org for org in found if org.plan_count],
            "others": [org for org in found if not org.plan_count],
            "plans": plans,
            "breadcrumbs": [(_("Organisationer och planer"), None)],
        },
    )


def control_index(request):
    plans = (
        control_plans(request.user)
        .select_related("unit__organisation")
        .order_by("unit__organisation__code", "-year", "unit__position")
    )
    return render(
        request,
        "portal/control_index.html",
        {"plans": plans, "breadcrumbs": [(_("Internkontroll"), None)]},
    )


def budget_index(request):
    tables = (
        BudgetTable.objects.visible_to(request.user)
        .select_related("unit__organisation")
        .order_by("unit__organisation__code", "-year", "unit__position", "position")
    )
    return render(
        request,
        "portal/budget_index.html",
        {"tables": tables, "breadcrumbs": [(_("Budget"), None)]},
    )
