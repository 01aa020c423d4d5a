from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from uppsikt.plans.demo import load_demo_planning


class Command(BaseCommand):
    help = (
        "Visar planeringen av 2024 i demon: utkast till Regionfullmäktiges och "
        "Regionstyrelsens planer 2024 som kopior av planerna 2023, märkta som exempel "
        "(kör demo_users först). Planer som redan finns för 2024 lämnas orörda."
    )

    def handle(self, *args, **options):
        try:
            made = load_demo_planning()
        except (ValidationError, PermissionDenied) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            raise CommandError("; ".join(messages)) from error
        if not made:
            self.stdout.write(_("Planerna för 2024 finns redan; inget ändrades."))
        for plan in made:
            self.stdout.write(self.style.SUCCESS(_("Utkast skapat: %(plan)s") % {"plan": plan}))
