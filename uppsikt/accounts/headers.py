"""Security headers on every response: a strict Content-Security-Policy and friends.

Scripts and styles come only from our own static files: no inline ``<script>``, no event
handler attributes, no ``style="…"`` (the policy has no ``unsafe-inline``). Django's own
middleware sets X-Content-Type-Options, Referrer-Policy, X-Frame-Options,
Cross-Origin-Opener-Policy and, behind HTTPS, Strict-Transport-Security (settings.py).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "interest-cohort",
    )
)


def content_security_policy() -> str:
    form_action = ["'self'"]
    # After a login form, a browser follows the redirect to the identity provider.
    endpoint = getattr(settings, "OIDC_OP_AUTHORIZATION_ENDPOINT", "")
    if getattr(settings, "OIDC_ENABLED", False) and endpoint:
        parts = urlsplit(endpoint)
        form_action.append(f"{parts.scheme}://{parts.netloc}")
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": form_action,
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.csp = content_security_policy()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
