"""The beredning of a draft and a plan's history.

``plan_review`` shows the plan's comment threads and sends the draft for review (a POST,
``authoring.send_for_review``); ``plan_comment`` adds a comment (``authoring.add_comment``)
to the plan or one of its objects (``om=<kind>:<pk>``) and goes back to its thread; a
refused comment is shown on the review page with its errors. ``plan_history`` lists every
audit event of the plan and its content (``plans.trail.plan_history``).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from uppsikt.accounts.access import Perm, can, require
from uppsikt.audit.presentation import describe_all
from uppsikt.plans.actions.authoring import MAX_COMMENT, add_comment, send_for_review
from uppsikt.plans.actions.parts import MODELS

from ..document import plan_document
from ..models import Plan
from ..rules import PlanIsDecided
from ..threads import subject_choices, thread_anchor, threads
from ..trail import plan_history
from .pages import plan_crumbs

HISTORY_PAGE_SIZE = 50


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Meddelande till dem som bereder planen"),
        required=False,
        max_length=2000,
        help_text=gettext_lazy("Frivilligt. Sparas i planens ändringshistorik."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CommentForm(forms.Form):
    """A comment in one thread; ``om`` names the thread's subject (empty: the plan)."""

    om = forms.CharField(required=False, widget=forms.HiddenInput)
    body = forms.CharField(
        label=gettext_lazy("Kommentar"),
        required=False,  # add_comment says what is missing, in the same words everywhere
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MAX_COMMENT}),
    )


class NewCommentForm(CommentForm):
    """A comment on anything in the plan, chosen from a list."""

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["om"] = forms.CharField(
            label=gettext_lazy("Gäller"), required=False, widget=forms.Select(choices=choices)
        )
        self.order_fields(["om", "body"])


def _readable_plan(request, pk: int) -> Plan:
    """The plan if the visitor may read its unpublished content: a draft is not found for
    anyone else, a decided plan's beredning and history are refused."""
    plans = Plan.objects.visible_to(request.user).select_related("unit__organisation")
    plan = get_object_or_404(plans, pk=pk)
    require(request.user, Perm.VIEW, plan)
    return plan


def _review_url(plan: Plan, om: str = "", anchor: str = "") -> str:
    url = reverse("plans:review", args=[plan.pk])
    if om:
        url += "?" + urlencode({"om": om})
    return url + (f"#{anchor}" if anchor else "")


def _add_errors(form: forms.Form, error: ValidationError, *, subject_field: str | None) -> None:
    """The action's errors on the form: the body on its field, the subject on the list
    (or, in a thread's own form, which has none to show, above the form)."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for name, messages_ in error.message_dict.items():
        field = "body" if name == "body" else subject_field if name in ("subject", "om") else None
        for message in messages_:
            form.add_error(field, message)


def _subject(plan: Plan, om: str) -> Model | None:
    """The object ``om`` names (``"goal:12"``), or None for the plan as a whole; the action
    checks that it belongs to ``plan``."""
    if not om:
        return None
    kind, _sep, pk = om.partition(":")
    model = MODELS.get(kind)
    if model is None or not pk.isdigit():
        raise ValidationError({"om": [_("Välj vad kommentaren gäller.")]})
    found: Model | None = model._default_manager.filter(pk=int(pk)).first()
    if found is None:
        raise ValidationError({"om": [_("Det du vill kommentera finns inte längre i planen.")]})
    return found


def _review_page(
    request,
    plan: Plan,
    *,
    review_form: ReviewForm | None = None,
    failed: CommentForm | None = None,
    failed_new: bool = False,
) -> HttpResponse:
    document = plan_document(plan, request.user)
    is_draft = plan.status == Plan.Status.UTKAST
    include = failed.data.get("om", "") if failed is not None else request.GET.get("om", "")
    shown = threads(plan, document, include=include)
    for thread in shown:
        if is_draft and not thread.removed:
            if failed is not None and not failed_new and thread.key == include:
                thread.form = failed
            else:
                thread.form = CommentForm(initial={"om": thread.key}, auto_id=f"{thread.anchor}-%s")
    new_form = None
    if is_draft:
        choices = subject_choices(plan, document)
        if failed is not None and failed_new:
            new_form = failed
            new_form.fields["om"].widget.choices = choices
        else:
            new_form = NewCommentForm(initial={"om": include}, choices=choices, auto_id="ny-%s")
    may_plan = can(request.user, Perm.PLAN, plan)
    if review_form is None and may_plan and is_draft and plan.review_requested_at is None:
        review_form = ReviewForm(auto_id="beredning-%s")
    return render(
        request,
        "plans/review/review.html",
        {
            "plan": plan,
            "threads": shown,
            "comment_count": sum(len(thread.comments) for thread in shown),
            "new_form": new_form,
            "failed": failed,
            "review_form": review_form,
            "sent": plan_history(plan).filter(action="plan.review").first(),
            "may_plan": may_plan,
            "is_draft": is_draft,
            "breadcrumbs": [*plan_crumbs(plan), (_("Beredning"), None)],
        },
    )


@login_required
def plan_review(request, pk: int) -> HttpResponse:
    """The beredning page; a POST sends the draft for review."""
    plan = _readable_plan(request, pk)
    if request.method != "POST":
        return _review_page(request, plan)
    require(request.user, Perm.PLAN, plan)  # refused before the form is read
    form = ReviewForm(request.POST, auto_id="beredning-%s")
    if form.is_valid():
        try:
            send_for_review(plan, actor=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:  # already sent, or decided meanwhile
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Planen är skickad på beredning."))
            return redirect("plans:review", plan.pk)
    return _review_page(request, plan, review_form=form)


@login_required
def plan_comment(request, pk: int) -> HttpResponse:
    """Add a comment (POST ``om``, ``body``); a GET leads to the thread on the review page."""
    plan = _readable_plan(request, pk)
    data = request.POST if request.method == "POST" else request.GET
    om = data.get("om", "")
    kind, _sep, obj = om.partition(":")
    anchor = thread_anchor(kind, obj) if obj.isdigit() else thread_anchor("", None)
    if request.method != "POST":
        return redirect(_review_url(plan, om, anchor))
    is_new = "ny" in request.POST
    if is_new:
        form: CommentForm = NewCommentForm(request.POST, choices=[], auto_id="ny-%s")
    else:
        form = CommentForm(request.POST, auto_id=f"{anchor}-%s")
    form.is_valid()
    try:
        subject = _subject(plan, om)
        add_comment(plan, actor=request.user, body=data.get("body", ""), subject=subject)
    except PlanIsDecided:
        form.add_error(None, _("Planen är beslutad och tar inte emot fler kommentarer."))
        return _review_page(request, plan, failed=form, failed_new=is_new)
    except ValidationError as error:
        _add_errors(form, error, subject_field="om" if is_new else None)
        return _review_page(request, plan, failed=form, failed_new=is_new)
    messages.success(request, _("Kommentaren är sparad."))
    return redirect(_review_url(plan, anchor=anchor))


@login_required
def plan_history_page(request, pk: int) -> HttpResponse:
    """Every change to the plan and its content, newest first, a page at a time."""
    plan = _readable_plan(request, pk)
    page = Paginator(plan_history(plan), HISTORY_PAGE_SIZE).get_page(request.GET.get("sida"))
    return render(
        request,
        "plans/review/history.html",
        {
            "plan": plan,
            "page": page,
            "rows": describe_all(page.object_list),
            "breadcrumbs": [*plan_crumbs(plan), (_("Ändringshistorik"), None)],
        },
    )
