from django.core.management.base import BaseCommand

from uppsikt.organisations.registry import load_official_organisations


class Command(BaseCommand):
    help = (
        "Lägger in Riket, Sveriges 21 regioner och 290 kommuner med officiella koder "
        "(de som redan finns lämnas orörda), så att mätvärden kan jämföras med dem."
    )

    def handle(self, *args, **options):
        created = load_official_organisations()
        self.stdout.write(self.style.SUCCESS(f"{created} organisationer tillagda."))
