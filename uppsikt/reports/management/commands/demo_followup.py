from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from uppsikt.reports.demo import load_demo_followup


class Command(BaseCommand):
    help = (
        "Skapar Region Örebro läns uppföljningstillfällen 2023 och exempeluppföljningar i "
        "delårsrapporten för Regionstyrelsen och Regionkansliet (kör demo_users först)."
    )

    def handle(self, *args, **options):
        try:
            counts = load_demo_followup()
        except (ValidationError, PermissionDenied) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            raise CommandError("; ".join(messages)) from error
        summary = ", ".join(f"{name} {count}" for name, count in counts.items())
        self.stdout.write(
            self.style.SUCCESS(_("Uppföljningsdemo inläst (%(summary)s).") % {"summary": summary})
        )
