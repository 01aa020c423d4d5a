"""The permission matrix: every URL in the URLconf, as every role, inside and outside the
unit that owns the object, and as the public.

``MATRIX`` says, for every URL name, how to build the URL from the small world
(``tests/world.py``) and which status each caller gets. A URL name that is not in the
matrix fails ``test_every_url_is_in_the_matrix``: a new page or endpoint cannot slip
through untested. Every write runs inside a transaction that is rolled back, so each caller
meets the same world.

Callers: ``anonym`` (no login, no token), ``allmanhet`` (logged in, no role), each role
``<role>_inne`` on the owning unit and ``<role>_ute`` on another region's unit, and ``rot``
(superuser). Pages are fetched with a logged-in session; API endpoints with the caller's
personal token.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from uppsikt.accounts.access import ROLE_PERMISSIONS, Perm
from uppsikt.accounts.models import RoleAssignment
from uppsikt.api.tokens import create_token
from uppsikt.jobs.models import Job
from uppsikt.plans.actions import update_goal

from .world import ROLES, add_internal_control, build_world

pytestmark = pytest.mark.django_db

ANON = "anonym"
CALLERS = [ANON, "allmanhet", *(f"{r}_inne" for r in ROLES), *(f"{r}_ute" for r in ROLES), "rot"]


# -- who holds what, on the owning unit and anywhere ---------------------------------------


def held(caller: str) -> frozenset[Perm]:
    """Permissions on the unit that owns the world's objects."""
    if caller == "rot":
        return frozenset(Perm)
    if caller.endswith("_inne"):
        return ROLE_PERMISSIONS[caller.removesuffix("_inne")]
    return frozenset()


def held_anywhere(caller: str) -> frozenset[Perm]:
    if caller == "rot":
        return frozenset(Perm)
    role = caller.rsplit("_", 1)[0]
    return ROLE_PERMISSIONS.get(role, frozenset())


Rule = Callable[[str], int]


def always(status: int) -> Rule:
    return lambda caller: status


def readable(ok: int = 200) -> Rule:
    """Unpublished content: its unit's readers get it; anyone else is told it does not exist."""
    return lambda caller: ok if Perm.VIEW in held(caller) else 404


def needs(perm: Perm, ok: int = 200, *, published: bool = False) -> Rule:
    """``ok`` with ``perm`` on the owning unit; 403 for those who may see the object; else 404."""

    def rule(caller: str) -> int:
        if perm in held(caller):
            return ok
        return 403 if published or Perm.VIEW in held(caller) else 404

    return rule


def login(rule: Rule) -> Rule:
    """A page that needs a login: the public is sent to the login page first."""
    return lambda caller: 302 if caller == ANON else rule(caller)


def token(rule: Rule) -> Rule:
    """An API write: without a token the answer is 401."""
    return lambda caller: 401 if caller == ANON else rule(caller)


def admin_somewhere(ok: int = 200) -> Rule:
    return lambda caller: ok if Perm.ADMIN in held_anywhere(caller) else 403


def logged_in_only(anonymous: int, others: int) -> Rule:
    return lambda caller: anonymous if caller == ANON else others


def organisation_admin(ok: int = 302) -> Rule:
    """An act on the whole organisation (its periods, its report template, its risk scale):
    the administrator role must be held on every root unit, which here only the superuser
    has (the roles are on styrelsen, beneath fullmäktige). Readers of the organisation are
    refused; anyone else is told it does not exist."""
    return lambda caller: ok if caller == "rot" else (403 if Perm.VIEW in held(caller) else 404)


def planner_anywhere(ok: int = 200) -> Rule:
    """Measurements of any organisation: PLAN on some unit, wherever it is."""
    return lambda caller: ok if Perm.PLAN in held_anywhere(caller) else 403


def open_form(perm: Perm, ok: int = 302) -> Rule:
    """A form on a public page that acts with ``perm`` on the owning unit; anyone else who
    posts is refused (403), the public too (the page needs no login)."""
    return lambda caller: ok if perm in held(caller) else 403


def upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


# -- the matrix ----------------------------------------------------------------------------------


@dataclass
class Case:
    args: Callable[[Any], list] = lambda w: []
    expect: Rule = field(default_factory=lambda: always(200))
    method: str = "get"
    data: Callable[[Any], dict] | None = None
    query: str = ""
    label: str = ""


@dataclass
class Context:
    """The world plus what the matrix sets up on top of it."""

    world: Any
    job: Job
    own_token_id: int
    assignment_id: int
    extra: dict = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.world, name)


def goal_form(goal) -> dict:
    indicators = list(goal.indicators.all())
    data = {
        "kind": goal.kind,
        "number": goal.number,
        "text": "Ändrat genom matrisen",
        "description": goal.description,
        "indikatorer-TOTAL_FORMS": str(len(indicators)),
        "indikatorer-INITIAL_FORMS": str(len(indicators)),
        "indikatorer-MIN_NUM_FORMS": "0",
        "indikatorer-MAX_NUM_FORMS": "50",
    }
    for index, indicator in enumerate(indicators):
        data[f"indikatorer-{index}-id"] = str(indicator.pk)
        data[f"indikatorer-{index}-text"] = indicator.text
    return data


PUBLIC = [Case()]

MATRIX: dict[str, list[Case]] = {
    # -- portal, organisations, plans ------------------------------------------------
    "portal:home": PUBLIC,
    "portal:search": [Case(query="q=effektmål")],
    "portal:organisations": PUBLIC,
    "portal:control": PUBLIC,
    "portal:budget": PUBLIC,
    "set_language": [
        Case(expect=always(302), query="next=/"),
        Case(method="post", data=lambda c: {"language": "sv", "next": "/"}, expect=always(302)),
    ],
    "organisations:detail": [Case(args=lambda c: [c.org.code])],
    "organisations:unit": [Case(args=lambda c: [c.org.code, c.unit.slug])],
    "plans:detail": [
        Case(args=lambda c: [c.decided.pk], label="beslutad"),
        Case(args=lambda c: [c.draft.pk], expect=readable(), label="utkast"),
    ],
    "plans:compare": [
        Case(args=lambda c: [c.decided.pk], query="", label="beslutad"),
        Case(args=lambda c: [c.draft.pk], expect=readable(), label="utkast"),
    ],
    "plans:revise": [
        Case(
            args=lambda c: [c.decided.pk],
            expect=login(needs(Perm.PLAN, published=True)),
            label="beslutad",
        ),
        Case(
            args=lambda c: [c.decided.pk],
            method="post",
            data=lambda c: {"reason": "Matrisens revidering"},
            expect=login(needs(Perm.PLAN, 302, published=True)),
            label="beslutad, skapa",
        ),
        Case(args=lambda c: [c.draft.pk], expect=login(needs(Perm.PLAN)), label="utkast"),
    ],
    "plans:decide": [
        Case(args=lambda c: [c.draft.pk], expect=login(needs(Perm.PLAN))),
        Case(
            args=lambda c: [c.draft.pk],
            method="post",
            data=lambda c: {"decided_by": c.unit.pk, "decided_on": "2023-12-12"},
            expect=login(needs(Perm.PLAN, 302)),
            label="besluta",
        ),
    ],
    "plans:goal": [
        Case(args=lambda c: [c.goal.pk], label="beslutad"),
        Case(args=lambda c: [c.draft_goal.pk], expect=readable(), label="utkast"),
    ],
    "plans:goal_edit": [
        Case(
            args=lambda c: [c.goal.pk],
            expect=login(needs(Perm.PLAN, 302, published=True)),
            label="beslutad: till revidering",
        ),
        Case(args=lambda c: [c.draft_goal.pk], expect=login(needs(Perm.PLAN)), label="utkast"),
        Case(
            args=lambda c: [c.draft_goal.pk],
            method="post",
            data=lambda c: goal_form(c.draft_goal),
            expect=login(needs(Perm.PLAN, 302)),
            label="utkast, spara",
        ),
    ],
    # -- indicators ------------------------------------------------------------------
    "indicators:list": PUBLIC,
    "indicators:definition": [Case(args=lambda c: [c.definition.pk])],
    "indicators:comparison": [Case(args=lambda c: [c.definition.pk, "2023"])],
    "indicators:goal_assessment": [
        Case(args=lambda c: [c.goal.pk, "2023"]),
        Case(
            args=lambda c: [c.goal.pk, "2023"],
            method="post",
            data=lambda c: {"status": "uppfyllt", "comment": ""},
            expect=needs(Perm.PLAN, 302, published=True),
            label="besluta",
        ),
    ],
    # -- budget ----------------------------------------------------------------------
    "budget:table": [
        Case(args=lambda c: [c.decided_table.pk], label="beslutad plan"),
        Case(args=lambda c: [c.draft_table.pk], expect=readable(), label="utkast"),
    ],
    "budget:table_xlsx": [
        Case(args=lambda c: [c.decided_table.pk], label="beslutad plan"),
        Case(args=lambda c: [c.draft_table.pk], expect=readable(), label="utkast"),
    ],
    "budget:row": [
        Case(args=lambda c: [c.decided_table.rows.first().pk], label="beslutad plan"),
        Case(args=lambda c: [c.draft_table.rows.first().pk], expect=readable(), label="utkast"),
    ],
    "budget:unit": [Case(args=lambda c: [c.org.code, c.unit.slug])],
    # Planning pages: PLAN on the table's unit; the public and other regions see a decided
    # plan's table (403), a draft's table does not exist for them (404).
    "budget:figure_edit": [
        Case(
            args=lambda c: [c.decided_table.rows.first().pk],
            expect=login(needs(Perm.PLAN, published=True)),
        ),
        Case(
            args=lambda c: [c.decided_table.rows.first().pk],
            method="post",
            data=lambda c: {"new_series": "budget 2024", "amount": "1 000", "reason": "Matris"},
            expect=login(needs(Perm.PLAN, 302, published=True)),
            label="spara",
        ),
        Case(
            args=lambda c: [c.draft_table.rows.first().pk],
            expect=login(needs(Perm.PLAN)),
            label="utkast",
        ),
    ],
    "budget:frame": [
        Case(args=lambda c: [c.decided_table.pk], expect=login(needs(Perm.PLAN, published=True))),
        Case(
            args=lambda c: [c.decided_table.pk],
            query="rate=4,3&base=budget-2023&rounding=tkr",
            expect=login(needs(Perm.PLAN, published=True)),
            label="förhandsvisning",
        ),
        Case(args=lambda c: [c.draft_table.pk], expect=login(needs(Perm.PLAN)), label="utkast"),
    ],
    "budget:reallocate": [
        Case(args=lambda c: [c.decided_table.pk], expect=login(needs(Perm.PLAN, published=True))),
        Case(
            args=lambda c: [c.decided_table.pk],
            method="post",
            data=lambda c: {
                "from_row": c.decided_table.rows.get(label="Kostnader").pk,
                "to_row": c.decided_table.rows.get(label="Intäkter").pk,
                "series": "reviderad-2023",
                "amount": "1",
                "reason": "Matrisens omfördelning",
            },
            expect=login(needs(Perm.PLAN, 302, published=True)),
            label="omfördela",
        ),
    ],
    "budget:mapping": [
        Case(args=lambda c: [c.decided_table.pk], expect=login(needs(Perm.PLAN, published=True))),
        Case(
            args=lambda c: [c.decided_table.pk],
            method="post",
            data=lambda c: {
                "accounts": "3000-3999",
                "row": c.decided_table.rows.get(label="Intäkter").pk,
                "dimension": "",
                "object_code": "",
                "note": "",
            },
            expect=login(needs(Perm.PLAN, 302, published=True)),
            label="ny regel",
        ),
        Case(args=lambda c: [c.draft_table.pk], expect=login(needs(Perm.PLAN)), label="utkast"),
    ],
    "budget:mapping_delete": [
        Case(
            args=lambda c: [c.decided_table.pk, c.extra["mapping_rule"]],
            method="post",
            data=lambda c: {},
            expect=login(needs(Perm.PLAN, 302, published=True)),
        )
    ],
    "budget:settle": [
        Case(
            args=lambda c: [c.decided_table.pk],
            method="post",
            data=lambda c: {},
            expect=login(needs(Perm.PLAN, 302, published=True)),
        )
    ],
    "budget:delete_draft": [
        Case(
            args=lambda c: [c.draft_table.pk],
            method="post",
            data=lambda c: {"reason": "Matrisen"},
            expect=login(needs(Perm.PLAN, 302)),
        )
    ],
    "budget:import_upload": [
        Case(args=lambda c: [c.decided_table.pk], expect=login(needs(Perm.PLAN, published=True))),
        Case(
            args=lambda c: [c.decided_table.pk],
            method="post",
            data=lambda c: {
                "file": upload("belopp.csv", "Rad;Budget 2023\nIntäkter;1 200 000\n".encode()),
                "unit": "kr",
            },
            expect=login(needs(Perm.PLAN, 302, published=True)),
            label="ladda upp",
        ),
        Case(args=lambda c: [c.draft_table.pk], expect=login(needs(Perm.PLAN)), label="utkast"),
    ],
    "budget:import_template": [
        Case(
            args=lambda c: [c.decided_table.pk, "xlsx"],
            expect=login(needs(Perm.PLAN, published=True)),
        ),
        Case(
            args=lambda c: [c.draft_table.pk, "csv"],
            expect=login(needs(Perm.PLAN)),
            label="utkast",
        ),
    ],
    "budget:import": [
        Case(
            args=lambda c: [c.extra["budget_import"]],
            expect=login(needs(Perm.PLAN, published=True)),
        )
    ],
    "budget:import_apply": [
        Case(
            args=lambda c: [c.extra["budget_import"]],
            method="post",
            data=lambda c: {},
            # Not checked yet: the planner is told so on the import's page.
            expect=login(needs(Perm.PLAN, 302, published=True)),
        )
    ],
    # -- internal control ---------------------------------------------------------------
    # The 2023 internkontrollplan is published with the decided verksamhetsplan; the 2024
    # one is not (its verksamhetsplan is an utkast). Follow-ups of an open period are read
    # by the unit's roles only.
    "control:organisation": [Case(args=lambda c: [c.org.code], expect=always(302))],
    "control:region": [
        Case(args=lambda c: [c.org.code, 2023]),
        Case(args=lambda c: [c.org.code, 2024], label="opublicerad plan (tom för andra)"),
    ],
    "control:risks": [
        Case(args=lambda c: [c.org.code, 2023]),
        Case(args=lambda c: [c.org.code, 2023], query="beslut=ej_accepterad&uppfoljning=pagar"),
    ],
    "control:scale": [
        Case(args=lambda c: [c.org.code]),
        Case(
            args=lambda c: [c.org.code],
            method="post",
            data=lambda c: {
                "likelihood_labels": "Låg\nMedel\nHög\nMycket hög",
                "consequence_labels": "Liten\nMåttlig\nStor\nMycket stor",
                "medium_from": "4",
                "high_from": "9",
            },
            # Only an administrator of the whole organisation; everyone else is refused.
            expect=lambda caller: 302 if caller == "rot" else 403,
            label="ändra skalan",
        ),
    ],
    "control:overall": [
        Case(args=lambda c: [c.org.code, 2023]),
        Case(
            args=lambda c: [c.org.code, 2023],
            method="post",
            data=lambda c: {"level": "tillracklig", "motivation": "Matrisens bedömning."},
            expect=open_form(Perm.PLAN),
            label="bekräfta",
        ),
    ],
    "control:unit_plan": [
        Case(args=lambda c: [c.org.code, c.unit.slug, 2023], label="publicerad"),
        Case(args=lambda c: [c.org.code, c.unit.slug, 2024], expect=readable(), label="utkast"),
    ],
    "control:unit_xlsx": [
        Case(args=lambda c: [c.org.code, c.unit.slug, 2023], label="publicerad"),
        Case(args=lambda c: [c.org.code, c.unit.slug, 2024], expect=readable(), label="utkast"),
    ],
    "control:unit_import": [
        Case(
            args=lambda c: [c.org.code, c.unit.slug, 2023],
            expect=login(needs(Perm.PLAN, published=True)),
        ),
        Case(
            args=lambda c: [c.org.code, c.unit.slug, 2024],
            expect=login(needs(Perm.PLAN)),
            label="utkast",
        ),
    ],
    "control:risk_new": [
        Case(
            args=lambda c: [c.org.code, c.unit.slug, 2023],
            expect=login(needs(Perm.PLAN, published=True)),
        ),
        Case(
            args=lambda c: [c.org.code, c.unit.slug, 2023],
            method="post",
            data=lambda c: {"area": "IT", "text": "Risken att matrisen missar en sida."},
            expect=login(needs(Perm.PLAN, 302, published=True)),
            label="spara",
        ),
    ],
    "control:unit_isk": [
        Case(args=lambda c: [c.org.code, c.unit.slug, 2023]),
        Case(
            args=lambda c: [c.org.code, c.unit.slug, 2023],
            method="post",
            data=lambda c: {"level": "tillracklig", "motivation": "Matrisens bedömning."},
            expect=open_form(Perm.PLAN),
            label="bedöm",
        ),
    ],
    "control:unit_followup": [
        Case(args=lambda c: [c.org.code, c.unit.slug, c.control.period.pk], expect=readable())
    ],
    "control:risk": [
        Case(args=lambda c: [c.control.risk.pk], label="publicerad"),
        Case(args=lambda c: [c.control.draft_risk.pk], expect=readable(), label="utkast"),
    ],
    "control:risk_assess": [
        Case(args=lambda c: [c.control.risk.pk], expect=login(needs(Perm.PLAN, published=True))),
        Case(
            args=lambda c: [c.control.risk.pk],
            method="post",
            data=lambda c: {"likelihood": "3", "consequence": "3", "decision": "ej_accepterad"},
            expect=login(needs(Perm.PLAN, 302, published=True)),
            label="bedöm",
        ),
        Case(
            args=lambda c: [c.control.draft_risk.pk],
            expect=login(needs(Perm.PLAN)),
            label="utkast",
        ),
    ],
    "control:risk_edit": [
        Case(args=lambda c: [c.control.risk.pk], expect=login(needs(Perm.PLAN, published=True))),
        Case(
            args=lambda c: [c.control.risk.pk],
            method="post",
            data=lambda c: {"area": "Ekonomi", "text": "Risken att attester saknas."},
            expect=login(needs(Perm.PLAN, 302, published=True)),
            label="spara",
        ),
        Case(
            args=lambda c: [c.control.draft_risk.pk],
            expect=login(needs(Perm.PLAN)),
            label="utkast",
        ),
    ],
    "control:measure_new": [
        Case(args=lambda c: [c.control.risk.pk], expect=login(needs(Perm.PLAN, published=True))),
        Case(
            args=lambda c: [c.control.risk.pk],
            method="post",
            data=lambda c: {"text": "Utbildning i attestregler."},
            expect=login(needs(Perm.PLAN, 302, published=True)),
            label="spara",
        ),
        Case(
            args=lambda c: [c.control.draft_risk.pk],
            expect=login(needs(Perm.PLAN)),
            label="utkast",
        ),
    ],
    "control:measure_edit": [
        Case(
            args=lambda c: [c.control.measure.pk],
            expect=login(needs(Perm.PLAN, published=True)),
        ),
        Case(
            args=lambda c: [c.control.draft_measure.pk],
            expect=login(needs(Perm.PLAN)),
            label="utkast",
        ),
    ],
    "control:measure_followup": [
        Case(
            args=lambda c: [c.control.measure.pk, c.control.period.pk, c.unit.slug],
            expect=readable(),
        ),
        Case(
            args=lambda c: [c.control.measure.pk, c.control.period.pk, c.unit.slug],
            method="post",
            data=lambda c: {"action": "followup", "status": "genomford", "comment": "Klart."},
            # The rapportör is the entry's responsible person.
            expect=needs(Perm.REPORT, 302),
            label="skriv",
        ),
    ],
    "control:deviation": [
        Case(args=lambda c: [c.control.deviation.pk], expect=login(needs(Perm.REPORT))),
        Case(
            args=lambda c: [c.control.deviation.pk],
            method="post",
            data=lambda c: {"found": "Två attester saknades.", "handling": "Påminnelse."},
            expect=login(needs(Perm.REPORT, 302)),
            label="spara",
        ),
    ],
    # -- follow-up and reports ----------------------------------------------------------
    "followup:index": [Case(expect=login(always(200)))],
    "followup:periods": [Case(args=lambda c: [c.org.code], expect=login(readable()))],
    "followup:period_create": [
        Case(
            args=lambda c: [c.org.code],
            method="post",
            data=lambda c: {"what": "defaults", "year": "2025"},
            expect=login(organisation_admin()),
        )
    ],
    "followup:period_change": [
        Case(
            args=lambda c: [c.org.code, c.period.slug, "stang"],
            method="post",
            data=lambda c: {},
            expect=login(organisation_admin()),
        )
    ],
    "followup:dashboard": [
        Case(args=lambda c: [c.org.code, c.period.slug], expect=login(readable()))
    ],
    "followup:unit": [
        Case(args=lambda c: [c.org.code, c.period.slug, c.unit.slug], expect=login(readable())),
        Case(
            args=lambda c: [c.org.code, c.period.slug, c.unit.slug],
            method="post",
            data=lambda c: {"rapport-summary": "Matrisens sammanfattning."},
            expect=login(needs(Perm.REPORT, 302)),
            label="spara",
        ),
    ],
    "followup:report_action": [
        Case(
            args=lambda c: [c.org.code, c.period.slug, c.unit.slug, "lamna-in"],
            method="post",
            data=lambda c: {},
            # Entries are missing: the unit is told so on its page (302); a granskare or
            # läsare may not submit (403).
            expect=login(needs(Perm.REPORT, 302)),
            label="lämna in",
        ),
        Case(
            args=lambda c: [c.org.code, c.period.slug, c.unit.slug, "godkann"],
            method="post",
            data=lambda c: {},
            # Nothing is submitted: the reviewer is told so (302); others may not (403).
            expect=login(needs(Perm.REVIEW, 302)),
            label="godkänn",
        ),
    ],
    "reports:published": PUBLIC,
    "reports:page": [
        Case(args=lambda c: [c.org.code, c.period.slug, c.unit.slug], expect=login(readable()))
    ],
    "reports:generate": [
        Case(
            args=lambda c: [c.org.code, c.period.slug, c.unit.slug],
            method="post",
            data=lambda c: {"format": "html"},
            expect=login(readable(302)),
        )
    ],
    # The approved version's files: the world's report is not approved, so for no one.
    "reports:download": [
        Case(
            args=lambda c: [c.org.code, c.period.slug, c.unit.slug, "html"],
            expect=always(404),
        )
    ],
    "reports:template": [
        Case(
            args=lambda c: [c.org.code],
            # The organisation's Word template: its administrators only; to others the page
            # does not exist.
            expect=login(lambda caller: 200 if caller == "rot" else 404),
        )
    ],
    # -- measurements import and target rules --------------------------------------------
    "indicators:import": [
        Case(expect=login(planner_anywhere())),
        Case(
            method="post",
            data=lambda c: {
                "file": upload("matvarden.csv", b"indikator;organisation;period;kon;varde\n"),
                "format": "csv",
            },
            expect=login(planner_anywhere(302)),
            label="ladda upp",
        ),
    ],
    "indicators:template": [Case(expect=login(planner_anywhere()))],
    "indicators:import_skip": [
        Case(
            args=lambda c: [c.extra["import_job"]],
            method="post",
            data=lambda c: {},
            # Only the planner who started the refused import runs it again.
            expect=login(
                lambda caller: (
                    403
                    if Perm.PLAN not in held_anywhere(caller)
                    else (302 if caller == "planerare_inne" else 404)
                )
            ),
        )
    ],
    "indicators:rule": [
        Case(
            args=lambda c: [c.goal.indicators.get().target.pk],
            expect=login(needs(Perm.PLAN, published=True)),
            label="beslutad plan",
        ),
        Case(
            args=lambda c: [c.draft_goal.indicators.get().target.pk],
            expect=login(needs(Perm.PLAN)),
            label="utkast",
        ),
        Case(
            args=lambda c: [c.draft_goal.indicators.get().target.pk],
            method="post",
            data=lambda c: {"kind": "change", "direction": "decrease"},
            expect=login(needs(Perm.PLAN, 302)),
            label="utkast, ändra",
        ),
    ],
    # -- jobs (started by planerare_inne on the owning unit) ------------------------------
    "jobs:detail": [Case(args=lambda c: [c.job.pk], expect=readable())],
    "jobs:status": [Case(args=lambda c: [c.job.pk], expect=readable())],
    "jobs:file": [Case(args=lambda c: [c.job.pk], expect=readable())],
    # -- accounts ---------------------------------------------------------------------
    "accounts:login": [
        Case(expect=logged_in_only(200, 302)),
        Case(
            method="post",
            data=lambda c: {"username": "ingen", "password": "fel"},
            expect=logged_in_only(200, 302),
        ),
    ],
    "accounts:logout": [
        Case(expect=always(405)),
        Case(method="post", data=lambda c: {}, expect=always(302)),
    ],
    "accounts:account": [Case(expect=login(always(200)))],
    "accounts:roles": [
        Case(expect=login(admin_somewhere())),
        Case(
            method="post",
            data=lambda c: {"username": "allmanhet", "unit": c.unit.pk, "role": "lasare"},
            # An administrator elsewhere gets the form back: the unit is not one of theirs.
            expect=login(
                lambda caller: {"administrator_ute": 200}.get(caller, admin_somewhere(302)(caller))
            ),
            label="ge roll",
        ),
    ],
    "accounts:revoke": [
        Case(
            args=lambda c: [c.assignment_id],
            method="post",
            data=lambda c: {},
            expect=login(
                lambda caller: (
                    302
                    if Perm.ADMIN in held(caller)
                    else (404 if Perm.ADMIN in held_anywhere(caller) else 403)
                )
            ),
        )
    ],
    "accounts:oidc_login": [Case(expect=always(404))],  # OpenID Connect is off in tests
    "accounts:oidc_callback": [Case(expect=always(404), query="code=x&state=y")],
    "apikeys:tokens": [
        Case(expect=login(always(200))),
        Case(method="post", data=lambda c: {"name": "Matris"}, expect=login(always(200))),
    ],
    "apikeys:revoke": [
        Case(
            args=lambda c: [c.own_token_id],
            method="post",
            data=lambda c: {},
            expect=login(lambda caller: 302 if caller == "planerare_inne" else 404),
        )
    ],
    # -- audit --------------------------------------------------------------------------
    "audit:object": [
        Case(args=lambda c: ["plans.goal", c.draft_goal.pk], expect=login(readable())),
    ],
    "audit:person": [
        Case(
            args=lambda c: [c.user("planerare_inne").pk],
            expect=login(
                lambda caller: (
                    200
                    if caller == "planerare_inne" or Perm.ADMIN in held_anywhere(caller)
                    else 404
                )
            ),
        )
    ],
    "audit:mine": [Case(expect=login(always(302)))],
    "audit:verify": [
        Case(expect=login(admin_somewhere())),
        Case(method="post", data=lambda c: {}, expect=login(admin_somewhere(302)), label="start"),
    ],
    # -- API -----------------------------------------------------------------------------
    "api:api-root": PUBLIC,
    "api:index": PUBLIC,
    "api:openapi-json": PUBLIC,
    "api:list_organisations": PUBLIC,
    "api:get_organisation": [Case(args=lambda c: [c.org.code])],
    "api:list_units": PUBLIC,
    "api:get_unit": [Case(args=lambda c: [c.unit.pk])],
    "api:new_organisation": [
        Case(
            method="post",
            data=lambda c: {"code": "1881", "name": "Matrisens kommun", "kind": "kommun"},
            # Nobody holds rights in a new organisation: only the superuser creates one.
            expect=token(lambda caller: 201 if caller == "rot" else 403),
        )
    ],
    "api:patch_organisation": [
        Case(
            args=lambda c: [c.org.code],
            method="patch",
            data=lambda c: {"name": "Matrisens region"},
            # ADMIN over the whole organisation (every root unit): only the superuser here.
            expect=token(lambda caller: 200 if caller == "rot" else 403),
        )
    ],
    "api:new_unit": [
        Case(
            method="post",
            data=lambda c: {
                "organisation": c.org.code,
                "parent": c.unit.pk,
                "slug": "matrisen",
                "name": "Matrisens enhet",
                "kind": "enhet",
            },
            expect=token(needs(Perm.ADMIN, 201, published=True)),
        )
    ],
    "api:patch_unit": [
        Case(
            args=lambda c: [c.unit.pk],
            method="patch",
            data=lambda c: {"responsibility": "Matrisens ansvar"},
            expect=token(needs(Perm.ADMIN, published=True)),
        )
    ],
    "api:list_plans": PUBLIC,
    "api:get_plan": [
        Case(args=lambda c: [c.decided.pk], label="beslutad"),
        Case(args=lambda c: [c.draft.pk], expect=readable(), label="utkast"),
    ],
    "api:create_revision": [
        Case(
            args=lambda c: [c.decided.pk],
            method="post",
            data=lambda c: {"reason": "Matrisen"},
            expect=token(needs(Perm.PLAN, 201, published=True)),
        )
    ],
    "api:decide_plan_version": [
        Case(
            args=lambda c: [c.draft.pk],
            method="post",
            data=lambda c: {"decided_by": c.unit.pk, "decided_on": "2023-12-12"},
            expect=token(needs(Perm.PLAN)),
        )
    ],
    "api:list_sections": [
        Case(args=lambda c: [c.decided.pk], label="beslutad"),
        Case(args=lambda c: [c.draft.pk], expect=readable(), label="utkast"),
    ],
    "api:patch_section": [
        Case(
            args=lambda c: [c.draft.pk, c.draft.sections.first().pk],
            method="patch",
            data=lambda c: {"body": "Ändrat via API i matrisen"},
            expect=token(needs(Perm.PLAN)),
        ),
        Case(
            args=lambda c: [c.decided.pk, c.decided.sections.first().pk],
            method="patch",
            data=lambda c: {"body": "Beslutad text"},
            expect=token(needs(Perm.PLAN, 409, published=True)),
            label="beslutad",
        ),
    ],
    "api:list_goals": PUBLIC,
    "api:get_goal": [
        Case(args=lambda c: [c.goal.pk], label="beslutad"),
        Case(args=lambda c: [c.draft_goal.pk], expect=readable(), label="utkast"),
    ],
    "api:patch_goal": [
        Case(
            args=lambda c: [c.draft_goal.pk],
            method="patch",
            data=lambda c: {"text": "Ändrat via API i matrisen"},
            expect=token(needs(Perm.PLAN)),
        ),
        Case(
            args=lambda c: [c.goal.pk],
            method="patch",
            data=lambda c: {"text": "Beslutat mål"},
            expect=token(needs(Perm.PLAN, 409, published=True)),
            label="beslutad",
        ),
    ],
    "api:list_indicators": PUBLIC,
    "api:get_indicator": [
        Case(args=lambda c: [c.goal.indicators.get().pk], label="beslutad"),
        Case(args=lambda c: [c.draft_goal.indicators.get().pk], expect=readable(), label="utkast"),
    ],
    "api:list_definitions": PUBLIC,
    "api:get_definition": [Case(args=lambda c: [c.definition.pk])],
    "api:create_definition": [
        Case(
            method="post",
            data=lambda c: {"key": "matrisens", "name": "Matrisens", "unit": "antal"},
            expect=token(planner_anywhere(201)),
        )
    ],
    "api:patch_definition": [
        Case(
            args=lambda c: [c.definition.pk],
            method="patch",
            data=lambda c: {"name": "Ändrad i matrisen"},
            # It measures the owning unit's indicators: PLAN there (not elsewhere) is needed.
            expect=token(needs(Perm.PLAN, published=True)),
        )
    ],
    "api:list_measurements": PUBLIC,
    "api:get_measurement": [Case(args=lambda c: [c.measurement.pk])],
    "api:put_measurement": [
        Case(
            method="post",
            data=lambda c: {
                "definition": c.definition.key,
                "organisation": c.org.code,
                "period": "2024",
                "value": "70.5",
            },
            # Values of an organisation need PLAN on one of its units, wherever one is.
            expect=token(lambda caller: 201 if Perm.PLAN in held(caller) else 403),
        )
    ],
    "api:list_assessments": PUBLIC,
    "api:get_assessment": [Case(args=lambda c: [c.assessment.pk])],
    "api:decide_assessment_status": [
        Case(
            args=lambda c: [c.assessment.pk],
            method="post",
            data=lambda c: {"status": "uppfyllt"},
            expect=token(needs(Perm.PLAN, published=True)),
        )
    ],
    "api:list_tables": PUBLIC,
    "api:get_table": [
        Case(args=lambda c: [c.decided_table.pk], label="beslutad plan"),
        Case(args=lambda c: [c.draft_table.pk], expect=readable(), label="utkast"),
    ],
    "api:post_figures": [
        Case(
            args=lambda c: [c.decided_table.pk],
            method="post",
            data=lambda c: {
                "series": "prognos-2023-06",
                "rows": [{"ref": "Intäkter", "amount": "1200000"}],
            },
            expect=token(needs(Perm.PLAN, published=True)),
            label="beslutad plan",
        ),
        Case(
            args=lambda c: [c.draft_table.pk],
            method="post",
            data=lambda c: {"series": "budget-2024", "rows": [{"ref": "Intäkter", "amount": "1"}]},
            expect=token(needs(Perm.PLAN)),
            label="utkast",
        ),
    ],
    "api:list_periods": PUBLIC,
    "api:list_followups": PUBLIC,
    "api:get_followup": [Case(args=lambda c: [c.followup.pk], expect=readable())],
    "api:write_followup": [
        Case(
            method="post",
            data=lambda c: {
                "period": c.control.period.pk,
                "object_type": "control.measure",
                "object_id": c.control.measure.pk,
                "status": "genomford",
            },
            # The åtgärd is published (everyone sees it); only the unit's writers follow it up.
            expect=token(lambda caller: 200 if Perm.REPORT in held(caller) else 403),
            label="åtgärd",
        ),
        Case(
            method="post",
            data=lambda c: {
                "period": c.period.pk,
                "object_type": "plans.activity",
                "object_id": c.activity.pk,
                "comment": "Skrivet i matrisen",
            },
            # The rapportör is the entry's responsible; a granskare or läsare may not write;
            # outside the unit the draft's activity does not exist (422 "unknown object").
            expect=token(
                lambda caller: (
                    200
                    if Perm.REPORT in held(caller)
                    else (403 if Perm.VIEW in held(caller) else 422)
                )
            ),
        ),
    ],
    "api:new_deviation": [
        Case(
            args=lambda c: [c.control.followup.pk],
            method="post",
            data=lambda c: {"found": "Matrisens avvikelse.", "handling": "Rättas."},
            # The follow-up of an open period is the unit's; the rapportör is responsible.
            expect=token(needs(Perm.REPORT, 201)),
        )
    ],
    # -- API: internal control and many measurements -------------------------------------
    "api:list_control_plans": PUBLIC,
    "api:get_control_plan": [
        Case(args=lambda c: [c.control.plan.pk], label="publicerad"),
        Case(
            args=lambda c: [c.control.draft_risk.control_plan_id],
            expect=readable(),
            label="utkast",
        ),
    ],
    "api:list_risks": [Case(), Case(query="year=2023&area=Ekonomi", label="filter")],
    "api:get_risk": [
        Case(args=lambda c: [c.control.risk.pk], label="publicerad"),
        Case(args=lambda c: [c.control.draft_risk.pk], expect=readable(), label="utkast"),
    ],
    "api:new_risk": [
        Case(
            method="post",
            data=lambda c: {
                "unit": c.unit.pk,
                "year": 2023,
                "area": "IT",
                "text": "Risken att matrisen missar en ändpunkt.",
            },
            expect=token(lambda caller: 201 if Perm.PLAN in held(caller) else 403),
        )
    ],
    "api:assess": [
        Case(
            args=lambda c: [c.control.risk.pk],
            method="post",
            data=lambda c: {"likelihood": 3, "consequence": 2, "decision": "ej_accepterad"},
            expect=token(needs(Perm.PLAN, published=True)),
        ),
        Case(
            args=lambda c: [c.control.draft_risk.pk],
            method="post",
            data=lambda c: {"likelihood": 1, "consequence": 1, "decision": "accepterad"},
            expect=token(needs(Perm.PLAN)),
            label="utkast",
        ),
    ],
    "api:new_measure": [
        Case(
            args=lambda c: [c.control.risk.pk],
            method="post",
            data=lambda c: {"text": "Matrisens åtgärd."},
            expect=token(needs(Perm.PLAN, 201, published=True)),
        )
    ],
    "api:bulk_measurements": [
        Case(
            method="post",
            data=lambda c: {
                "rows": [
                    {
                        "indicator": c.definition.key,
                        "organisation": c.org.code,
                        "period": "2021",
                        "value": "60.5",
                    }
                ]
            },
            # PLAN on the organisation's own units; a planner elsewhere is refused the
            # organisation's rows (422, every row named); without PLAN anywhere 403.
            expect=token(
                lambda caller: (
                    200
                    if Perm.PLAN in held(caller)
                    else (422 if Perm.PLAN in held_anywhere(caller) else 403)
                )
            ),
        )
    ],
    "api:change_state": [
        Case(
            args=lambda c: [c.followup.pk],
            method="post",
            data=lambda c: {"state": "klar"},
            expect=token(needs(Perm.REPORT)),
        )
    ],
}


# -- running it --------------------------------------------------------------------------------


def url_names() -> dict[str, str]:
    """Every named URL in the URLconf (namespace:name → route)."""
    names: dict[str, str] = {}

    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                if pattern.name is None and namespace == "admin":
                    continue  # the admin's old-style object URL, a redirect to "change"
                assert pattern.name, f"unnamed URL pattern {prefix}{pattern.pattern}"
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                names[name] = prefix + str(pattern.pattern)

    walk(get_resolver().url_patterns)
    return names


def test_every_url_is_in_the_matrix():
    missing = sorted(
        name for name in url_names() if not name.startswith("admin:") and name not in MATRIX
    )
    assert not missing, f"Add these URLs to MATRIX in {__file__}: {missing}"
    stale = sorted(set(MATRIX) - set(url_names()))
    assert not stale, f"MATRIX names URLs that no longer exist: {stale}"


@pytest.fixture
def context(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    planner = world.user("planerare_inne")
    update_goal(world.draft_goal, actor=planner, text="Effektmål nummer 1 år 2024, ändrat")
    job = Job.objects.create(
        kind="test", title="Matrisens jobb", unit=world.unit, created_by=planner
    )
    job.result_file.save("resultat.txt", ContentFile(b"innehall"), save=False)
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.DONE, result_file=job.result_file.name, result_name="resultat.txt"
    )
    own_token, _key = create_token(planner, actor=planner, name="Egen")
    assignment = RoleAssignment.objects.get(user=world.user("lasare_inne"))
    keys = {
        name: create_token(user, actor=user, name="matris")[1] for name, user in world.users.items()
    }
    add_internal_control(world)
    extra = {"keys": keys, **budget_objects(world), "import_job": measurement_job(world)}
    return Context(world, job, own_token.pk, assignment.pk, extra)


def budget_objects(world) -> dict:
    """A mapping rule and a staged (unchecked) import of the decided plan's table."""
    from uppsikt.budget.actions import save_mapping_rule, stage_import
    from uppsikt.budget.importers import ImportOptions
    from uppsikt.budget.models import MappingRule

    actor = world.user("rot")
    table = world.decided_table
    rule = save_mapping_rule(
        MappingRule(
            table=table, row=table.rows.get(label="Kostnader"), account_from=4000, account_to=4999
        ),
        actor=actor,
    )
    staged = stage_import(
        table,
        actor=actor,
        file_name="belopp.csv",
        content="Rad;Budget 2023\nIntäkter;1 200 000\n".encode(),
        options=ImportOptions(unit="kr"),
    )
    return {"mapping_rule": rule.pk, "budget_import": staged.pk}


def measurement_job(world):
    """A refused measurements import by planerare_inne, with its file kept for a re-run."""
    from django.core.files.storage import default_storage

    path = default_storage.save("inlasning/matris/matvarden.csv", ContentFile(b"x;y\n"))
    job = Job.objects.create(
        kind="measurements_import",
        title="Inläsning av matvarden.csv",
        created_by=world.user("planerare_inne"),
        status=Job.Status.DONE,
        result={"upload": path, "filename": "matvarden.csv", "format": "csv"},
    )
    return job.pk


def call(client, context: Context, caller: str, url: str, case: Case) -> int:
    is_api = url.startswith("/api/")
    client.logout()
    headers = {}
    if is_api:
        if caller != ANON:
            headers["Authorization"] = f"Bearer {context.extra['keys'][caller]}"
    elif caller != ANON:
        client.force_login(context.user(caller))
    full = f"{url}?{case.query}" if case.query else url
    data = case.data(context) if case.data else None
    with transaction.atomic():
        if case.method == "get":
            response = client.get(full, headers=headers)
        elif is_api:
            response = getattr(client, case.method)(
                full, json.dumps(data), content_type="application/json", headers=headers
            )
        else:
            response = client.post(full, data, headers=headers)
        transaction.set_rollback(True)
    return response.status_code


def run_matrix(client, context: Context, names) -> list[str]:
    failures = []
    for name in names:
        for case in MATRIX[name]:
            url = reverse(name, args=case.args(context))
            for caller in CALLERS:
                expected = case.expect(caller)
                got = call(client, context, caller, url, case)
                if got != expected:
                    what = f"{case.method.upper()} {name}" + (
                        f" ({case.label})" if case.label else ""
                    )
                    failures.append(f"{what} as {caller}: expected {expected}, got {got}")
    return failures


def test_pages_as_every_role(client, context):
    names = [n for n in MATRIX if not n.startswith("api:")]
    failures = run_matrix(client, context, names)
    assert not failures, "\n".join(failures)


def test_api_as_every_role(client, context):
    names = [n for n in MATRIX if n.startswith("api:")]
    failures = run_matrix(client, context, names)
    assert not failures, "\n".join(failures)


# -- the admin: staff only ------------------------------------------------------------------


def admin_args(name: str, context: Context) -> list | None:
    """Arguments for an admin URL, from the first object of its model (None: skip)."""
    route_name = name.removeprefix("admin:")
    if route_name == "app_list":
        return ["plans"]
    if route_name == "view_on_site":
        return None  # a redirect to the object's own page, tested with that page
    for model, _model_admin in admin.site._registry.items():
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        if route_name.startswith(prefix):
            action = route_name.removeprefix(prefix)
            if action in ("changelist", "add"):
                return []
            obj = model._default_manager.order_by("pk").first()
            return [obj.pk] if obj is not None else None
    if route_name == "auth_user_password_change":
        return [context.user("lasare_inne").pk]
    return []


def test_the_admin_is_for_staff_only(client, context):
    """No role reaches the Django admin; only staff (here the superuser) does."""
    failures = []
    for name in sorted(n for n in url_names() if n.startswith("admin:")):
        args = admin_args(name, context)
        if args is None:
            continue
        url = reverse(name, args=args)
        for caller in (ANON, "allmanhet", "administrator_inne"):
            client.logout()
            if caller != ANON:
                client.force_login(context.user(caller))
            status = client.get(url).status_code
            allowed = {302} if name not in ("admin:logout", "admin:login") else {200, 302, 405}
            if name == "admin:jsi18n":
                allowed = {200, 302}  # the translation catalogue is not data
            if status not in allowed:
                failures.append(f"GET {name} as {caller}: got {status}")
        # Staff reach it; some of it still refuses by design (403): adding to or deleting from
        # the append-only audit trail, and changing the content of a decided plan.
        client.force_login(context.user("rot"))
        status = client.get(url).status_code
        if status >= 500 or status in (401, 404):
            failures.append(f"GET {name} as rot: got {status}")
    assert not failures, "\n".join(failures)
