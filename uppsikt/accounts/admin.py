from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from uppsikt.audit.readonly_admin import ReadOnlyAdmin
from uppsikt.lib.typing import acting_user

from .actions import grant_role, revoke_role
from .models import (
    Authenticator,
    ClaimRoleMapping,
    ExternalIdentity,
    Invitation,
    LoginFailure,
    RecoveryCode,
    RoleAssignment,
)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin[RoleAssignment]):
    """Roles are given and taken back through the actions, so the audit trail sees them."""

    audited_by_actions = True

    list_display = ("user", "role", "unit", "granted_at", "granted_by")
    list_filter = ("role", "unit__organisation")
    search_fields = ("user__username", "unit__name")
    autocomplete_fields = ("unit",)
    readonly_fields = ("granted_at", "granted_by")

    def get_readonly_fields(
        self, request: HttpRequest, obj: RoleAssignment | None = None
    ) -> tuple[str, ...]:
        if obj is not None:  # an assignment is revoked and given anew, never edited
            return ("user", "unit", "role", "granted_at", "granted_by")
        return self.readonly_fields

    def save_model(
        self,
        request: HttpRequest,
        obj: RoleAssignment,
        form: ModelForm[RoleAssignment],
        change: bool,
    ) -> None:
        if not change:
            saved = grant_role(obj.user, obj.unit, obj.role, actor=acting_user(request))
            obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: RoleAssignment) -> None:
        revoke_role(obj, actor=acting_user(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[RoleAssignment]) -> None:
        for obj in queryset:
            revoke_role(obj, actor=acting_user(request))


@admin.register(LoginFailure)
class LoginFailureAdmin(ReadOnlyAdmin):
    """Failed logins, kept by the lockout (``UPPSIKT_LOCKOUT_*``)."""

    list_display = ("username", "ip", "at")
    search_fields = ("username",)


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(ReadOnlyAdmin):
    """Links made by the OpenID Connect login."""

    list_display = ("user", "issuer", "subject", "linked_at")


@admin.register(Authenticator)
class AuthenticatorAdmin(ReadOnlyAdmin):
    """Second factors, enrolled and removed by their owners (``uppsikt totp_reset`` for a
    lost one). The secret, even encrypted, is not shown."""

    list_display = ("user", "created_at", "confirmed_at")
    exclude = ("sealed_secret", "last_used_step")


@admin.register(RecoveryCode)
class RecoveryCodeAdmin(ReadOnlyAdmin):
    """Recovery codes: when each was made and used; the code's hash is not shown."""

    list_display = ("user", "created_at", "used_at")
    exclude = ("code_hash",)


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    """Invitations, sent and withdrawn on the roles page; the token's hash is not shown."""

    list_display = ("email", "role", "unit", "created_at", "expires_at", "accepted_at")
    exclude = ("token_hash",)


@admin.register(ClaimRoleMapping)
class ClaimRoleMappingAdmin(ReadOnlyAdmin):
    """Claims that give roles, edited on the page "Roller från inloggningen"."""

    list_display = ("claim", "value", "role", "unit", "created_at")
