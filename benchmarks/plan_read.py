"""Benchmark: reading a plan document (PDF and DOCX) into blocks (``proposals.reading``).

Run with ``make bench`` or ``.venv/bin/python benchmarks/plan_read.py``. Not a test: it
prints figures and asserts nothing about speed.

The seed (Regionstyrelsens verksamhetsplan med budget 2023, ``UPPSIKT_SEEDS_DIR``) is laid
out by ``tests/plan_documents.py`` a little over three times, as a PDF of about 60 pages (WeasyPrint)
and as a DOCX (python-docx). Measured in the same run:

* the floor: pdfplumber alone extracting every page's words (no reader can be faster than
  reading its input), against ``reader.read`` of the same PDF (tables, layout, blocks);
* ``reader.read`` of the DOCX;
* the memory peak of each reading (tracemalloc: Python allocations) and the process's
  maximum resident size.

Nothing is stored; no database is used.
"""

from __future__ import annotations

import io
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REPEAT = 3
ROUNDS = 3


def setup_django(var_dir: str) -> None:
    os.environ["UPPSIKT_VAR_DIR"] = var_dir
    os.environ["UPPSIKT_DEBUG"] = "0"
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "uppsikt.settings"
    sys.path.insert(0, str(REPO))
    import django

    django.setup()


def timed(function, rounds: int = ROUNDS) -> tuple[float, object]:
    """The median of ``rounds`` timings of ``function()``, and its last result."""
    times, result = [], None
    for _ in range(rounds):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def peak_of(function) -> int:
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def floor(pdf: bytes) -> int:
    import pdfplumber

    words = 0
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            words += len(page.extract_words())
            page.close()
    return words


def main() -> None:
    with tempfile.TemporaryDirectory() as var_dir:
        setup_django(var_dir)
        from tests import plan_documents as docs
        from uppsikt.proposals.reading.reader import read

        seed = docs.seed_structure()
        blocks = seed * REPEAT + seed[: len(seed) // 8]  # 3⅛ times the seed's 20 pages
        start = time.perf_counter()
        pdf = docs.pdf_from(blocks)
        built = time.perf_counter() - start
        docx = docs.docx_from(blocks)
        document = read(pdf)
        pages = document.pages
        print(
            f"PDF: {pages} pages, {len(pdf) / 1024:.0f} kB (built in {built:.1f} s); "
            f"DOCX {len(docx) / 1024:.0f} kB; {len(document.blocks)} blocks read"
        )
        floor_s, _words = timed(lambda: floor(pdf))
        read_s, _doc = timed(lambda: read(pdf))
        docx_s, docx_doc = timed(lambda: read(docx))
        print(f"{'measure':<34}{'seconds':>9}{'pages/s':>9}{'× floor':>9}")
        print(
            f"{'pdfplumber words only (floor)':<34}{floor_s:>9.2f}{pages / floor_s:>9.1f}{1:>9.2f}"
        )
        print(f"{'read(PDF)':<34}{read_s:>9.2f}{pages / read_s:>9.1f}{read_s / floor_s:>9.2f}")
        print(
            f"{'read(DOCX), same content':<34}{docx_s:>9.2f}{pages / docx_s:>9.1f}{docx_s / floor_s:>9.2f}"
        )
        pdf_peak = peak_of(lambda: read(pdf))
        docx_peak = peak_of(lambda: read(docx))
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"memory peak (tracemalloc): read(PDF) {pdf_peak / 2**20:.1f} MB, "
            f"read(DOCX) {docx_peak / 2**20:.1f} MB; process max RSS {rss:.0f} MB"
        )
        print(f"DOCX blocks: {len(docx_doc.blocks)}")


if __name__ == "__main__":
    main()
