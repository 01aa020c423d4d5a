#!/usr/bin/env bash
# Serve Uppsikt: the background-task worker beside the web server. Ctrl-C stops both.
set -euo pipefail
BIN="${BIN:-.venv/bin}"
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"

"$BIN/uppsikt" db_worker --interval 1 --no-startup-delay &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM

"$BIN/gunicorn" uppsikt.wsgi --bind "$HOST:$PORT" --workers 2 --threads 4 --access-logfile -
