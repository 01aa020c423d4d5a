"""Reminders by e-mail about each person's tasks (``registry.tasks_for``).

For a task with a deadline ``due`` and ``REMINDER_DAYS_BEFORE`` = N, on day D:

* D < due − N: nothing yet;
* due − N ≤ D < due: *before* (sent once, the first run in that window);
* D = due: *on the day*;
* D > due: *overdue*, in one message listing every overdue task of the person.

Each reminder is sent once (``SentReminder``); what a person receives depends on their
``ReminderPreference``: *immediate* (a message per reminder, the overdue ones together),
*daily* (everything in one digest, at most one a day) or *off* (nothing). A manual reminder
("Påminn" on the period overview) is ``send_manual``.

Sending: the rows are inserted first inside the transaction, then the message is sent, then
the transaction commits. Two runs at once cannot both send (the second waits for the first's
row and is refused by the unique constraint); a send that fails rolls its rows back, so the
next run tries again.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from uppsikt.audit.trail import record

from .actions import mode_of
from .models import ReminderPreference, SentReminder
from .registry import Task, tasks_for
from .registry import today as local_today

logger = logging.getLogger(__name__)
Occasion = SentReminder.Occasion
SEND_ERRORS = (smtplib.SMTPException, OSError)


def occasion_for(due: datetime.date, on: datetime.date, days_before: int) -> str | None:
    """Which reminder a task with deadline ``due`` is owed on day ``on`` (None: none yet)."""
    if on > due:
        return Occasion.OVERDUE
    if on == due:
        return Occasion.DUE
    if days_before > 0 and (due - on).days <= days_before:
        return Occasion.BEFORE
    return None


@dataclass(frozen=True)
class Reminder:
    task: Task
    occasion: str

    @property
    def due(self) -> datetime.date:
        assert self.task.due is not None
        return self.task.due


def reminders_due(user, on: datetime.date, days_before: int | None = None) -> list[Reminder]:
    """The reminders ``user`` is owed on day ``on`` that have not been sent yet."""
    days = settings.REMINDER_DAYS_BEFORE if days_before is None else days_before
    owed = []
    for task in tasks_for(user, on):
        if task.due is None:
            continue
        occasion = occasion_for(task.due, on, days)
        if occasion is not None:
            owed.append(Reminder(task, occasion))
    if not owed:
        return []
    sent = set(
        SentReminder.objects.filter(
            user=user, task_key__in=[r.task.key for r in owed], occasion__in=Occasion.values
        ).values_list("task_key", "occasion", "due")
    )
    return [r for r in owed if (r.task.key, r.occasion, r.due) not in sent]


@dataclass
class Outcome:
    """What a run did: the messages sent (to whom, how many reminders), who was skipped."""

    sent: list[tuple[str, str, int]] = field(default_factory=list)  # (email, subject, items)
    without_email: list[str] = field(default_factory=list)  # usernames
    failed: list[tuple[str, str]] = field(default_factory=list)  # (email, error)

    @property
    def reminders(self) -> int:
        return sum(count for _email, _subject, count in self.sent)


@dataclass
class Message:
    kind: str  # an Occasion; DIGEST for the daily one
    items: list[Reminder]  # the reminders this message sends (rows written for them)
    also: list[Task] = field(default_factory=list)  # shown, already reminded of before


def people():
    """Everyone who can have tasks: active users with a role somewhere, and superusers."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(role_assignments__isnull=False) | Q(is_superuser=True))
        .distinct()
        .order_by("pk")
    )


def messages_for(user, on: datetime.date, mode: str, owed: list[Reminder]) -> list[Message]:
    """How ``owed`` goes out in ``mode``: one digest, or one message per reminder with the
    overdue ones gathered in one."""
    if not owed or mode == ReminderPreference.Mode.OFF:
        return []
    if mode == ReminderPreference.Mode.DAILY:
        return [Message(Occasion.DIGEST, owed)]
    messages = [Message(r.occasion, [r]) for r in owed if r.occasion != Occasion.OVERDUE]
    overdue = [r for r in owed if r.occasion == Occasion.OVERDUE]
    if overdue:
        new = {r.task.key for r in overdue}
        earlier = [t for t in tasks_for(user, on) if t.is_overdue(on) and t.key not in new]
        messages.append(Message(Occasion.OVERDUE, overdue, earlier))
    return messages


def send_reminders(on: datetime.date | None = None) -> Outcome:
    """Send every reminder owed on day ``on`` (today) to everyone; see the module's doc."""
    on = on or local_today()
    outcome = Outcome()
    for user in people():
        mode = mode_of(user)
        if mode == ReminderPreference.Mode.OFF:
            continue
        owed = reminders_due(user, on)
        if not owed:
            continue
        if not user.email:
            outcome.without_email.append(user.get_username())
            continue
        for message in messages_for(user, on, mode, owed):
            _send(user, message, on, outcome)
    return outcome


def send_manual(users: Iterable, task: Task, *, actor, on: datetime.date | None = None, unit=None):
    """Remind ``users`` of ``task`` now ("Påminn"), whatever their preference: a message
    from the person following up, at most once a day per person and task. Audited."""
    on = on or local_today()
    outcome = Outcome()
    for user in users:
        if not user.email:
            outcome.without_email.append(user.get_username())
            continue
        reminder = Reminder(task, Occasion.MANUAL)
        _send(user, Message(Occasion.MANUAL, [reminder]), on, outcome, actor=actor, unit=unit)
    return outcome


def _claim(user, reminder: Reminder | None, on: datetime.date, *, key: str = "") -> bool:
    """Write the row that says this was sent; False when it already was (another run)."""
    try:
        with transaction.atomic():
            SentReminder.objects.create(
                user=user,
                task_key=reminder.task.key if reminder else key,
                occasion=reminder.occasion if reminder else Occasion.DIGEST,
                due=reminder.task.due if reminder else on,
                sent_on=on,
            )
    except IntegrityError:
        return False
    return True


def _send(user, message: Message, on: datetime.date, outcome: Outcome, **audit) -> None:
    try:
        with transaction.atomic():
            if message.kind == Occasion.DIGEST and not _claim(user, None, on, key="digest"):
                return  # today's digest went out already
            claimed = [r for r in message.items if _claim(user, r, on)]
            if not claimed:  # another run sent them all: keep nothing of this one
                transaction.set_rollback(True)
                return
            message.items = claimed
            email = build_email(user, message, on)
            if audit.get("actor") is not None:
                _audit(user, message, on, audit["actor"], audit.get("unit"))
            email.send()
    except SEND_ERRORS as error:  # nothing was written: the next run tries again
        logger.warning("Påminnelse till %s kunde inte skickas: %s", user.email, error)
        outcome.failed.append((user.email, str(error)))
        return
    outcome.sent.append((user.email, str(email.subject), len(claimed)))


def _audit(user, message: Message, on: datetime.date, actor, unit) -> None:
    row = SentReminder.objects.get(
        user=user, task_key=message.items[0].task.key, occasion=Occasion.MANUAL, sent_on=on
    )
    record(
        actor=actor,
        action="reminders.manual",
        obj=row,
        after={"to": user.get_username(), "task": row.task_key},
        unit=unit,
    )


def absolute(path: str) -> str:
    """A link in an e-mail: the site's address (``SITE_URL``) and the path."""
    return settings.SITE_URL + path


def subject_for(message: Message) -> str:
    count = len(message.items)
    first = message.items[0].task
    if message.kind == Occasion.DIGEST:
        return ngettext(
            "Uppsikt: %(count)s påminnelse i dag",
            "Uppsikt: %(count)s påminnelser i dag",
            count,
        ) % {"count": count}
    if message.kind == Occasion.OVERDUE:
        total = count + len(message.also)
        return ngettext(
            "Uppsikt: %(count)s uppgift är försenad",
            "Uppsikt: %(count)s uppgifter är försenade",
            total,
        ) % {"count": total}
    if message.kind == Occasion.DUE:
        return _("Uppsikt: sista dag i dag för %(title)s") % {"title": first.title}
    if message.kind == Occasion.MANUAL:
        return _("Uppsikt: påminnelse om %(title)s") % {"title": first.title}
    return _("Uppsikt: snart sista dag för %(title)s") % {"title": first.title}


def build_email(user, message: Message, on: datetime.date) -> EmailMultiAlternatives:
    """The message in Swedish, as plain text and HTML, every link absolute."""
    with translation.override("sv"):
        items = [_item(r.task, r.occasion, on) for r in message.items]
        context = {
            "name": user.get_full_name() or user.get_username(),
            "kind": message.kind,
            "items": items,
            "also": [_item(task, Occasion.OVERDUE, on) for task in message.also],
            "preference_url": absolute(reverse("reminders:preference")),
            "site_url": settings.SITE_URL,
            "days_before": settings.REMINDER_DAYS_BEFORE,
        }
        subject = subject_for(message)
        text = render_to_string("tasks/email/reminder.txt", context)
        html = render_to_string("tasks/email/reminder.html", context)
    email = EmailMultiAlternatives(subject, text, to=[user.email])
    email.attach_alternative(html, "text/html")
    return email


def _item(task: Task, occasion: str, on: datetime.date) -> dict:
    return {
        "task": task,
        "occasion": occasion,
        "occasion_label": Occasion(occasion).label,
        "url": absolute(task.url),
        "overdue": task.is_overdue(on),
        "days_left": task.days_left(on),
        "days_late": -(task.days_left(on) or 0),
    }
