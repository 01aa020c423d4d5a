"""Benchmark: Regionstyrelsen's delårsrapport 2023 as PDF and as DOCX, from the full demo.

Run with ``make bench`` or ``.venv/bin/python benchmarks/report.py``. Not a test: it prints
figures and asserts nothing about speed. Goals (issue): PDF under 5 s, DOCX under 2 s.

The demo is loaded into a throwaway var dir (SQLite) with the same steps as ``make demo``;
the checkout's own ``var/`` is not touched. Each format is built N times end to end
(``reports.build.build_report``: reading the data, the document model, rendering) and the
median is reported, next to two baselines measured in the same run:

* the same report as HTML (the document model and the template, no page layout), and
* WeasyPrint on a one-page document with the report's print style (its fixed cost).
"""

from __future__ import annotations

import io
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
N = int(os.environ.get("BENCH_REPORT_RUNS", "5"))
UNIT, PERIOD = "regionstyrelsen", "2023-delarsrapport"


def prepare(var_dir: str) -> None:
    env = dict(os.environ, UPPSIKT_VAR_DIR=var_dir, UPPSIKT_DEBUG="0")
    env.pop("DATABASE_URL", None)
    for args in (
        ["migrate", "--noinput", "-v0"],
        ["load", "demo/region-orebro-lan.yaml", "--replace"],
        ["demo_indicators"],
        ["load_budget", "demo/budget-2023.yaml"],
        ["load_control", "demo/internkontroll-2023.yaml"],
        ["demo_control"],
        ["demo_users"],
        ["demo_budget"],
        ["demo_followup"],
    ):
        subprocess.run(
            [str(BIN / "uppsikt"), *args],
            cwd=REPO,
            env=env,
            check=True,
            timeout=600,
            stdout=subprocess.DEVNULL,
        )


def timed(function, runs: int = N) -> tuple[tuple[list[float], list[float]], object]:
    """((wall-clock times, CPU times) of ``runs`` calls after a warm-up, last result)."""
    function()  # warm-up: imports, font discovery, template loading
    wall, cpu, result = [], [], None
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = function()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return (wall, cpu), result


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="uppsikt-bench-report-") as var_dir:
        prepare(var_dir)
        os.environ["UPPSIKT_VAR_DIR"] = var_dir
        os.environ.pop("DATABASE_URL", None)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uppsikt.settings")
        sys.path.insert(0, str(REPO))
        import django

        django.setup()
        import weasyprint

        from uppsikt.organisations.models import Unit
        from uppsikt.periods.models import ReportingPeriod
        from uppsikt.reports.build import build_document, build_report, render
        from uppsikt.reports.render.html import print_css

        unit = Unit.objects.get(organisation__code="0018", slug=UNIT)
        period = ReportingPeriod.objects.get(organisation__code="0018", slug=PERIOD)

        results = {}
        for fmt in ("html", "pdf", "docx"):
            times, (_name, _type, data) = timed(lambda fmt=fmt: build_report(unit, period, fmt))
            results[fmt] = (times, len(data), data)
        model_times, document = timed(lambda: build_document(unit, period))
        render_times, _ = timed(lambda: render(document, "pdf"))
        one_page = (
            '<!doctype html><html lang="sv"><head><title>En sida</title></head><body>'
            "<h2>Rubrik</h2><p>Ett stycke text på en sida.</p></body></html>"
        )
        css = weasyprint.CSS(string=print_css())
        baseline_times, _ = timed(
            lambda: weasyprint.HTML(string=one_page).write_pdf(
                stylesheets=[css], pdf_variant="pdf/ua-1"
            )
        )

    from pypdf import PdfReader  # a dev dependency, like the rest of `make bench`

    pages = len(PdfReader(io.BytesIO(results["pdf"][2])).pages)
    med = statistics.median
    print(f"Report: {unit} {PERIOD}, {pages} PDF pages; median of {N} runs after a warm-up")
    print(
        f"Machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end, "
        f"Python {platform.python_version()}, WeasyPrint {weasyprint.__version__}"
    )
    print()
    print(f"{'what':40} {'wall median':>12} {'min':>7} {'max':>7} {'CPU median':>11} {'kB':>6}")

    def line(label: str, times, size: int | None = None) -> None:
        wall, cpu = times
        kb = f"{size // 1024:6}" if size is not None else ""
        print(
            f"{label:40} {med(wall):12.3f} {min(wall):7.3f} {max(wall):7.3f} {med(cpu):11.3f} {kb}"
        )

    line("PDF (build_report)", results["pdf"][0], results["pdf"][1])
    line("  of which the document model", model_times)
    line("  of which rendering (WeasyPrint)", render_times)
    line("DOCX (build_report)", results["docx"][0], results["docx"][1])
    line("HTML (build_report) – baseline", results["html"][0], results["html"][1])
    line("WeasyPrint, one page – baseline", baseline_times)
    print()
    wall = {fmt: med(results[fmt][0][0]) for fmt in results}
    cpu = {fmt: med(results[fmt][0][1]) for fmt in results}
    one = med(baseline_times[0])
    print(
        f"Ratios (wall): PDF / HTML {wall['pdf'] / wall['html']:.1f}×, DOCX / HTML "
        f"{wall['docx'] / wall['html']:.1f}×, PDF / one-page WeasyPrint {wall['pdf'] / one:.1f}×"
    )
    for fmt, goal in (("pdf", 5.0), ("docx", 2.0)):
        verdict = "met" if wall[fmt] < goal else "NOT met"
        print(
            f"Goal {fmt.upper()} < {goal:g} s: {verdict} (wall {wall[fmt]:.2f} s, "
            f"CPU {cpu[fmt]:.2f} s of one core)"
        )


if __name__ == "__main__":
    main()
