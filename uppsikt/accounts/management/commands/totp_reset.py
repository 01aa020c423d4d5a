"""Removes a person's second factor when they have lost both the app and the recovery
codes: ``uppsikt totp_reset USERNAME``. Audited (``account.totp_reset``). Someone who must
have a second factor enrols again at the next sign-in."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from uppsikt.accounts.commandline import command_line_user
from uppsikt.accounts.second_factor import remove


class Command(BaseCommand):
    help = (
        "Tar bort ett kontos tvåstegsverifiering (app och reservkoder), för den som har "
        "tappat bort båda. Kontot får aktivera den igen vid nästa inloggning."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="kontots användarnamn")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Användarnamn: det finns inget konto {username!r}.")
        if remove(user, actor=command_line_user(), reset=True):
            self.stdout.write(f"Tvåstegsverifieringen för {username} är borttagen.")
        else:
            self.stdout.write(f"{username} hade ingen tvåstegsverifiering.")
