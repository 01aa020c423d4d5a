"""The seed plan read into a proposal and compared with the demo's transcription (issue 18,
"Quality, measured"): the measures that have reached the goal of 95 % must stay there.

Indicators and strategies have not reached it (88 % and 62,5 % in every format, see
docs/proposals.md): the seed's text gives no way to tell some paragraph ends from line
wraps, and the PDF and DOCX are laid out from the same text. They are not asserted here
until they do; the benchmark prints all six.
"""

import pytest

from tests.plan_documents import SEED, docx_from, seed_structure
from uppsikt.proposals.reading.reader import read
from uppsikt.proposals.seedquality import measure

REACHED = ("mål", "uppdrag", "budgetrader", "budgetbelopp")
GOAL = 0.95


@pytest.fixture(scope="module")
def seed_shares():
    documents = {
        "text": read(SEED.read_bytes(), SEED.name),
        "docx": read(docx_from(seed_structure()), "seed.docx"),
    }
    return {label: {s.measure: s for s in measure(doc)[0]} for label, doc in documents.items()}


@pytest.mark.parametrize("label", ["text", "docx"])
@pytest.mark.parametrize("measure_name", REACHED)
def test_the_seed_is_proposed_as_transcribed(seed_shares, label, measure_name):
    share = seed_shares[label][measure_name]
    assert share.expected > 0
    assert share.ratio >= GOAL, f"{label} {measure_name}: {share.matched}/{share.expected}"


def test_the_seed_gives_no_unexpected_objects(seed_shares):
    """Goals and budget rows proposed are as many as transcribed: nothing invented."""
    for shares in seed_shares.values():
        assert shares["mål"].proposed == shares["mål"].expected
        assert shares["budgetrader"].proposed == shares["budgetrader"].expected
