from django.contrib import admin

from uppsikt.audit.readonly_admin import ReadOnlyAdmin

from .models import ReminderPreference, SentReminder


@admin.register(ReminderPreference)
class ReminderPreferenceAdmin(ReadOnlyAdmin):
    """Read-only: only the person themself sets it (``tasks.actions.set_preference``)."""

    list_display = ("user", "mode", "changed_at")
    list_filter = ("mode",)


@admin.register(SentReminder)
class SentReminderAdmin(ReadOnlyAdmin):
    """Read-only: what the reminders sent (``tasks.reminders``)."""

    list_display = ("user", "task_key", "occasion", "due", "sent_at")
    list_filter = ("occasion", "sent_on")
    search_fields = ("user__username", "task_key")
