"""What ``mixed_load.py`` prints: throughput, latency per kind of request, errors, conflicts,
lost updates and the import, each phase beside the baseline of the same run."""

from __future__ import annotations

import os
import platform
import statistics
from collections import Counter

from benchmarks.mixed_load_clients import KIND_LABELS, Sample


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _ms(samples: list[Sample], q: float) -> str:
    return f"{percentile([s.seconds for s in samples], q) * 1000:.0f}" if samples else "–"


def report(args, outcome: dict, lost: dict[str, set[str]]) -> bool:
    """Print everything; True when the run failed its goals (an error or a lost update)."""
    clients, phases, upload = outcome["clients"], outcome["phases"], outcome["import"]
    samples = [s for c in [*clients, outcome["importer"]] for s in c.samples]
    planners = sum(1 for c in clients if c.persona.shared)
    print(
        f"\nPython {platform.python_version()}, PostgreSQL {outcome['pg_version']}, "
        f"{os.cpu_count()} CPUs; gunicorn 3 workers × 4 threads, db_worker per queue; "
        f"{len(clients)} users ({len(clients) - planners} rapportörer, {planners} planerare)"
    )
    signing = [s for s in samples if s.kind == "sign_in"]
    print(
        f"sign-in (POST, {len(signing)} users at once): median "
        f"{statistics.median(s.seconds for s in signing) * 1000:.0f} ms, p95 {_ms(signing, 0.95)} ms"
    )
    in_phase = {
        name: [s for s in samples if s.phase == name and s.start < phase["deadline"]]
        for name, phase in phases.items()
    }
    _throughput(phases, in_phase)
    window = (upload.get("uploaded", 0.0), upload.get("finished", phases["load"]["deadline"]))
    during = [s for s in in_phase["load"] if window[0] <= s.start <= window[1]]
    _latencies(in_phase, during)
    errors = [s for s in samples if s.error and s.phase != "setup"]
    _saves(clients)
    retried = [r for c in [*clients, outcome["importer"]] for r in c.retried]
    print(
        f"sent again on a new connection (a kept-alive one closed before any answer): "
        f"{len(retried)}" + (f", e.g. {retried[0]}" if retried else "")
    )
    _errors(errors)
    total_lost = set().union(*lost.values())
    print(f"\nlost updates: {len(total_lost)}")
    for how, markers in lost.items():
        example = f" (e.g. {sorted(markers)[0]!r})" if markers else ""
        print(f"  {how}: {len(markers)}{example}")
    import_failed = _import(args, upload, outcome["job"])
    _logs(outcome["server_log"])
    failed = bool(errors or total_lost or import_failed)
    print(
        f"\nRESULT: {'FAILED' if failed else 'OK'} — errors {len(errors)} (goal 0), "
        f"lost updates {len(total_lost)} (goal 0)"
        + (", the import did not finish" if import_failed else "")
    )
    return failed


def _throughput(phases: dict, in_phase: dict[str, list[Sample]]) -> None:
    print(
        f"\n{'phase':10} {'seconds':>8} {'requests':>9} {'req/s':>7} {'errors':>7} "
        f"{'server CPU':>11} {'database CPU':>13} {'client CPU':>11} {'CPU ms/req':>11} "
        f"{'load avg':>10}"
    )
    rates = {}
    for name, phase in phases.items():
        seconds = phase["deadline"] - phase["start"]
        wall = phase["end"] - phase["start"]
        rows = in_phase[name]
        rates[name] = len(rows) / seconds
        capacity = wall * (os.cpu_count() or 1)
        print(
            f"{name:10} {seconds:8.0f} {len(rows):9d} {rates[name]:7.1f} "
            f"{sum(1 for s in rows if s.error):7d} {phase['server_cpu'] / capacity:10.0%} "
            f"{phase['database_cpu'] / capacity:12.0%} "
            f"{phase['client_cpu'] / capacity:10.0%} "
            f"{(phase['server_cpu'] + phase['database_cpu']) * 1000 / max(1, len(rows)):11.0f} "
            f"{phase['loadavg_start']:4.1f}–{phase['loadavg_end']:.1f}"
        )
    print(f"throughput ratio load / baseline: {rates['load'] / rates['baseline']:.2f}")
    print(
        "(CPU: share of all the machine's CPUs over the phase; CPU ms/req: server and database "
        "CPU time per request)"
    )


def _latencies(in_phase: dict[str, list[Sample]], during: list[Sample]) -> None:
    print(
        f"\n{'latency, ms':26} {'baseline n':>10} {'p50':>6} {'p95':>6} │ {'load n':>7} "
        f"{'p50':>6} {'p95':>6} │ {'import n':>8} {'p50':>6} {'p95':>6} │ "
        f"{'p50 ×':>6} {'p95 ×':>6}"
    )
    for kind, label in KIND_LABELS.items():
        base = [s for s in in_phase["baseline"] if s.kind == kind]
        load = [s for s in in_phase["load"] if s.kind == kind]
        imp = [s for s in during if s.kind == kind]
        if not load and not base:
            continue
        ratios = "".join(
            f" {percentile([s.seconds for s in load], q) / percentile([s.seconds for s in base], q):6.2f}"
            if base and load
            else f" {'–':>6}"
            for q in (0.5, 0.95)
        )
        print(
            f"{label:26} {len(base):10d} {_ms(base, 0.5):>6} {_ms(base, 0.95):>6} │ "
            f"{len(load):7d} {_ms(load, 0.5):>6} {_ms(load, 0.95):>6} │ {len(imp):8d} "
            f"{_ms(imp, 0.5):>6} {_ms(imp, 0.95):>6} │{ratios}"
        )
    print("(import: requests started while the import job ran; ×: load / baseline)")


def _saves(clients) -> None:
    saves = [save for c in clients for save in c.saves]
    counts = Counter(save.outcome for save in saves)
    shared = sum(1 for save in saves if save.outcome == "conflict" and save.shared)
    print(
        f"\nsaves: {len(saves)} — saved {counts['saved']}, conflicts shown "
        f"{counts['conflict']} ({shared} on entries planners share), refused "
        f"{counts['refused']}, failed {counts['error']}"
    )


def _errors(errors: list[Sample]) -> None:
    print(f"errors: {len(errors)}")
    for (kind, reason), count in Counter((s.kind, s.error) for s in errors).most_common(10):
        print(f"  {KIND_LABELS.get(kind, kind)}: {reason} × {count}")


def _import(args, upload: dict, job: dict) -> bool:
    """Print the import's figures; True if it failed or did not finish."""
    if "error" in upload or "finished" not in upload:
        print(f"\nimport: {upload.get('error', 'did not finish')}; job {job}")
        return True
    result = job.get("result", {})
    end_to_end = upload["finished"] - upload["started"]
    run = job.get("run_seconds") or 0.0
    print(
        f"\nimport of {args.import_rows:,} rows (CSV, through the import page, background job): "
        f"page and upload {upload['uploaded'] - upload['started']:.1f} s, queued "
        f"{job.get('queued_seconds') or 0:.1f} s, ran {run:.1f} s "
        f"({args.import_rows / run if run else 0:,.0f} rows/s), seen finished after "
        f"{end_to_end:.1f} s; job {job.get('status')}: imported {result.get('imported')}, "
        f"new {result.get('created')}, changed {result.get('changed')}, "
        f"unchanged {result.get('unchanged')}, errors {result.get('error_count')}"
    )
    return job.get("status") != "klar" or not result.get("imported")


def _logs(logs: dict[str, list[str]]) -> None:
    print(
        "server logs, lines reporting a failure: "
        + ", ".join(f"{name} {len(lines)}" for name, lines in logs.items())
    )
    for name, lines in logs.items():
        for line in lines[:5]:
            print(f"  {name}: {line[:200]}")
