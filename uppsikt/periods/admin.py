from django.contrib import admin

from uppsikt.audit.readonly_admin import ReadOnlyAdmin

from .models import ReportingPeriod, UnitDeadline


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "year", "kind", "ends_on", "report_by", "status")
    list_filter = ("kind", "status", "year")
    readonly_fields = ("status", "status_changed_at", "status_changed_by")


@admin.register(UnitDeadline)
class UnitDeadlineAdmin(ReadOnlyAdmin):
    """Read-only: deadlines are set on the period's "Sista dagar" page, which checks them."""

    list_display = ("period", "unit", "report_by", "review_by")
