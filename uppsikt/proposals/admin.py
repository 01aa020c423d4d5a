from django.contrib import admin

from uppsikt.audit.readonly_admin import ReadOnlyAdmin

from .models import PlanProposal


@admin.register(PlanProposal)
class PlanProposalAdmin(ReadOnlyAdmin):
    """Changed only through the review pages (``actions``), each change audited."""

    list_display = ["filename", "organisation", "unit", "year", "state", "created_at"]
    list_filter = ["state"]
    search_fields = ["filename"]
