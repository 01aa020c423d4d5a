"""The permission matrix for the web pages: URL name → cases (see ``matrix_rules.py``)."""

from __future__ import annotations

from .matrix_branding import BRANDING_PAGES
from .matrix_control_pages import CONTROL_AND_FOLLOWUP
from .matrix_deadlines import DEADLINE_PAGES
from .matrix_derived import DERIVED_PAGES
from .matrix_feedback import FEEDBACK_PAGES
from .matrix_findable import FINDABLE_PAGES
from .matrix_governance import GOVERNANCE_PAGES
from .matrix_kolada_catalogue import KOLADA_CATALOGUE_PAGES
from .matrix_kolada_sync import KOLADA_SYNC_PAGES
from .matrix_onboarding import ONBOARDING_PAGES
from .matrix_opendata import OPENDATA_PAGES
from .matrix_people import PEOPLE, admin_form, admin_here
from .matrix_plan_pages import PLAN_AUTHORING
from .matrix_proposals import PROPOSAL_PAGES
from .matrix_public_numbers import PUBLIC_NUMBERS_PAGES
from .matrix_public_site import PUBLIC_SITE_PAGES
from .matrix_rules import (
    PUBLIC,
    Case,
    Perm,
    admin_somewhere,
    always,
    goal_form,
    held,
    held_anywhere,
    logged_in_only,
    login,
    needs,
    planner_anywhere,
    readable,
    upload,
)

PAGES: dict[str, list[Case]] = {
    **PROPOSAL_PAGES,
    **CONTROL_AND_FOLLOWUP,
    **DEADLINE_PAGES,
    **DERIVED_PAGES,
    **FEEDBACK_PAGES,
    **BRANDING_PAGES,
    **FINDABLE_PAGES,
    **ONBOARDING_PAGES,
    **GOVERNANCE_PAGES,
    **KOLADA_CATALOGUE_PAGES,
    **KOLADA_SYNC_PAGES,
    **OPENDATA_PAGES,
    **PUBLIC_SITE_PAGES,
    **PUBLIC_NUMBERS_PAGES,
    # -- portal, organisations, plans ------------------------------------------------
    "portal:home": PUBLIC,
    "tasks:todo": [Case(expect=login(always(200)))],
    "healthz": PUBLIC,
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
    # Creating a plan: the form for those who plan somewhere; a planner elsewhere is told
    # the unit is not one of theirs (the form again), the planner of styrelsen creates it.
    **PLAN_AUTHORING,
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
    # The authoring page of one indicator of a plan (by the plans.Indicator's pk): read-only
    # for a decided plan, which a POST is sent back from; the preview needs PLAN anywhere.
    "indicators:indicator_target": [
        Case(
            args=lambda c: [c.goal.indicators.get().pk],
            expect=login(needs(Perm.PLAN, published=True)),
            label="beslutad plan",
        ),
        Case(
            args=lambda c: [c.goal.indicators.get().pk],
            method="post",
            data=lambda c: {"source": "library", "kind": "balance"},
            expect=login(needs(Perm.PLAN, 302, published=True)),
            label="beslutad plan, spara",
        ),
        Case(
            args=lambda c: [c.draft_goal.indicators.get().pk],
            expect=login(needs(Perm.PLAN)),
            label="utkast",
        ),
        Case(
            args=lambda c: [c.draft_goal.indicators.get().pk],
            method="post",
            data=lambda c: {
                "source": "library",
                "definition": c.definition.pk,
                "kind": "change",
                "direction": "decrease",
                "new_polarity": "higher_better",
                "new_source_kind": "manuell",
            },
            expect=login(needs(Perm.PLAN, 302)),
            label="utkast, spara",
        ),
    ],
    "indicators:rule_preview": [
        Case(query="kind=threshold&minimum=60", expect=login(planner_anywhere()))
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
    # The code step needs a password step first: without one it sends back to the login.
    "accounts:login_code": [Case(expect=always(302))],
    "accounts:second_factor": [Case(expect=login(always(200)))],
    "accounts:second_factor_enrol": [
        Case(expect=login(always(200))),
        Case(method="post", data=lambda c: {"code": "000000"}, expect=login(always(200))),
    ],
    # Only for the enrolled (no one in the matrix's world): the others go back to the overview.
    "accounts:second_factor_codes": [
        Case(method="post", data=lambda c: {"code": "000000"}, expect=always(302))
    ],
    "accounts:second_factor_remove": [
        Case(
            method="post",
            data=lambda c: {"password": "x", "code": "000000"},
            expect=always(302),
        )
    ],
    "accounts:roles": [
        Case(expect=login(admin_somewhere())),
        Case(
            method="post",
            data=lambda c: {"username": "allmanhet", "unit": c.unit.pk, "role": "lasare"},
            # An administrator elsewhere gets the form back: the unit is not one of theirs.
            expect=admin_form(),
            label="ge roll",
        ),
    ],
    "accounts:revoke": [
        Case(
            args=lambda c: [c.assignment_id],
            method="post",
            data=lambda c: {},
            expect=admin_here(302),
        )
    ],
    **PEOPLE,
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
    "history:object": [
        Case(args=lambda c: ["plans.goal", c.draft_goal.pk], expect=login(readable())),
    ],
    "history:person": [
        Case(
            args=lambda c: [c.user("planerare_inne").pk],
            expect=login(
                lambda caller: (
                    200 if caller == "planerare_inne" or Perm.ADMIN in held(caller) else 404
                )
            ),
        )
    ],
    "history:mine": [Case(expect=login(always(302)))],
    "reminders:preference": [
        Case(expect=login(always(200))),
        Case(method="post", data=lambda c: {"mode": "daily"}, expect=login(always(302))),
    ],
    "history:verify": [
        Case(expect=login(admin_somewhere())),
        Case(method="post", data=lambda c: {}, expect=login(admin_somewhere(302)), label="start"),
    ],
    "history:anchors": PUBLIC,  # the published anchors: for everyone, to keep copies
    "history:anchors_text": PUBLIC,
}
