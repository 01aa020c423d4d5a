from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from uppsikt.budget.examples import example_forecasts, forecasts_csv
from uppsikt.budget.models import BudgetTable
from uppsikt.budget.sie import SieError, read_sie


class Command(BaseCommand):
    help = (
        "Skriver exempelprognoser per månad för en tabell som en importfil (CSV, tkr). "
        "Prognoserna går från budgeten mot årets utfall i exempel-SIE-filen."
    )

    def add_arguments(self, parser):
        parser.add_argument("tabell", help="tabellens id eller organisation/enhet/år/nummer")
        parser.add_argument("fil", help="vart CSV-filen skrivs")
        parser.add_argument(
            "--sie", required=True, help="exempelbokföringen, t.ex. demo/exempel-2023.se"
        )

    def handle(self, *args, tabell, fil, sie, **options):
        try:
            table = BudgetTable.objects.by_reference(tabell)
        except BudgetTable.DoesNotExist as exc:
            raise CommandError(str(exc) or f"Ingen tabell {tabell}.") from exc
        try:
            ledger = read_sie(Path(sie).read_bytes())
        except (OSError, SieError) as exc:
            raise CommandError(f"{sie}: {exc}") from exc
        text = forecasts_csv(table, example_forecasts(table, ledger, table.year))
        Path(fil).write_text(text, encoding="utf-8", newline="")
        self.stdout.write(self.style.SUCCESS(f"Skrev {fil} för {table}."))
