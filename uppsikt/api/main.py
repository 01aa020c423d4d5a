"""The REST API, version 1: one ninja router per resource, mounted at ``/api/v1/``.

A new resource is one module with a ``router`` and one line in ``RESOURCES``. Conventions
(authentication, errors, pagination) are in ``auth.py``, ``errors.py``, ``pagination.py``
and docs/api.md.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from ninja import NinjaAPI, Schema
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser

from . import (
    assessments,
    attachments,
    budgets,
    cascade,
    deadlines,
    definitions,
    dialogue,
    followups,
    goals,
    governance,
    indicators,
    measurements,
    organisations,
    parts,
    plans,
    reminders,
    reports,
    review,
    risks,
    targets,
    units,
)
from .auth import TokenAuth
from .errors import install
from .preconditions import document_etags
from .schemas import answers

RESOURCES = (
    ("/organisations", organisations.router),
    ("/organisations", governance.router),  # its styrmodell
    ("/units", units.router),
    ("/plans", plans.router),
    ("/plans", parts.router),  # a plan's content, kind by kind
    ("/plans", targets.router),  # an indicator's definition and target rule
    ("/plans", review.router),  # its beredning and history
    ("/plans", cascade.exemptions_router),  # its "berör inte enheten" answers
    ("/goals", goals.router),
    ("/goals", cascade.router),  # "bidrar till"
    ("/indicators", indicators.router),
    ("/indicator-definitions", definitions.router),
    ("/measurements", measurements.router),
    ("/assessments", assessments.router),
    ("/budget-tables", budgets.router),
    ("/reporting-periods", followups.periods_router),
    ("/reporting-periods", deadlines.router),  # its sista dagar
    ("/followups", followups.router),
    ("/published-reports", reports.router),
    ("/followups", attachments.router),  # an entry's bilagor
    ("/followups", dialogue.entries_router),  # the review dialogue; below, copy forward
    ("/reporting-periods", dialogue.router),
    ("/control-plans", risks.plans_router),
    ("/risks", risks.router),
    ("/reminder-preferences", reminders.router),
)

DESCRIPTION = """Uppsikts REST-API: planer, mål, indikatorer, mätvärden, bedömningar, budget,
uppföljning och intern kontroll, med samma behörigheter som webben. Planer skrivs här som
på webben: skapas, fylls med innehåll, bereds och beslutas, genom samma funktioner.

* Läsning utan nyckel ger det som är publicerat. Med en personlig API-nyckel
  (`Authorization: Bearer upp_…`, skapas under Mitt konto) läser och skriver man med
  nyckelägarens roller.
* Fel är JSON: `{"code", "message", "errors": [{"field", "code", "message"}]}`.
* Listor: `?limit=` (högst 500) och `?offset=`; svaret har `count` och `items`.
* Belopp och mätvärden är exakta decimaltal som text.
"""


def _number(text: str) -> int | float:
    """JSON has one kind of number: 5.0 is the integer 5, as JSON Schema reads it."""
    number = float(text)
    return int(number) if number.is_integer() else number


def _not_json(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # Python's json module would accept NaN, Infinity


class LimitedJsonParser(Parser):
    """JSON bodies up to ``API_MAX_BODY_BYTES``; larger ones are refused with 413. Strict
    JSON: no NaN or Infinity (400), and a number without a fraction is an integer."""

    def parse_body(self, request: HttpRequest) -> Any:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > settings.API_MAX_BODY_BYTES:
            raise RequestDataTooBig
        body = request.body
        if len(body) > settings.API_MAX_BODY_BYTES:
            raise RequestDataTooBig
        return json.loads(body, parse_float=_number, parse_constant=_not_json)


class UppsiktAPI(NinjaAPI):
    # Building the document takes ~150 ms and it only changes with the code: build it once
    # per process (per path prefix), not per request.
    _schemas: dict[str, OpenAPISchema]

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        key = f"{path_prefix}|{sorted((path_params or {}).items())}"
        cache = self.__dict__.setdefault("_schemas", {})
        if key not in cache:
            cache[key] = self._build_schema(path_prefix=path_prefix, path_params=path_params)
        return copy.deepcopy(cache[key])

    def _build_schema(self, **kwargs: Any) -> OpenAPISchema:
        schema = super().get_openapi_schema(**kwargs)
        # Reading works without a token (the public's view), so a token is optional there.
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                if method == "get" and operation.get("security"):
                    operation["security"] = [*operation["security"], {}]
        schema["components"]["securitySchemes"]["TokenAuth"]["description"] = (
            "Personlig API-nyckel, upp_…, skapas under Mitt konto → API-nycklar."
        )
        document_etags(schema)
        return schema


def build_api() -> NinjaAPI:
    api = UppsiktAPI(
        title="Uppsikt API",
        version="1",
        description=DESCRIPTION,
        urls_namespace="api",
        docs_url=None,  # the bundled docs page needs inline script, which our CSP forbids
        openapi_url="/openapi.json",
        auth=TokenAuth(),
        parser=LimitedJsonParser(),
    )
    install(api)
    for prefix, router in RESOURCES:
        api.add_router(prefix, router)

    @api.get("/", response=answers(200, ApiIndex), summary="API:ets startpunkt")
    def index(request):
        root = request.path.rstrip("/")
        return {
            "name": "Uppsikt API",
            "version": "1",
            "openapi": f"{root}/openapi.json",
            "resources": [f"{root}{prefix}" for prefix in dict(RESOURCES)],
        }

    return api


class ApiIndex(Schema):
    name: str
    version: str
    openapi: str
    resources: list[str]


api = build_api()


def openapi_schema() -> dict[str, Any]:
    """The OpenAPI document as served, for ``uppsikt api_schema`` and the drift test."""
    return api.get_openapi_schema(path_prefix="/api/v1")
