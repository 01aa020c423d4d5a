import sys

from django.core.management.base import BaseCommand

from uppsikt.plans.models import Plan

DEMO_ORGANISATION = "0018"


class Command(BaseCommand):
    help = "Avslutar med 0 om demons planer redan finns i databasen, annars med 1."

    def handle(self, *args, **options):
        loaded = Plan.objects.filter(unit__organisation__code=DEMO_ORGANISATION).exists()
        sys.exit(0 if loaded else 1)
