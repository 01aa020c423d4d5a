"""The beredning's comment threads, as the review page and the plan page show them.

A comment (``PlanComment``) is on the plan as a whole or on one object of it; the comments
on one subject, oldest first, are its thread. The review page lists the plan's thread first,
then the threads of its objects in document order, then those whose object has been removed
from the draft since (kept, under the label stored with each comment). The plan page shows
how many comments each goal and section has, counted in one query (``plan_page_review``,
a hook on ``plans.page.plan_page``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Model
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from uppsikt.accounts.access import Perm, can

from .document import PlanDocument
from .editing import KIND_LABELS
from .models import Plan, PlanComment


def subject_key(kind: str, pk: int | None) -> str:
    """How a form names a subject: ``"goal:12"``, or ``""`` for the plan as a whole."""
    return f"{kind}:{pk}" if kind else ""


def thread_anchor(kind: str, pk: int | None) -> str:
    return f"trad-{kind}-{pk}" if kind else "trad-planen"


def subject_label(kind: str, text: str) -> str:
    """ "Avsnitt: 1 Inledning"; a goal names its own kind ("Effektmål 1: …")."""
    if kind in ("", "goal"):
        return text
    return f"{KIND_LABELS.get(kind, kind)}: {text}"


@dataclass
class Thread:
    kind: str  # "" for the plan as a whole
    pk: int | None
    label: str
    comments: list[PlanComment] = field(default_factory=list)
    removed: bool = False  # the object has been taken out of the plan since
    url: str = ""  # the object's own page, if it has one
    form: Any = None  # the review page's form for a comment in the thread

    @property
    def key(self) -> str:
        return subject_key(self.kind, self.pk)

    @property
    def anchor(self) -> str:
        return thread_anchor(self.kind, self.pk)


def subjects(document: PlanDocument) -> Iterator[tuple[str, Model]]:
    """Every object of the plan that can be commented on, in document order (a goal's
    indicators after the goal)."""
    for node in document.walk():
        yield node.kind, node.obj
        if node.kind == "goal":
            for indicator in node.obj.indicators.all():
                yield "indicator", indicator


def _url(obj: Model) -> str:
    get_url = getattr(obj, "get_absolute_url", None)
    return get_url() if get_url is not None else ""


def threads(plan: Plan, document: PlanDocument, *, include: str = "") -> list[Thread]:
    """The plan's threads: the plan's own first (always), then its objects' in document
    order, then those of removed objects. ``include`` (a subject key) is listed even
    without comments yet, so a reviewer can start its thread."""
    by_subject: dict[tuple[str, int | None], list[PlanComment]] = defaultdict(list)
    for comment in PlanComment.objects.filter(plan=plan).order_by("created_at", "pk"):
        by_subject[(comment.subject_type, comment.subject_id)].append(comment)
    result = [Thread("", None, str(plan), by_subject.pop(("", None), []))]
    for kind, obj in subjects(document):
        found = by_subject.pop((kind, obj.pk), [])
        if found or (include and subject_key(kind, obj.pk) == include):
            result.append(Thread(kind, obj.pk, subject_label(kind, str(obj)), found, url=_url(obj)))
    removed = sorted(by_subject.items(), key=lambda item: (item[1][0].created_at, item[1][0].pk))
    for (kind, pk), found in removed:
        label = subject_label(kind, found[-1].subject_label)
        result.append(Thread(kind, pk, label, found, removed=True))
    return result


def subject_choices(plan: Plan, document: PlanDocument) -> list[tuple[str, str]]:
    """What a new comment can be about: the plan, then every object in document order."""
    choices = [("", str(_("Planen som helhet")))]
    for kind, obj in subjects(document):
        label = subject_label(kind, str(obj))
        choices.append(
            (subject_key(kind, obj.pk), label if len(label) <= 120 else label[:119] + "…")
        )
    return choices


def comment_counts(plan: Plan) -> dict[tuple[str, int | None], int]:
    """Comments per subject, in one query."""
    rows = (
        PlanComment.objects.filter(plan=plan)
        .order_by()
        .values("subject_type", "subject_id")
        .annotate(count=Count("pk"))
        .values_list("subject_type", "subject_id", "count")
    )
    return {(kind, pk): count for kind, pk, count in rows}


COUNTED_KINDS = ("section", "goal")


def plan_page_review(document: PlanDocument, user: Any) -> dict[str, Any] | None:
    """For readers of unpublished content: the beredning box and each goal's and section's
    number of comments (``review_comments`` on the object; on a decided plan only where
    there are comments). One query, whatever the plan's size."""
    plan = document.plan
    if not can(user, Perm.VIEW, plan):
        return None
    counts = comment_counts(plan)
    is_draft = plan.status == Plan.Status.UTKAST
    for node in document.walk():
        if node.kind in COUNTED_KINDS:
            count = counts.get((node.kind, node.obj.pk), 0)
            if is_draft or count:
                node.obj.review_comments = count
    return {
        "review": {
            "is_draft": is_draft,
            "requested_at": plan.review_requested_at,
            "count": sum(counts.values()),
            "url": reverse("plans:review", args=[plan.pk]),
        }
    }


def moment(value: Any) -> str:
    """A time stored in an audit event (ISO 8601) as people read it: "3 mars 2024 14:05"."""
    parsed = parse_datetime(str(value))
    if parsed is None:
        return str(value)
    return date_format(timezone.localtime(parsed), "j F Y H:i")


# How "plan.review" events read in the history (``audit.presentation.register_formats``).
AUDIT_FIELDS: dict[str, Callable[[Any], str]] = {"review_requested_at": moment}
