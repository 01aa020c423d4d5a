"""The current second-factor code of a demo account: ``uppsikt totp_code USERNAME``.

For trying the demo without an authenticator app. Answers only for an account enrolled
with the demo's published secret (``demo_users.DEMO_TOTP_SECRET``); for any other account
it refuses, so it never reveals a real person's code.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from uppsikt.accounts import second_factor
from uppsikt.accounts.management.commands.demo_users import DEMO_TOTP_SECRET
from uppsikt.accounts.sealed import Unreadable, unseal


class Command(BaseCommand):
    help = "Skriver ut den aktuella tvåstegskoden för ett demokonto (bara demons egna konton)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="demokontots användarnamn, t.ex. admin")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        user = get_user_model().objects.filter(username=username).first()
        authenticator = second_factor.authenticator_of(user) if user is not None else None
        try:
            demo = authenticator is not None and (
                unseal(authenticator.sealed_secret) == DEMO_TOTP_SECRET
            )
        except Unreadable:
            demo = False
        if user is None or not demo:
            raise CommandError(
                f"{username!r} är inget demokonto med demons tvåstegsnyckel: "
                "koden visas bara för konton som demo_users har skapat."
            )
        self.stdout.write(second_factor.current_code(user) or "")
