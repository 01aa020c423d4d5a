"""A read-only ModelAdmin for data that changes only through its app's actions (which check
permissions and write the audit trail themselves) or is kept by the system (login failures,
the audit chain's head). Staff can look at it in the admin; nobody adds, changes or deletes
it there."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
