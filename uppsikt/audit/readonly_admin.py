"""A read-only ModelAdmin for data that changes only through its app's actions (which check
permissions and write the audit trail themselves) or is kept by the system (login failures,
the audit chain's head). Staff can look at it in the admin; nobody adds, changes or deletes
it there."""

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
