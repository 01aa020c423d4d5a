"""Reminders by e-mail: each person's choice (``ReminderPreference``) and what was sent
(``SentReminder``), so the same reminder never goes out twice (``reminders``)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReminderPreference(models.Model):
    """How a person wants to be reminded of their tasks; without a row, ``IMMEDIATE``."""

    class Mode(models.TextChoices):
        IMMEDIATE = "immediate", _("Direkt, ett meddelande per påminnelse")
        DAILY = "daily", _("En sammanställning per dag")
        OFF = "off", _("Inga påminnelser")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="reminder_preference",
        verbose_name=_("person"),
    )
    mode = models.CharField(
        _("påminnelser"), max_length=10, choices=Mode.choices, default=Mode.IMMEDIATE
    )
    changed_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("val av påminnelser")
        verbose_name_plural = _("val av påminnelser")

    def __str__(self) -> str:
        return f"{self.user}: {self.get_mode_display()}"


class SentReminder(models.Model):
    """One reminder sent to one person about one task (``Task.key``).

    The row is written in the same transaction as the message is sent, before sending: a
    second run finds it (or waits for it, and is refused by the constraint) and sends
    nothing; a send that fails rolls the row back, so the next run tries again.

    An automatic reminder (before, on the day, overdue) is sent once per task, occasion and
    deadline; a manual one ("Påminn") once per task and day. A daily digest is marked by a
    row of its own (``DIGEST``, key ``"digest"``, ``due`` the day it went out).
    """

    class Occasion(models.TextChoices):
        BEFORE = "before", _("Före sista dag")
        DUE = "due", _("Sista dagen")
        OVERDUE = "overdue", _("Försenad")
        MANUAL = "manual", _("Påminnelse från samordnaren")
        DIGEST = "digest", _("Daglig sammanställning")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="sent_reminders",
        verbose_name=_("person"),
    )
    task_key = models.CharField(_("uppgift"), max_length=200)
    occasion = models.CharField(_("tillfälle"), max_length=10, choices=Occasion.choices)
    due = models.DateField(_("sista dag"), null=True, blank=True)
    sent_on = models.DateField(_("skickad dag"))
    sent_at = models.DateTimeField(_("skickad"), auto_now_add=True)

    class Meta:
        verbose_name = _("skickad påminnelse")
        verbose_name_plural = _("skickade påminnelser")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "task_key", "occasion", "due"],
                condition=~Q(occasion="manual"),
                name="sent_reminder_once",
            ),
            models.UniqueConstraint(
                fields=["user", "task_key", "sent_on"],
                condition=Q(occasion="manual"),
                name="sent_reminder_manual_once_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.task_key} ({self.get_occasion_display()})"
