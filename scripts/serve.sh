#!/usr/bin/env bash
# Serve Uppsikt: background-task workers and housekeeping beside the web server. Ctrl-C stops all.
#
# One worker per queue by default: "default" (reports, checks) and "imports" (long imports), so
# a long import never holds up a report. More workers per queue: REPORT_WORKERS=2 IMPORT_WORKERS=2.
# Beside them: `reap_jobs --every 30` (jobs of a worker that died are failed or queued again) and
# `audit anchor --daily --every 3600` (the audit trail's head, published once a day) and
# `send_reminders --every 900` (reminders by e-mail, docs/tasks.md).
set -euo pipefail
BIN="${BIN:-.venv/bin}"
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
REPORT_WORKERS="${REPORT_WORKERS:-1}"
IMPORT_WORKERS="${IMPORT_WORKERS:-1}"

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT INT TERM

worker() {
  "$BIN/uppsikt" db_worker --queue-name "$1" --interval 1 --no-startup-delay &
  pids+=($!)
}
for _ in $(seq "$REPORT_WORKERS"); do worker default; done
for _ in $(seq "$IMPORT_WORKERS"); do worker imports; done

# Housekeeping starts a little later, so the web server and workers come up first.
(sleep 5 && exec "$BIN/uppsikt" reap_jobs --every 30) &
pids+=($!)
(sleep 10 && exec "$BIN/uppsikt" audit anchor --daily --every 3600) &
pids+=($!)
(sleep 15 && exec "$BIN/uppsikt" send_reminders --every 900) &
pids+=($!)

"$BIN/gunicorn" uppsikt.wsgi --bind "$HOST:$PORT" --workers 2 --threads 4 --access-logfile -
