from django.contrib import admin

from .models import ReportTemplate


@admin.register(ReportTemplate)
class ReportTemplateAdmin(admin.ModelAdmin):
    """Read-only here: templates are changed on the template page, which validates them."""

    list_display = ("organisation", "original_name", "uploaded_by", "uploaded_at")
    readonly_fields = ("organisation", "file", "original_name", "uploaded_by", "uploaded_at")

    def has_add_permission(self, request) -> bool:
        return False
