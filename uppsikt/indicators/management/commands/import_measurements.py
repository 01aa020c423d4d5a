from typing import TextIO, cast

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from uppsikt.accounts.commandline import command_actor
from uppsikt.indicators.importers import FORMATS, import_file
from uppsikt.lib.limits import more_problems
from uppsikt.lib.progress import TerminalProgress


class Command(BaseCommand):
    help = (
        "Läser in mätvärden från en CSV-, XLSX- eller Kolada-JSON-fil. Alla rader kontrolleras "
        "först; finns det felaktiga rader läses ingenting in, om inte --skip-bad-rows anges."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="sökväg till filen")
        parser.add_argument(
            "--format", choices=sorted(FORMATS), help="filens format (annars efter filändelsen)"
        )
        parser.add_argument(
            "--skip-bad-rows",
            action="store_true",
            help="läs in de korrekta raderna och hoppa över de felaktiga",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="kontrollera bara, läs inte in något"
        )
        parser.add_argument(
            "--user",
            help="användarnamn att läsa in som (med den användarens behörighet); "
            "utan --user läser systemet in med full behörighet",
        )

    def handle(self, *args, file, format, skip_bad_rows, dry_run, user, **options):
        actor = command_actor(user)  # without --user: the command line, every permission
        try:
            report = import_file(
                file,
                format=format,
                actor=actor,
                skip_bad_rows=skip_bad_rows,
                dry_run=dry_run,
                progress=TerminalProgress(cast(TextIO, self.stderr._out)),
            )
        except FileNotFoundError as error:
            raise CommandError(f"Filen {file} finns inte.") from error
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        for problem in report.errors:
            self.stderr.write(f"{file}: {problem}")
        if report.more_errors:
            self.stderr.write(f"{file}: {more_problems(report.more_errors)}")
        if report.errors and not report.imported:
            raise CommandError(
                f"{report.error_count} fel på {report.bad_lines} rader i {file}; ingenting "
                "lästes in. Rätta filen eller kör med --skip-bad-rows."
            )
        if dry_run:
            self.stdout.write(f"{report.rows} rader kontrollerade, inga fel.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Inläst från {file}: {report.rows} rader, {report.created} nya, "
                f"{report.changed} ändrade, {report.unchanged} oförändrade, "
                f"{report.skipped} överhoppade, {report.empty} utan värde."
            )
        )
