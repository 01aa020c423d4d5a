"""Benchmark: the public pages served through the page cache (issue 17, "Fast").

Run with ``make bench`` or ``.venv/bin/python benchmarks/public_site.py [--clients N]
[--duration S] [--throughput-duration S]``. Not a test: it prints figures; it exits
non-zero only when the load test saw an error or a stale page.

* Part A, throughput: gunicorn on 127.0.0.1 (2 workers, 1 thread each) serves the
  Regionstyrelsen 2023 plan page to anonymous visitors (kept in the page cache, as in
  production without Redis: files under the var dir) and the bare view of
  ``benchmarks/ceiling``, in interleaved rounds; requests/second of both and the ratio
  (issue 17's goal: at least 50 %).
* Part B, a bounded load test: CLIENTS concurrent clients (asyncio streams, one process)
  for DURATION seconds against a mix of public pages (the plan page, the organisation and
  unit pages, the start page, and the /insyn/ pages when the public site is installed).
  Half way, another process renames Regionstyrelsen through the real action
  (``administration.actions.update_unit``). Every response to a request sent after that
  action returned must show the new name and none the old: "stale responses after edit".
  Prints requests, errors, p50/p95/p99 latency and the cache's hits.

Everything runs against a throwaway var dir (SQLite, the page cache's files) loaded with
the demo; the checkout's own ``var/`` is not touched.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.plan_page import (  # noqa: E402 - after the path is set
    HOST,
    PLAN_TITLE,
    bench_env,
    free_port,
    percentile,
    prepare,
    python_load,
    start_server,
    wait_until_up,
    wrk_load,
)

ROUNDS = 3
CLIENTS = 200  # issue 17: "200 concurrent clients for 60 s"
DURATION = 60.0
THROUGHPUT_DURATION = 5.0
NEW_NAME = "Styrelsen för regionen"
EDITOR = "bench-editor"
REQUEST_TIMEOUT = 60.0

# The editing process: set up before the load starts, it renames the unit when told to
# and prints the monotonic time at which the action returned (committed, pages renewed).
EDIT = """
import sys
import time
import django
django.setup()
from django.contrib.auth import get_user_model
from uppsikt.administration.actions import update_unit
from uppsikt.organisations.models import Unit
unit = Unit.objects.get(pk={unit_pk})
editor = get_user_model().objects.get(username={editor!r})
print("ready", flush=True)
sys.stdin.readline()
update_unit(unit, actor=editor, name={name!r})
print(time.monotonic(), flush=True)
"""


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--duration", type=float, default=DURATION)
    parser.add_argument("--throughput-duration", type=float, default=THROUGHPUT_DURATION)
    return parser.parse_args()


def setup_django(env: dict[str, str]) -> None:
    for key in ("UPPSIKT_VAR_DIR", "UPPSIKT_DEBUG", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE"):
        os.environ[key] = env[key]
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("UPPSIKT_CACHE_URL", None)  # the page cache in files, as by default
    import django

    django.setup()


def the_pages() -> tuple[dict[str, str], object]:
    """(name → path of each page in the mix, the plan's unit)."""
    from django.contrib.auth import get_user_model
    from django.urls import NoReverseMatch, Resolver404, resolve, reverse

    from uppsikt.plans.models import Plan

    plan = Plan.objects.select_related("unit__organisation").get(title=PLAN_TITLE)
    unit, code = plan.unit, plan.unit.organisation.code
    pages = {
        "plan page": plan.get_absolute_url(),
        "organisation page": reverse("organisations:detail", args=[code]),
        "unit page": reverse("organisations:unit", args=[code, unit.slug]),
        "start page": reverse("portal:home"),
    }
    try:
        resolve("/insyn/")
        pages["insyn"] = "/insyn/"
        from uppsikt.public.navigation import SITE_MENU

        for label, name, _area in SITE_MENU:
            with contextlib.suppress(NoReverseMatch):
                pages[f"insyn: {label}"] = reverse(name, args=[code])
    except Resolver404:
        pass
    get_user_model().objects.create_superuser(EDITOR, password="bench-editor-pass-1")
    return pages, unit


# --- Part A ---------------------------------------------------------------------------


def part_a(port: int, plan_url: str, minimal: str, seconds: float) -> dict[str, dict]:
    use_wrk = shutil.which("wrk") is not None
    load = wrk_load if use_wrk else python_load
    urls = {"plan page (kept)": plan_url, "minimal view": minimal}
    for url in urls.values():  # warm both workers and the cache
        load(port, url, 1.0)
    rounds: dict[str, list[dict]] = {name: [] for name in urls}
    for _ in range(ROUNDS):
        for name, url in urls.items():
            rounds[name].append(load(port, url, seconds))
    return {
        name: sorted(results, key=lambda r: r["rps"])[len(results) // 2]
        for name, results in rounds.items()
    }


# --- Part B ---------------------------------------------------------------------------


def names_in(old_name: str) -> tuple[re.Pattern, re.Pattern]:
    """The unit's old and new name as the text of an element (a link, a heading)."""
    return tuple(  # type: ignore[return-value]
        re.compile(rb">\s*" + re.escape(name.encode()) + rb"\s*<") for name in (old_name, NEW_NAME)
    )


async def fetch(port: int, path: str) -> tuple[int, dict[str, str], bytes]:
    """One GET over its own connection (gunicorn's sync workers close it after the
    response): status, headers (lower-case names) and body. Plain asyncio streams: a full
    HTTP client costs the load generator more CPU than the server spends on a kept page."""
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode())
        await writer.drain()
        raw = await reader.read(-1)
    finally:
        writer.close()
    head, _sep, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _colon, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body


async def client_loop(port: int, paths, offset: int, stop: float, names, rows: list) -> None:
    """One client: GETs one after the other until ``stop``; each response is judged at once
    (rows hold no bodies): (sent, done, page, status, old name, new name, cache, error)."""
    old, new = names
    index = offset
    while time.monotonic() < stop:
        name, path = paths[index % len(paths)]
        index += 1
        sent = time.monotonic()
        try:
            status, headers, body = await asyncio.wait_for(fetch(port, path), REQUEST_TIMEOUT)
            cache = headers.get("x-uppsikt-cache", "-")
            row = (
                sent,
                time.monotonic(),
                name,
                status,
                bool(old.search(body)),
                bool(new.search(body)),
                cache,
                "",
            )
        except (OSError, ValueError, IndexError, TimeoutError) as error:
            row = (sent, time.monotonic(), name, 0, False, False, "-", type(error).__name__)
        rows.append(row)


async def run_load(port: int, pages: dict[str, str], clients: int, seconds: float, names):
    rows: list = []
    paths = list(pages.items())
    stop = time.monotonic() + seconds
    await asyncio.gather(*(client_loop(port, paths, i, stop, names, rows) for i in range(clients)))
    return rows


def start_editor(env: dict[str, str], unit_pk: int) -> subprocess.Popen:
    script = EDIT.format(unit_pk=unit_pk, editor=EDITOR, name=NEW_NAME)
    editor = subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=REPO,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    if editor.stdout is None or editor.stdout.readline().strip() != "ready":
        raise SystemExit("the editing process did not start")
    return editor


def edit_later(editor: subprocess.Popen, delay: float, result: dict) -> None:
    time.sleep(delay)
    out, _err = editor.communicate("go\n", timeout=300)
    if editor.returncode != 0:
        result["error"] = f"exit {editor.returncode}"
    else:
        result["committed_at"] = float(out.split()[-1])


def judge(rows: list, committed_at: float) -> dict:
    errors = [row for row in rows if row[3] != 200]
    showing_name: Counter = Counter()
    stale: Counter = Counter()
    fresh = 0
    for sent, _done, name, status, has_old, has_new, _cache, _error in rows:
        if status != 200:
            continue
        if has_old:
            showing_name[name] += 1
            if sent > committed_at:
                stale[name] += 1
        if sent > committed_at and has_new:
            fresh += 1
    return {"errors": errors, "stale": stale, "old_seen": showing_name, "fresh": fresh}


def part_b(env, port, pages, unit, clients: int, seconds: float) -> dict:
    import threading

    edit: dict = {}
    editor = threading.Thread(
        target=edit_later, args=(start_editor(env, unit.pk), seconds / 2, edit)
    )
    editor.start()
    started = time.monotonic()
    rows = asyncio.run(run_load(port, pages, clients, seconds, names_in(unit.name)))
    wall = time.monotonic() - started
    editor.join()
    if "error" in edit:
        raise SystemExit(f"the edit failed:\n{edit['error']}")
    verdict = judge(rows, edit["committed_at"])
    latencies = [(done - sent) * 1000 for sent, done, *_ in rows]
    return {
        "rows": rows,
        "wall": wall,
        "latencies": latencies,
        "edit_at": edit["committed_at"] - started,
        "cache": Counter(row[6] for row in rows),
        **verdict,
    }


# --- main -------------------------------------------------------------------------------


def main() -> int:
    args = arguments()
    var_dir = tempfile.mkdtemp(prefix="uppsikt-bench-public-")
    server = None
    try:
        env = bench_env(var_dir)
        env.pop("UPPSIKT_CACHE_URL", None)
        print(f"preparing throwaway database in {var_dir} ...", flush=True)
        prepare(env)
        setup_django(env)
        from benchmarks.ceiling.urls import MINIMAL_PATH

        pages, unit = the_pages()
        port = free_port()
        server = start_server(env, port, Path(var_dir) / "gunicorn.log")
        wait_until_up(server, port, MINIMAL_PATH)
        wait_until_up(server, port, pages["plan page"])
        rate = part_a(port, pages["plan page"], MINIMAL_PATH, args.throughput_duration)
        load = part_b(env, port, pages, unit, args.clients, args.duration)
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=5)
        shutil.rmtree(var_dir, ignore_errors=True)
    return report(args, pages, rate, load)


def report(args, pages: dict[str, str], rate: dict, load: dict) -> int:
    import django

    kept, bare = rate["plan page (kept)"], rate["minimal view"]
    ratio = kept["rps"] / bare["rps"]
    print()
    print(
        f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, "
        f"Django {django.get_version()}; gunicorn 2 workers x 1 thread on {HOST}"
    )
    print()
    print(
        f"Part A: throughput, median of {ROUNDS} interleaved rounds of "
        f"{args.throughput_duration:.0f} s"
    )
    print(f"  public plan page (page cache): {kept['rps']:8.0f} req/s")
    print(f"  bare view (ceiling):           {bare['rps']:8.0f} req/s")
    print(f"  ratio: {ratio:.0%} of the bare view (goal: at least 50 %)")
    print()
    latencies = load["latencies"]
    requests = len(load["rows"])
    print(
        f"Part B: {args.clients} concurrent clients for {args.duration:.0f} s, "
        f"{len(pages)} pages: {', '.join(pages)}"
    )
    print(
        f"  requests: {requests:,} ({requests / load['wall']:.0f}/s), errors: {len(load['errors'])}"
    )
    print(
        f"  latency p50 {percentile(latencies, 0.50):.0f} ms, "
        f"p95 {percentile(latencies, 0.95):.0f} ms, p99 {percentile(latencies, 0.99):.0f} ms"
    )
    print(f"  page cache: {dict(load['cache'])}")
    print(
        f"  edit (rename through update_unit) committed at {load['edit_at']:.1f} s; "
        f"responses with the new name after it: {load['fresh']:,}"
    )
    print(f"  responses showing the old name, by page: {dict(load['old_seen'])}")
    stale = sum(load["stale"].values())
    print(f"stale responses after edit: {stale}")
    for row in load["errors"][:5]:
        print(f"  error: {row[2]} -> {row[3]} {row[7]}")
    vacuous = not load["old_seen"] or not load["fresh"]
    if vacuous:
        print("the check saw no page with the old name before the edit or none with the new")
    return 1 if stale or load["errors"] or vacuous else 0


if __name__ == "__main__":
    sys.exit(main())
