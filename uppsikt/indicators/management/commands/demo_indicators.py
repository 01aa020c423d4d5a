from django.core.management.base import BaseCommand, CommandError

from uppsikt.indicators.demo import load_demo_indicators
from uppsikt.indicators.periods import PeriodError, format_period, parse_period


class Command(BaseCommand):
    help = (
        "Create indicator definitions, proposed target rules and deterministic example series "
        "(exempeldata) for the loaded demo, then propose assessments for a period."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", default="2023", help="period to assess (default 2023)")

    def handle(self, *args, period: str, **options):
        try:
            period = format_period(parse_period(period))
        except PeriodError as error:
            raise CommandError(str(error)) from error
        counts = load_demo_indicators(period)
        if not counts["targets"]:
            raise CommandError(
                "Inga indikatorer hittades: läs in demon först (uppsikt load demo/region-orebro-lan.yaml)."
            )
        summary = ", ".join(f"{name}: {count}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Indikatordemo inläst ({summary})."))
