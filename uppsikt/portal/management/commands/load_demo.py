from io import StringIO

from django.core.management import call_command
from django.core.management.base import BaseCommand

from uppsikt.portal.demo_steps import DEMO_STEPS, QUIET


class Command(BaseCommand):
    help = "Läser in demon: varje steg i DEMO_STEPS i tur och ordning, i en och samma process."

    def handle(self, *args, **options):
        for name, *arguments in DEMO_STEPS:
            self.stdout.write(f"uppsikt {' '.join([name, *arguments])}")
            out = StringIO() if name in QUIET else self.stdout
            call_command(name, *arguments, stdout=out, stderr=self.stderr)
