from django.core.management import call_command
from django.core.management.base import BaseCommand

from .demo_loaded import demo_loaded


class Command(BaseCommand):
    help = (
        "Gör databasen redo för demon i en och samma process: migrerar, samlar de statiska "
        "filerna, läser in demon om den inte redan finns och skriver ut demons inloggningar."
    )

    def handle(self, *args, **options):
        # `make demo` ran these as five commands, each starting Django anew (about 5 s each
        # on a slow machine, docs/performance.md).
        call_command("migrate", interactive=False, stdout=self.stdout, stderr=self.stderr)
        call_command("collectstatic", interactive=False, verbosity=0)
        if demo_loaded():
            self.stdout.write(
                "The demo is already in the database; make demo-reset loads it afresh."
            )
        else:
            call_command("load_demo", stdout=self.stdout, stderr=self.stderr)
        self.stdout.write("")
        call_command("demo_users", stdout=self.stdout, stderr=self.stderr)
