"""The rate limits of the residents' forms: counted per client address (and, for reports,
per receipt address), per hour, before anything sent is read. Above the limit the answer
is 429 with a page that says so and when to try again; nothing is stored."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from uppsikt.accounts.lockout import client_ip
from uppsikt.lib.ratelimit import Limit, first_refusal

from .pages import public_page

HOUR = 3600


def refused(request: HttpRequest, scope: str, per_hour: int, *keys: str) -> HttpResponse | None:
    """429 when the client address (or one of ``keys``) has used up ``per_hour`` in
    ``scope`` this hour, else None (the hit is counted)."""
    limit = Limit(per_hour, HOUR)
    checks = [(f"{scope}-address", client_ip(request), limit)]
    checks += [(f"{scope}-key", key, limit) for key in keys if key]
    verdict = first_refusal(*checks)
    if verdict is None:
        return None
    minutes = max(1, -(-verdict.retry_after // 60))
    response = public_page(
        request,
        "feedback/too_many.html",
        {
            "message": _(
                "Vi har tagit emot många svar från din adress på kort tid. Det du skickade nu "
                "har inte sparats. Försök igen om %(minutes)s minuter."
            )
            % {"minutes": minutes}
        },
        status=429,
    )
    response["Retry-After"] = str(verdict.retry_after)
    response["Cache-Control"] = "private, no-store"
    return response
