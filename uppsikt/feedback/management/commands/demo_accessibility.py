from typing import Any

from django.core.management.base import BaseCommand

from uppsikt.accounts.commandline import command_line_user
from uppsikt.feedback.demo import fill_example


class Command(BaseCommand):
    help = (
        "Fyll i demons tillgänglighetsredogörelse med tydligt märkta exempeluppgifter "
        "(en befintlig redogörelse lämnas orörd)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        saved = fill_example(command_line_user())
        if saved is None:
            self.stdout.write("Tillgänglighetsredogörelsen finns redan; den lämnas orörd.")
        else:
            self.stdout.write("Tillgänglighetsredogörelsen är ifylld med exempeluppgifter.")
