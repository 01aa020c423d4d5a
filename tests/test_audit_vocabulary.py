"""One vocabulary for the audit trail: every action an event can carry is declared once, with
its Swedish label, by the app that records it (``uppsikt.audit.vocabulary``)."""

import ast
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext_lazy

from uppsikt.audit import vocabulary
from uppsikt.audit.models import AuditEvent
from uppsikt.audit.trail import record
from uppsikt.audit.vocabulary import UndeclaredAction

from .builders import ROOT, demo_load_steps

PACKAGE = ROOT / "uppsikt"

# Packages that are no Django app of their own, and the app that declares what they record.
DECLARED_BY: dict[str, str] = {}
# An action recorded outside the app that declares it: the indicators demo ends with the
# loader's ``data.load`` (interchange) on each plan it filled.
SHARED = {("indicators", "data.load")}
# Functions that record the ``action=`` they are given (``record`` inside them passes it on):
# their callers are checked instead.
WRAPPERS = {"record_in_plan"}


def _dynamic() -> dict[str, set[str]]:
    """Every action name built at run time, by where it is built (path:function)."""
    from uppsikt.control.models import ControlAssessment
    from uppsikt.followup.actions.reports import APPROVE, RETURN, SUBMIT, WITHDRAW
    from uppsikt.plans.actions.parts import MODELS

    parts = {
        f"plans/actions/parts.py:{function}_part": {f"{kind}.{function}" for kind in MODELS}
        for function in ("add", "update", "remove", "move")
    }
    return {
        **parts,
        "control/actions/followup.py:_save_assessment": {
            f"control.isk.{kind}" for kind in ControlAssessment.Kind.values
        },
        "followup/actions/reports.py:_audit": {
            f"report.{move}" for move in (SUBMIT, WITHDRAW, APPROVE, RETURN)
        },
        "periods/actions.py:_set_status": {"period.close", "period.reopen"},
        "administration/actions.py:_save": {
            f"{kind}.{change}"
            for kind in ("organisation", "unit")
            for change in ("create", "update")
        },
    }


# -- (a) the demo, loaded as `make demo-load` loads it -------------------------------------


@pytest.mark.django_db
def test_every_action_the_demo_records_is_declared_with_a_label(monkeypatch):
    steps = demo_load_steps()
    assert ["load", "demo/region-orebro-lan.yaml"] in steps and len(steps) >= 8
    monkeypatch.chdir(ROOT)
    for name, *args in steps:
        call_command(name, *args, stdout=StringIO(), stderr=StringIO())
    actions = set(AuditEvent.objects.values_list("action", flat=True).distinct())
    assert len(actions) > 10
    assert sorted(a for a in actions if not vocabulary.is_declared(a)) == []
    assert sorted(a for a in actions if vocabulary.label(a) == a) == []


# -- (b) every place in the code that records an action ------------------------------------


def _names(node: ast.expr) -> set[str] | None:
    """The names an ``action=`` argument can take, or None when built at run time."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        body, orelse = _names(node.body), _names(node.orelse)
        return None if body is None or orelse is None else body | orelse
    return None


def _pattern(node: ast.expr) -> re.Pattern | None:
    """An f-string as a pattern its names must match."""
    if not isinstance(node, ast.JoinedStr):
        return None
    parts = [
        re.escape(part.value) if isinstance(part, ast.Constant) else r"[a-z_]+"
        for part in node.values
    ]
    return re.compile("".join(parts))


def _record_calls(tree: ast.AST, function: str = "<module>"):
    """(innermost enclosing function, call) for every ``record(...)`` call in ``tree``."""
    for node in ast.iter_child_nodes(tree):
        inner = function
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            inner = node.name
        elif isinstance(node, ast.Call):
            callee = node.func
            name = callee.id if isinstance(callee, ast.Name) else getattr(callee, "attr", "")
            if (name == "record" and function not in WRAPPERS) or name in WRAPPERS:
                yield function, node
        yield from _record_calls(node, inner)


def recorded_actions() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Literal names by package, and names built at run time by ``path:function``."""
    literal: dict[str, set[str]] = {}
    dynamic: dict[str, set[str]] = {}
    expansions = _dynamic()
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        tree = ast.parse(path.read_text("utf-8"))
        for function, call in _record_calls(tree):
            where = f"{relative}:{function}"
            (action,) = [k.value for k in call.keywords if k.arg == "action"] or [None]
            assert action is not None, f"{where}: record() without action= cannot be checked"
            names = _names(action)
            if names is not None:
                literal.setdefault(relative.split("/")[0], set()).update(names)
                continue
            assert where in expansions, f"{where} builds an action name: list what it can build"
            pattern = _pattern(action)
            for name in expansions[where]:
                assert pattern is None or pattern.fullmatch(name), (where, name)
            dynamic[where] = expansions[where]
    return literal, dynamic


def test_every_action_recorded_in_the_code_is_declared_by_its_app():
    literal, dynamic = recorded_actions()
    assert sum(len(names) for names in literal.values()) > 40
    assert dynamic.keys() == _dynamic().keys(), "a listed dynamic action is no longer built"
    for package, names in literal.items():
        for name in sorted(names):
            assert vocabulary.is_declared(name), f"{name!r} (uppsikt/{package}) is not declared"
            if (package, name) not in SHARED:
                assert vocabulary.owner(name) == DECLARED_BY.get(package, package), name
    for where, names in dynamic.items():
        for name in sorted(names):
            assert vocabulary.is_declared(name), f"{name!r} ({where}) is not declared"
            assert vocabulary.owner(name) == where.split("/")[0], name


def test_nothing_but_record_writes_audit_events():
    """``trail.record`` is the only writer: no other code builds or inserts events, and every
    call of it is found by the scan above."""
    writers = re.compile(
        r"(?<!class )AuditEvent\s*\("
        r"|AuditEvent\.objects\.(create|bulk_create|get_or_create|update_or_create)"
        r"|insert\s+into\s+\W?audit_auditevent",
        re.IGNORECASE,
    )
    found = [
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if "migrations" not in path.parts and writers.search(path.read_text("utf-8"))
    ]
    assert found == ["audit/trail.py"]
    renamed = [
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text("utf-8")))
        if isinstance(node, ast.ImportFrom)
        and (node.module or "").endswith("trail")
        and any(alias.name == "record" and alias.asname for alias in node.names)
    ]
    assert renamed == [], "record is imported under another name, which the scan would miss"


def test_every_declared_action_has_a_swedish_label_translated_to_english():
    declared = vocabulary.declared()
    assert len(declared) > 60
    for name, label in declared.items():
        with translation.override("sv"):
            swedish = str(label)
        with translation.override("en"):
            english = str(label)
        assert swedish.strip() and swedish != name, name
        assert english != swedish, f"{name!r}: no English translation of {swedish!r}"


# -- (c) the vocabulary's rules -------------------------------------------------------------


@pytest.fixture
def scratch(monkeypatch):
    """The vocabulary as it is, restored after the test."""
    monkeypatch.setattr(vocabulary, "_DECLARED", dict(vocabulary._DECLARED))


def test_a_name_is_declared_once(scratch):
    with pytest.raises(ImproperlyConfigured, match="already declared by the app 'budget'"):
        vocabulary.declare("followup", {"budget.import": gettext_lazy("Fil lästes in")})
    with pytest.raises(ImproperlyConfigured, match="already declared"):
        vocabulary.declare("budget", {"budget.import": gettext_lazy("Fil lästes in")})
    vocabulary.declare("tests", {"tests.ran": "Provet kördes"})
    with pytest.raises(ImproperlyConfigured):
        vocabulary.declare("tests", {"tests.ran": "Provet kördes igen"})
    assert vocabulary.owner("tests.ran") == "tests" and vocabulary.label("tests.ran") == (
        "Provet kördes"
    )


def test_a_refused_declaration_declares_nothing(scratch):
    for actions in (
        {"tests.fine": "Bra", "Not a name": "Dålig"},
        {"tests.fine": "Bra", "tests.empty": " "},
        {"tests.fine": "Bra", "tests." + "x" * 50: "För långt"},
    ):
        with pytest.raises(ImproperlyConfigured):
            vocabulary.declare("tests", actions)
        assert not vocabulary.is_declared("tests.fine")


@pytest.mark.django_db
def test_record_refuses_an_undeclared_action():
    from uppsikt.organisations.models import Organisation

    organisation = Organisation.objects.create(code="0097", name="Region Prov", kind="region")
    with pytest.raises(UndeclaredAction, match=r"'organisation\.rename' is not declared"):
        record(actor=None, action="organisation.rename", obj=organisation)
    assert not AuditEvent.objects.exists()


def test_an_event_no_app_declares_any_more_shows_its_name():
    assert vocabulary.label("plan.archive") == "plan.archive"
    with translation.override("sv"):
        assert vocabulary.label("plan.decide") == "Beslut registrerades"


def test_the_vocabulary_imports_no_other_app():
    """The audit app is low: everything records through it, so it imports from none."""
    tree = ast.parse(Path(vocabulary.__file__).read_text("utf-8"))
    imported = [
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    assert imported and not [name for name in imported if name and name.startswith("uppsikt")]
