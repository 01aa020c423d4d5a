from pathlib import Path

from django.core.management.base import BaseCommand

from uppsikt.control.queries import plan_table
from uppsikt.control.xlsx import plan_workbook

from .import_control import find_unit


class Command(BaseCommand):
    help = "Skriver en enhets internkontrollplan för ett år som XLSX (en rad per åtgärd)."

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, help="organisationens kod, t.ex. 0018")
        parser.add_argument("--unit", required=True, help="enhetens kortnamn")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("-o", "--output", required=True, help="filen att skriva")

    def handle(self, *args, organisation, unit, year, output, **options):
        table = plan_table(find_unit(organisation, unit), year)
        Path(output).write_bytes(plan_workbook(table))
        self.stdout.write(
            self.style.SUCCESS(
                f"Skrev {output}: {len(table.risks)} risker, {table.measure_count} åtgärder"
            )
        )
