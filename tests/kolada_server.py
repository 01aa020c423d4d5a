"""A stand-in for Kolada's API v3 on loopback, filled by the tests, with scripted failures.

It answers ``/kpi`` and ``/data/kpi/<ids>/municipality/<ids>[/year/<years>]`` in Kolada's
envelope (``values``, ``count``, ``next_page``/``previous_page`` as full URLs), pages by
``per_page`` (capped by ``max_per_page``) and ``page``, and filters by ``from_date`` (values
changed on or after that day, deleted ones included with ``isdeleted: true``). Nothing
reaches the internet::

    server.add_kpi("N79179", "Invånare som …", divided_by_gender=True)
    server.set_value("N79179", "0018", 2023, Decimal("74.1"), gender="T")
    server.fail("503", times=2)            # the next two requests answer 503
    client = KoladaClient(server.url, retries=3, backoff=0)

Failures, each for the next ``times`` requests (optionally only those whose path contains
``where``): ``"500"``/``"503"``/… (that status), ``"slow"`` (waits ``seconds`` before
answering), ``"malformed"`` (a truncated JSON document), ``"unknown_field"`` (the real
answer with extra fields everywhere), ``"empty_page"`` (a page without values whose
``next_page`` leads to the real one), ``"not_kolada"`` (JSON without ``values``).
"""

from __future__ import annotations

import datetime
import json
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

GENDER_ORDER = {"K": 0, "M": 1, "T": 2}


@dataclass
class Failure:
    kind: str
    times: int
    where: str = ""
    seconds: float = 0.0


@dataclass
class Stored:
    value: Decimal | None
    status: str
    updated: datetime.date
    deleted: bool = False


@dataclass
class KoladaState:
    kpis: dict[str, dict] = field(default_factory=dict)
    # (kpi, municipality, period, gender) → the value as Kolada holds it
    values: dict[tuple[str, str, int, str], Stored] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    log: list[str] = field(default_factory=list)  # every request's path and query
    max_per_page: int = 5000
    # (kpi, municipality) → its keys in ``values``; rebuilt when values were added
    index: dict[tuple[str, str], list[tuple[str, str, int, str]]] = field(default_factory=dict)
    index_size: int = -1
    lock: threading.Lock = field(default_factory=threading.Lock)


class KoladaServer:
    def __init__(self) -> None:
        self.state = KoladaState()
        handler = type("Handler", (_Handler,), {"state": self.state})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/v3"

    def start(self) -> KoladaServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        if self.thread.is_alive():
            self.httpd.shutdown()
        self.httpd.server_close()

    # --- filling it -------------------------------------------------------------------------

    def add_kpi(self, code: str, title: str = "", **fields: object) -> None:
        self.state.kpis[code] = {
            "id": code,
            "title": title or f"Nyckeltal {code}",
            "description": fields.pop("description", ""),
            "operating_area": fields.pop("operating_area", "Hälso- och sjukvård"),
            "is_divided_by_gender": fields.pop("divided_by_gender", False),
            "municipality_type": fields.pop("municipality_type", "A"),
            "publication_date": "2024-03-01",
            **fields,
        }

    def remove_kpi(self, code: str) -> None:
        del self.state.kpis[code]

    def set_value(
        self,
        kpi: str,
        municipality: str,
        period: int,
        value: Decimal | None,
        *,
        gender: str = "T",
        status: str = "",
        updated: datetime.date | None = None,
    ) -> None:
        self.state.values[(kpi, municipality, period, gender)] = Stored(
            value, status, updated or datetime.date(2024, 3, 1)
        )

    def delete_value(
        self, kpi: str, municipality: str, period: int, *, gender: str = "T", updated=None
    ) -> None:
        stored = self.state.values[(kpi, municipality, period, gender)]
        stored.deleted = True
        stored.value = None
        stored.updated = updated or stored.updated

    def fail(self, kind: str, times: int = 1, *, where: str = "", seconds: float = 0.0) -> None:
        self.state.failures.append(Failure(kind, times, where, seconds))

    @property
    def log(self) -> list[str]:
        return self.state.log


class _Handler(BaseHTTPRequestHandler):
    state: KoladaState
    protocol_version = "HTTP/1.1"  # keep-alive, as Kolada's server: every answer has its length

    def log_message(self, format, *args) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        with self.state.lock:
            self.state.log.append(self.path)
            failure = self._failure(parts.path)
        if failure is not None and failure.kind == "slow":
            time.sleep(failure.seconds)
        elif failure is not None and failure.kind.isdigit():
            return self._send(int(failure.kind), b'{"error": "fel"}')
        elif failure is not None and failure.kind == "malformed":
            return self._send(200, b'{"values": [{"kpi": "N1", "municipality": "00')
        elif failure is not None and failure.kind == "not_kolada":
            return self._send(200, b'{"result": []}')
        items = self._items(parts.path, query)
        if items is None:
            return self._send(404, b'{"error": "not found"}')
        if failure is not None and failure.kind == "empty_page":
            real = self._url(parts.path, {**query, "page": query.get("page", "1")})
            return self._json({"values": [], "count": 0, "next_page": real})
        self._json(self._page(parts.path, query, items, extra=failure is not None))

    def _failure(self, path: str) -> Failure | None:
        for failure in self.state.failures:
            if failure.times > 0 and failure.where in path:
                failure.times -= 1
                return failure
        return None

    def _items(self, path: str, query: dict) -> list[dict] | None:
        prefix = "/v3"
        if not path.startswith(prefix):
            return None
        path = path[len(prefix) :]
        if path == "/kpi":
            return [dict(k) for _code, k in sorted(self.state.kpis.items())]
        words = path.strip("/").split("/")
        if len(words) not in (5, 7) or words[:2] != ["data", "kpi"] or words[3] != "municipality":
            return None
        if len(words) == 7 and words[5] != "year":
            return None
        kpis, municipalities = set(words[2].split(",")), set(words[4].split(","))
        years = {int(y) for y in words[6].split(",")} if len(words) == 7 else None
        since = datetime.date.fromisoformat(query["from_date"]) if "from_date" in query else None
        return _entries(self.state, kpis, municipalities, years, since)

    def _page(self, path: str, query: dict, items: list[dict], *, extra: bool) -> dict:
        size = min(int(query.get("per_page", 5000)), self.state.max_per_page)
        number = int(query.get("page", 1))
        chosen = items[(number - 1) * size : number * size]
        page: dict = {"values": chosen, "count": len(chosen)}
        if number * size < len(items):
            page["next_page"] = self._url(path, {**query, "page": str(number + 1)})
        if number > 1:
            page["previous_page"] = self._url(path, {**query, "page": str(number - 1)})
        if extra:  # Kolada added fields: the client must not mind
            page["news"] = {"note": "nytt fält"}
            for item in chosen:
                item["auspice"] = "X"
                for value in item.get("values", []):
                    value["quality"] = {"level": 1}
        return page

    def _url(self, path: str, query: dict) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}{path}?{urlencode(query)}"

    def _json(self, document: dict) -> None:
        self._send(200, json.dumps(document, default=_number, ensure_ascii=False).encode())

    def _send(self, status: int, body: bytes) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up waiting
            pass


def _number(value: object) -> float:
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(type(value).__name__)


def _entries(state: KoladaState, kpis, municipalities, years, since) -> list[dict]:
    grouped: dict[tuple[str, str, int], list[dict]] = {}
    for key in sorted(_keys(state, kpis, municipalities)):
        kpi, municipality, period, gender = key
        stored = state.values[key]
        if years is not None and period not in years:
            continue
        if since is not None and stored.updated < since:
            continue
        if stored.deleted and since is None:
            continue  # a full read leaves out what Kolada removed
        item = {
            "gender": gender,
            "status": "Missing" if stored.value is None and not stored.deleted else stored.status,
            "value": stored.value,
            "count": 1,
        }
        if stored.deleted:
            item["isdeleted"] = True
        grouped.setdefault((kpi, municipality, period), []).append(item)
    return [
        {
            "kpi": kpi,
            "municipality": municipality,
            "period": period,
            "values": sorted(values, key=lambda v: GENDER_ORDER.get(v["gender"], 9)),
        }
        for (kpi, municipality, period), values in grouped.items()
    ]


def _keys(state: KoladaState, kpis, municipalities) -> list[tuple[str, str, int, str]]:
    """The stored keys of ``kpis`` × ``municipalities``, by an index kept beside the values."""
    if state.index_size != len(state.values):
        state.index = {}
        for key in state.values:
            state.index.setdefault((key[0], key[1]), []).append(key)
        state.index_size = len(state.values)
    return [
        key
        for kpi in kpis
        for municipality in municipalities
        for key in state.index.get((kpi, municipality), ())
    ]
