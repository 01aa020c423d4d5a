from django.contrib import admin

from .models import ReportingPeriod


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "year", "kind", "ends_on", "status")
    list_filter = ("kind", "status", "year")
    readonly_fields = ("status", "status_changed_at", "status_changed_by")
