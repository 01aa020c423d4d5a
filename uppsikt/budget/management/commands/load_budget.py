from django.core.management.base import BaseCommand, CommandError

from uppsikt.budget.load import BudgetLoadError, load_budget_file


class Command(BaseCommand):
    help = (
        "Läser in budgettabeller (format uppsikt-budget/1). Filen valideras först; vid fel "
        "läses inget in. Tabeller med samma enhet, år, nummer och rubrik ersätts."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="sökväg till YAML-filen")

    def handle(self, *args, file, **options):
        try:
            counts = load_budget_file(file)
        except BudgetLoadError as exc:
            for problem in exc.problems:
                self.stderr.write(f"{file}: {problem}")
            raise CommandError(f"{len(exc.problems)} fel i {file}; ingenting lästes in.") from exc
        summary = ", ".join(f"{name} {count}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Inläst från {file}: {summary}"))
