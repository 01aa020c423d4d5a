"""A small client for Kolada's API v3 (``settings.KOLADA_URL``, https://api.kolada.se/v3).

Every answer of Kolada has the same envelope::

    {"values": [...], "count": 2, "next_page": "https://api.kolada.se/v3/...&page=2"}

``next_page`` (and ``previous_page``) are full URLs and absent, or null, on the last page;
``per_page`` sets the page size (at most 5 000). The client follows ``next_page`` until
there is none. It reads:

- the KPI catalogue, ``/kpi``: ``{"id", "title", "description", "operating_area",
  "is_divided_by_gender", "municipality_type": "K" | "L" | "A", ...}``;
- values, ``/data/kpi/<ids>/municipality/<ids>[/year/<years>]`` (ids comma separated, at
  most ``MAX_IDS`` in one path segment), optionally ``from_date=YYYY-MM-DD`` for what changed
  since that day: ``{"kpi", "municipality", "period", "values": [{"gender": "T" | "K" | "M",
  "status", "value", "count", "isdeleted"}]}``, where a ``null`` value has no figure and
  ``isdeleted: true`` says Kolada removed the value.

Fields the client does not use are ignored (Kolada adds fields now and then); those it uses
are checked, and an answer that is not JSON or not this shape is refused. Server errors
(5xx, 429), timeouts and broken connections are tried again after a pause that doubles each
time (``backoff``, 2×``backoff``, 4×``backoff`` …) up to ``retries`` times; a 4xx is not.
Giving up raises ``KoladaError`` with a Swedish message and a machine-readable ``code``.

    >>> with KoladaClient() as kolada:
    ...     for entry in kolada.values(["N79179"], ["0018", "0000"], from_date=since):
    ...         entry["municipality"], entry["period"], entry["values"]
"""

from __future__ import annotations

import datetime
import functools
import json
import ssl
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.utils.translation import gettext as _

MAX_IDS = 25  # ids in one path segment: Kolada refuses long lists (and long URLs)
PER_PAGE = 5000  # Kolada's largest page
MAX_PAGES = 10_000  # a guard against a server whose next_page never ends


class KoladaError(Exception):
    """Kolada could not be read: ``code`` for programs, ``message`` (Swedish) for people.

    Codes: ``timeout``, ``unreachable``, ``server_error``, ``refused`` (a 4xx),
    ``bad_json``, ``bad_shape``.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Kpi:
    """One KPI of the catalogue, as this application keeps it (``models.KoladaKpi``)."""

    code: str
    title: str
    description: str
    operating_area: str
    divided_by_gender: bool
    municipality_type: str  # K, L or A


def chunks(items: Sequence[str], size: int = MAX_IDS) -> list[list[str]]:
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


class KoladaClient:
    """GETs against Kolada with timeouts, retries with backoff, and paging.

    ``requests`` counts every HTTP request made, retries included.
    """

    def __init__(
        self,
        base_url: str | None = None,
        *,
        timeout: float | None = None,
        retries: int | None = None,
        backoff: float = 1.0,
        per_page: int = PER_PAGE,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = (base_url or settings.KOLADA_URL).rstrip("/")
        self.timeout = settings.KOLADA_TIMEOUT if timeout is None else timeout
        self.retries = settings.KOLADA_RETRIES if retries is None else retries
        self.backoff = backoff
        self.per_page = per_page
        self.requests = 0
        self._sleep = sleep
        # Plain HTTP (a local mirror, the tests) makes no TLS connection: next_page links are
        # held to the base's scheme and host. HTTPS shares one context (loading the CA
        # certificates takes a noticeable part of a small sync).
        https = self.base_url.startswith("https:")
        self._http = httpx.Client(
            timeout=self.timeout,
            headers={"Accept": "application/json", "User-Agent": "Uppsikt"},
            follow_redirects=False,
            verify=_tls() if https else False,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> KoladaClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- Reading ----------------------------------------------------------------------------

    def kpis(self) -> Iterator[Kpi]:
        """Every KPI of the catalogue, page by page."""
        for page, url in self.pages("/kpi", {"per_page": self.per_page}):
            for index, item in enumerate(page["values"]):
                yield _kpi(item, f"{url}: values[{index}]")

    def values(
        self,
        kpis: Sequence[str],
        municipalities: Sequence[str],
        *,
        years: Sequence[int] | None = None,
        from_date: datetime.date | None = None,
        on_request: Callable[[], None] | None = None,
    ) -> Iterator[dict]:
        """The values of ``kpis`` × ``municipalities`` (× ``years``; all years without),
        changed since ``from_date`` if given: one entry per KPI, municipality and period.

        ``on_request`` is called after each query (all its pages read), for progress.
        """
        for path in self.value_paths(kpis, municipalities, years):
            params: dict[str, object] = {"per_page": self.per_page}
            if from_date is not None:
                params["from_date"] = from_date.isoformat()
            for page, url in self.pages(path, params):
                for index, entry in enumerate(page["values"]):
                    yield _data_entry(entry, f"{url}: values[{index}]")
            if on_request is not None:
                on_request()

    @staticmethod
    def value_paths(
        kpis: Sequence[str], municipalities: Sequence[str], years: Sequence[int] | None = None
    ) -> list[str]:
        """The data queries ``values`` makes, ids split into path segments of ``MAX_IDS``."""
        year_parts: list[list[str] | None] = [None]
        if years:
            year_parts = [*chunks([str(y) for y in years])]
        paths = []
        for kpi_part in chunks(sorted(set(kpis))):
            for municipality_part in chunks(sorted(set(municipalities))):
                for year_part in year_parts:
                    path = f"/data/kpi/{','.join(kpi_part)}/municipality/"
                    path += ",".join(municipality_part)
                    if year_part:
                        path += "/year/" + ",".join(year_part)
                    paths.append(path)
        return paths

    def pages(self, path: str, params: dict[str, object]) -> Iterator[tuple[dict, str]]:
        """Each page of ``path`` (and its URL), following ``next_page`` until there is none."""
        url: str | None = self.base_url + path
        query: dict[str, object] | None = params
        seen: set[str] = set()
        while url:
            if url in seen or len(seen) >= MAX_PAGES:
                raise KoladaError(
                    "bad_shape",
                    _("Kolada hänvisade till en sida som redan lästs (%(url)s).") % {"url": url},
                )
            seen.add(url)
            page = self.get(url, query)
            yield page, url
            url = self._next(page, url)
            query = None  # the next page's URL carries the query

    def get(self, url: str, params: dict[str, object] | None = None) -> dict:
        """One page, tried again on server errors, timeouts and broken connections."""
        failure = KoladaError("unreachable", "")
        for attempt in range(self.retries + 1):
            if attempt:
                self._sleep(self.backoff * 2 ** (attempt - 1))
            self.requests += 1
            try:
                response = self._http.get(url, params=params)  # type: ignore[arg-type]
            except httpx.TimeoutException:
                failure = KoladaError(
                    "timeout",
                    _("Kolada svarade inte inom %(s)s sekunder.") % {"s": f"{self.timeout:g}"},
                )
                continue
            except httpx.TransportError as error:
                failure = KoladaError(
                    "unreachable",
                    _("Kolada gick inte att nå (%(error)s).") % {"error": type(error).__name__},
                )
                continue
            status = response.status_code
            if status >= 500 or status == 429:
                failure = KoladaError(
                    "server_error", _("Kolada svarade med fel %(status)s.") % {"status": status}
                )
                continue
            if status != 200:
                raise KoladaError(
                    "refused",
                    _("Kolada avvisade frågan med svar %(status)s (%(url)s).")
                    % {"status": status, "url": _short(url)},
                )
            return _document(response.content, url)
        raise KoladaError(
            failure.code,
            _("%(reason)s Synken gav upp efter %(n)s försök (%(url)s).")
            % {"reason": failure.message, "n": self.retries + 1, "url": _short(url)},
        )

    def _next(self, page: dict, url: str) -> str | None:
        """The page's ``next_page``, which must lead to the same server as ``base_url``."""
        link = page.get("next_page")
        if link is None or link == "":
            return None
        base = urlsplit(self.base_url)
        target = urlsplit(link) if isinstance(link, str) else None
        if target is None or (target.scheme, target.netloc) != (base.scheme, base.netloc):
            raise KoladaError(
                "bad_shape",
                _("Koladas svar från %(url)s har en ogiltig länk till nästa sida.")
                % {"url": _short(url)},
            )
        return link


@functools.cache
def _tls() -> ssl.SSLContext:
    return httpx.create_ssl_context()


# --- Checking what Kolada sent ---------------------------------------------------------------


def _short(url: str) -> str:
    """The URL without its query, for messages."""
    return url.split("?", 1)[0]


def _bad(where: str, what: str) -> KoladaError:
    return KoladaError(
        "bad_shape",
        _("Koladas svar har inte det väntade formatet: %(what)s (%(where)s).")
        % {"what": what, "where": _short(where)},
    )


def _document(content: bytes, url: str) -> dict:
    try:
        document = json.loads(content, parse_float=Decimal)
    except ValueError as error:  # JSONDecodeError, or bytes that are not UTF-8
        raise KoladaError(
            "bad_json",
            _("Koladas svar från %(url)s är inte giltig JSON (%(error)s).")
            % {"url": _short(url), "error": error},
        ) from error
    if not isinstance(document, dict):
        raise _bad(url, _("svaret är inte ett objekt"))
    if not isinstance(document.get("values"), list):
        raise _bad(url, _("listan ”values” saknas"))
    return document


def _text(item: dict, name: str, where: str, *, required: bool = False) -> str:
    value = item.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise _bad(where, _("fältet ”%(name)s” ska vara text") % {"name": name})
    return value.strip()


def _kpi(item: object, where: str) -> Kpi:
    if not isinstance(item, dict):
        raise _bad(where, _("en KPI är inte ett objekt"))
    divided = item.get("is_divided_by_gender", False)
    if divided is None:
        divided = False
    if not isinstance(divided, bool | int):
        raise _bad(where, _("fältet ”is_divided_by_gender” ska vara sant eller falskt"))
    kind = _text(item, "municipality_type", where).upper()
    return Kpi(
        code=_text(item, "id", where, required=True),
        title=_text(item, "title", where, required=True),
        description=_text(item, "description", where),
        operating_area=_text(item, "operating_area", where),
        divided_by_gender=bool(divided),
        municipality_type=kind if kind in ("K", "L") else "A",
    )


def _data_entry(entry: object, where: str) -> dict:
    """One entry of a data answer, its fields checked (unknown ones left as they are)."""
    if not isinstance(entry, dict):
        raise _bad(where, _("ett värde är inte ett objekt"))
    _text(entry, "kpi", where, required=True)
    _text(entry, "municipality", where, required=True)
    period = entry.get("period")
    if isinstance(period, bool) or not isinstance(period, int | str) or not str(period).strip():
        raise _bad(where, _("fältet ”period” saknas"))
    values = entry.get("values")
    if not isinstance(values, list):
        raise _bad(where, _("listan ”values” saknas"))
    for index, item in enumerate(values):
        here = f"{where}.values[{index}]"
        if not isinstance(item, dict):
            raise _bad(here, _("ett värde är inte ett objekt"))
        value = item.get("value")
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | Decimal)):
            raise _bad(here, _("fältet ”value” ska vara ett tal eller null"))
        if not isinstance(item.get("isdeleted", False), bool):
            raise _bad(here, _("fältet ”isdeleted” ska vara sant eller falskt"))
        _text(item, "gender", here)
        if item.get("status") is not None and not isinstance(item["status"], str):
            raise _bad(here, _("fältet ”status” ska vara text"))
    return entry
