from django.contrib import admin

from uppsikt.audit.readonly_admin import ReadOnlyAdmin

from .models import Milestone


@admin.register(Milestone)
class MilestoneAdmin(ReadOnlyAdmin):
    """Read-only: milestones are changed on the årshjul's page (``schedule.actions``)."""

    list_display = ("title", "organisation", "date", "kind", "responsible")
    list_filter = ("kind", "year")
