"""Links an account to a person's identity at the OpenID Connect provider, by hand.

For accounts that are never linked by e-mail address (superusers, staff, administrators) or
whose provider does not vouch for addresses: ``uppsikt oidc_link USERNAME SUB``.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from uppsikt.accounts.commandline import command_line_user
from uppsikt.accounts.models import ExternalIdentity
from uppsikt.accounts.oidc import issuer
from uppsikt.audit.trail import record


class Command(BaseCommand):
    help = (
        "Kopplar ett konto till en identitet hos OpenID Connect-leverantören (dess 'sub'). "
        "Konton med mer än vanliga rättigheter kopplas aldrig via e-postadress; koppla dem så här."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="kontots användarnamn")
        parser.add_argument("subject", help="personens id hos leverantören (claim 'sub')")

    @transaction.atomic
    def handle(self, *args: Any, username: str, subject: str, **options: Any) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Användarnamn: det finns inget konto {username!r}.")
        subject = subject.strip()
        if not subject:
            raise CommandError("Id hos leverantören: får inte vara tomt.")
        existing = ExternalIdentity.objects.filter(issuer=issuer(), subject=subject).first()
        if existing is not None and existing.user_id != user.pk:
            raise CommandError(
                f"Id hos leverantören: {subject!r} är redan kopplat till {existing.user}."
            )
        if existing is None:
            ExternalIdentity.objects.create(user=user, issuer=issuer(), subject=subject)
            record(
                actor=command_line_user(),
                action="account.oidc_link",
                obj=user,
                after={"leverantör": issuer(), "id": subject},
                reason="uppsikt oidc_link",
            )
        self.stdout.write(f"{user.username} är kopplat till {subject} hos {issuer()}.")
