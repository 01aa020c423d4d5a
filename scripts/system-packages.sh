#!/usr/bin/env bash
# The Debian packages Uppsikt needs outside Python, in one place.
#
# Usage: scripts/system-packages.sh [--check] [PROFILE]   (default profile: test)
#
#   demo    what `make demo` needs: python3-venv, and Pango with the fonts for PDF reports
#   test    what `make test` needs: demo + make, Chromium (browser and accessibility tests),
#           LibreOffice (a report test converts the DOCX), gettext (the translation test),
#           redis-server (the page cache's tests run against a real Redis)
#   ci      test + PostgreSQL (server and client), as `.ci/run` installs it
#   server  a production host: demo + postgresql-client (pg_dump/pg_restore for backups);
#           the PostgreSQL server and nginx are installed as docs/operations.md says
#
# Checks which packages are missing (by the file or command each one provides, so a
# machine that has them some other way passes too). As root it installs the missing ones
# (apt-get update once, then a non-interactive install without recommends); otherwise it
# prints the `sudo apt-get install ...` line to run and exits 1. With --check it never
# installs: it only says what is missing (exit 1) or nothing (exit 0).
set -euo pipefail

check_only=0
if [ "${1:-}" = "--check" ]; then
    check_only=1
    shift
fi
profile="${1:-test}"
case "$profile" in
demo) wanted=(python3-venv libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core fonts-dejavu-core) ;;
test) wanted=(make python3-venv libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core
    fonts-dejavu-core chromium libreoffice-writer-nogui gettext redis-server) ;;
ci) wanted=(make python3-venv libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core
    fonts-dejavu-core chromium libreoffice-writer-nogui gettext redis-server postgresql) ;;
server) wanted=(python3-venv libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core
    fonts-dejavu-core postgresql-client) ;;
*)
    echo "usage: $0 [--check] [demo|test|ci|server]" >&2
    exit 2
    ;;
esac

# ldconfig lives in /sbin, which is not on every user's PATH; grep reads all of its output
# (no -q) so that pipefail never sees ldconfig die of a closed pipe.
has_library() {
    local ldconfig
    ldconfig="$(command -v ldconfig || echo /sbin/ldconfig)"
    "$ldconfig" -p 2>/dev/null | grep "[[:space:]]$1 " >/dev/null
}

# True when what the package provides is on this machine.
present() {
    case "$1" in
    make) command -v make >/dev/null ;;
    # venv alone is not enough: Debian splits ensurepip (pip inside new venvs) out of python3.
    python3-venv) python3 -c 'import ensurepip, venv' 2>/dev/null ;;
    # Reports: WeasyPrint draws text with Pango; the PDF uses Noto Sans, DejaVu Sans for symbols.
    libpango-1.0-0) has_library libpango-1.0.so.0 ;;
    libpangoft2-1.0-0) has_library libpangoft2-1.0.so.0 ;;
    fonts-noto-core) [ -f /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf ] ;;
    fonts-dejavu-core) [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] ;;
    # The browser tests drive Debian's Chromium (tests/conftest.py), never a downloaded one.
    chromium) [ -x /usr/bin/chromium ] ;;
    # A report test converts the DOCX to PDF with headless LibreOffice.
    libreoffice-writer-nogui) command -v soffice >/dev/null ;;
    # The translation test extracts the UI strings afresh with xgettext.
    gettext) command -v xgettext >/dev/null ;;
    # The page cache's tests use a real Redis (tests/test_pagecache_redis.py starts one
    # when none answers on 127.0.0.1:6379; .ci/run starts the local one).
    redis-server) command -v redis-server >/dev/null || [ -x /usr/bin/redis-server ] ;;
    postgresql) command -v pg_ctlcluster >/dev/null && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 ;;
    postgresql-client) command -v pg_dump >/dev/null && command -v pg_restore >/dev/null ;;
    *)
        echo "system-packages.sh: no check for $1" >&2
        return 1
        ;;
    esac
}

missing=()
for package in "${wanted[@]}"; do
    present "$package" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

sudo="sudo "
[ "$(id -u)" -eq 0 ] && sudo=""
if [ -n "$sudo" ] || [ "$check_only" = 1 ]; then
    echo "Missing system packages ($profile): ${missing[*]}" >&2
    echo "Install them with:" >&2
    echo "  ${sudo}apt-get install --no-install-recommends ${missing[*]}" >&2
    exit 1
fi
if ! command -v apt-get >/dev/null; then
    echo "Missing system packages ($profile): ${missing[*]}, and this is not a Debian machine (no apt-get)." >&2
    exit 1
fi
echo "== apt-get install ${missing[*]} =="
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}" </dev/null
