from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from uppsikt.reports.demo_review import load_demo_review


class Command(BaseCommand):
    help = (
        "Låter demons granskare återföra Regionkansliets delårsrapport 2023 med en kommentar "
        "(kör demo_followup först)."
    )

    def handle(self, *args, **options):
        try:
            report = load_demo_review()
        except (ValidationError, PermissionDenied) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            raise CommandError("; ".join(messages)) from error
        if report is None:
            self.stdout.write(_("Regionkansliets delårsrapport är inte godkänd; inget återfördes."))
        else:
            self.stdout.write(self.style.SUCCESS(_("Regionkansliets delårsrapport återförd.")))
