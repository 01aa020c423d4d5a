"""The Django side of ``mixed_load.py``: accounts, roles and entries before the run, and the
database's state after it. Imported only once Django is set up on the benchmark's database.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.urls import reverse

from benchmarks.mixed_load_clients import Persona
from uppsikt.accounts.actions import grant_role
from uppsikt.accounts.commandline import command_line_user
from uppsikt.accounts.models import Role
from uppsikt.followup.actions.entries import save_followup
from uppsikt.followup.models import FollowUp
from uppsikt.followup.scope import units_with_scope
from uppsikt.indicators.models import IndicatorDefinition
from uppsikt.jobs.models import Job
from uppsikt.organisations.models import Organisation
from uppsikt.periods.models import ReportingPeriod
from uppsikt.plans.models import Plan


def create_personas(
    *, users: int, planners: int, organisation: str, periods, password: str, start_text: str
) -> dict:
    """``users`` accounts: ``planners`` planerare spread over the first period's units (one
    shared entry per unit), the rest rapportörer each responsible for an entry of their own.
    Every entry starts with ``start_text``. All accounts have ``password`` (one hash)."""
    org = Organisation.objects.get(code=organisation)
    pages = _pages(org, periods)
    first = sum(1 for page in pages if page[0].slug == periods[0])
    planner_pages = [index % first for index in range(planners)]
    slots = _slots(pages, set(planner_pages), users - planners)
    published = Plan.objects.filter(status__in=Plan.PUBLISHED_STATUSES).order_by("pk")
    public = [reverse("plans:detail", args=[plan.pk]) for plan in published]
    make = _Maker(org, make_password(password), start_text, public[0])
    personas: list[Persona] = []
    shared: dict[int, int] = {}  # page → the entry its planners share
    for number, page in enumerate(planner_pages, start=1):
        personas.append(make(number, Role.PLANERARE, pages[page], 0, shared.get(page)))
        shared.setdefault(page, personas[-1].entry_id)
    for number, (page, item_index) in enumerate(slots, start=planners + 1):
        personas.append(make(number, Role.RAPPORTOR, pages[page], item_index, None))
    importer = get_user_model().objects.create(username="matning-import", password=make.hash)
    grant_role(importer, pages[0][1], Role.PLANERARE, actor=make.actor)  # the top unit
    return {
        "personas": personas,
        "importer": Persona("matning-import", "planerare", "", public[0], 0, "", False),
        "public_plans": public,
        "definitions": list(
            IndicatorDefinition.objects.order_by("key").values_list("key", "by_gender")
        ),
        "codes": list(Organisation.objects.order_by("code").values_list("code", flat=True)),
    }


def _pages(org: Organisation, periods) -> list[tuple]:
    """(period, unit, items in scope) of every unit with something to follow up."""
    pages = []
    for slug in periods:
        period = ReportingPeriod.objects.get(organisation=org, slug=slug)
        if not period.is_open:
            raise SystemExit(f"{period.name} is closed: the demo has changed")
        pages += [(period, unit, items) for unit, _depth, items in units_with_scope(period)]
    return pages


class _Maker:
    """Makes one user with a role on a page's unit, and the entry they write."""

    def __init__(self, org: Organisation, hash: str, start_text: str, fallback_plan: str):
        self.org, self.hash, self.start_text = org, hash, start_text
        self.fallback_plan = fallback_plan
        self.actor = command_line_user()

    def __call__(self, number: int, role: str, page: tuple, index: int, entry_id) -> Persona:
        period, unit, items = page
        user = get_user_model().objects.create(username=f"matning-{number:02d}", password=self.hash)
        grant_role(user, unit, role, actor=self.actor)
        item = items[index]
        if entry_id is None:
            entry_id = save_followup(
                item.target,
                period,
                actor=self.actor,
                unit=unit,
                comment=self.start_text,
                responsible=None if role == Role.PLANERARE else user,
            ).pk
        own_plan = Plan.objects.filter(unit=unit).order_by("-year", "pk").first()
        return Persona(
            username=user.username,
            role=str(role),
            page=reverse("followup:unit", args=[self.org.code, period.slug, unit.slug]),
            plan=reverse("plans:detail", args=[own_plan.pk]) if own_plan else self.fallback_plan,
            entry_id=entry_id,
            field=f"f-{item.html_id}-comment",
            shared=role == Role.PLANERARE,
        )


def _slots(pages: list, shared_pages: set[int], count: int) -> list[tuple[int, int]]:
    """``count`` (page, item) places for rapportörer, taking the pages in turn; the first
    item of a page with planners is theirs."""
    places = []
    for depth in range(max(len(items) for _period, _unit, items in pages)):
        for page, (_period, _unit, items) in enumerate(pages):
            if depth < len(items) and not (depth == 0 and page in shared_pages):
                places.append((page, depth))
    if len(places) < count:
        raise SystemExit(f"the demo has room for {len(places)} rapportörer, not {count}")
    return places[:count]


def final_comments(entry_ids: list[int]) -> dict[int, str]:
    return dict(FollowUp.objects.filter(pk__in=entry_ids).values_list("pk", "comment"))


def job_facts(job_id: str | None) -> dict:
    job = Job.objects.filter(pk=job_id).first() if job_id else None
    if job is None:
        return {}
    seconds = (
        (job.finished_at - job.started_at).total_seconds()
        if job.finished_at and job.started_at
        else None
    )
    waited = (job.started_at - job.created_at).total_seconds() if job.started_at else None
    return {
        "status": job.status,
        "run_seconds": seconds,
        "queued_seconds": waited,
        "result": job.result or {},
        "error": job.error,
    }
