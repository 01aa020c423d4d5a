"""Makes the first styrmodell read of each request check whether any styrmodell changed in
another process (no query for a request that reads none)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .words import recheck_at_next_read


class StyrmodellMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        recheck_at_next_read()
        return self.get_response(request)
