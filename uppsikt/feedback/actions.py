"""Every write of the feedback app.

- ``save_statement``: the installation's administrator changes the accessibility statement
  (audited, with what changed before and after);
- ``submit_report``: anyone reports an accessibility problem (audited without the reporter's
  name, address or text: the trail is append-only and keeps no personal data); a receipt
  e-mail goes out when an address was given;
- ``mark_handled``: the installation's administrator marks a report handled (audited);
- ``record_answer`` and ``add_comment``: an answer to "Hade du nytta av innehållet på denna
  sida?" and its optional comment. Anonymous counts, not audited (docs/accessibility.md).

Rate limits are the views' business (they answer 429 before anything is read).
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Collection
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from uppsikt.accounts.access import administers_installation
from uppsikt.audit.trail import record, snapshot
from uppsikt.lib.problems import coded
from uppsikt.lib.typing import Actor, Visitor

from .models import (
    COMMENT_MAX,
    DESCRIPTION_MAX,
    NAME_MAX,
    AccessibilityReport,
    AccessibilityStatement,
    PageAnswer,
)
from .pages import is_page, organisation_of
from .text import check_text, clean_text, require_local_path

log = logging.getLogger(__name__)

STATEMENT_FIELDS = (
    "site_name",
    "site_owner",
    "statement_owner",
    "contact_email",
    "contact_phone",
    "contact_hours",
    "response_time",
    "compliance",
    "non_compliant",
    "disproportionate",
    "out_of_scope",
    "method",
    "testing",
    "assessed_on",
    "published_on",
    "reviewed_on",
    "is_example",
)


def _require_installation_admin(actor: Visitor) -> None:
    if not administers_installation(actor):
        raise PermissionDenied(
            _("Bara installationens administratör kan ändra tillgänglighetsredogörelsen.")
        )


@transaction.atomic
def save_statement(values: dict[str, Any], *, actor: Actor) -> AccessibilityStatement:
    """Save the statement's ``values`` (the fields of ``STATEMENT_FIELDS``, already checked
    by the form); made on first save."""
    _require_installation_admin(actor)
    statement = (
        AccessibilityStatement.objects.select_for_update()
        .filter(pk=AccessibilityStatement.SINGLETON)
        .first()
    )
    before = snapshot(statement, STATEMENT_FIELDS) if statement else None
    if statement is None:
        statement = AccessibilityStatement(pk=AccessibilityStatement.SINGLETON)
    for name in STATEMENT_FIELDS:
        value = values[name]
        setattr(statement, name, clean_text(value) if isinstance(value, str) else value)
    statement.updated_by = actor if getattr(actor, "pk", None) else None
    statement.full_clean()
    statement.save()
    after = snapshot(statement, STATEMENT_FIELDS)
    changed = {k: v for k, v in after.items() if before is None or before.get(k) != v}
    record(
        actor=actor,
        action="feedback.statement",
        obj=statement,
        before={k: before[k] for k in changed} if before else None,
        after=changed,
    )
    return statement


def _cleaned_report(
    page: str, description: str, name: str, email: str, hosts: Collection[str]
) -> dict[str, str]:
    """The report's fields as stored; every problem by field, nothing stored on refusal."""
    problems: dict[str, list[ValidationError]] = {}
    fields = {
        "page": page,
        "description": clean_text(description),
        "name": clean_text(name, single_line=True),
        "email": clean_text(email, single_line=True),
    }
    try:
        fields["page"] = require_local_path(page, label=_("Sidans adress"), hosts=hosts)
    except ValidationError as error:
        problems["page"] = [error]
    checks = (
        ("description", _("Beskrivning"), DESCRIPTION_MAX, True),
        ("name", _("Namn"), NAME_MAX, False),
        ("email", _("E-post"), 254, False),
    )
    for field, label, limit, required in checks:
        try:
            check_text(fields[field], label=label, max_length=limit, required=required)
        except ValidationError as error:
            problems[field] = [error]
    if fields["email"] and "email" not in problems:
        try:
            validate_email(fields["email"])
        except ValidationError:
            problems["email"] = [
                coded(_("E-post: skriv en hel e-postadress, som namn@exempel.se."), "invalid")
            ]
    if problems:
        raise ValidationError(problems)
    return fields


def submit_report(
    *,
    actor: Visitor,
    page: str,
    description: str,
    name: str = "",
    email: str = "",
    hosts: Collection[str] = (),
) -> AccessibilityReport:
    """Store a report (checked whole first) and send its receipt when ``email`` is given.
    ``page`` is a path, or a full address of one of ``hosts`` (this site's names).

    A receipt that cannot be sent does not lose the report: the receipt page shows the
    reference number whatever happens to the e-mail (``receipt_sent`` says)."""
    fields = _cleaned_report(page, description, name, email, hosts)
    with transaction.atomic():
        report = AccessibilityReport.objects.create(**fields)
        record(
            # The public acts without an account: the trail shows no user (``trail.record``).
            actor=cast(Actor, actor),
            action="feedback.report",
            obj=report,
            after={
                "reference": report.reference,
                "page": report.page,
                "description_length": len(report.description),
                "answer_wanted": bool(report.email),
            },
        )
    if report.email:
        report.receipt_sent = _send_receipt(report)
        if report.receipt_sent:
            AccessibilityReport.objects.filter(pk=report.pk).update(receipt_sent=True)
    return report


def _send_receipt(report: AccessibilityReport) -> bool:
    """The receipt e-mail. It repeats nothing the sender wrote (only the reference, the date
    and where the statement is), so the form cannot send anyone a text of one's choosing."""
    with translation.override("sv"):
        subject = _("Vi har tagit emot din rapport %(reference)s") % {"reference": report.reference}
        body = render_to_string(
            "feedback/email/receipt.txt",
            {"report": report, "site_url": settings.SITE_URL},
        )
    try:
        EmailMessage(subject, body, to=[report.email]).send()
    except (smtplib.SMTPException, OSError):
        log.warning("The receipt for %s could not be sent", report.reference, exc_info=True)
        return False
    return True


@transaction.atomic
def mark_handled(report: AccessibilityReport, *, actor: Actor, note: str = "") -> None:
    """Mark ``report`` handled, with what was done (once; a second time changes nothing)."""
    if not administers_installation(actor):
        raise PermissionDenied(_("Bara installationens administratör hanterar rapporterna."))
    locked = AccessibilityReport.objects.select_for_update().get(pk=report.pk)
    if locked.handled_at is not None:
        raise ValidationError(
            {"note": [coded(_("Rapporten är redan markerad som hanterad."), "handled")]}
        )
    text = clean_text(note)
    try:
        check_text(text, label=_("Vad som gjordes"), max_length=DESCRIPTION_MAX)
    except ValidationError as error:
        raise ValidationError({"note": [error]}) from None
    locked.handled_at = timezone.now()
    locked.handled_by = actor
    locked.handled_note = text
    locked.save(update_fields=["handled_at", "handled_by", "handled_note"])
    record(
        actor=actor,
        action="feedback.report_handled",
        obj=locked,
        after={"reference": locked.reference, "note_length": len(text)},
    )
    report.handled_at, report.handled_by, report.handled_note = (
        locked.handled_at,
        actor,
        text,
    )


def record_answer(*, path: str, useful: bool) -> PageAnswer:
    """One answer about the page at ``path`` (a local path, else ``ValidationError``)."""
    page = require_local_path(path, label=_("Sidans adress"))
    if not is_page(page):
        raise coded(_("Sidans adress: det finns ingen sådan sida här."), "no_page")
    return PageAnswer.objects.create(path=page, organisation=organisation_of(page), useful=useful)


def add_comment(answer: PageAnswer, comment: str) -> PageAnswer:
    """The answer's comment, once (a second comment is refused, so a kept link cannot be used
    to replace it)."""
    text = clean_text(comment)
    check_text(text, label=_("Kommentar"), max_length=COMMENT_MAX, required=True)
    updated = PageAnswer.objects.filter(pk=answer.pk, commented_at__isnull=True).update(
        comment=text, commented_at=timezone.now()
    )
    if not updated:
        raise coded(_("Du har redan lämnat en kommentar till det här svaret."), "commented")
    answer.refresh_from_db()
    return answer
