"""The permission matrix's vocabulary: callers, rules (who gets which status), cases and
the context a case builds its URL from. The matrix itself is in ``matrix_pages.py`` and
``matrix_api.py``; ``test_permission_matrix.py`` runs it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from uppsikt.accounts.access import ROLE_PERMISSIONS, Perm
from uppsikt.jobs.models import Job

from .world import ROLES

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


def attachment_of(c) -> int:
    """The id of a PNG attached to the world's follow-up entry, made on first use."""
    if "attachment" not in c.extra:
        import io

        from PIL import Image

        from uppsikt.followup.actions.attachments import add_attachment

        buffer = io.BytesIO()
        Image.new("RGB", (4, 4)).save(buffer, "PNG")
        attachment = add_attachment(
            c.followup, buffer.getvalue(), name="bild.png", actor=c.world.users["rot"]
        )
        c.extra["attachment"] = attachment.pk
    return c.extra["attachment"]


def png_upload():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "PNG")
    return upload("bild.png", buffer.getvalue())


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
