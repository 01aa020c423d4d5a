from django.contrib import admin

from .models import ApprovedReport, ApprovedReportFile, ReportTemplate


@admin.register(ReportTemplate)
class ReportTemplateAdmin(admin.ModelAdmin):
    """Read-only here: templates are changed on the template page, which validates them."""

    list_display = ("organisation", "original_name", "uploaded_by", "uploaded_at")
    readonly_fields = ("organisation", "file", "original_name", "uploaded_by", "uploaded_at")

    def has_add_permission(self, request) -> bool:
        return False


class _FrozenAdmin(admin.ModelAdmin):
    """What was approved is never edited: only an approval (or a new one) writes it."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ApprovedReport)
class ApprovedReportAdmin(_FrozenAdmin):
    list_display = ("report", "number", "approved_at", "approved_by", "fingerprint")
    exclude = ("document",)


@admin.register(ApprovedReportFile)
class ApprovedReportFileAdmin(_FrozenAdmin):
    list_display = ("approved", "fmt", "made_at")
    exclude = ("data",)
