"""Login through the organisation's OpenID Connect provider (mozilla-django-oidc).

Off unless ``UPPSIKT_OIDC_CLIENT_ID`` and the provider's endpoints are set (docs/security.md).
A person is found by the provider's subject (``sub``) once linked, else by e-mail address;
with ``UPPSIKT_OIDC_CREATE_USERS`` (default on) an unknown person gets an account without
roles, that is with the public's rights: roles still come only from ``RoleAssignment``.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from .models import ExternalIdentity


def issuer() -> str:
    parts = urlsplit(settings.OIDC_OP_AUTHORIZATION_ENDPOINT)
    return f"{parts.scheme}://{parts.netloc}"


def username_for(email: str | None, claims: dict | None = None) -> str:
    """A readable, unique-enough user name: the e-mail's local part and a short hash."""
    claims = claims or {}
    basis = (email or claims.get("sub") or "").lower()
    local = re.sub(r"[^a-z0-9._-]", "", basis.split("@")[0])[:100] or "oidc"
    digest = hashlib.sha256(f"{issuer()}|{claims.get('sub', basis)}".encode()).hexdigest()[:8]
    return f"{local}-{digest}"


class UppsiktOIDCBackend(OIDCAuthenticationBackend):
    def verify_token(self, token, **kwargs):
        # mozilla-django-oidc checks signature and nonce; the audience is checked here, so a
        # token the provider issued to another application is not accepted.
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("OIDC token audience does not match the client id.")
        return payload

    def verify_claims(self, claims: dict) -> bool:
        return bool(claims.get("sub")) and bool(claims.get("email") or not self._needs_email())

    def _needs_email(self) -> bool:
        return "email" in settings.OIDC_RP_SCOPES.split()

    def filter_users_by_claims(self, claims: dict):
        User = get_user_model()
        linked = User.objects.filter(
            external_identities__issuer=issuer(),
            external_identities__subject=claims.get("sub", ""),
            is_active=True,
        )
        if linked.exists():
            return linked
        email = (claims.get("email") or "").strip()
        if not email:
            return User.objects.none()
        return User.objects.filter(email__iexact=email, is_active=True)

    @transaction.atomic
    def create_user(self, claims: dict):
        user = super().create_user(claims)
        self.update_user(user, claims)
        return user

    def update_user(self, user, claims: dict):
        ExternalIdentity.objects.get_or_create(
            issuer=issuer(), subject=claims["sub"], defaults={"user": user}
        )
        changed = False
        for field, claim in (("first_name", "given_name"), ("last_name", "family_name")):
            value = (claims.get(claim) or "")[:150]
            if value and getattr(user, field) != value:
                setattr(user, field, value)
                changed = True
        if changed:
            user.save(update_fields=["first_name", "last_name"])
        return user


def _require_enabled() -> None:
    if not settings.OIDC_ENABLED:
        raise Http404


class OIDCLoginView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider; 404 when OpenID Connect is not configured."""

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the provider's settings are read per request

    def get(self, request):
        _require_enabled()
        self.OIDC_OP_AUTH_ENDPOINT = settings.OIDC_OP_AUTHORIZATION_ENDPOINT
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class OIDCCallbackView(OIDCAuthenticationCallbackView):
    def get(self, request):
        _require_enabled()
        try:
            return super().get(request)
        except SuspiciousOperation:  # wrong state, nonce, signature or audience
            return self.login_failure()

    def login_failure(self):
        messages.error(
            self.request,
            _(
                "Inloggningen via %(provider)s gick inte igenom. Försök igen eller kontakta förvaltningen."
            )
            % {"provider": settings.OIDC_PROVIDER_NAME},
        )
        return redirect("accounts:login")
