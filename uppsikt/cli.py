"""The ``uppsikt`` command: Django's management commands with Uppsikt's settings."""

import os
import sys


def _collect_static_first() -> None:
    """``runserver`` without collected static files would answer every page with an error
    (the manifest of hashed names is missing): collect them once, as ``make demo`` does."""
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    backend = settings.STORAGES["staticfiles"]["BACKEND"]
    if "Manifest" in backend and not (settings.STATIC_ROOT / "staticfiles.json").exists():
        print("Samlar statiska filer första gången (collectstatic) …", file=sys.stderr)
        call_command("collectstatic", interactive=False, verbosity=0)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uppsikt.settings")
    from django.core.management import execute_from_command_line

    if sys.argv[1:2] == ["runserver"]:
        _collect_static_first()
    execute_from_command_line(["uppsikt", *sys.argv[1:]])


if __name__ == "__main__":
    main()
