"""Errors as JSON: ``{"code": …, "message": <svenska>, "errors": [{field, code, message}]}``.

Every failure of the API is answered in this shape with the matching HTTP status:
400 malformed JSON, 401 no or bad token, 403 not allowed, 404 not found (or not visible to
the caller: the API does not reveal that unpublished content exists; also an object the body
or the query names), 409 refused by the data as it stands (a decided plan, a step the
workflow does not allow from here, a duplicate, a date before the previous decision), 412 a
stale ``If-Match`` (``preconditions``), 413
too large, 422 the request does not fit the schema, 429 too many requests, 500 our fault.

What can be said in the OpenAPI document is said there and checked before anything else
(422); what an action refuses after that depends on the data on the server, so it is 409.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _lazy
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from uppsikt.lib.concurrency import EditConflict

logger = logging.getLogger(__name__)


class FieldError(Schema):
    field: str
    code: str
    message: str


class Error(Schema):
    code: str
    message: str
    errors: list[FieldError] = []


class ApiError(Exception):
    """Raise in an endpoint to answer with ``status`` and a Swedish message."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        errors: list[dict] | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.status, self.code, self.message, self.errors = status, code, message, errors or []
        self.headers = headers or {}


def too_many(retry_after: int) -> ApiError:
    """429: the rate limit (``uppsikt.lib.ratelimit``) is used up; try again after
    ``retry_after`` seconds."""
    return ApiError(
        429,
        "too_many_requests",
        _("För många anrop på kort tid. Vänta %(seconds)s sekunder och försök igen.")
        % {"seconds": retry_after},
        headers={"Retry-After": str(retry_after)},
    )


def not_found() -> ApiError:
    return ApiError(404, "not_found", _("Hittades inte."))


def unknown(field: str, message: str) -> ApiError:
    """404 naming the field whose object does not exist (or the caller may not see), e.g.
    ``unknown("decided_by", _("Okänd enhet."))``."""
    return ApiError(
        404,
        "not_found",
        _("Hittades inte."),
        [{"field": field, "code": "unknown", "message": str(message)}],
    )


def invalid(field: str, message: str, code: str = "invalid") -> ApiError:
    """422 naming one field, e.g. ``invalid("decided_by", _("Okänd enhet."), "unknown")``."""
    return ApiError(
        422,
        "invalid",
        _("Begäran innehåller fel."),
        [{"field": field, "code": code, "message": str(message)}],
    )


def _body(code: str, message: str, errors: list[dict] | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "errors": errors or []}


# Pydantic's error types, in Swedish. Anything not named gets the general message.
_MESSAGES = {
    "missing": _lazy("Fältet måste anges."),
    "int_parsing": _lazy("Ange ett heltal."),
    "int_type": _lazy("Ange ett heltal."),
    "int_from_float": _lazy("Ange ett heltal."),
    "float_parsing": _lazy("Ange ett tal."),
    "float_type": _lazy("Ange ett tal."),
    "decimal_parsing": _lazy('Ange ett tal, gärna som text, t.ex. "74.1".'),
    "decimal_type": _lazy('Ange ett tal, gärna som text, t.ex. "74.1".'),
    "decimal_max_digits": _lazy("Talet har för många siffror."),
    "decimal_max_places": _lazy("Talet har för många decimaler."),
    "decimal_whole_digits": _lazy("Talet har för många siffror före decimaltecknet."),
    "finite_number": _lazy("Ange ett ändligt tal."),
    "string_type": _lazy("Ange en text."),
    "string_too_short": _lazy("Texten är för kort."),
    "string_too_long": _lazy("Texten är för lång."),
    "string_pattern_mismatch": _lazy("Värdet har fel form."),
    "greater_than": _lazy("Värdet är för litet."),
    "greater_than_equal": _lazy("Värdet är för litet."),
    "less_than": _lazy("Värdet är för stort."),
    "less_than_equal": _lazy("Värdet är för stort."),
    "date_parsing": _lazy("Ange ett datum som ÅÅÅÅ-MM-DD."),
    "date_from_datetime_parsing": _lazy("Ange ett datum som ÅÅÅÅ-MM-DD."),
    "date_from_datetime_inexact": _lazy("Ange ett datum som ÅÅÅÅ-MM-DD."),
    "date_type": _lazy("Ange ett datum som ÅÅÅÅ-MM-DD."),
    "decimal_text": gettext_lazy(
        'Ange talet som text med decimalpunkt, t.ex. "74.1", eller som ett JSON-tal inom gränserna.'
    ),
    "date_format": gettext_lazy('Ange datumet som text i formen ÅÅÅÅ-MM-DD, t.ex. "2023-06-13".'),
    "literal_error": _lazy("Värdet är inte ett av de tillåtna."),
    "union_tag_invalid": _lazy("Värdet är inte ett av de tillåtna."),
    "union_tag_not_found": _lazy("Fältet måste anges."),
    "enum": _lazy("Värdet är inte ett av de tillåtna."),
    "bool_parsing": _lazy("Ange true eller false."),
    "bool_type": _lazy("Ange true eller false."),
    "extra_forbidden": _lazy("Okänt fält."),
    "model_attributes_type": _lazy("Ange ett JSON-objekt."),
    "dict_type": _lazy("Ange ett JSON-objekt."),
    "model_type": _lazy("Ange ett JSON-objekt."),
    "list_type": _lazy("Ange en lista."),
    "json_invalid": _lazy("Ogiltig JSON."),
    "too_long": _lazy("Listan är för lång."),
    "too_short": _lazy("För få värden."),
}


# What a ``pattern`` in the schema asks for, in Swedish (``explain_pattern``).
_PATTERN_MESSAGES: dict[str, Any] = {}


def explain_pattern(pattern: str, message: Any) -> str:
    """Register the Swedish message for a value that does not match ``pattern``; returns it.

    >>> CODE = explain_pattern(r"^[0-9]{4}$", gettext_lazy("Koden ska bestå av fyra siffror."))
    """
    _PATTERN_MESSAGES[pattern] = message
    return pattern


# Body fields that are unions told apart by a tag (``tagged_union``).
_TAGGED_UNIONS: set[str] = set()
_TAG_ERRORS = {"union_tag_invalid", "union_tag_not_found"}


def tagged_union(path: str) -> None:
    """Name a body field (``"rule"``) whose value is one of several schemas told apart by a
    tag (``kind``). pydantic puts the tag in an error's location (``rule.threshold.minimum``);
    the answer names the field as the body does (``rule.minimum``), and a missing or unknown
    tag as the tag's field (``rule.kind``)."""
    _TAGGED_UNIONS.add(path)


def _field_path(error: dict) -> list[str]:
    loc = [str(part) for part in error.get("loc", ())]
    # ninja's locations start with the source (body, query, path) and, for a body,
    # the parameter's name: neither is part of the caller's field name.
    if loc and loc[0] in {"body", "query", "path", "header", "cookie", "form"}:
        source = loc.pop(0)
        if source == "body" and loc and loc[0] == "payload":
            loc.pop(0)
    for index in range(len(loc) - 1, 0, -1):  # from the end: the prefixes stay as they were
        if ".".join(loc[:index]) in _TAGGED_UNIONS:
            del loc[index]
    if error.get("type") in _TAG_ERRORS and ".".join(loc) in _TAGGED_UNIONS:
        loc.append(str((error.get("ctx") or {}).get("discriminator", "")).strip("'"))
    return loc


def _pydantic_errors(errors: list[dict]) -> list[dict]:
    result = []
    for error in errors:
        loc = _field_path(error)
        kind = error.get("type", "invalid")
        message: object = _MESSAGES.get(kind)
        if message is None and kind == "value_error":
            message = str(error.get("msg", "")).removeprefix("Value error, ")
        context = error.get("ctx") or {}
        if kind == "string_pattern_mismatch":
            message = _PATTERN_MESSAGES.get(str(context.get("pattern")), message)
        expected = context.get("expected") or context.get("expected_tags")
        if kind in ("literal_error", "enum", "union_tag_invalid") and expected:
            message = f"{message} ({_('tillåtna')}: {expected})"
        result.append(
            {"field": ".".join(loc), "code": kind, "message": str(message or _("Ogiltigt värde."))}
        )
    return result


def django_errors(error: DjangoValidationError) -> list[dict]:
    """A model or action's ValidationError as field errors (``""`` for the whole request),
    each with the code its message was raised with (``duplicate_text``, ``later_year``, the
    model's ``max_length`` …; ``invalid`` when it has none)."""
    if hasattr(error, "error_dict"):
        return [
            {
                "field": "" if name == "__all__" else name,
                "code": item.code or "invalid",
                "message": message,
            }
            for name, items in error.error_dict.items()
            for item in items
            for message in item  # the message with its parameters filled in
        ]
    return [
        {"field": "", "code": item.code or "invalid", "message": message}
        for item in error.error_list
        for message in item
    ]


def _precondition_failed(exc: EditConflict) -> tuple[dict[str, Any], str | None]:
    """412's body and the object's current ETag: If-Match did not name its version."""
    from .preconditions import current_etag

    etag = current_etag(exc.obj)
    errors = [{"field": "If-Match", "code": "stale", "message": " ".join(exc.messages)}]
    if etag:
        message = _("Nuvarande ETag: %(etag)s.") % {"etag": etag}
        errors.append({"field": "If-Match", "code": "current", "message": message})
    message = _(
        "Objektet har ändrats sedan du läste det: If-Match stämmer inte med dess "
        "nuvarande ETag. Ingenting ändrades. Läs det igen och gör om ändringen."
    )
    return _body("precondition_failed", message, errors), etag


def install(api: NinjaAPI) -> None:
    """Answer every failure in the shared JSON shape."""

    def respond(request, status: int, body: dict) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(ApiError)
    def api_error(request: HttpRequest, exc: ApiError):
        response = respond(request, exc.status, _body(exc.code, exc.message, exc.errors))
        for name, value in exc.headers.items():
            response[name] = value
        return response

    @api.exception_handler(NinjaValidationError)
    def invalid(request: HttpRequest, exc: NinjaValidationError):
        return respond(
            request,
            422,
            _body("invalid", _("Begäran innehåller fel."), _pydantic_errors(exc.errors)),
        )

    @api.exception_handler(AuthenticationError)
    def unauthorised(request: HttpRequest, exc: AuthenticationError):
        response = respond(
            request,
            401,
            _body(
                "unauthorized",
                _(
                    "API-nyckeln saknas, är ogiltig, har gått ut eller har återkallats. "
                    "Skicka den som Authorization: Bearer <nyckel>."
                ),
            ),
        )
        response["WWW-Authenticate"] = 'Bearer realm="uppsikt"'
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError):
        cause = exc.__cause__
        if isinstance(cause, RequestDataTooBig):
            return too_large(request, cause)
        if exc.status_code == 400:
            return respond(
                request,
                400,
                _body("malformed_json", _("Begärans innehåll är inte giltig JSON.")),
            )
        return respond(request, exc.status_code, _body("error", str(exc)))

    @api.exception_handler(RequestDataTooBig)
    def too_large(request: HttpRequest, exc: Exception):
        return respond(
            request,
            413,
            _body("too_large", _("Begäran är för stor. Dela upp den i mindre delar.")),
        )

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied):
        message = str(exc) or _("Du har inte behörighet till det här.")
        return respond(request, 403, _body("forbidden", message))

    @api.exception_handler(Http404)
    def missing(request: HttpRequest, exc: Http404):
        return respond(request, 404, _body("not_found", _("Hittades inte.")))

    @api.exception_handler(DjangoValidationError)
    def rejected(request: HttpRequest, exc: DjangoValidationError):
        from uppsikt.plans.rules import PlanIsDecided

        if isinstance(exc, EditConflict):  # If-Match names a version that is not the current
            return precondition_failed(request, exc)
        if isinstance(exc, PlanIsDecided):
            return respond(request, 409, _body(exc.code or "conflict", " ".join(exc.messages)))
        # An action's refusal. The request fit the schema, so what refused it is the data
        # as it stands: the object's state, an earlier decision, a duplicate (409).
        return respond(
            request,
            409,
            _body(
                "conflict",
                _("Begäran kan inte genomföras med uppgifterna som de ser ut nu."),
                django_errors(exc),
            ),
        )

    def precondition_failed(request: HttpRequest, exc: EditConflict) -> HttpResponse:
        body, etag = _precondition_failed(exc)
        response = respond(request, 412, body)
        if etag:
            response["ETag"] = etag
        return response

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception):
        logger.exception("API error on %s %s", request.method, request.path)
        return respond(
            request,
            500,
            _body("server_error", _("Ett oväntat fel inträffade. Försök igen senare.")),
        )
