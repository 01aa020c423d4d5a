"""The permission matrix for the accessibility statement, the reports of accessibility
problems and the answers about the public pages (uppsikt/feedback/): the residents' pages
and forms are open to everyone (without a CSRF token: the forms are exempt on purpose); the
statement's editing and the reports are the installation's administrator's; the summary of
answers is for whoever administers a whole organisation (here only the superuser does: the
world's administrators hold their role on styrelsen, beneath fullmäktige)."""

from __future__ import annotations

from .feedback_setup import STATEMENT_POST
from .matrix_rules import ANON, Case, Rule, always


def installation_admin(ok: int = 200) -> Rule:
    """The installation's administrator (the superuser); the public is sent to log in."""
    return lambda caller: 302 if caller == ANON else (ok if caller == "rot" else 403)


def _report(c) -> int:
    """A report from the public, made on first use (every call is rolled back)."""
    if "feedback_report" not in c.extra:
        from django.contrib.auth.models import AnonymousUser

        from uppsikt.feedback.actions import submit_report

        report = submit_report(
            actor=AnonymousUser(), page="/tillganglighet/", description="Matrisens rapport"
        )
        c.extra["feedback_report"] = report.pk
    return c.extra["feedback_report"]


def _with_report(c) -> list:
    """No arguments; a report on the list."""
    _report(c)
    return []


def _receipt(c) -> list:
    from uppsikt.feedback.models import AccessibilityReport
    from uppsikt.feedback.views.reports import receipt_token

    return [receipt_token(AccessibilityReport.objects.get(pk=_report(c)))]


def _thanks(c) -> list:
    """The signed thanks address of an answer made on first use."""
    from django.core import signing

    from uppsikt.feedback.actions import record_answer
    from uppsikt.feedback.views.answers import ANSWER_SALT

    if "feedback_answer" not in c.extra:
        c.extra["feedback_answer"] = record_answer(path="/tillganglighet/", useful=True).pk
    return [signing.dumps(c.extra["feedback_answer"], salt=ANSWER_SALT)]


FEEDBACK_PAGES: dict[str, list[Case]] = {
    "feedback:statement": [Case()],
    "feedback:statement_edit": [
        Case(expect=installation_admin()),
        Case(
            method="post",
            data=lambda c: dict(STATEMENT_POST),
            expect=installation_admin(302),
            label="spara",
        ),
    ],
    "feedback:report": [
        Case(query="sida=/tillganglighet/"),
        Case(
            method="post",
            data=lambda c: {"page": "/tillganglighet/", "description": "Knappen syns inte"},
            expect=always(302),
            label="skicka",
        ),
    ],
    "feedback:receipt": [Case(args=_receipt)],
    "feedback:reports": [Case(args=_with_report, expect=installation_admin())],
    "feedback:report_handled": [
        Case(
            args=lambda c: [_report(c)],
            method="post",
            data=lambda c: {"note": "Rättat"},
            expect=installation_admin(302),
        )
    ],
    "feedback:summary": [Case(expect=installation_admin())],
    "feedback:answer": [
        Case(expect=always(405)),
        Case(
            method="post",
            data=lambda c: {"svar": "nej", "sida": "/tillganglighet/"},
            expect=always(302),
            label="svara",
        ),
    ],
    "feedback:thanks": [
        Case(args=_thanks),
        Case(
            args=_thanks,
            method="post",
            data=lambda c: {"comment": "Matrisens kommentar"},
            expect=always(302),
            label="kommentera",
        ),
    ],
}
