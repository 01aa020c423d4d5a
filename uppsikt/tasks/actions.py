"""Changing a person's reminder preference: only their own, audited."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from uppsikt.audit.trail import record
from uppsikt.lib.problems import refusal
from uppsikt.lib.typing import Account, Actor

from .models import ReminderPreference


def mode_of(user: Account) -> str:
    """The person's choice; immediate when they never made one."""
    found = ReminderPreference.objects.filter(user=user).values_list("mode", flat=True).first()
    return found or ReminderPreference.Mode.IMMEDIATE


def set_preference(user: Account, mode: str, *, actor: Actor | None) -> ReminderPreference:
    """Set ``user``'s reminders to ``mode``. Only the person themself may: anyone else,
    an administrator too, is refused and nothing changes."""
    if mode not in ReminderPreference.Mode.values:
        raise refusal("mode", _("Välj ett av de tillåtna sätten att få påminnelser."), "invalid")
    if actor is None or getattr(actor, "pk", None) != user.pk:
        raise PermissionDenied(_("Du kan bara ändra dina egna påminnelser, inte någon annans."))
    with transaction.atomic():
        preference, _new = ReminderPreference.objects.select_for_update().get_or_create(user=user)
        before = preference.mode  # a new row holds the default, immediate
        if before == mode:
            return preference
        preference.mode = mode
        preference.save()
        record(
            actor=actor,
            action="reminders.preference",
            obj=preference,
            before={"mode": before},
            after={"mode": mode},
        )
    return preference
