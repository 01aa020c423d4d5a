"""The permission matrix: every URL in the URLconf, as every role, inside and outside the
unit that owns the object, and as the public.

``MATRIX`` says, for every URL name, how to build the URL from the small world
(``tests/world.py``) and which status each caller gets; its cases live in
``matrix_pages.py``, ``matrix_control_pages.py`` and ``matrix_api.py``, their vocabulary
in ``matrix_rules.py``. A URL name that is not in the
matrix fails ``test_every_url_is_in_the_matrix``: a new page or endpoint cannot slip
through untested. Every write runs inside a transaction that is rolled back, so each caller
meets the same world.

Callers: ``anonym`` (no login, no token), ``allmanhet`` (logged in, no role), each role
``<role>_inne`` on the owning unit and ``<role>_ute`` on another region's unit, and ``rot``
(superuser). Pages are fetched with a logged-in session; API endpoints with the caller's
personal token.
"""

from __future__ import annotations

import copy
import json
from functools import partial
from http.cookies import SimpleCookie

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from uppsikt.accounts.models import RoleAssignment
from uppsikt.api.tokens import create_token
from uppsikt.jobs.models import Job
from uppsikt.plans.actions.content import update_goal

from .matrix_api import API
from .matrix_dialogue import DIALOGUE
from .matrix_pages import PAGES
from .matrix_proposals import proposal_objects
from .matrix_rules import (
    ANON,
    CALLERS,
    Case,
    Context,
    Perm,
    held_anywhere,
)
from .once import built_once, fresh_copy
from .world import add_internal_control, build_world

pytestmark = pytest.mark.django_db

MATRIX: dict[str, list[Case]] = {**PAGES, **API, **DIALOGUE}


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
    assert not missing, f"Add these URLs to tests/matrix_pages.py or matrix_api.py: {missing}"
    stale = sorted(set(MATRIX) - set(url_names()))
    assert not stale, f"MATRIX names URLs that no longer exist: {stale}"


@pytest.fixture(scope="module")
def matrix_contexts(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world and the matrix's objects on it, built once for the module (tests/once.py):
    every test runs in a savepoint of the transaction they were built in."""

    def build() -> tuple[Context, Context]:
        # Region Annan, where the ``_ute`` callers hold their roles, is set up like Region
        # Test: the matrix runs once from each side (``test_..._across_organisations``).
        world = build_world(second_full=True)
        return make_context(world), make_context(world.mirror)

    # Thousands of calls in a minute from one address: the rate limits have their own tests.
    with override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("matrix-media"),
        API_RATE_PER_USER=0,
        API_RATE_PER_ADDRESS=0,
        FEEDBACK_RATE_PER_ADDRESS=0,
        ACCESSIBILITY_REPORT_RATE_PER_ADDRESS=0,
    ):
        yield from built_once(django_db_blocker, build)


@pytest.fixture
def context(request, matrix_contexts):
    """The module's contexts as this test's own copies; ``extra["mirror"]`` is the world seen
    from Region Annan."""
    parts = [(c.world, c.job, c.own_token_id, c.assignment_id, c.extra) for c in matrix_contexts]
    own, mirror = (Context(*fields) for fields in fresh_copy(request, parts))
    own.extra["mirror"] = mirror
    return own


def make_context(world) -> Context:
    """The matrix's objects on top of ``world`` (or of its mirror, seen from Region Annan)."""
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
    extra = {
        "keys": keys,
        **budget_objects(world),
        "import_job": measurement_job(world),
        **people_objects(world),
        **proposal_objects(world),
    }
    return Context(world, job, own_token.pk, assignment.pk, extra)


def people_objects(world) -> dict:
    """A pending invitation to styrelsen (its token known here) and a claim mapping there."""
    import datetime

    from django.utils import timezone

    from uppsikt.accounts.invitations import digest
    from uppsikt.accounts.models import ClaimRoleMapping, Invitation

    token = f"matrisens-inbjudan-{world.unit.pk}-" + "x" * 30  # one per side of the matrix
    invitation = Invitation.objects.create(
        email="matris-inbjuden@kommun.se",
        unit=world.unit,
        role="lasare",
        token_hash=digest(token),
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    mapping = ClaimRoleMapping.objects.create(
        claim="groups", value="matris", unit=world.unit, role="lasare"
    )
    return {"invitation": invitation.pk, "invitation_token": token, "claim_mapping": mapping.pk}


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


class Sessions:
    """One signed-in session per caller, made once per test and handed back before each page
    call. ``client.force_login`` for every call was a fifth of a page matrix's time
    (docs/performance.md); each call runs in a transaction that is rolled back, so whatever a
    page does to its session (a new key, a flag, a sign-out) is gone before the next call,
    and the saved cookie still names the session as it was made."""

    def __init__(self, client, context: Context) -> None:
        self.client, self.context = client, context
        self.saved: dict[str, SimpleCookie] = {}

    def use(self, caller: str) -> None:
        """The client as ``caller``: the public (no cookie) or signed in as that user."""
        if caller != ANON and caller not in self.saved:
            self.client.cookies = SimpleCookie()
            self.client.force_login(self.context.user(caller))
            self.saved[caller] = copy.deepcopy(self.client.cookies)
        self.client.cookies = copy.deepcopy(self.saved.get(caller, SimpleCookie()))

    def none(self) -> None:
        """No cookie at all (API calls carry the caller's token instead)."""
        self.client.cookies = SimpleCookie()


def call(sessions: Sessions, caller: str, url: str, case: Case) -> int:
    client, context = sessions.client, sessions.context
    is_api = url.startswith("/api/")
    headers = {}
    if is_api:
        sessions.none()
        if caller != ANON:
            headers["Authorization"] = f"Bearer {context.extra['keys'][caller]}"
    else:
        sessions.use(caller)
    full = f"{url}?{case.query}" if case.query else url
    data = case.data(context) if case.data else None
    if case.method == "get":
        return rolled_back(lambda: client.get(full, headers=headers))
    if is_api:
        send = getattr(client, case.method)
        return rolled_back(
            lambda: send(full, json.dumps(data), content_type="application/json", headers=headers)
        )
    return rolled_back(lambda: client.post(full, data, headers=headers))


def rolled_back(request) -> int:
    """The status of ``request()``; whatever it wrote (its session too) is rolled back."""
    with transaction.atomic():
        status = request().status_code
        transaction.set_rollback(True)
    return status


def run_matrix(client, context: Context, names, callers=CALLERS) -> list[str]:
    sessions = Sessions(client, context)
    failures = []
    for name in names:
        for case in MATRIX[name]:
            url = reverse(name, args=case.args(context))
            for caller in callers:
                expected = case.expect(caller)
                got = call(sessions, caller, url, case)
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


# -- several organisations, one installation ---------------------------------------------------
# The same matrix, seen from Region Annan: its objects are Annan's, ``<role>_inne`` hold their
# roles on Annan's unit and ``<role>_ute`` are Region Test's roles, administrator included. Each
# of them gets 403/404 on every non-public page, export and API object of the other
# organisation, and reads its public content like the public. The callers without a role, and
# Annan's own roles, meet the same rules as in the matrix above; here only the other
# organisation's roles run, and Annan's administrator to show that the objects are there.
CROSSING = [*(c for c in CALLERS if c.endswith("_ute")), "administrator_inne"]


def test_pages_across_organisations(client, context):
    names = [n for n in MATRIX if not n.startswith("api:")]
    failures = run_matrix(client, context.extra["mirror"], names, CROSSING)
    assert not failures, "\n".join(failures)


def test_api_across_organisations(client, context):
    names = [n for n in MATRIX if n.startswith("api:")]
    failures = run_matrix(client, context.extra["mirror"], names, CROSSING)
    assert not failures, "\n".join(failures)


# -- who may comes before what was sent -----------------------------------------------------

REFUSED = (401, 403, 404)
# Writes whose object is named in the body, not the path: before the body only the right
# somewhere can be checked, so a caller holding it (e.g. a planner of another region) gets
# the body's 422 first; everyone else is refused before it.
BODY_ADDRESSED = {
    "api:new_unit": Perm.ADMIN,
    "api:put_measurement": Perm.PLAN,
    "api:bulk_measurements": Perm.PLAN,
    "api:enter_by_hand": Perm.REPORT,
    "api:write_followup": Perm.REPORT,
    "api:new_risk": Perm.PLAN,
    "api:new_plan": Perm.PLAN,
    # The definition a KPI is linked to (or unlinked from) is chosen in the form.
    "kolada:link": Perm.PLAN,
    "kolada:unlink": Perm.PLAN,
}
# What a form-posting client could send wrong: every field garbage, and a stray one.
GARBAGE = "\x00§ inte ett värde"


def malformed_bodies(data: dict | None) -> list:
    fields = dict.fromkeys(data or {}, GARBAGE)
    return [{**fields, "okänt_fält": GARBAGE}, {}]


def refused_before_the_body(client, context: Context, names, *, api: bool) -> list[str]:
    sessions = Sessions(client, context)
    failures = []
    for name in names:
        for case in MATRIX[name]:
            if case.method == "get":
                continue
            url = reverse(name, args=case.args(context))
            data = case.data(context) if case.data else None
            for caller in CALLERS:
                expected = case.expect(caller)
                if expected not in REFUSED:
                    continue
                perm = BODY_ADDRESSED.get(name)
                if perm is not None and perm in held_anywhere(caller):
                    continue
                bodies = [*malformed_bodies(data), "{inte json"] if api else malformed_bodies(data)
                for body in bodies:
                    got = post_raw(sessions, caller, url, case, body)
                    if got != expected:
                        what = f"{case.method.upper()} {name}" + (
                            f" ({case.label})" if case.label else ""
                        )
                        failures.append(
                            f"{what} as {caller} with {body!r:.40}: {expected}, got {got}"
                        )
    return failures


def post_raw(sessions: Sessions, caller: str, url: str, case: Case, body) -> int:
    client, context = sessions.client, sessions.context
    headers = {}
    if url.startswith("/api/"):
        sessions.none()
        if caller != ANON:
            headers["Authorization"] = f"Bearer {context.extra['keys'][caller]}"
        payload = body if isinstance(body, str) else json.dumps(body)
        send = getattr(client, case.method)
        return rolled_back(
            lambda: send(url, payload, content_type="application/json", headers=headers)
        )
    sessions.use(caller)
    return rolled_back(lambda: client.post(url, body))


def test_the_api_refuses_before_reading_the_body(client, context):
    """Every API write, as every caller without the right, with a malformed body (not JSON,
    garbage in every field, an unknown field, nothing): 401/403/404, never 400 or 422."""
    names = [n for n in MATRIX if n.startswith("api:")]
    failures = refused_before_the_body(client, context, names, api=True)
    assert not failures, "\n".join(failures)


def test_pages_refuse_before_reading_the_form(client, context):
    """Every form post, as every caller without the right, with a garbage form: refused
    (302 to the login page for the public, 403/404 for others) as with a good one."""
    names = [n for n in MATRIX if not n.startswith("api:")]
    failures = refused_before_the_body(client, context, names, api=False)
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
    sessions = Sessions(client, context)
    failures = []
    for name in sorted(n for n in url_names() if n.startswith("admin:")):
        args = admin_args(name, context)
        if args is None:
            continue
        url = reverse(name, args=args)
        for caller in (ANON, "allmanhet", "administrator_inne"):
            sessions.use(caller)
            status = rolled_back(partial(client.get, url))
            allowed = {302} if name not in ("admin:logout", "admin:login") else {200, 302, 405}
            if name == "admin:jsi18n":
                allowed = {200, 302}  # the translation catalogue is not data
            if status not in allowed:
                failures.append(f"GET {name} as {caller}: got {status}")
        # Staff reach it; some of it still refuses by design (403): adding to or deleting from
        # the append-only audit trail, and changing the content of a decided plan.
        sessions.use("rot")
        status = rolled_back(partial(client.get, url))
        if status >= 500 or status in (401, 404):
            failures.append(f"GET {name} as rot: got {status}")
    assert not failures, "\n".join(failures)
