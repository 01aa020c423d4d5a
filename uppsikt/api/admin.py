from django.contrib import admin

from uppsikt.audit.readonly_admin import ReadOnlyAdmin

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Personal API tokens, made and revoked by their owners on Mitt konto. The key's hash is
    not shown."""

    list_display = ("prefix", "user", "name", "created_at", "expires_on", "revoked_at")
    exclude = ("key_hash",)
