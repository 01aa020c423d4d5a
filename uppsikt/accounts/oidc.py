"""Login through the organisation's OpenID Connect provider (mozilla-django-oidc).

Off unless ``UPPSIKT_OIDC_CLIENT_ID`` and the provider's endpoints are set (docs/security.md).
A person is found by the provider's subject (``sub``) once linked. The first login links an
existing account by e-mail only when the provider says the address is verified, and never a
superuser's, staff's or administrator's account (``filter_users_by_claims``); with ``UPPSIKT_OIDC_CREATE_USERS`` (default on) an unknown person gets an account without
roles, that is with the public's rights: roles still come only from ``RoleAssignment``,
given by hand, by an invitation or, at each login, from the claims an administrator mapped
to roles (``claim_roles.py``).
"""

from __future__ import annotations

import hashlib
import re
import time
from typing import Any
from urllib.parse import urlsplit

import jwt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from uppsikt.audit.trail import record
from uppsikt.lib.typing import Actor

from .claim_roles import apply_claims
from .models import ExternalIdentity, Role


def _origin() -> str:
    parts = urlsplit(settings.OIDC_OP_AUTHORIZATION_ENDPOINT)
    return f"{parts.scheme}://{parts.netloc}"


def issuer() -> str:
    """The provider's issuer: ``UPPSIKT_OIDC_ISSUER``, else the authorization endpoint's origin."""
    return (getattr(settings, "OIDC_OP_ISSUER", "") or _origin()).rstrip("/")


def username_for(email: str | None, claims: dict[str, Any] | None = None) -> str:
    """A readable, unique-enough user name: the e-mail's local part and a short hash."""
    claims = claims or {}
    basis = (email or claims.get("sub") or "").lower()
    local = re.sub(r"[^a-z0-9._-]", "", basis.split("@")[0])[:100] or "oidc"
    digest = hashlib.sha256(f"{issuer()}|{claims.get('sub', basis)}".encode()).hexdigest()[:8]
    return f"{local}-{digest}"


def email_is_verified(claims: dict[str, Any]) -> bool:
    """The provider vouches for the address (``email_verified``; some send the string)."""
    value = claims.get("email_verified")
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def is_privileged(user: Actor) -> bool:
    """Accounts never linked by e-mail: superusers, staff and administrators."""
    return (
        user.is_superuser
        or user.is_staff
        or user.role_assignments.filter(role=Role.ADMINISTRATOR).exists()
    )


class NotLinked(SuspiciousOperation):
    """The login matches an account by e-mail that may not be linked automatically."""


# mozilla-django-oidc has no type information: its classes are Any to the type checker.
class UppsiktOIDCBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        # mozilla-django-oidc checks the signature and, for the ID token, the nonce. Here
        # the issuer, audience and expiry are checked too, and the nonce is required, so a
        # token from another provider, for another application, expired or replayed is refused.
        id_token = "nonce" in kwargs  # the library passes nonce only for the ID token
        if id_token and not kwargs.get("nonce"):
            raise SuspiciousOperation("OIDC login without a nonce in the session.")
        try:
            payload: dict[str, Any] = super().verify_token(token, **kwargs)
        except jwt.InvalidTokenError as error:  # expired, not yet valid, malformed: not a 500
            raise SuspiciousOperation(f"OIDC token refused: {error}") from error
        wrong_issuer = str(payload.get("iss", "")).rstrip("/") != issuer()
        if (id_token or "iss" in payload) and wrong_issuer:
            raise SuspiciousOperation("OIDC token issuer does not match the provider.")
        if id_token or "aud" in payload:
            audience = payload.get("aud")
            audiences = audience if isinstance(audience, list) else [audience]
            if settings.OIDC_RP_CLIENT_ID not in audiences:
                raise SuspiciousOperation("OIDC token audience does not match the client id.")
        if id_token:
            if payload.get("nonce") != kwargs["nonce"]:
                raise SuspiciousOperation("OIDC token nonce does not match.")
            expires = payload.get("exp")
            if not isinstance(expires, (int, float)) or expires < time.time() - 60:
                raise SuspiciousOperation("OIDC token has expired or has no expiry.")
            if not payload.get("sub"):
                raise SuspiciousOperation("OIDC token has no subject.")
        return payload

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> Actor | None:
        # The userinfo answer must be about the person the ID token names (OIDC Core 5.3.2).
        self._id_token_claims = payload
        user: Actor | None = super().get_or_create_user(access_token, id_token, payload)
        return user

    def get_userinfo(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> dict[str, Any]:
        claims: dict[str, Any] = super().get_userinfo(access_token, id_token, payload)
        if claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("OIDC userinfo is about another subject than the token.")
        # email_verified may come in the ID token only; it holds for the same address.
        if "email_verified" not in claims and (
            (payload.get("email") or "").lower() == (claims.get("email") or "").lower()
        ):
            claims = {**claims, "email_verified": payload.get("email_verified")}
        return claims

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("sub")) and bool(claims.get("email") or not self._needs_email())

    def _needs_email(self) -> bool:
        return "email" in settings.OIDC_RP_SCOPES.split()

    def _identity(self, subject: str) -> ExternalIdentity | None:
        identities = ExternalIdentity.objects.filter(subject=subject).select_related("user")
        found = identities.filter(issuer=issuer()).first()
        if found is None and issuer() != _origin():
            # Linked before UPPSIKT_OIDC_ISSUER was set: the issuer was the origin then.
            found = identities.filter(issuer=_origin()).first()
            if found is not None:
                found.issuer = issuer()
                found.save(update_fields=["issuer"])
        return found

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[Actor]:
        """The account linked to the provider's subject; else, once, one found by e-mail.

        An address links an account only when the provider says it is verified, and never
        an account with more than ordinary rights (superuser, staff, administrator): an
        administrator links those by hand (``uppsikt oidc_link``). An address that matches
        an account that may not be linked refuses the login rather than make a second one.
        """
        User = get_user_model()
        identity = self._identity(claims.get("sub", ""))
        if identity is not None:
            if not identity.user.is_active:
                raise NotLinked("The linked account is not active.")
            return User.objects.filter(pk=identity.user_id)
        email = (claims.get("email") or "").strip()
        if not email:
            return User.objects.none()
        matches = list(User.objects.filter(email__iexact=email))
        if not matches:
            return User.objects.none()
        if len(matches) > 1:
            raise NotLinked("Several accounts have this e-mail address.")
        user = matches[0]
        if not user.is_active:
            raise NotLinked("The account with this e-mail address is not active.")
        if not email_is_verified(claims):
            raise NotLinked("The provider has not verified the e-mail address.")
        if is_privileged(user):
            raise NotLinked("A privileged account is not linked by e-mail address.")
        return User.objects.filter(pk=user.pk)

    @transaction.atomic
    def create_user(self, claims: dict[str, Any]) -> Actor:
        user: Actor = super().create_user(claims)
        self.update_user(user, claims)
        return user

    @transaction.atomic
    def update_user(self, user: Actor, claims: dict[str, Any]) -> Actor:
        identity, created = ExternalIdentity.objects.get_or_create(
            issuer=issuer(), subject=claims["sub"], defaults={"user": user}
        )
        if identity.user_id != user.pk:
            raise SuspiciousOperation("OIDC subject is linked to another account.")
        if created:
            record(
                actor=user,
                action="account.oidc_link",
                obj=user,
                after={"leverantör": issuer(), "id": claims["sub"]},
                reason=_("Kopplad vid första inloggningen via %(provider)s")
                % {"provider": settings.OIDC_PROVIDER_NAME},
            )
        changed = False
        for field, claim in (("first_name", "given_name"), ("last_name", "family_name")):
            value = (claims.get(claim) or "")[:150]
            if value and getattr(user, field) != value:
                setattr(user, field, value)
                changed = True
        if changed:
            user.save(update_fields=["first_name", "last_name"])
        # Claims such as groups may come in the ID token only.
        apply_claims(user, {**getattr(self, "_id_token_claims", {}), **claims})
        return user


def _require_enabled() -> None:
    if not settings.OIDC_ENABLED:
        raise Http404


class OIDCLoginView(OIDCAuthenticationRequestView):  # type: ignore[misc]  # untyped library
    """Sends the browser to the provider; 404 when OpenID Connect is not configured."""

    def __init__(self, **kwargs: Any) -> None:
        View.__init__(self, **kwargs)  # the provider's settings are read per request

    def get(self, request: HttpRequest) -> HttpResponse:
        _require_enabled()
        self.OIDC_OP_AUTH_ENDPOINT = settings.OIDC_OP_AUTHORIZATION_ENDPOINT
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        response: HttpResponse = super().get(request)
        return response


class OIDCCallbackView(OIDCAuthenticationCallbackView):  # type: ignore[misc]  # untyped library
    def get(self, request: HttpRequest) -> HttpResponse:
        _require_enabled()
        try:
            response: HttpResponse = super().get(request)
        except SuspiciousOperation:  # wrong state, nonce, signature or audience
            return self.login_failure()
        return response

    def login_failure(self) -> HttpResponse:
        messages.error(
            self.request,
            _(
                "Inloggningen via %(provider)s gick inte igenom. Försök igen eller kontakta förvaltningen."
            )
            % {"provider": settings.OIDC_PROVIDER_NAME},
        )
        return redirect("accounts:login")
