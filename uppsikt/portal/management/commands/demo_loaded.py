import sys

from django.core.management.base import BaseCommand

from uppsikt.plans.models import Plan

DEMO_ORGANISATION = "0018"


def demo_loaded() -> bool:
    """Whether the demo region's plans are in the database."""
    return Plan.objects.filter(unit__organisation__code=DEMO_ORGANISATION).exists()


class Command(BaseCommand):
    help = "Avslutar med 0 om demons planer redan finns i databasen, annars med 1."

    def handle(self, *args, **options):
        sys.exit(0 if demo_loaded() else 1)
