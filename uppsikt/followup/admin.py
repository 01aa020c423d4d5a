from django.contrib import admin

from uppsikt.audit.readonly_admin import ReadOnlyAdmin

from .models import Attachment, FollowUp, ReviewComment, UnitReport


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    """Read-only: a follow-up changes through its workflow (``followup.actions``)."""

    list_display = ("__str__", "unit", "period", "status", "state")
    list_filter = ("state", "period")


@admin.register(UnitReport)
class UnitReportAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "unit", "period", "state")


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    """Read-only: attachments are added and removed through ``followup.actions.attachments``."""

    list_display = ("original_name", "entry", "content_type", "size", "uploaded_at")


@admin.register(ReviewComment)
class ReviewCommentAdmin(ReadOnlyAdmin):
    """Read-only: a comment in the granskning is never changed (``actions.dialogue``)."""

    list_display = ("__str__", "unit", "period", "kind", "created_at")
    list_filter = ("kind", "period")
