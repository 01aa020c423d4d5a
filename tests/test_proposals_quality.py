"""The seed plan read into a proposal and compared with the demo's transcription (issue 18,
"Quality, measured"): every measure at the goal of 95 %, as text, PDF and DOCX.

The comparison is exact (``proposals.quality``): a changed word, a split or joined
paragraph, a wrong level or a wrong figure fails it.
"""

import pytest

from tests.plan_documents import SEED, docx_from, pdf_from, seed_structure
from uppsikt.proposals.quality import MEASURES
from uppsikt.proposals.reading.reader import read
from uppsikt.proposals.seedquality import measure

GOAL = 0.95
FORMATS = ("text", "pdf", "docx")


@pytest.fixture(scope="module")
def seed_shares():
    laid = seed_structure()
    documents = {
        "text": read(SEED.read_bytes(), SEED.name),
        "pdf": read(pdf_from(laid), "seed.pdf"),
        "docx": read(docx_from(laid), "seed.docx"),
    }
    return {label: {s.measure: s for s in measure(doc)[0]} for label, doc in documents.items()}


@pytest.mark.parametrize("label", FORMATS)
@pytest.mark.parametrize("measure_name", MEASURES)
def test_the_seed_is_proposed_as_transcribed(seed_shares, label, measure_name):
    share = seed_shares[label][measure_name]
    assert share.expected > 0
    assert share.ratio >= GOAL, f"{label} {measure_name}: {share.matched}/{share.expected}"


@pytest.mark.parametrize("label", FORMATS)
def test_the_seed_gives_no_unexpected_objects(seed_shares, label):
    """Goals, strategies, uppdrag and budget rows: as many as transcribed, none invented."""
    shares = seed_shares[label]
    for name in ("mål", "strategier", "uppdrag", "budgetrader", "budgetbelopp"):
        assert shares[name].proposed == shares[name].expected, name
