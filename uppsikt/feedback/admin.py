from django.contrib import admin

from uppsikt.audit.readonly_admin import ReadOnlyAdmin

from .models import AccessibilityReport, AccessibilityStatement, PageAnswer


@admin.register(AccessibilityStatement)
class AccessibilityStatementAdmin(ReadOnlyAdmin):
    """Changed on its own page (feedback:statement_edit), which audits every change."""

    list_display = ["site_name", "site_owner", "compliance", "reviewed_on", "is_example"]


@admin.register(AccessibilityReport)
class AccessibilityReportAdmin(ReadOnlyAdmin):
    """Received from the public and marked handled on feedback:reports (both audited)."""

    list_display = ["reference", "page", "description", "created_at", "handled_at"]
    search_fields = ["page", "description"]


@admin.register(PageAnswer)
class PageAnswerAdmin(ReadOnlyAdmin):
    list_display = ["path", "organisation", "useful", "comment", "created_at"]
    list_filter = ["useful"]
