from django.contrib import admin
from django.http import HttpRequest

from .models import AuditEvent, ChainHead
from .readonly_admin import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Read-only: the trail is append-only."""

    list_display = ["sequence", "occurred_at", "actor_name", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_name", "object_repr", "reason"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False


@admin.register(ChainHead)
class ChainHeadAdmin(ReadOnlyAdmin):
    """The hash chain's head, moved only when an event is recorded."""

    list_display = ("__str__", "last_sequence", "last_hash")
