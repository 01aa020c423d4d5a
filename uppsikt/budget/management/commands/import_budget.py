from pathlib import Path
from typing import TextIO, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from uppsikt.accounts.commandline import command_actor
from uppsikt.budget.actions import apply_import, run_import_check, stage_import
from uppsikt.budget.importers import ImportOptions
from uppsikt.budget.models import BudgetImport, BudgetTable
from uppsikt.lib.progress import TerminalProgress, no_progress


class Command(BaseCommand):
    help = (
        "Läser in budget, prognos eller utfall till en budgettabell från en CSV-, XLSX- eller "
        "SIE-fil. Filen kontrolleras först; vid fel läses ingenting in. Tabellen anges som id "
        "eller organisation/enhet/år/nummer, t.ex. 0018/regionstyrelsen/2023/4.3."
    )

    def add_arguments(self, parser):
        parser.add_argument("tabell", help="tabellens id eller organisation/enhet/år/nummer")
        parser.add_argument("fil", help="sökväg till filen (.csv, .xlsx eller .se)")
        parser.add_argument("--anvandare", required=True, help="vem som läser in (användarnamn)")
        parser.add_argument(
            "--typ", choices=BudgetImport.Kind.values, help="filtyp, om inte av filnamnet"
        )
        parser.add_argument(
            "--enhet", default=None, help="CSV/XLSX: kr, tkr eller mnkr (standard: tabellens)"
        )
        parser.add_argument("--exempel", action="store_true", help="beloppen är exempeldata")
        parser.add_argument(
            "--utan-utfall", action="store_true", help="SIE: läs inte #PSALDO/#RES som utfall"
        )
        parser.add_argument(
            "--budgetposter",
            choices=["budget", "prognos"],
            default="",
            help="SIE: läs #PBUDGET som budget eller prognos",
        )
        parser.add_argument(
            "--prognosperiod", default="", help="SIE: perioden en prognos gjordes, t.ex. 2023-06"
        )
        parser.add_argument(
            "--kontrollera", action="store_true", help="kontrollera bara, läs inte in"
        )

    def progress(self, verbosity: int):
        """A progress bar on a terminal (or with -v 2); silent in scripts such as make demo."""
        # The raw stream: the wrapper would end every write with \n.
        stream = cast(TextIO, self.stderr._out)
        if verbosity > 1 or (verbosity > 0 and stream.isatty()):
            return TerminalProgress(stream)
        return no_progress

    def handle(self, *args, **o):
        try:
            table = BudgetTable.objects.select_related("unit").by_reference(o["tabell"])
        except BudgetTable.DoesNotExist as exc:
            raise CommandError(str(exc) or f"Ingen tabell {o['tabell']}.") from exc
        user = command_actor(o["anvandare"])
        path = Path(o["fil"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: filen kan inte läsas ({exc.strerror}).") from exc
        options = ImportOptions(
            unit=o["enhet"] or table.display_unit,
            is_example=o["exempel"],
            outcome=not o["utan_utfall"],
            budgets_as=o["budgetposter"],
            forecast_period=o["prognosperiod"],
        )
        try:
            staged = stage_import(
                table,
                actor=user,
                file_name=path.name,
                content=content,
                options=options,
                kind=o["typ"],
            )
            run_import_check(staged, actor=user, progress=self.progress(o["verbosity"]))
            if staged.problems:
                for where, message in staged.problems:
                    self.stderr.write(
                        f"{path}: {where}: {message}" if where else f"{path}: {message}"
                    )
                raise CommandError(f"{staged.problem_count} fel i {path}; ingenting lästes in.")
            for where, message in staged.summary.get("varningar", []):
                place = f"{where}: " if where else ""
                self.stderr.write(f"{path}: varning: {place}{message}")
            if not staged.changes:
                self.stdout.write(f"{path}: inga fel; filen ändrar inga belopp i {table}.")
                return
            if o["kontrollera"]:
                self.stdout.write(f"{path}: inga fel; {len(staged.changes)} belopp skulle ändras.")
                return
            counts = apply_import(staged, actor=user)
        except (ValidationError, PermissionDenied) as exc:
            messages = getattr(exc, "messages", [str(exc)])
            raise CommandError(f"{path}: " + "; ".join(messages)) from exc
        summary = ", ".join(f"{name} {count}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Inläst från {path} till {table}: {summary}"))
