"""Checks once per request whether any styrmodell changed in another process."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .words import recheck


class StyrmodellMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        recheck()
        return self.get_response(request)
