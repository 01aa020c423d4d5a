from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from uppsikt.budget.examples import example_ledger
from uppsikt.budget.models import BudgetTable
from uppsikt.budget.sie import SieWriteError, write_sie


class Command(BaseCommand):
    help = (
        "Skriver en SIE-fil (typ 4, PC8) med exempelbokföring som passar tabellernas "
        "mappning från konton till rader. Beloppen är exempel, inte regionens bokföring."
    )

    def add_arguments(self, parser):
        parser.add_argument("fil", help="vart filen skrivs, t.ex. demo/exempel-2023.se")
        parser.add_argument("--ar", type=int, default=2023, help="räkenskapsåret (standard 2023)")
        parser.add_argument(
            "--tabell",
            action="append",
            default=[],
            help="tabell (id eller organisation/enhet/år/nummer); standard: årets tabeller med mappning",
        )

    def handle(self, *args, fil, ar, tabell, **options):
        try:
            tables = [BudgetTable.objects.by_reference(ref) for ref in tabell]
        except BudgetTable.DoesNotExist as exc:
            raise CommandError(str(exc) or "Ingen sådan tabell.") from exc
        if not tables:
            tables = list(
                BudgetTable.objects.filter(year=ar, mapping_rules__isnull=False)
                .distinct()
                .order_by("pk")
            )
        if not tables:
            raise CommandError(f"Inga tabeller för {ar} har mappning; läs in budgetfilen först.")
        try:
            data = write_sie(example_ledger(tables, ar))
        except SieWriteError as exc:
            raise CommandError(str(exc)) from exc
        Path(fil).write_bytes(data)
        names = ", ".join(str(table) for table in tables)
        self.stdout.write(self.style.SUCCESS(f"Skrev {fil} ({len(data)} byte) för {names}."))
