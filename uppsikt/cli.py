"""The ``uppsikt`` command: Django's management commands with Uppsikt's settings."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uppsikt.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["uppsikt", *sys.argv[1:]])


if __name__ == "__main__":
    main()
