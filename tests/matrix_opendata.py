"""The permission matrix for open data (issue 17.3): the catalogue page, every dataset in
both formats and the DCAT-AP-SE catalogue are public, the same for everyone, signed in or
not; an unknown organisation is 404 for all."""

from __future__ import annotations

from uppsikt.opendata.datasets import DATASETS

from .matrix_rules import PUBLIC, Case, always

OPENDATA_PAGES: dict[str, list[Case]] = {
    "opendata:index": PUBLIC,
    "opendata:catalogue_turtle": PUBLIC,
    "opendata:catalogue_jsonld": PUBLIC,
    "opendata:download": [
        *(
            Case(args=lambda c, slug=slug, fmt=fmt: [slug, fmt], label=f"{slug}.{fmt}")
            for slug in DATASETS
            for fmt in ("csv", "json")
        ),
        Case(args=lambda c: ["planer", "csv"], query="organisation=0099", label="en organisation"),
        Case(
            args=lambda c: ["planer", "json"],
            query="organisation=1234",
            expect=always(404),
            label="okänd organisation",
        ),
    ],
}
