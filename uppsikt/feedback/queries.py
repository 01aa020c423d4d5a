"""What administrators read: the answers about the public pages summed up per page, and the
accessibility reports.

Who sees which answers: the installation's administrator every page's; an organisation's
administrator (the role over the whole organisation) the pages of that organisation's
public site. Anyone else is refused.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q, QuerySet
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, administers_installation, can_on_organisation
from uppsikt.lib.typing import Visitor
from uppsikt.organisations.models import Organisation

from .models import AccessibilityStatement, PageAnswer

MAX_PAGES = 200  # pages listed, most answered first
LATEST_COMMENTS = 3  # per page


@dataclass
class PageSummary:
    path: str
    yes: int
    no: int
    last_answer: datetime.datetime
    comments: list[tuple[datetime.datetime, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.yes + self.no


@dataclass
class Summary:
    organisation: Organisation | None  # None: pages of no organisation
    pages: list[PageSummary]


def statement() -> AccessibilityStatement | None:
    return AccessibilityStatement.objects.filter(pk=AccessibilityStatement.SINGLETON).first()


def administered_organisations(user: Visitor | None) -> list[int]:
    """The ids of the organisations (with units) that ``user`` administers whole."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [
        pk
        for pk in Organisation.objects.filter(units__isnull=False)
        .distinct()
        .values_list("pk", flat=True)
        if can_on_organisation(user, Perm.ADMIN, pk)
    ]


def may_read_answers(user: Visitor | None) -> bool:
    return administers_installation(user) or bool(administered_organisations(user))


def readable_answers(user: Visitor | None) -> QuerySet[PageAnswer]:
    """The answers ``user`` may read; ``PermissionDenied`` for someone who may read none."""
    answers = PageAnswer.objects.all()
    if administers_installation(user):
        return answers
    organisation_ids = administered_organisations(user)
    if not organisation_ids:
        raise PermissionDenied(
            _(
                "Bara den som administrerar en hel organisation, eller installationen, ser "
                "svaren om sidornas nytta."
            )
        )
    return answers.filter(organisation_id__in=organisation_ids)


def _comments(answers: QuerySet[PageAnswer], pages: set[tuple[int | None, str]]) -> dict:
    latest: dict[tuple[int | None, str], list[tuple[datetime.datetime, str]]] = defaultdict(list)
    paths = sorted({path for _org, path in pages})
    rows = (
        answers.filter(path__in=paths, commented_at__isnull=False)
        .order_by("-commented_at", "-pk")
        .values_list("organisation_id", "path", "commented_at", "comment")
    )
    for organisation_id, path, at, comment in rows.iterator():
        key = (organisation_id, path)
        if at is not None and key in pages and len(latest[key]) < LATEST_COMMENTS:
            latest[key].append((at, comment))
    return latest


def summary(user: Visitor | None) -> list[Summary]:
    """Per organisation (then the installation's own pages), each page with its yes and no
    counts and its latest comments, the most answered first."""
    answers = readable_answers(user)
    rows = list(
        answers.values("organisation_id", "path")
        .annotate(
            yes=Count("pk", filter=Q(useful=True)),
            no=Count("pk", filter=Q(useful=False)),
            last=Max("created_at"),
            total=Count("pk"),
        )
        .order_by("-total", "path")[:MAX_PAGES]
    )
    keys = {(row["organisation_id"], row["path"]) for row in rows}
    comments = _comments(answers, keys)
    grouped: dict[int | None, list[PageSummary]] = defaultdict(list)
    for row in rows:
        key = (row["organisation_id"], row["path"])
        grouped[row["organisation_id"]].append(
            PageSummary(row["path"], row["yes"], row["no"], row["last"], comments.get(key, []))
        )
    organisations = Organisation.objects.in_bulk([pk for pk in grouped if pk is not None])
    ordered = sorted(grouped, key=lambda pk: (pk is None, organisations[pk].name if pk else ""))
    return [Summary(organisations.get(pk) if pk else None, grouped[pk]) for pk in ordered]


def summary_panel(organisation: Organisation, user: Visitor | None) -> dict[str, Any] | None:
    """The organisation page's link to the answers about its public pages, for those who
    administer the whole organisation (``organisations.pages``)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not can_on_organisation(user, Perm.ADMIN, organisation.pk):
        return None
    answers = PageAnswer.objects.filter(organisation=organisation)
    return {"organisation": organisation, "answers": answers.count()}
