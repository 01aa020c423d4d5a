from django.core.management.base import BaseCommand, CommandError

from uppsikt.accounts.commandline import command_actor
from uppsikt.control.datafile import load_control_file
from uppsikt.control.importing import ImportRejected


class Command(BaseCommand):
    help = (
        "Läser in internkontrollplaner (format uppsikt-internkontroll/1). Filen valideras "
        "först; vid fel läses inget in. Enhetens risker och åtgärder för året ersätts."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="sökväg till YAML-filen")
        parser.add_argument("--user", help="användare att agera som (standard: kommandoraden)")

    def handle(self, *args, file, user=None, **options):
        try:
            counts = load_control_file(file, actor=command_actor(user))
        except ImportRejected as exc:
            for problem in exc.listed:
                self.stderr.write(f"{file}: {problem}")
            raise CommandError(f"{len(exc.problems)} fel i {file}; ingenting lästes in.") from exc
        summary = ", ".join(f"{name} {count}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Inläst från {file}: {summary}"))
