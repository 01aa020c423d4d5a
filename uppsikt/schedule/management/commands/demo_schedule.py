from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from uppsikt.schedule.demo import load_demo_schedule


class Command(BaseCommand):
    help = (
        "Lägger in Region Örebro läns årshjul 2023 i demon: milstolpar märkta som exempel och "
        "en tidigare sista dag för Regionkansliet i delårsrapporten (kör demo_users och "
        "demo_followup först). Det som redan finns läggs inte in igen."
    )

    def handle(self, *args, **options):
        try:
            counts = load_demo_schedule()
        except (ValidationError, PermissionDenied) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            raise CommandError("; ".join(messages)) from error
        summary = ", ".join(f"{name} {count}" for name, count in counts.items())
        self.stdout.write(
            self.style.SUCCESS(_("Årshjulsdemo inläst (%(summary)s).") % {"summary": summary})
        )
