from django.contrib import admin

from .models import AuditEvent, ChainHead
from .readonly_admin import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is append-only."""

    list_display = ["sequence", "occurred_at", "actor_name", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_name", "object_repr", "reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ChainHead)
class ChainHeadAdmin(ReadOnlyAdmin):
    """The hash chain's head, moved only when an event is recorded."""

    list_display = ("__str__", "last_sequence", "last_hash")
