from pathlib import Path

from django.core.management.base import BaseCommand

from uppsikt.interchange.dump import dump_yaml


class Command(BaseCommand):
    help = "Skriver ut organisationer och planer som en datafil (format uppsikt/1)."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="fil att skriva till (standard: skärmen)")

    def handle(self, *args, output=None, **options):
        text = dump_yaml()
        if output:
            Path(output).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
