#!/usr/bin/env bash
# Back up Uppsikt: the PostgreSQL database (pg_dump's custom format, one consistent
# snapshot) and the files kept outside it, UPPSIKT_VAR_DIR/media (report templates, budget
# import files, job results). See docs/operations.md.
#
# Usage: scripts/backup.sh DEST_DIR [--keep-days N]
#
# Reads DATABASE_URL (postgres://…) and UPPSIKT_VAR_DIR from the environment. On a server
# the unit deploy/uppsikt-backup.service runs it nightly with the service's settings;
# `sudo systemctl start uppsikt-backup` runs it now.
# Writes DEST_DIR/uppsikt-<UTC time>.dump and DEST_DIR/uppsikt-<UTC time>-media.tar.gz
# (when there is a media directory) and prints their names. With --keep-days N it then
# removes this script's backups older than N days from DEST_DIR. The secrets in
# /etc/uppsikt are not copied: back them up separately (docs/operations.md).
set -euo pipefail

dest="${1:?usage: $0 DEST_DIR [--keep-days N]}"
keep_days=""
if [ "${2:-}" = "--keep-days" ]; then
    keep_days="${3:?--keep-days needs a number of days}"
fi
: "${DATABASE_URL:?DATABASE_URL is not set (postgres://…)}"
case "$DATABASE_URL" in
postgres://* | postgresql://*) ;;
*)
    echo "backup.sh: DATABASE_URL is not a PostgreSQL URL; the embedded SQLite is backed up by copying var/ while Uppsikt is stopped" >&2
    exit 2
    ;;
esac
var_dir="${UPPSIKT_VAR_DIR:-$(cd "$(dirname "$0")/.." && pwd)/var}"

umask 077
mkdir -p "$dest"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
dump="$dest/uppsikt-$stamp.dump"
# Written under a temporary name first, so a dump that is there is a whole one.
pg_dump --format=custom --dbname="$DATABASE_URL" --file="$dump.partial"
mv "$dump.partial" "$dump"
echo "$dump"

if [ -d "$var_dir/media" ]; then
    media="$dest/uppsikt-$stamp-media.tar.gz"
    tar -C "$var_dir" -czf "$media.partial" media
    mv "$media.partial" "$media"
    echo "$media"
fi

if [ -n "$keep_days" ]; then
    find "$dest" -maxdepth 1 -type f \( -name 'uppsikt-*.dump' -o -name 'uppsikt-*-media.tar.gz' \) \
        -mtime +"$keep_days" -delete
fi
