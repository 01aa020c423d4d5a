from django.core.management.base import BaseCommand, CommandError

from uppsikt.interchange.load import LoadError, load_file


class Command(BaseCommand):
    help = "Läser in en datafil (format uppsikt/1). Filen valideras först; vid fel läses inget in."

    def add_arguments(self, parser):
        parser.add_argument("file", help="sökväg till YAML-filen")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="ta bort alla organisationer och planer innan filen läses in",
        )
        parser.add_argument(
            "--allow-decided",
            action="store_true",
            help="låt --replace ta bort även beslutade planer (skrivs i ändringsloggen)",
        )

    def handle(self, *args, file, replace, allow_decided, **options):
        try:
            counts = load_file(file, replace=replace, allow_decided=allow_decided)
        except LoadError as exc:
            for problem in exc.problems:
                self.stderr.write(f"{file}: {problem}")
            raise CommandError(f"{len(exc.problems)} fel i {file}; ingenting lästes in.") from exc
        summary = ", ".join(f"{name} {count}" for name, count in sorted(counts.items()))
        self.stdout.write(self.style.SUCCESS(f"Inläst från {file}: {summary}"))
