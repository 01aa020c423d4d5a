"""The DCAT-AP-SE catalogue of the open datasets, as an RDF graph (rdflib), for the national
data portal (dataportal.se) to harvest in Turtle or JSON-LD.

Every node has a stable absolute URI under ``UPPSIKT_SITE_URL``: the catalogue is the page
``/oppna-data/``, each dataset a part of it (``/oppna-data/#budget``), each distribution
that part and its format (``/oppna-data/#budget-csv``), the publisher and the contact point
the page's ``#utgivare`` and ``#kontakt``. Controlled values come from the EU vocabularies
(data themes, file types, access rights, languages, frequencies) and IANA's media types.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from .changes import Changes, changes
from .dataset import Dataset
from .datasets import DATASETS

EU = "http://publications.europa.eu/resource/authority/"
THEME = Namespace(EU + "data-theme/")
FILE_TYPE = Namespace(EU + "file-type/")
ACCESS_RIGHT = Namespace(EU + "access-right/")
LANGUAGE = Namespace(EU + "language/")
FREQUENCY = Namespace(EU + "frequency/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
MEDIA_TYPE = Namespace("https://www.iana.org/assignments/media-types/")
THEME_TAXONOMY = URIRef(EU + "data-theme")

# (file extension, EU file type, IANA media type)
FORMATS = (("csv", "CSV", "text/csv"), ("json", "JSON", "application/json"))

TITLE = {
    "sv": "Öppna data om planer, mål, indikatorer och budget",
    "en": "Open data on plans, goals, indicators and budgets",
}
DESCRIPTION = {
    "sv": (
        "Beslutade verksamhetsplaner med mål, bedömningar av målen, indikatorvärden och "
        "budget, som CSV och JSON."
    ),
    "en": (
        "Decided operational plans with goals, goal assessments, indicator values and "
        "budgets, as CSV and JSON."
    ),
}


def site(path: str) -> URIRef:
    return URIRef(settings.SITE_URL + path)


def index_uri() -> URIRef:
    return site(reverse("opendata:index"))


def dataset_uri(dataset: Dataset) -> URIRef:
    return URIRef(f"{index_uri()}#{dataset.slug}")


def download_uri(dataset: Dataset, extension: str) -> URIRef:
    return site(reverse("opendata:download", args=[dataset.slug, extension]))


def _date(moment: datetime.datetime) -> Literal:
    return Literal(moment.date().isoformat(), datatype=XSD.date)


def _agents(graph: Graph) -> tuple[URIRef, URIRef]:
    """The publisher (a foaf:Agent) and the contact point (a vcard:Organization)."""
    publisher = URIRef(f"{index_uri()}#utgivare")
    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, FOAF.name, Literal(settings.OPEN_DATA_PUBLISHER, lang="sv")))
    contact = URIRef(f"{index_uri()}#kontakt")
    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, VCARD.fn, Literal(settings.OPEN_DATA_PUBLISHER, lang="sv")))
    graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{settings.OPEN_DATA_CONTACT_EMAIL}")))
    return publisher, contact


def _distribution(graph: Graph, dataset: Dataset, fmt: tuple[str, str, str]) -> URIRef:
    extension, file_type, media_type = fmt
    node = URIRef(f"{dataset_uri(dataset)}-{extension}")
    url = download_uri(dataset, extension)
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add((node, DCAT.accessURL, url))
    graph.add((node, DCAT.downloadURL, url))
    graph.add((node, DCTERMS.title, Literal(f"{dataset.title} ({file_type})", lang="sv")))
    graph.add((node, DCTERMS["format"], FILE_TYPE[file_type]))
    graph.add((node, DCAT.mediaType, MEDIA_TYPE[media_type]))
    graph.add((node, DCTERMS.license, URIRef(settings.OPEN_DATA_LICENCE)))
    return node


def _dataset(graph: Graph, dataset: Dataset, agents: tuple[URIRef, URIRef], when: Changes):
    publisher, contact = agents
    node = dataset_uri(dataset)
    graph.add((node, RDF.type, DCAT.Dataset))
    graph.add((node, DCTERMS.title, Literal(str(dataset.title), lang="sv")))
    graph.add((node, DCTERMS.title, Literal(dataset.title_en, lang="en")))
    graph.add((node, DCTERMS.description, Literal(str(dataset.description), lang="sv")))
    graph.add((node, DCTERMS.description, Literal(dataset.description_en, lang="en")))
    graph.add((node, DCTERMS.publisher, publisher))
    graph.add((node, DCAT.contactPoint, contact))
    graph.add((node, DCTERMS.accessRights, ACCESS_RIGHT.PUBLIC))
    graph.add((node, DCTERMS.language, LANGUAGE.SWE))
    graph.add((node, DCTERMS.accrualPeriodicity, FREQUENCY.UPDATE_CONT))
    graph.add((node, DCAT.landingPage, index_uri()))  # the page describing it, for people
    for theme in dataset.themes:
        graph.add((node, DCAT.theme, THEME[theme]))
    for keyword in dataset.keywords:
        graph.add((node, DCAT.keyword, Literal(keyword, lang="sv")))
    if when.first is not None:
        graph.add((node, DCTERMS.issued, _date(when.first)))
    if when.last is not None:
        graph.add((node, DCTERMS.modified, _date(when.last)))
    for fmt in FORMATS:
        graph.add((node, DCAT.distribution, _distribution(graph, dataset, fmt)))
    return node


def bind(graph: Graph) -> None:
    for prefix, namespace in (
        ("dcat", DCAT),
        ("dcterms", DCTERMS),
        ("foaf", FOAF),
        ("vcard", VCARD),
        ("xsd", XSD),
    ):
        graph.bind(prefix, namespace, override=True)


def build() -> Graph:
    """The whole catalogue: the catalog, its publisher, every dataset and distribution. The
    Swedish texts are Swedish whatever language the visitor chose."""
    with translation.override("sv"):
        return _build()


def _build() -> Graph:
    graph = Graph()
    bind(graph)
    catalog = index_uri()
    agents = _agents(graph)
    graph.add((catalog, RDF.type, DCAT.Catalog))
    for lang, text in TITLE.items():
        graph.add((catalog, DCTERMS.title, Literal(text, lang=lang)))
    for lang, text in DESCRIPTION.items():
        graph.add((catalog, DCTERMS.description, Literal(text, lang=lang)))
    graph.add((catalog, DCTERMS.publisher, agents[0]))
    graph.add((catalog, DCTERMS.license, URIRef(settings.OPEN_DATA_LICENCE)))
    graph.add((catalog, DCTERMS.language, LANGUAGE.SWE))
    graph.add((catalog, FOAF.homepage, catalog))
    graph.add((catalog, DCAT.themeTaxonomy, THEME_TAXONOMY))
    latest: list[datetime.datetime] = []
    for dataset in DATASETS.values():
        when = changes(dataset)
        graph.add((catalog, DCAT.dataset, _dataset(graph, dataset, agents, when)))
        if when.last is not None:
            latest.append(when.last)
    if latest:
        graph.add((catalog, DCTERMS.modified, _date(max(latest))))
    return graph


# The JSON-LD's context: the same prefixes as the Turtle, so both read alike.
CONTEXT = {
    "dcat": str(DCAT),
    "dcterms": str(DCTERMS),
    "foaf": str(FOAF),
    "vcard": str(VCARD),
    "xsd": str(XSD),
}


def turtle(graph: Graph) -> str:
    return graph.serialize(format="turtle")


def json_ld(graph: Graph) -> str:
    return graph.serialize(format="json-ld", context=CONTEXT, indent=2)
