"""The open data pages: the catalogue for people, the datasets as CSV and JSON, and the
DCAT-AP-SE catalogue in Turtle and JSON-LD. Public, read-only, kept in the pages cache
(``lib.pagecache``) except the streamed datasets."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from uppsikt.lib.pagecache import cache_public
from uppsikt.organisations.models import Organisation, code_validator

from . import catalogue
from .changes import changes
from .dataset import Dataset
from .datasets import DATASETS
from .licence import licence_name
from .writers import csv_stream, json_stream

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8; header=present",
    "json": "application/json; charset=utf-8",
}


def open_to_all(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Any web page may fetch open data (CORS); set inside the cache, so a kept page (and
    the page served by ``pagecache.KeptPageMiddleware``) carries it too."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


def links(response: HttpResponse) -> HttpResponse:
    """The licence and the catalogue that describes the data, as ``Link`` headers."""
    described = settings.SITE_URL + reverse("opendata:catalogue_turtle")
    response["Link"] = (
        f'<{settings.OPEN_DATA_LICENCE}>; rel="license", '
        f'<{described}>; rel="describedby"; type="text/turtle"'
    )
    return response


@require_safe
@cache_public
def index(request: HttpRequest) -> HttpResponse:
    entries = [
        {
            "dataset": dataset,
            "changes": changes(dataset),
            "csv": reverse("opendata:download", args=[dataset.slug, "csv"]),
            "json": reverse("opendata:download", args=[dataset.slug, "json"]),
        }
        for dataset in DATASETS.values()
    ]
    return links(
        render(
            request,
            "opendata/index.html",
            {
                "entries": entries,
                "licence_url": settings.OPEN_DATA_LICENCE,
                "licence_name": licence_name(settings.OPEN_DATA_LICENCE),
                "publisher": settings.OPEN_DATA_PUBLISHER,
                "contact_email": settings.OPEN_DATA_CONTACT_EMAIL,
                "example_code": "0018",
            },
        )
    )


def _refusal(fmt: str, status: int, code: str, message: str) -> HttpResponse:
    """A refused request: the field, a machine-readable code and the reason in Swedish."""
    if fmt == "json":
        body = json.dumps(
            {"fel": {"falt": "organisation", "kod": code, "meddelande": message}},
            ensure_ascii=False,
        )
        return HttpResponse(body, status=status, content_type=CONTENT_TYPES["json"])
    return HttpResponse(
        f"organisation: {message}\n", status=status, content_type="text/plain; charset=utf-8"
    )


def _organisation(request: HttpRequest, fmt: str) -> Organisation | HttpResponse | None:
    """The organisation of ``?organisation=CODE``, None without one, or the refusal."""
    code = request.GET.get("organisation")
    if code is None:
        return None
    try:
        code_validator(code)
    except ValidationError:
        return _refusal(fmt, 400, "invalid_code", _("Koden ska bestå av fyra siffror."))
    found = Organisation.objects.filter(code=code).first()
    if found is None:
        message = _("Det finns ingen organisation med koden %(code)s.") % {"code": code}
        return _refusal(fmt, 404, "unknown_organisation", message)
    return found


def _head(dataset: Dataset, organisation: Organisation | None) -> dict[str, Any]:
    """The JSON envelope: what the data is, under which licence, from whom."""
    return {
        "datamangd": dataset.slug,
        "titel": str(dataset.title),
        "beskrivning": str(dataset.description),
        "licens": settings.OPEN_DATA_LICENCE,
        "licensnamn": licence_name(settings.OPEN_DATA_LICENCE),
        "utgivare": settings.OPEN_DATA_PUBLISHER,
        "katalog": settings.SITE_URL + reverse("opendata:catalogue_turtle"),
        "organisation": organisation.code if organisation else None,
        "kolumner": [
            {"namn": column.name, "beskrivning": str(column.description)}
            for column in dataset.columns
        ],
    }


def _body(dataset: Dataset, fmt: str, organisation: Organisation | None) -> Iterator[str]:
    rows = dataset.rows(organisation)
    if fmt == "csv":
        return csv_stream(dataset.column_names, rows)
    return json_stream(_head(dataset, organisation), dataset.column_names, rows)


@require_safe
@cache_public(params=("organisation",))
@open_to_all
def download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    dataset = DATASETS.get(slug)
    if dataset is None:
        raise Http404(_("Det finns ingen sådan datamängd."))
    organisation = _organisation(request, fmt)
    if isinstance(organisation, HttpResponse):
        return organisation
    body = _body(dataset, fmt, organisation)
    response: HttpResponse
    if dataset.streamed:
        encoded = (piece.encode("utf-8") for piece in body)
        response = StreamingHttpResponse(encoded, content_type=CONTENT_TYPES[fmt])  # type: ignore[assignment]  # streamed, never kept
    else:
        response = HttpResponse("".join(body), content_type=CONTENT_TYPES[fmt])
    name = f"{slug}-{organisation.code}" if organisation else slug
    disposition = "attachment" if fmt == "csv" else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{name}.{fmt}"'
    return links(response)


@require_safe
@cache_public
@open_to_all
def catalogue_turtle(request: HttpRequest) -> HttpResponse:
    graph = catalogue.build()
    body = catalogue.turtle(graph)
    return links(HttpResponse(body, content_type="text/turtle; charset=utf-8"))


@require_safe
@cache_public
@open_to_all
def catalogue_jsonld(request: HttpRequest) -> HttpResponse:
    graph = catalogue.build()
    body = catalogue.json_ld(graph)
    return links(HttpResponse(body, content_type="application/ld+json; charset=utf-8"))
