"""Benchmark: how exactly a plan document read into a proposal matches a person's
transcription of it (issue 18, "Quality, measured").

Run with ``make bench`` or ``.venv/bin/python benchmarks/plan_read_quality.py``. Not a test:
it prints figures (tests/test_proposals_quality.py asserts the goal of 95 %).

The document is the seed "Regionstyrelsens verksamhetsplan med budget 2023"
(../shared/seeds/orebro-regionstyrelsen-verksamhetsplan-budget-2023.txt), which holds two
plans: regionstyrelsen's and regionkansliet's. The transcription is demo/region-orebro-lan.yaml
(plans ``rs-2023`` and ``rk-2023``) and demo/budget-2023.yaml (tables 4.3, 4.4 and 5.1).
"Matched exactly" (uppsikt/proposals/quality.py) means equal after whitespace normalisation
(runs of whitespace made one space, ends trimmed) and nothing else forgiven: a goal by
level, number and text; an indicator by its text and its goal's text; a strategy by name,
lead and statements in order; an uppdrag by text and responsible unit; a budget row by
table (number, title), label, kind and parent's label; a budget figure by table, row label
and column, equal as a Decimal in the table's unit (a Summa row's figure as printed). Each share is matched / expected; "föreslagna" is
how many the proposal made (more than expected means objects a person must drop).

The document is read in every format there is a reader and a copy for: the seed's text,
and the PDF and DOCX made of it by tests/plan_documents.py when that exists.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO.parent / "shared" / "seeds" / "orebro-regionstyrelsen-verksamhetsplan-budget-2023.txt"
if not SEED.exists():
    SEED = Path("/work/shared/seeds/orebro-regionstyrelsen-verksamhetsplan-budget-2023.txt")


def documents():
    """The seed as text, and as the PDF and DOCX the reading tests' builder makes of it."""
    from tests.plan_documents import docx_from, pdf_from, seed_structure
    from uppsikt.proposals.reading.reader import read

    yield "text", read(SEED.read_bytes(), SEED.name)
    laid = seed_structure()
    yield "PDF", read(pdf_from(laid), "seed.pdf")
    yield "DOCX", read(docx_from(laid), "seed.docx")


def main() -> None:
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uppsikt.settings")
    import django

    django.setup()
    from uppsikt.proposals.propose import propose
    from uppsikt.proposals.propose.summary import kind_names
    from uppsikt.proposals.quality import compare
    from uppsikt.proposals.seedquality import transcription

    plans, tables, context = transcription()
    names = kind_names()
    for label, document in documents():
        started = time.perf_counter()
        proposal = propose(document, context)
        elapsed = time.perf_counter() - started
        print(f"{label}: {len(document.blocks)} block, förslaget på {elapsed * 1000:.0f} ms")
        for share in compare(proposal, plans, tables):
            print(
                f"  {share.measure:<13} {share.matched:>3}/{share.expected:<3} "
                f"= {share.ratio * 100:5.1f} %   (föreslagna {share.proposed})"
            )
        indicators = proposal.of_kind("indicator")
        ruled = sum(1 for node in indicators if node.fields.get("rule"))
        print(f"  målregel föreslagen för {ruled} av {len(indicators)} indikatorer")
        counts = ", ".join(f"{names[k]} {n}" for k, n in proposal.counts().items() if n)
        print(f"  förslaget: {counts}")
        differences = proposal.sum_differences()
        print(f"  ej placerat: {len(proposal.unplaced)}; summaskillnader: {len(differences)}")
        for check in differences:
            print(
                f"    {check.label} {check.column}: {check.printed} tryckt, {check.computed} räknat"
            )

    long_document(context)


def long_document(context) -> None:
    """The proposal's own time on a long document: the seed's blocks 20 times over (about
    500 pages), against the baseline of walking the blocks once."""
    from tests.plan_documents import seed_structure
    from uppsikt.proposals.propose import propose
    from uppsikt.proposals.propose.datafile import plan_text
    from uppsikt.proposals.reading.blocks import Block, ReadDocument, Source

    laid = seed_structure(repeat=20)
    blocks = [
        Block(b.kind, Source(i + 1), b.text, b.number, b.level, b.rows, b.emphasis)
        for i, b in enumerate(laid)
    ]
    document = ReadDocument("pdf", blocks)
    started = time.perf_counter()
    words = sum(len(block.text.split()) for block in blocks)
    baseline = time.perf_counter() - started
    started = time.perf_counter()
    proposal = propose(document, context)
    proposed = time.perf_counter() - started
    started = time.perf_counter()
    written = plan_text(proposal, "lang.pdf")
    writing = time.perf_counter() - started
    print(
        f"20 × fröet: {len(blocks)} block ({words} ord), förslaget på {proposed:.2f} s "
        f"({proposed / max(baseline, 1e-9):.0f} × att bara dela orden), planfilen "
        f"({len(written) // 1024} KiB) på {writing:.2f} s"
    )


if __name__ == "__main__":
    main()
