"""Fixtures and helpers the plan-reading tests share: the seed laid out as PDF and DOCX
(built once per test session, kept in a temporary folder), a small PDF from HTML, and
what to compare blocks by."""

from __future__ import annotations

import re

import pytest

from tests import plan_documents as docs
from uppsikt.proposals.reading.blocks import Kind


@pytest.fixture(scope="session")
def reading_seed_blocks():
    return docs.seed_structure()


@pytest.fixture(scope="session")
def reading_seed_pdf(reading_seed_blocks, tmp_path_factory):
    path = tmp_path_factory.mktemp("plan_documents") / "seed.pdf"
    path.write_bytes(docs.pdf_from(reading_seed_blocks))
    return path


@pytest.fixture(scope="session")
def reading_seed_docx(reading_seed_blocks, tmp_path_factory):
    path = tmp_path_factory.mktemp("plan_documents") / "seed.docx"
    path.write_bytes(docs.docx_from(reading_seed_blocks))
    return path


def _headings(blocks):
    return [(b.number, b.text) for b in blocks if b.kind == Kind.HEADING and b.number]


def _tables(blocks):
    return [b.rows for b in blocks if b.kind == Kind.TABLE]


def _words(blocks):
    text = " ".join(b.text for b in blocks if b.kind != Kind.TABLE)
    return set(re.findall(r"[\wåäöÅÄÖ][\wåäöÅÄÖ-]*", text))


def _pdf(body: str, css: str = "") -> bytes:
    markup = (
        f'<!doctype html><html lang="sv"><head><meta charset="utf-8"><style>'
        f"@page {{ size: A4; margin: 20mm }} body {{ font-size: 10.5pt }} {css}</style>"
        f"</head><body>{body}</body></html>"
    )
    return docs.pdf_from_html(markup)


SENTENCES = [
    f"Stycke {n} handlar om {topic} och beskriver hur arbetet ska bedrivas under året."
    for n, topic in enumerate(
        [
            "ekonomi",
            "personal",
            "lokaler",
            "digitalisering",
            "kvalitet",
            "miljö",
            "samverkan",
            "säkerhet",
        ],
        1,
    )
]
