from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from uppsikt.accounts.commandline import command_actor
from uppsikt.control.importing import ImportRejected
from uppsikt.control.xlsx import import_workbook
from uppsikt.organisations.models import Unit


def find_unit(organisation: str, slug: str) -> Unit:
    unit = Unit.objects.filter(organisation__code=organisation, slug=slug).first()
    if unit is None:
        raise CommandError(f"Ingen enhet {slug} i organisation {organisation}.")
    return unit


class Command(BaseCommand):
    help = (
        "Läser in en enhets internkontrollplan för ett år från en XLSX-fil (en rad per "
        "åtgärd). Filen valideras först; vid fel läses inget in och varje fel anges med rad "
        "och kolumn."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="XLSX-filen")
        parser.add_argument("--organisation", required=True, help="organisationens kod, t.ex. 0018")
        parser.add_argument(
            "--unit", required=True, help="enhetens kortnamn, t.ex. regionstyrelsen"
        )
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--user", help="användare att agera som (standard: kommandoraden)")

    def handle(self, *args, file, organisation, unit, year, user=None, **options):
        target = find_unit(organisation, unit)
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{file} kan inte läsas: {exc.strerror}") from exc
        try:
            result = import_workbook(
                target, year, content, actor=command_actor(user), file_name=path.name
            )
        except ImportRejected as exc:
            for problem in exc.listed:
                self.stderr.write(f"{path.name}: {problem}")
            raise CommandError(f"{len(exc.problems)} fel i {file}; ingenting lästes in.") from exc
        summary = ", ".join(f"{name} {count}" for name, count in result.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Inläst från {file}: {summary}"))
        if result.ignored_columns:
            self.stdout.write(
                "Okända kolumner som inte lästes: " + ", ".join(result.ignored_columns)
            )
