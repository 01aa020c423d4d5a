import json
from pathlib import Path

from django.core.management.base import BaseCommand

from uppsikt.api.main import openapi_schema


def render_schema() -> str:
    """The OpenAPI document as committed: sorted keys, two-space indent, final newline."""
    return json.dumps(openapi_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = (
        "Skriver API:ets OpenAPI-beskrivning (som /api/v1/openapi.json) till en fil eller stdout."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "-o", "--output", help="Fil att skriva till, t.ex. docs/api/openapi.json"
        )

    def handle(self, *args, output=None, **options):
        text = render_schema()
        if output:
            Path(output).parent.mkdir(parents=True, exist_ok=True)
            Path(output).write_text(text, encoding="utf-8")
            self.stdout.write(f"OpenAPI-beskrivningen är skriven till {output}.")
        else:
            self.stdout.write(text, ending="")
