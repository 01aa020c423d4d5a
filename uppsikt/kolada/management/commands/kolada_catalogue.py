"""``uppsikt kolada_catalogue [--user NAME]``: read Kolada's KPI catalogue into Uppsikt."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from uppsikt.accounts.commandline import command_actor
from uppsikt.kolada.catalogue import refresh_catalogue
from uppsikt.kolada.client import KoladaClient, KoladaError


class Command(BaseCommand):
    help = (
        "Hämtar Koladas hela KPI-katalog (UPPSIKT_KOLADA_URL) så att den kan sökas här: nya "
        "KPI:er läggs till, ändrade uppdateras, borttagna markeras. Ändrar ingenting om "
        "Kolada inte går att läsa."
    )

    def add_arguments(self, parser):
        parser.add_argument("--user", "--anvandare", dest="user", default=None)

    def handle(self, *args, user, **options):
        try:
            with KoladaClient() as client:
                refresh = refresh_catalogue(client, actor=command_actor(user))
        except KoladaError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            _(
                "KPI-katalogen: %(created)s nya, %(changed)s ändrade, %(unchanged)s "
                "oförändrade, %(removed)s borttagna ur Kolada (%(requests)s anrop)."
            )
            % {
                "created": refresh.created,
                "changed": refresh.changed,
                "unchanged": refresh.unchanged,
                "removed": refresh.removed,
                "requests": refresh.requests,
            }
        )
