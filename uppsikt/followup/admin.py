from django.contrib import admin

from uppsikt.audit.readonly_admin import ReadOnlyAdmin

from .models import FollowUp, UnitReport


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    """Read-only: a follow-up changes through its workflow (``followup.actions``)."""

    list_display = ("__str__", "unit", "period", "status", "state")
    list_filter = ("state", "period")


@admin.register(UnitReport)
class UnitReportAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "unit", "period", "state")
