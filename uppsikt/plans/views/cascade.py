"""The cascade between plans: a plan's answers to the goals of the plan above
(``plans:breakdown``), and an organisation's whole cascade for a year (``plans:cascade``,
also as XLSX)."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, can, require
from uppsikt.organisations.models import Organisation

from ..actions.breakdown import break_down_goal
from ..actions.cascade import exempt_goal, link_goal, unlink_goal, withdraw_exemption
from ..cascade import STATUS_LABELS, Breakdown, breakdown, cascade
from ..cascade_export import cascade_workbook
from ..creation_forms import ExemptForm, LinkGoalForm, NewGoalForm
from ..levels import default_goal_kind
from ..models import Goal, GoalExemption, Plan
from .pages import plan_crumbs

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NEW, LINK, UNLINK, EXEMPT, WITHDRAW = (
    "bryt-ned",
    "koppla",
    "koppla-bort",
    "beror-inte",
    "ta-tillbaka",
)


def _forms(data: Breakdown, row, posted=None) -> dict:
    """The three forms that answer one goal above: ``posted`` = (action, bound form) when
    the one posted was refused, to show it again with its errors."""
    prefix = f"mal-{row.goal.pk}"
    linked = {goal.pk for goal in row.goals}
    goals = Goal.objects.filter(plan=data.plan).exclude(pk__in=linked).order_by("position")
    forms = {
        NEW: NewGoalForm(
            prefix=prefix,
            unit=data.plan.unit,
            initial={"text": row.goal.text, "kind": default_goal_kind(data.plan.unit)},
        ),
        LINK: LinkGoalForm(prefix=prefix, goals=goals),
        EXEMPT: ExemptForm(prefix=prefix, initial={"reason": ""}),
    }
    if posted is not None:
        forms[posted[0]] = posted[1]
    # Template names: a variable cannot hold "-".
    return {
        "new": forms[NEW],
        "link": forms[LINK],
        "exempt": forms[EXEMPT],
        "can_link": bool(goals),
    }


def plan_breakdown(request, pk: int):
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    plan = get_object_or_404(
        Plan.objects.visible_to(request.user).select_related("unit__organisation"), pk=pk
    )
    refused = None
    if request.method == "POST":
        require(request.user, Perm.PLAN, plan)  # before anything posted is read
        if plan.status != Plan.Status.UTKAST:
            messages.error(request, _("Planen är beslutad och ändras inte: revidera den först."))
            return redirect("plans:breakdown", plan.pk)
        done, refused = _act(request, plan)
        if done:
            return redirect(f"{reverse('plans:breakdown', args=[plan.pk])}#mal-{done}")
    data = breakdown(plan, request.user)
    editable = (
        data.above is not None
        and plan.status == Plan.Status.UTKAST
        and can(request.user, Perm.PLAN, plan)
    )
    rows = [
        {
            "row": row,
            "forms": _forms(
                data, row, refused[1:] if refused and refused[0] == row.goal.pk else None
            )
            if editable
            else None,
            "open": refused[1] if refused and refused[0] == row.goal.pk else "",
        }
        for row in data.rows
    ]
    return render(
        request,
        "plans/plan_breakdown.html",
        {
            "plan": plan,
            "above": data.above,
            "rows": rows,
            "counts": data.counts(),
            "editable": editable,
            "may_plan": can(request.user, Perm.PLAN, plan),
            "labels": STATUS_LABELS,
            "breadcrumbs": [*plan_crumbs(plan), (_("Målen ovanför"), None)],
        },
        status=200,
    )


def _act(request, plan: Plan):
    """Carry out the posted answer. Returns (id of the goal above when done, None) or
    (None, (goal above id, action, refused form))."""
    data = breakdown(plan, request.user)
    if data.above is None:
        raise Http404(_("Enheten ovanför har ingen plan för året."))
    goal_id = request.POST.get("mal", "")
    row = next((r for r in data.rows if str(r.goal.pk) == goal_id), None)
    action = request.POST.get("action", "")
    if row is None or action not in (NEW, LINK, UNLINK, EXEMPT, WITHDRAW):
        raise Http404(_("Målet finns inte i planen ovanför."))
    form = _bound(action, data, row, request.POST)
    if form is not None and not form.is_valid():
        return None, (row.goal.pk, action, form)
    try:
        _carry_out(request, plan, row, action, form)
    except ValidationError as error:
        if form is None:
            messages.error(request, " ".join(error.messages))
            return row.goal.pk, None
        for name, errors in getattr(error, "message_dict", {None: error.messages}).items():
            for message in errors:
                form.add_error(name if name in form.fields else None, message)
        return None, (row.goal.pk, action, form)
    return row.goal.pk, None


def _bound(action: str, data: Breakdown, row, post):
    prefix = f"mal-{row.goal.pk}"
    if action == NEW:
        return NewGoalForm(post, prefix=prefix, unit=data.plan.unit)
    if action == LINK:
        linked = {goal.pk for goal in row.goals}
        goals = Goal.objects.filter(plan=data.plan).exclude(pk__in=linked)
        return LinkGoalForm(post, prefix=prefix, goals=goals)
    if action == EXEMPT:
        return ExemptForm(post, prefix=prefix)
    return None


def _carry_out(request, plan: Plan, row, action: str, form) -> None:
    user = request.user
    if action == NEW:
        break_down_goal(plan, row.goal, actor=user, **form.cleaned_data)
        messages.success(request, _("Målet är tillagt och bidrar till målet ovanför."))
    elif action == LINK:
        link_goal(form.cleaned_data["goal"], row.goal, actor=user)
        messages.success(request, _("Målet är kopplat till målet ovanför."))
    elif action == UNLINK:
        own = next((g for g in row.goals if str(g.pk) == request.POST.get("eget", "")), None)
        if own is None:
            raise ValidationError(_("Välj ett mål som är kopplat till målet ovanför."))
        unlink_goal(own, row.goal, actor=user)
        messages.success(request, _("Kopplingen är borttagen."))
    elif action == EXEMPT:
        exempt_goal(plan, row.goal, actor=user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Svaret ”berör inte enheten” är sparat."))
    else:
        exemption = GoalExemption.objects.filter(plan=plan, goal=row.goal).first()
        if exemption is None:
            raise ValidationError(_("Målet har inget svar ”berör inte enheten” att ta tillbaka."))
        withdraw_exemption(exemption, actor=user)
        messages.success(request, _("Svaret ”berör inte enheten” är borttaget."))


# -- the organisation's cascade ----------------------------------------------------------------


def _years(organisation: Organisation, user) -> list[int]:
    return sorted(
        set(
            Plan.objects.visible_to(user)
            .filter(unit__organisation=organisation)
            .values_list("year", flat=True)
        ),
        reverse=True,
    )


def organisation_cascade(request, code: str, year: int):
    organisation = get_object_or_404(Organisation, code=code)
    tree = cascade(organisation, year, request.user)
    years = _years(organisation, request.user)
    return render(
        request,
        "plans/cascade.html",
        {
            "organisation": organisation,
            "year": year,
            "tree": tree,
            "years": sorted({*years, year}, reverse=True),
            "counts": tree.counts(),
            "labels": STATUS_LABELS,
            "breadcrumbs": [
                (organisation.name, organisation.get_absolute_url()),
                (_("Målkaskad %(year)s") % {"year": year}, None),
            ],
        },
    )


def organisation_cascade_xlsx(request, code: str, year: int):
    organisation = get_object_or_404(Organisation, code=code)
    tree = cascade(organisation, year, request.user)
    response = HttpResponse(cascade_workbook(tree), content_type=XLSX)
    name = f"malkaskad-{organisation.code}-{year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
