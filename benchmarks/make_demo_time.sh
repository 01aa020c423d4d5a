#!/usr/bin/env bash
# Seconds from `make demo` to the first page answered, in a checkout whose .venv is made:
#     benchmarks/make_demo_time.sh DIR [PORT]
# DIR's var/ (its database) is removed first, so the demo is loaded from nothing; the demo's
# processes are stopped after the first answer. docs/performance.md has the figures.
set -euo pipefail
dir=$(cd "$1" && pwd)
port=${2:-8765}
cd "$dir"
rm -rf var
start=$(date +%s.%N)
setsid make demo PORT="$port" >"$dir/make-demo-time.log" 2>&1 &
group=$!
trap 'kill -- -"$group" 2>/dev/null || true' EXIT
until curl -sf -o /dev/null "http://127.0.0.1:$port/"; do
    kill -0 "$group" 2>/dev/null || { echo "make demo stopped; see $dir/make-demo-time.log" >&2; exit 1; }
    sleep 0.25
done
end=$(date +%s.%N)
awk -v dir="$dir" -v a="$start" -v b="$end" 'BEGIN { printf "%s: first page after %.1f s\n", dir, b - a }'
