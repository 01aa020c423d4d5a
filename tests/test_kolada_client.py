"""The Kolada client against the loopback stand-in (``kolada_server.py``): paging, from_date,
and every failure mode (retries then success, giving up, timeouts, malformed JSON, unknown
fields, empty pages). No database, nothing on the internet."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from uppsikt.kolada.client import MAX_IDS, KoladaClient, KoladaError

from .kolada_server import KoladaServer

ORGS = ["0000", "0018", "1880", "1881", "1882"]


def _fill(server: KoladaServer, years=range(2020, 2024)) -> int:
    server.add_kpi("N79179", "Invånare som har förtroende för sjukvården", divided_by_gender=True)
    count = 0
    for municipality in ORGS:
        for year in years:
            for gender, value in (("T", "74.1"), ("K", "76.5"), ("M", "71.25")):
                server.set_value("N79179", municipality, year, Decimal(value), gender=gender)
                count += 1
    return count


def _client(server: KoladaServer, **options) -> KoladaClient:
    options = {"retries": 2, "backoff": 0, "timeout": 2.0, **options}
    return KoladaClient(server.url, **options)


def _read(client: KoladaClient, **options) -> list[dict]:
    return list(client.values(["N79179"], ORGS, **options))


def test_values_follow_next_page_across_pages(kolada_server):
    _fill(kolada_server)
    with _client(kolada_server, per_page=6) as client:
        entries = _read(client)
        assert len(entries) == len(ORGS) * 4  # one entry per municipality and year
        assert client.requests == 4  # 20 entries, 6 a page: four pages
    pages = [line for line in kolada_server.log if "/data/" in line]
    assert len(pages) == 4 and all("per_page=6" in line for line in pages)
    first = entries[0]
    assert first["kpi"] == "N79179" and first["municipality"] == "0000"
    values = {v["gender"]: v["value"] for v in first["values"]}
    # Numbers are read exactly: Decimal, not binary floats.
    assert values == {"T": Decimal("74.1"), "K": Decimal("76.5"), "M": Decimal("71.25")}


def test_municipalities_are_asked_for_in_groups(kolada_server):
    kolada_server.add_kpi("N1")
    many = [f"{n:04d}" for n in range(1, 61)]
    for code in many:
        kolada_server.set_value("N1", code, 2023, Decimal(1))
    with _client(kolada_server) as client:
        entries = list(client.values(["N1"], many, years=[2023]))
    assert len(entries) == 60
    paths = [line for line in kolada_server.log if "/data/" in line]
    assert len(paths) == 3  # 25 + 25 + 10
    assert all(line.split("/municipality/")[1].count(",") < MAX_IDS for line in paths)
    assert all("/year/2023" in line for line in paths)


def test_from_date_returns_what_changed_and_what_was_deleted(kolada_server):
    _fill(kolada_server)
    kolada_server.set_value(
        "N79179", "0018", 2023, Decimal("80"), updated=datetime.date(2024, 9, 1)
    )
    kolada_server.delete_value(
        "N79179", "1880", 2022, gender="K", updated=datetime.date(2024, 9, 2)
    )
    with _client(kolada_server) as client:
        entries = _read(client, from_date=datetime.date(2024, 8, 1))
    assert [(e["municipality"], e["period"]) for e in entries] == [("0018", 2023), ("1880", 2022)]
    assert entries[0]["values"] == [
        {"gender": "T", "status": "", "value": Decimal("80"), "count": 1}
    ]
    assert entries[1]["values"][0]["isdeleted"] is True
    assert "from_date=2024-08-01" in kolada_server.log[-1]


def test_server_errors_are_tried_again_with_growing_pauses(kolada_server):
    _fill(kolada_server)
    kolada_server.fail("503", times=2)
    pauses: list[float] = []
    with _client(kolada_server, retries=3, backoff=0.5, sleep=pauses.append) as client:
        entries = _read(client)
    assert len(entries) == len(ORGS) * 4
    assert pauses == [0.5, 1.0]  # 0.5 s, then twice as long; the third try answered
    assert client.requests == 3


def test_giving_up_after_the_retries_says_why_in_swedish(kolada_server):
    _fill(kolada_server)
    kolada_server.fail("500", times=10)
    with _client(kolada_server, retries=2) as client, pytest.raises(KoladaError) as caught:
        _read(client)
    assert caught.value.code == "server_error"
    assert "Kolada svarade med fel 500" in caught.value.message
    assert "gav upp efter 3 försök" in caught.value.message
    assert client.requests == 3


def test_a_client_error_is_not_tried_again(kolada_server):
    with _client(kolada_server, retries=3) as client, pytest.raises(KoladaError) as caught:
        client.get(kolada_server.url + "/finns-inte")
    assert caught.value.code == "refused" and "404" in caught.value.message
    assert client.requests == 1


def test_a_slow_answer_times_out_and_is_tried_again(kolada_server):
    _fill(kolada_server)
    kolada_server.fail("slow", times=1, seconds=1.0)
    with _client(kolada_server, timeout=0.3, retries=1) as client:
        assert len(_read(client)) == len(ORGS) * 4
        assert client.requests == 2


def test_always_slow_gives_up_with_a_timeout(kolada_server):
    _fill(kolada_server)
    kolada_server.fail("slow", times=2, seconds=0.8)
    with _client(kolada_server, timeout=0.2, retries=1) as client, pytest.raises(KoladaError) as e:
        _read(client)
    assert e.value.code == "timeout"
    assert "svarade inte inom 0.2 sekunder" in e.value.message


def test_nobody_listening_is_unreachable():
    server = KoladaServer()
    url = server.url
    server.stop()  # the port is closed again
    client = KoladaClient(url, retries=1, backoff=0, timeout=1)
    with client, pytest.raises(KoladaError) as caught:
        client.get(url + "/kpi")
    assert caught.value.code == "unreachable"
    assert client.requests == 2


def test_malformed_json_is_refused_with_its_reason(kolada_server):
    _fill(kolada_server)
    kolada_server.fail("malformed")
    with _client(kolada_server) as client, pytest.raises(KoladaError) as caught:
        _read(client)
    assert caught.value.code == "bad_json"
    assert "är inte giltig JSON" in caught.value.message


def test_json_that_is_not_koladas_shape_is_refused(kolada_server):
    _fill(kolada_server)
    kolada_server.fail("not_kolada")
    with _client(kolada_server) as client, pytest.raises(KoladaError) as caught:
        _read(client)
    assert caught.value.code == "bad_shape"
    assert "listan ”values” saknas" in caught.value.message


def test_unknown_fields_are_tolerated(kolada_server):
    _fill(kolada_server)
    kolada_server.fail("unknown_field", times=5)
    with _client(kolada_server, per_page=7) as client:
        entries = _read(client)
    assert len(entries) == len(ORGS) * 4
    assert entries[0]["auspice"] == "X"  # left as it came; the sync reads what it knows


def test_an_empty_page_is_followed_to_the_next(kolada_server):
    _fill(kolada_server)
    kolada_server.fail("empty_page", times=1)
    with _client(kolada_server, per_page=8) as client:
        entries = _read(client)
    assert len(entries) == len(ORGS) * 4
    assert client.requests == 4  # the empty page, then three real ones


def test_no_values_at_all_is_an_empty_answer(kolada_server):
    kolada_server.add_kpi("N1")
    with _client(kolada_server) as client:
        assert list(client.values(["N1"], ["0018"])) == []


def test_a_next_page_to_another_server_is_refused(kolada_server):
    class Elsewhere(KoladaClient):
        def get(self, url, params=None):
            return {"values": [], "next_page": "http://example.invalid/v3/kpi?page=2"}

    with Elsewhere(kolada_server.url) as client, pytest.raises(KoladaError) as caught:
        list(client.kpis())
    assert caught.value.code == "bad_shape" and "nästa sida" in caught.value.message


def test_a_page_that_leads_back_to_itself_is_refused(kolada_server):
    class Loop(KoladaClient):
        def get(self, url, params=None):
            return {"values": [], "next_page": self.base_url + "/kpi?page=1"}

    with Loop(kolada_server.url) as client, pytest.raises(KoladaError) as caught:
        list(client.kpis())
    assert caught.value.code == "bad_shape"


def test_the_catalogue_is_read_page_by_page(kolada_server):
    for number in range(1, 8):
        kolada_server.add_kpi(f"N{number:05d}", divided_by_gender=number % 2 == 1)
    kolada_server.add_kpi("U00001", municipality_type="L", description=None)
    with _client(kolada_server, per_page=3) as client:
        kpis = list(client.kpis())
    assert [k.code for k in kpis][:2] == ["N00001", "N00002"]
    assert len(kpis) == 8 and client.requests == 3
    assert kpis[0].divided_by_gender and not kpis[1].divided_by_gender
    assert kpis[-1].municipality_type == "L" and kpis[-1].description == ""


@pytest.mark.parametrize(
    "entry",
    [
        {"municipality": "0018", "period": 2023, "values": []},  # no kpi
        {"kpi": "N1", "municipality": "0018", "period": 2023},  # no values
        {"kpi": "N1", "municipality": "0018", "period": None, "values": []},
        {"kpi": "N1", "municipality": "0018", "period": 2023, "values": [{"value": "7"}]},
        {"kpi": "N1", "municipality": "0018", "period": 2023, "values": [{"value": True}]},
        {"kpi": "N1", "municipality": 18, "period": 2023, "values": []},
        "inte ett objekt",
    ],
)
def test_data_entries_missing_what_the_sync_needs_are_refused(entry):
    from uppsikt.kolada.client import _data_entry

    with pytest.raises(KoladaError) as caught:
        _data_entry(entry, "http://127.0.0.1/v3/data")
    assert caught.value.code == "bad_shape"


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_are_either_a_kolada_document_or_a_clear_error(data):
    from uppsikt.kolada.client import _document

    try:
        document = _document(data, "http://127.0.0.1/v3/kpi")
    except KoladaError as error:
        assert error.code in ("bad_json", "bad_shape") and error.message
    else:
        assert isinstance(document["values"], list)
