"""The DCAT-AP-SE catalogue (issue 17.3): both serialisations hold the same graph, it
validates against SHACL shapes for the profile's mandatory properties, and the shapes fail a
catalogue that lacks one. Also: the writers keep every decimal exactly, and the indicator
values stream."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as ns
from rdflib.compare import isomorphic

from uppsikt.indicators.models import IndicatorDefinition, Measurement
from uppsikt.opendata import catalogue
from uppsikt.opendata.datasets import DATASETS
from uppsikt.opendata.writers import BATCH_ROWS, csv_cell, csv_stream, json_stream, json_value

from .world import build_world

SHAPES = Graph().parse(Path(__file__).parent / "shapes" / "dcat_ap_se.ttl", format="turtle")
VCARD = catalogue.VCARD
SITE = "https://uppsikt.example.se"


@pytest.fixture
def opendata_catalogue(db, settings):
    settings.SITE_URL = SITE
    settings.OPEN_DATA_PUBLISHER = "Region Test"
    settings.OPEN_DATA_CONTACT_EMAIL = "oppnadata@region-test.example"
    build_world()


def fetched(client, name: str, fmt: str) -> Graph:
    response = client.get(reverse(name))
    assert response.status_code == 200
    return Graph().parse(data=response.content.decode("utf-8"), format=fmt)


def conforms(graph: Graph) -> tuple[bool, str]:
    ok, _report, text = validate(graph, shacl_graph=SHAPES, allow_warnings=False)
    return ok, text


def violated_paths(graph: Graph) -> set[URIRef]:
    """The properties of the shapes' violations (not warnings) in ``graph``."""
    _ok, report, _text = validate(graph, shacl_graph=SHAPES)
    return {
        report.value(result, ns.SH.resultPath)
        for result in report.subjects(ns.SH.resultSeverity, ns.SH.Violation)
    }


def test_turtle_and_json_ld_hold_the_same_graph(client, opendata_catalogue):
    turtle = fetched(client, "opendata:catalogue_turtle", "turtle")
    json_ld = fetched(client, "opendata:catalogue_jsonld", "json-ld")
    assert len(turtle) > 100
    assert isomorphic(turtle, json_ld)
    response = client.get(reverse("opendata:catalogue_jsonld"))
    assert response["Content-Type"].startswith("application/ld+json")
    assert client.get(reverse("opendata:catalogue_turtle"))["Content-Type"].startswith(
        "text/turtle"
    )


def test_the_catalogue_validates_without_even_a_warning(client, opendata_catalogue):
    ok, text = conforms(fetched(client, "opendata:catalogue_turtle", "turtle"))
    assert ok, text


def test_every_dataset_and_distribution_with_stable_absolute_uris(client, opendata_catalogue):
    graph = fetched(client, "opendata:catalogue_turtle", "turtle")
    catalog = URIRef(f"{SITE}/oppna-data/")
    assert (catalog, ns.RDF.type, ns.DCAT.Catalog) in graph
    datasets = set(graph.objects(catalog, ns.DCAT.dataset))
    assert datasets == {URIRef(f"{SITE}/oppna-data/#{slug}") for slug in DATASETS}
    downloads = {str(url) for url in graph.objects(None, ns.DCAT.downloadURL)}
    assert downloads == {
        f"{SITE}/oppna-data/{slug}.{ext}" for slug in DATASETS for ext in ("csv", "json")
    }
    for url in downloads:
        assert client.get(url.removeprefix(SITE)).status_code == 200, url
    publisher = graph.value(catalog, ns.DCTERMS.publisher)
    assert graph.value(publisher, ns.FOAF.name) == Literal("Region Test", lang="sv")
    contact = graph.value(URIRef(f"{SITE}/oppna-data/#budget"), ns.DCAT.contactPoint)
    assert graph.value(contact, VCARD.hasEmail) == URIRef("mailto:oppnadata@region-test.example")
    titles = {lit.language for lit in graph.objects(catalog, ns.DCTERMS.title)}
    assert titles == {"sv", "en"}


def test_the_licence_setting_is_the_catalogues_and_every_distributions(
    client, opendata_catalogue, settings
):
    settings.OPEN_DATA_LICENCE = "https://example.se/licens"
    graph = fetched(client, "opendata:catalogue_turtle", "turtle")
    licences = set(graph.objects(None, ns.DCTERMS.license))
    assert licences == {URIRef("https://example.se/licens")}
    assert len(list(graph.subjects(ns.RDF.type, ns.DCAT.Distribution))) == 2 * len(DATASETS)


def _without(graph: Graph, kind: URIRef, prop: URIRef) -> Graph:
    """``graph`` with ``prop`` taken from the first node of class ``kind``."""
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    node = next(iter(sorted(copy.subjects(ns.RDF.type, kind))))
    assert list(copy.objects(node, prop)), (kind, prop)
    copy.remove((node, prop, None))
    return copy


@pytest.mark.parametrize(
    ("kind", "prop"),
    [
        (ns.DCAT.Catalog, ns.DCTERMS.title),
        (ns.DCAT.Catalog, ns.DCTERMS.description),
        (ns.DCAT.Catalog, ns.DCTERMS.publisher),
        (ns.DCAT.Catalog, ns.DCAT.dataset),
        (ns.DCAT.Dataset, ns.DCTERMS.title),
        (ns.DCAT.Dataset, ns.DCTERMS.description),
        (ns.DCAT.Dataset, ns.DCTERMS.publisher),
        (ns.DCAT.Dataset, ns.DCAT.contactPoint),
        (ns.DCAT.Distribution, ns.DCAT.accessURL),
        (ns.FOAF.Agent, ns.FOAF.name),
        (VCARD.Organization, VCARD.hasEmail),
    ],
)
def test_the_shapes_fail_a_catalogue_missing_a_mandatory_property(
    client, opendata_catalogue, kind, prop
):
    graph = fetched(client, "opendata:catalogue_turtle", "turtle")
    assert violated_paths(_without(graph, kind, prop)) == {prop}


def test_the_shapes_fail_a_dataset_that_is_not_public(client, opendata_catalogue):
    graph = fetched(client, "opendata:catalogue_turtle", "turtle")
    node = URIRef(f"{SITE}/oppna-data/#planer")
    graph.set((node, ns.DCTERMS.accessRights, catalogue.ACCESS_RIGHT.NON_PUBLIC))
    assert not conforms(graph)[0]


# -- the writers -------------------------------------------------------------------------------

decimals = st.decimals(allow_nan=False, allow_infinity=False, places=4).filter(
    lambda d: abs(d) < Decimal(10) ** 12
) | st.decimals(allow_nan=False, allow_infinity=False, places=2).filter(
    lambda d: abs(d) < Decimal(10) ** 16
)


@given(decimals)
def test_any_decimal_round_trips_exactly_in_csv_and_json(value):
    text = csv_cell(value)
    assert "," not in text and "e" not in text.lower()
    assert Decimal(text) == value and Decimal(text).as_tuple() == value.as_tuple()
    header, row = csv.reader(io.StringIO("".join(csv_stream(["v"], [(value,)]))))
    assert header == ["v"] and Decimal(row[0]) == value
    parsed = json.loads("".join(json_stream({"x": 1}, ["v"], [(value,)])))
    assert (
        parsed["rader"][0]["v"] == json_value(value) and Decimal(parsed["rader"][0]["v"]) == value
    )


@given(st.lists(st.tuples(st.text(), st.integers(), st.booleans() | st.none()), max_size=30))
def test_csv_and_json_carry_the_same_rows(rows):
    columns = ["a", "b", "c"]
    from_json = json.loads("".join(json_stream({}, columns, rows)))["rader"]
    from_csv = list(csv.DictReader(io.StringIO("".join(csv_stream(columns, rows)))))
    assert len(from_json) == len(from_csv) == len(rows)
    for (text, number, flag), item, line in zip(rows, from_json, from_csv, strict=True):
        assert item == {"a": text, "b": number, "c": flag}
        assert int(line["b"]) == number
        assert line["c"] == ("" if flag is None else ("true" if flag else "false"))


@pytest.mark.django_db
def test_indicator_values_stream_a_large_table_piece_by_piece(client):
    world = build_world()
    definition = IndicatorDefinition.objects.create(key="stor", name="Stor", unit="antal")
    count = 6 * BATCH_ROWS
    Measurement.objects.bulk_create(
        Measurement(
            definition=definition,
            organisation=world.org,
            period=f"{2000 + n // 12}-{n % 12 + 1:02d}",
            value=Decimal(n) / 4,
        )
        for n in range(count)
    )
    response = client.get(reverse("opendata:download", args=["indikatorvarden", "csv"]))
    assert response.streaming and response["X-Uppsikt-Cache"] == "bypass"
    pieces = iter(response.streaming_content)
    first = next(pieces)
    assert first.startswith(b"indikator,") and first.count(b"\r\n") <= BATCH_ROWS + 1
    rest = b"".join(pieces)
    lines = (first + rest).decode("utf-8").splitlines()
    assert len(lines) == 1 + count + 2  # the header, the large table, the world's two values
    assert b"stor,Stor,antal,0099,2000-01,T,0.0000" in first


def test_swedish_texts_stay_swedish_for_an_english_visitor(client, opendata_catalogue):
    client.cookies["django_language"] = "en"
    graph = fetched(client, "opendata:catalogue_turtle", "turtle")
    node = URIRef(f"{SITE}/oppna-data/#organisationer")  # a title translated already
    titles = {lit.language: str(lit) for lit in graph.objects(node, ns.DCTERMS.title)}
    assert titles == {"sv": "Organisationer", "en": "Organisations"}
