from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from uppsikt.audit.trail import head_hash, verify


class Command(BaseCommand):
    help = (
        "Ändringsloggen: 'uppsikt audit verify' kontrollerar hashkedjan och avslutar med "
        "felkod 1 och den första brutna raden om någon rad har ändrats eller tagits bort."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        count, broken = verify()
        if broken is not None:
            raise CommandError(
                f"Ändringsloggen är bruten vid rad {broken.sequence}: {broken.reason} "
                f"({count} rader lästa)."
            )
        self.stdout.write(
            self.style.SUCCESS(f"Ändringsloggen är hel: {count} rader kontrollerade.")
        )
        self.stdout.write(f"Hash för senaste raden: {head_hash()}")
