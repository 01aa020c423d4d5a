from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from uppsikt.administration.demo_kommun import load_demo_kommun


class Command(BaseCommand):
    help = (
        "Lägger till demons exempelkommun, Kumla kommun, genom samma åtgärder som när en "
        "organisation sätts upp: enheter, egen styrmodell, demoinloggningar, "
        "uppföljningstillfällen och beslutade exempelplaner (kör demo_users först). "
        "Det som redan finns lämnas orört."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            made = load_demo_kommun()
        except (ValidationError, PermissionDenied) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            raise CommandError("; ".join(messages)) from error
        if not made:
            self.stdout.write(_("Exempelkommunen finns redan; inget ändrades."))
        for line in made:
            self.stdout.write(self.style.SUCCESS(line))
