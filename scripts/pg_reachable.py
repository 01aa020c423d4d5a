"""Exit 0 if PostgreSQL answers at the given URL within 3 seconds, 1 otherwise.

Usage: python scripts/pg_reachable.py [URL]
URL defaults to $UPPSIKT_PG_URL, else postgres://postgres@127.0.0.1:5432/postgres.
"""

import os
import sys

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def reachable(url: str, timeout: int = 3) -> bool:
    try:
        import psycopg
    except ImportError:
        print("pg_reachable: psycopg is not installed", file=sys.stderr)
        return False
    try:
        with psycopg.connect(url, connect_timeout=timeout) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:  # any failure means "not usable for tests"
        print(f"pg_reachable: {type(exc).__name__}: {exc}".strip(), file=sys.stderr)
        return False
    return True


def main() -> int:
    url = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("UPPSIKT_PG_URL", DEFAULT_URL)
    return 0 if reachable(url) else 1


if __name__ == "__main__":
    sys.exit(main())
