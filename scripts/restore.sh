#!/usr/bin/env bash
# Restore an Uppsikt backup made by scripts/backup.sh into a new, empty PostgreSQL
# database, and its media archive into UPPSIKT_VAR_DIR. See docs/operations.md.
#
# Usage: scripts/restore.sh DUMP [MEDIA_TAR]
#
# Reads DATABASE_URL (the new database: create it first, e.g. `createdb -O uppsikt
# uppsikt_restored`) and UPPSIKT_VAR_DIR from the environment. Refuses a database that
# already has tables, and a media directory that already has files: it never overwrites.
# Objects are owned by whoever restores (--no-owner), so a dump moves between hosts.
# Afterwards: `uppsikt migrate` (a newer release may have migrations), `uppsikt audit verify`.
set -euo pipefail

dump="${1:?usage: $0 DUMP [MEDIA_TAR]}"
media="${2:-}"
: "${DATABASE_URL:?DATABASE_URL is not set (postgres://…)}"
var_dir="${UPPSIKT_VAR_DIR:-$(cd "$(dirname "$0")/.." && pwd)/var}"
[ -f "$dump" ] || { echo "restore.sh: no such dump: $dump" >&2; exit 2; }
[ -z "$media" ] || [ -f "$media" ] || { echo "restore.sh: no such archive: $media" >&2; exit 2; }

tables="$(psql --dbname="$DATABASE_URL" --no-psqlrc --tuples-only --no-align \
    --command="SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")"
if [ "$tables" != 0 ]; then
    echo "restore.sh: the database already has $tables tables; restore into a new, empty database" >&2
    exit 1
fi
if [ -n "$media" ] && [ -d "$var_dir/media" ] && [ -n "$(ls -A "$var_dir/media")" ]; then
    echo "restore.sh: $var_dir/media already has files; move them away first" >&2
    exit 1
fi

pg_restore --dbname="$DATABASE_URL" --no-owner --no-privileges --exit-on-error \
    --single-transaction "$dump"
echo "database restored from $dump"
if [ -n "$media" ]; then
    mkdir -p "$var_dir"
    tar -C "$var_dir" -xzf "$media"
    echo "media files restored into $var_dir/media"
fi
